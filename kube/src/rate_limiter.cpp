#include "rate_limiter.h"

#include <algorithm>

namespace kube {

RateLimiter::RateLimiter(double qps, int burst, Clock::time_point start)
    : qps_(qps), burst_(std::max(1, burst)), tokens_(burst_), updatedAt_(start) {}

RateLimiter::Clock::duration RateLimiter::reserve() { return reserve(Clock::now()); }

RateLimiter::Clock::duration RateLimiter::reserve(Clock::time_point now) {
  if (qps_ <= 0) return Clock::duration::zero();
  std::lock_guard lock(mutex_);
  if (now > updatedAt_) {
    double elapsed = std::chrono::duration<double>(now - updatedAt_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * qps_);
    updatedAt_ = now;
  }
  tokens_ -= 1;  // may go below zero: the debt is the wait
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / qps_));
}

}  // namespace kube
