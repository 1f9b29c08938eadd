#pragma once

#include <string>

#include "pipeline/finding.h"

namespace pipeline {

// Warns at every tab character of a pipeline file's text, with its line and column.
void reportTabs(const std::string& text, FindingSink& sink);

}  // namespace pipeline
