#include "backoff.h"

#include <algorithm>
#include <cctype>

namespace kube {

std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry,
                                       const std::function<double()>& unit) {
  double base = static_cast<double>(policy.baseDelay.count());
  double ceiling = base * static_cast<double>(1LL << std::clamp(retry, 0, 20));
  ceiling = std::min(ceiling, static_cast<double>(policy.maxDelay.count()));
  double delay = base + (ceiling - base) * unit();
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(delay, ceiling)));
}

std::optional<std::chrono::milliseconds> retryAfter(const RetryPolicy& policy,
                                                    const std::string& headerValue) {
  if (headerValue.empty() || headerValue.size() > 9 ||
      !std::all_of(headerValue.begin(), headerValue.end(),
                   [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::min(std::chrono::milliseconds(std::stoll(headerValue) * 1000), policy.maxRetryAfter);
}

}  // namespace kube
