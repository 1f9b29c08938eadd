#pragma once

#include <chrono>
#include <mutex>

namespace kube {

// A token bucket: `burst` requests at once, then `qps` per second. Callers reserve
// a slot and wait the returned time themselves (sleeping, or on a timer).
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // qps <= 0: no limit. The bucket starts full at `start` (tests pass their own time).
  RateLimiter(double qps, int burst, Clock::time_point start = Clock::now());

  // Reserves one request; returns how long to wait before sending it. Each reservation
  // takes the next free slot, so callers that wait what they are told send at `qps`.
  Clock::duration reserve();
  // The same at time `now`; a time before the last one seen refills nothing.
  Clock::duration reserve(Clock::time_point now);

 private:
  std::mutex mutex_;
  const double qps_;
  const double burst_;
  double tokens_;
  Clock::time_point updatedAt_;
};

}  // namespace kube
