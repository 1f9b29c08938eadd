#pragma once

#include <cstdint>
#include <string>

// The clone step podrunner generates: a POSIX sh script for any image with sh and git
// (DRONE_IMAGE_CLONE). It reads the build from the step's DRONE_* environment, writes
// ~/.netrc from DRONE_NETRC_* when they are set (then unsets them), initialises the
// workspace, fetches the commit, tag or pull request ref (with depth and tags as asked)
// and retries the fetch as asked.
namespace pipeline {

struct CloneSettings {
  std::int64_t depth = 0;    // 0: full history
  std::int64_t retries = 0;  // extra attempts after a failed fetch
  bool tags = false;         // also fetch every tag
  int retryDelaySeconds = 5;
};

std::string cloneScript(const CloneSettings& settings);

}  // namespace pipeline
