#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <vector>

#include "runner/config.h"
#include "runner/settings.h"

namespace podrunner {

// What a sub-command receives once its flags and settings are parsed.
struct CommandContext {
  Config config;
  boost::program_options::variables_map args;  // the command's own flags
  std::vector<std::string> positional;
};

// One sub-command of `podrunner`: its settings groups, own flags and entry point.
struct Command {
  std::string name;
  std::string summary;
  std::string positionalUsage;  // e.g. "[FILE]"; empty: none taken
  size_t maxPositional = 0;
  bool positionalIsDotenv = false;  // `daemon [ENVFILE]`, as drone-runner-kube
  std::vector<SettingGroup> groups;
  std::function<void(boost::program_options::options_description&)> addOptions;
  std::function<int(CommandContext&)> run;  // returns the process exit status
};

// Exit statuses shared by every sub-command.
constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;  // the pipeline failed or lint found errors
constexpr int kExitUsage = 2;   // bad flags, settings or input; or not implemented yet

Command daemonCommand();
Command execCommand();
Command compileCommand();
Command lintCommand();
Command versionCommand();

// Parses argv, resolves settings and runs the chosen sub-command (daemon when none).
int runCli(int argc, const char* const* argv);

}  // namespace podrunner
