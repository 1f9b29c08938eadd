#pragma once

#include <chrono>
#include <mutex>

namespace kube {

// A token bucket: `burst` requests at once, then `qps` per second. Callers reserve
// a slot and wait the returned time themselves (sleeping, or on a timer).
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // qps <= 0: no limit.
  RateLimiter(double qps, int burst);

  // Reserves one request; returns how long to wait before sending it.
  Clock::duration reserve();
  Clock::duration reserve(Clock::time_point now);

 private:
  std::mutex mutex_;
  const double qps_;
  const double burst_;
  double tokens_;
  Clock::time_point updatedAt_;
};

}  // namespace kube
