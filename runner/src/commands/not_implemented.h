#pragma once

#include <iostream>
#include <string>

#include "runner/command.h"

namespace podrunner {

// Sub-commands whose issue is still open say so and fail; they never pretend to work.
inline int notImplementedYet(const std::string& command, int issue) {
  std::cerr << "podrunner " << command << ": not implemented yet (issue #" << issue << ")\n";
  return kExitUsage;
}

}  // namespace podrunner
