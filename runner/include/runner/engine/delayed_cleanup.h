#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace podrunner {

// Work to do later, off the caller's thread: removing failed pods kept for debugging
// once their time is up. Destroying it does whatever is still pending at once, so a
// runner that exits cleanly leaves nothing behind.
class DelayedCleanup {
 public:
  DelayedCleanup() = default;
  DelayedCleanup(const DelayedCleanup&) = delete;
  DelayedCleanup& operator=(const DelayedCleanup&) = delete;
  ~DelayedCleanup();

  void schedule(std::chrono::steady_clock::time_point at, std::function<void()> work);
  std::size_t pending() const;

 private:
  void loop();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> work_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace podrunner
