#pragma once

#include <string>
#include <string_view>

namespace kube::base64 {

std::string encode(std::string_view bytes);
// Throws std::invalid_argument on text that is not standard base64.
std::string decode(std::string_view text);

}  // namespace kube::base64
