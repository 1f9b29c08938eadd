#pragma once

#include "pipeline/build_context.h"
#include "runner/config.h"

namespace podrunner {

// The runner-wide settings that shape every Plan (drone-protocol.md §7.1-7.2):
// environ plus the env file, runner secrets and volumes, privileged images, clone
// image, netrc clone-only, namespace default and rules, service account, pod
// defaults and resources. Throws SettingError when the env file cannot be read.
pipeline::CompilerOptions compilerOptions(const Config& config);

}  // namespace podrunner
