#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace podrunner {

// A one-shot cancel signal shared by whoever may cancel a stage (Ctrl-C, the server's
// watch, a 409 on an update, shutdown) and whoever must react to it (the engine).
class Cancellation {
 public:
  // Cancels once; later calls do nothing. Runs the registered callbacks on this thread.
  void cancel(const std::string& reason);
  bool cancelled() const;
  std::string reason() const;
  // Waits up to `timeout`; returns true when cancelled.
  bool waitFor(std::chrono::milliseconds timeout) const;
  // Runs `callback` on cancel, or at once when already cancelled.
  // const: whoever holds a const reference (the engine) may listen, not cancel.
  void onCancel(std::function<void()> callback) const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool cancelled_ = false;
  std::string reason_;
  mutable std::vector<std::function<void()>> callbacks_;
};

}  // namespace podrunner
