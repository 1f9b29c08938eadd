#pragma once

#include <string>

// `text` as a double-quoted JSON string (also what Go's %q gives for printable text):
// quote, backslash and control characters escaped, everything else as it is.
namespace pipeline {

std::string quotedString(const std::string& text);

}  // namespace pipeline
