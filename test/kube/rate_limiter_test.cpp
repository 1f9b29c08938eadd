// The client-side rate limit (DRONE_KUBE_CLIENT_QPS, DRONE_KUBE_CLIENT_BURST): a token
// bucket driven by the times the test gives it, never by the wall clock.
#include "rate_limiter.h"

#include <catch2/catch.hpp>

using kube::RateLimiter;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const RateLimiter::Clock::time_point t0{seconds(1000)};

// The wait, to the millisecond (the bucket computes in floating point).
long long waitMs(RateLimiter& limiter, RateLimiter::Clock::time_point at) {
  return std::chrono::round<milliseconds>(limiter.reserve(at)).count();
}

}  // namespace

TEST_CASE("a burst goes at once, then each request waits its turn at qps", "[rate_limiter]") {
  RateLimiter limiter(5, 10, t0);
  for (int i = 0; i < 10; ++i) CHECK(waitMs(limiter, t0) == 0);
  CHECK(waitMs(limiter, t0) == 200);
  CHECK(waitMs(limiter, t0) == 400);
  CHECK(waitMs(limiter, t0) == 600);
}

TEST_CASE("a caller that waits what it was told is not made to wait twice", "[rate_limiter]") {
  RateLimiter limiter(5, 1, t0);
  CHECK(waitMs(limiter, t0) == 0);
  CHECK(waitMs(limiter, t0) == 200);
  // The second request went at t0 + 200 ms; the third may go 200 ms after it.
  CHECK(waitMs(limiter, t0 + milliseconds(200)) == 200);
  CHECK(waitMs(limiter, t0 + milliseconds(600)) == 0);
}

TEST_CASE("the bucket refills at qps, up to the burst and no further", "[rate_limiter]") {
  RateLimiter limiter(5, 10, t0);
  for (int i = 0; i < 10; ++i) limiter.reserve(t0);

  const auto later = t0 + seconds(1);  // five tokens back
  for (int i = 0; i < 5; ++i) CHECK(waitMs(limiter, later) == 0);
  CHECK(waitMs(limiter, later) == 200);

  const auto idle = t0 + std::chrono::hours(1);  // a full bucket, not 18000 tokens
  for (int i = 0; i < 10; ++i) CHECK(waitMs(limiter, idle) == 0);
  CHECK(waitMs(limiter, idle) == 200);
}

TEST_CASE("a time before the last one seen refills nothing", "[rate_limiter]") {
  RateLimiter limiter(2, 1, t0);
  CHECK(waitMs(limiter, t0 + seconds(10)) == 0);
  CHECK(waitMs(limiter, t0) == 500);  // another thread's older now: still a debt, not a refill
}

TEST_CASE("qps 0 or less means no limit; a burst under 1 counts as 1", "[rate_limiter]") {
  RateLimiter none(0, 10, t0);
  for (int i = 0; i < 1000; ++i) REQUIRE(waitMs(none, t0) == 0);
  RateLimiter negative(-1, 0, t0);
  CHECK(waitMs(negative, t0) == 0);

  RateLimiter noBurst(4, 0, t0);
  CHECK(waitMs(noBurst, t0) == 0);
  CHECK(waitMs(noBurst, t0) == 250);
}

TEST_CASE("a fractional qps spaces requests by more than a second", "[rate_limiter]") {
  RateLimiter slow(0.5, 1, t0);
  CHECK(waitMs(slow, t0) == 0);
  CHECK(waitMs(slow, t0) == 2000);
  CHECK(waitMs(slow, t0 + seconds(1)) == 3000);
}
