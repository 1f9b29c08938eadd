#pragma once

#include <optional>
#include <string>

namespace kube {

// The whole file, or nothing when it cannot be opened.
std::optional<std::string> readWholeFile(const std::string& path);

}  // namespace kube
