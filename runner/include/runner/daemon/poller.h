#pragma once

#include <pplx/pplxtasks.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runner/cancellation.h"
#include "runner/daemon/drone_client.h"

// Asks the Drone server for stages while a slot is free (DRONE_RUNNER_CAPACITY
// slots), accepts each under this runner's name and runs it on its own thread. One
// long poll is open at a time, and only while a slot is free. A 409 on accept means
// another runner took the stage: it is dropped. Errors are retried with a backoff
// that doubles up to `retryMax`, never in a hot loop.
namespace podrunner {

struct PollerOptions {
  drone::Filter filter;
  std::string machine;
  int capacity = 100;
  std::chrono::milliseconds retryFirst{1000};
  std::chrono::milliseconds retryMax{30000};
};

class Poller {
 public:
  // Runs an accepted stage to its end on the calling (stage) thread.
  using RunStage = std::function<void(drone::Stage, Cancellation&)>;

  Poller(drone::Client& client, PollerOptions options, RunStage runStage);
  ~Poller();  // stops polling, cancels running stages and waits for them
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;

  void start();
  void stopPolling();  // no new stages; running ones go on
  int running() const;
  // Waits until no stage runs; false when `timeout` passed first.
  bool waitIdle(std::chrono::milliseconds timeout);
  void cancelAll(const std::string& reason);

 private:
  void pollLoop();
  void launch(drone::Stage stage);

  drone::Client& client_;
  PollerOptions options_;
  RunStage runStage_;
  pplx::cancellation_token_source stop_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool stopping_ = false;
  std::map<std::int64_t, std::shared_ptr<Cancellation>> stages_;
  std::map<std::int64_t, std::thread> threads_;
  std::vector<std::thread> finished_;  // joined by the poll loop or the destructor
  std::thread loop_;
};

}  // namespace podrunner
