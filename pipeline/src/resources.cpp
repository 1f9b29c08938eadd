#include "pipeline/resources.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <regex>

namespace pipeline {
namespace {

std::int64_t firstSet(std::int64_t a, std::int64_t b, std::int64_t c = 0) {
  return a ? a : b ? b : c;
}

std::int64_t capped(std::int64_t limit, std::int64_t cap) {
  if (cap <= 0) return limit;
  return limit > 0 ? std::min(limit, cap) : cap;
}

}  // namespace

std::optional<std::int64_t> parseCpuMillis(const std::string& text) {
  static const std::regex millis(R"(\s*(\d{1,15})\s*m?\s*)");
  static const std::regex cores(R"(\s*(\d{0,9}\.\d{1,9})\s*)");
  std::smatch m;
  if (std::regex_match(text, m, millis)) return std::stoll(m[1]);
  if (std::regex_match(text, m, cores)) {
    return static_cast<std::int64_t>(std::llround(std::stod(m[1]) * 1000));
  }
  return std::nullopt;
}

std::optional<std::int64_t> parseBytes(const std::string& text) {
  static const std::regex bytes(R"(\s*(\d{1,15}(?:\.\d{1,9})?) ?([kKmMgGtTpP])?[iI]?[bB]?\s*)");
  std::smatch m;
  if (!std::regex_match(text, m, bytes)) return std::nullopt;
  double value = std::stod(m[1]);
  const std::string units = "kmgtp";
  if (m[2].matched) {
    const char unit = static_cast<char>(std::tolower(static_cast<unsigned char>(m[2].str()[0])));
    for (std::size_t i = 0; i <= units.find(unit); ++i) value *= 1024;
  }
  if (value > 9.0e18) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

Resources effectiveResources(const Resources& step, const Resources& pipeline,
                             const CompilerOptions& options) {
  Resources r;
  r.cpuLimitMillis =
      capped(firstSet(step.cpuLimitMillis, pipeline.cpuLimitMillis), options.limitCpuMillis);
  r.memoryLimitBytes =
      capped(firstSet(step.memoryLimitBytes, pipeline.memoryLimitBytes), options.limitMemoryBytes);
  r.ephemeralStorageLimitBytes =
      firstSet(step.ephemeralStorageLimitBytes, pipeline.ephemeralStorageLimitBytes);

  r.cpuRequestMillis =
      std::max(firstSet(step.cpuRequestMillis, pipeline.cpuRequestMillis, options.requestCpuMillis),
               options.minRequestCpuMillis);
  r.memoryRequestBytes = std::max(
      firstSet(step.memoryRequestBytes, pipeline.memoryRequestBytes, options.requestMemoryBytes),
      options.minRequestMemoryBytes);
  r.ephemeralStorageRequestBytes =
      firstSet(step.ephemeralStorageRequestBytes, pipeline.ephemeralStorageRequestBytes);

  if (r.cpuLimitMillis > 0) r.cpuRequestMillis = std::min(r.cpuRequestMillis, r.cpuLimitMillis);
  if (r.memoryLimitBytes > 0) {
    r.memoryRequestBytes = std::min(r.memoryRequestBytes, r.memoryLimitBytes);
  }
  if (r.ephemeralStorageLimitBytes > 0 && r.ephemeralStorageRequestBytes > 0) {
    r.ephemeralStorageRequestBytes =
        std::min(r.ephemeralStorageRequestBytes, r.ephemeralStorageLimitBytes);
  }
  return r;
}

}  // namespace pipeline
