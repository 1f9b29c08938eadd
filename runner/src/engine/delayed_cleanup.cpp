#include "runner/engine/delayed_cleanup.h"

namespace podrunner {

DelayedCleanup::~DelayedCleanup() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DelayedCleanup::schedule(std::chrono::steady_clock::time_point at,
                              std::function<void()> work) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    work_.emplace(at, std::move(work));
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
  }
  changed_.notify_all();
}

std::size_t DelayedCleanup::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return work_.size();
}

void DelayedCleanup::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    if (work_.empty()) {
      if (stopping_) return;
      changed_.wait(lock, [&] { return stopping_ || !work_.empty(); });
      continue;
    }
    const auto next = work_.begin()->first;
    if (!stopping_ && std::chrono::steady_clock::now() < next) {
      changed_.wait_until(lock, next);
      continue;
    }
    auto work = std::move(work_.begin()->second);
    work_.erase(work_.begin());
    lock.unlock();
    work();
    lock.lock();
  }
}

}  // namespace podrunner
