#pragma once

#include <string>

#include "pipeline/build_context.h"
#include "runner/config.h"

// The one mapping from the runner's settings to the compiler's options, shared by
// daemon, exec, compile and lint so a pipeline compiles the same way everywhere.
namespace podrunner {

// Reads DRONE_RUNNER_ENV_FILE and DRONE_NAMESPACE_RULES_FILE when set; throws
// SettingError (settings.h) naming the file when one cannot be read.
pipeline::CompilerOptions compilerOptions(const Config& config);

}  // namespace podrunner
