#pragma once

#include <exception>
#include <memory>
#include <mutex>

#include "api_connection.h"
#include "callback_gate.h"
#include "kube/client.h"

namespace kube {

// The life of a watch or log stream: a chain of steps (streamed requests and pauses)
// run on the transport's threads one at a time, holding no thread in between; cancel
// stops the chain, and the end is reported exactly once.
class StreamSession : public std::enable_shared_from_this<StreamSession> {
 public:
  explicit StreamSession(std::shared_ptr<ApiConnection> api) : api_(std::move(api)) {}
  virtual ~StreamSession() = default;

  void cancel();
  // Returns once the end was reported (at once when called from a callback).
  void awaitClosed() { gate_.awaitClosed(); }

 protected:
  // Starts a streamed request. onEnd does not run for a cancelled session.
  void open(const HttpRequest& request, std::function<void(std::string_view)> onChunk,
            std::function<void(StreamEnd)> onEnd);
  // Runs next after delay plus whatever the rate limit asks.
  void after(std::chrono::milliseconds delay, std::function<void()> next);
  // Reports the end (once): nullptr after a cancel or a clean end.
  void close(std::exception_ptr error);
  bool stopped();
  // Runs a user callback so that destroying the handle inside it does not deadlock.
  template <typename Fn>
  void deliver(Fn&& fn) {
    gate_.enter();
    fn();
    gate_.leave();
  }

  std::shared_ptr<ApiConnection> api_;

 private:
  virtual void reportEnd(std::exception_ptr error) = 0;
  void replaceStep(std::unique_ptr<StreamCall> step);

  // A step starts before it is stored, and a fast one may end and start the next step on
  // another thread; taking this around "start and store" keeps the steps in order, so a
  // newer step is never replaced (and cancelled) by the older one being stored late.
  std::recursive_mutex stepOrder_;
  std::mutex mutex_;
  bool stopped_ = false;
  bool closed_ = false;
  std::shared_ptr<StreamCall> step_;
  CallbackGate gate_;
};

// The caller's handle: destroying it cancels the session and waits for its end.
std::unique_ptr<Stream> handleFor(std::shared_ptr<StreamSession> session);

}  // namespace kube
