#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace kube {

struct RetryPolicy {
  int maxAttempts = 5;  // attempts of one idempotent call, the first included
  std::chrono::milliseconds baseDelay{250};
  std::chrono::milliseconds maxDelay{std::chrono::seconds(10)};
  std::chrono::milliseconds maxRetryAfter{std::chrono::seconds(60)};
};

// Exponential backoff with full jitter: a uniform delay in [base, base * 2^retry],
// capped at maxDelay. `unit` draws from [0, 1) (injectable for tests).
std::chrono::milliseconds backoffDelay(const RetryPolicy& policy, int retry,
                                       const std::function<double()>& unit);

// The delay a Retry-After header asks for (seconds; HTTP dates are not used by the
// API server), capped at policy.maxRetryAfter.
std::optional<std::chrono::milliseconds> retryAfter(const RetryPolicy& policy,
                                                    const std::string& headerValue);

}  // namespace kube
