#include "quantity.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace kube::quantity {
namespace {

constexpr std::pair<std::string_view, double> kSuffixes[] = {
    {"Ki", 1024.0},
    {"Mi", 1024.0 * 1024},
    {"Gi", 1024.0 * 1024 * 1024},
    {"Ti", 1024.0 * 1024 * 1024 * 1024},
    {"Pi", 1024.0 * 1024 * 1024 * 1024 * 1024},
    {"Ei", 1024.0 * 1024 * 1024 * 1024 * 1024 * 1024},
    {"n", 1e-9},
    {"u", 1e-6},
    {"m", 1e-3},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
    {"E", 1e18},
};

// The quantity's value in base units (cores for CPU, bytes for memory).
double parseBaseUnits(std::string_view text) {
  std::string_view number = text;
  double multiplier = 1;
  for (const auto& [suffix, factor] : kSuffixes) {
    if (text.size() > suffix.size() && text.substr(text.size() - suffix.size()) == suffix) {
      number = text.substr(0, text.size() - suffix.size());
      multiplier = factor;
      break;
    }
  }
  std::string digits(number);
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(digits, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (digits.empty() || used != digits.size() || !std::isfinite(value) || value < 0) {
    throw std::invalid_argument("malformed quantity \"" + std::string(text) + "\"");
  }
  return value * multiplier;
}

}  // namespace

std::string formatMillicores(std::int64_t millis) {
  if (millis % 1000 == 0) return std::to_string(millis / 1000);
  return std::to_string(millis) + "m";
}

std::string formatBytes(std::int64_t bytes) {
  constexpr std::pair<std::int64_t, const char*> kUnits[] = {
      {std::int64_t{1} << 30, "Gi"}, {std::int64_t{1} << 20, "Mi"}, {std::int64_t{1} << 10, "Ki"}};
  for (const auto& [unit, suffix] : kUnits) {
    if (bytes != 0 && bytes % unit == 0) return std::to_string(bytes / unit) + suffix;
  }
  return std::to_string(bytes);
}

std::int64_t parseMillicores(std::string_view text) {
  return static_cast<std::int64_t>(std::ceil(parseBaseUnits(text) * 1000 - 1e-6));
}

std::int64_t parseBytes(std::string_view text) {
  return static_cast<std::int64_t>(std::ceil(parseBaseUnits(text) - 1e-6));
}

}  // namespace kube::quantity
