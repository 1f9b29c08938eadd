#pragma once

#include <map>
#include <set>
#include <string>

// What the linter says about a step key it does not know: where the key most likely
// belongs (a condition outside when:, a pipeline key at step level, a typo), and which
// keys belong to the docker runner and have no kubernetes equivalent.
namespace pipeline {

const std::map<std::string, std::string>& stepKeyHints();
const std::set<std::string>& dockerOnlyStepKeys();

}  // namespace pipeline
