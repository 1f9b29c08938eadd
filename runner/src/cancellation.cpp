#include "runner/cancellation.h"

namespace podrunner {

void Cancellation::cancel(const std::string& reason) {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cancelled_) return;
    cancelled_ = true;
    reason_ = reason;
    callbacks.swap(callbacks_);
  }
  changed_.notify_all();
  for (auto& callback : callbacks) callback();
}

bool Cancellation::cancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

std::string Cancellation::reason() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return reason_;
}

bool Cancellation::waitFor(std::chrono::milliseconds timeout) const {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return cancelled_; });
}

void Cancellation::onCancel(std::function<void()> callback) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!cancelled_) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  callback();
}

}  // namespace podrunner
