#include "runner/daemon/poller.h"

#include <malloc.h>

#include "runner/log.h"

namespace podrunner {

Poller::Poller(drone::Client& client, PollerOptions options, RunStage runStage)
    : client_(client), options_(std::move(options)), runStage_(std::move(runStage)) {}

Poller::~Poller() {
  stopPolling();
  cancelAll("the runner is stopping");
  waitIdle(std::chrono::hours(24 * 365));
  if (loop_.joinable()) loop_.join();
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& t : finished_) t.join();
}

void Poller::start() {
  loop_ = std::thread([this] { pollLoop(); });
}

void Poller::stopPolling() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_.cancel();
  changed_.notify_all();
}

int Poller::running() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<int>(stages_.size());
}

bool Poller::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return stages_.empty(); });
}

void Poller::cancelAll(const std::string& reason) {
  std::vector<std::shared_ptr<Cancellation>> running;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [id, c] : stages_) running.push_back(c);
  }
  for (auto& c : running) c->cancel(reason);
}

void Poller::pollLoop() {
  std::chrono::milliseconds backoff = options_.retryFirst;
  const auto failed = [&](const std::string& what, const std::string& error) {
    log::warn(what, {{"error", error}, {"retry_in_ms", std::to_string(backoff.count())}});
    const bool stopped = drone::waitOrStop(stop_.get_token(), backoff);
    backoff = std::min(options_.retryMax, backoff * 2);
    return stopped;
  };
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(
          lock, [&] { return stopping_ || static_cast<int>(stages_.size()) < options_.capacity; });
      if (stopping_) return;
      for (auto& t : finished_) t.join();
      finished_.clear();
    }
    std::optional<drone::Stage> offered;
    try {
      offered = client_.request(options_.filter, stop_.get_token());
    } catch (const std::exception& e) {
      if (failed("poll failed", e.what())) return;
      continue;
    }
    if (!offered) return;  // stopped
    const std::string id = std::to_string(offered->id);
    try {
      drone::Stage accepted = client_.accept(offered->id, options_.machine, stop_.get_token());
      backoff = options_.retryFirst;
      log::info("stage accepted", {{"stage", id}, {"name", accepted.name}});
      launch(std::move(accepted));
    } catch (const drone::OptimisticLock&) {
      log::debug("stage accepted by another runner", {{"stage", id}});
    } catch (const drone::Stopped&) {
      return;
    } catch (const std::exception& e) {
      if (failed("accept failed", e.what())) return;
    }
  }
}

void Poller::launch(drone::Stage stage) {
  auto cancellation = std::make_shared<Cancellation>();
  const auto id = stage.id;
  std::lock_guard<std::mutex> lock(mutex_);
  stages_[id] = cancellation;
  threads_[id] = std::thread([this, stage = std::move(stage), cancellation, id]() mutable {
    try {
      runStage_(std::move(stage), *cancellation);
    } catch (const std::exception& e) {
      log::error("stage thread ended with an error",
                 {{"stage", std::to_string(id)}, {"error", e.what()}});
    }
    // A stage with a large log leaves glibc's heaps at their peak; hand the free pages back
    // so that an idle runner is small again (measured: 8 MiB after 100 000 lines).
    malloc_trim(0);
    std::lock_guard<std::mutex> lock(mutex_);
    stages_.erase(id);
    finished_.push_back(std::move(threads_[id]));
    threads_.erase(id);
    changed_.notify_all();
  });
}

}  // namespace podrunner
