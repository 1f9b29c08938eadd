#pragma once

#include <string>

#include "pipeline/plan.h"

// A Plan as pretty-printed JSON for `podrunner compile` and golden tests: keys in a
// fixed order, maps sorted by key. No secret value is ever printed: the stage Secret is
// shown by its keys, registry credentials without passwords, masked values by count.
namespace pipeline {

std::string toJson(const Plan& plan);

}  // namespace pipeline
