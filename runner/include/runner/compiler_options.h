#pragma once

#include "pipeline/build_context.h"
#include "runner/config.h"

namespace podrunner {

// The runner settings that shape a Plan, as the compiler takes them. Reads
// DRONE_RUNNER_ENV_FILE when set; throws std::runtime_error when it cannot.
pipeline::CompilerOptions compilerOptionsFrom(const Config& config);

}  // namespace podrunner
