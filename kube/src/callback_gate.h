#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

namespace kube {

// Lets the owner of an asynchronous operation wait until its final callback has
// returned, without deadlocking when the owner is destroyed from inside a callback.
class CallbackGate {
 public:
  // Marks the current thread as running callbacks of the operation.
  void enter() {
    std::lock_guard lock(mutex_);
    runner_ = std::this_thread::get_id();
  }
  void leave() {
    std::lock_guard lock(mutex_);
    runner_ = {};
    cv_.notify_all();
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    runner_ = {};
    cv_.notify_all();
  }
  bool isClosed() {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  // Returns once close() was called, or at once when called from a callback.
  void awaitClosed() {
    std::unique_lock lock(mutex_);
    if (runner_ == std::this_thread::get_id()) return;
    cv_.wait(lock, [this] { return closed_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::thread::id runner_;
  bool closed_ = false;
};

}  // namespace kube
