#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>

#include "pipeline/compiler.h"
#include "runner/command.h"

// Flags that describe a build for compiling a pipeline without a Drone server (lint,
// compile, exec): --branch, --event, --ref, --commit, --repo, --secret NAME=VALUE, ...
namespace podrunner {

void addBuildContextOptions(boost::program_options::options_description& options);

// The compile request for the pipeline file named by the command's argument (default
// .drone.yml): its text, the build context from the flags and the compiler options
// from the settings. Throws SettingError for a bad flag or an unreadable file.
pipeline::CompileRequest compileRequestFrom(const CommandContext& context);

// compileRequestFrom, with a bad flag or file reported on stderr as `podrunner COMMAND:`.
std::optional<pipeline::CompileRequest> compileRequestOrReport(const CommandContext& context,
                                                               const std::string& command);

}  // namespace podrunner
