#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "kube/client.h"

// The cluster half of /readyz: whether the Kubernetes API server answers and takes the
// runner's credentials. It asks for the server's version (GET /version, which every
// authenticated user may read, so it needs no Role and no build namespace), once, with
// no retry, and keeps the answer for `ttl` so that probes do not hammer the API.
namespace podrunner {

class ClusterProbe {
 public:
  using Clock = std::chrono::steady_clock;

  // `client` must outlive the probe; `now` is the clock (tests pass their own).
  explicit ClusterProbe(kube::Client& client,
                        std::chrono::milliseconds ttl = std::chrono::seconds(5),
                        std::function<Clock::time_point()> now = Clock::now);

  // "" when the API server answered the last check, else why not ("kubernetes API: ...").
  // Asks again once the last answer is older than ttl; while one caller asks, the others
  // get the last answer (or wait for the first). Thread-safe.
  std::string notReady();

 private:
  kube::Client& client_;
  const std::chrono::milliseconds ttl_;
  const std::function<Clock::time_point()> now_;
  std::mutex mutex_;
  std::condition_variable answered_;
  std::optional<std::string> answer_;
  Clock::time_point answeredAt_;
  bool asking_ = false;
};

}  // namespace podrunner
