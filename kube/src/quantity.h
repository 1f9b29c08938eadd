#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Kubernetes resource quantities ("250m", "1.5", "128Mi", "2G") in base units.
namespace kube::quantity {

// CPU as "500m" or whole cores ("2").
std::string formatMillicores(std::int64_t millis);
// Bytes as "NGi"/"NMi"/"NKi" when exact, else plain bytes.
std::string formatBytes(std::int64_t bytes);

// Throw std::invalid_argument on a malformed quantity.
std::int64_t parseMillicores(std::string_view text);
std::int64_t parseBytes(std::string_view text);

}  // namespace kube::quantity
