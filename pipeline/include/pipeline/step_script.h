#pragma once

#include <string>
#include <vector>

// The POSIX sh script a step's `commands` become: it writes ~/.netrc when the step has
// the DRONE_NETRC_* variables (then unsets them), stops at the first failing command,
// and echoes each command as `+ command` before running it, as Drone does.
namespace pipeline {

std::string commandScript(const std::vector<std::string>& commands);

// `text` as one single-quoted sh word.
std::string shellQuote(const std::string& text);

}  // namespace pipeline
