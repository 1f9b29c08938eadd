#include "stream_session.h"

#include <utility>

namespace kube {
namespace {

class SessionHandle : public Stream {
 public:
  explicit SessionHandle(std::shared_ptr<StreamSession> session) : session_(std::move(session)) {}
  ~SessionHandle() override {
    session_->cancel();
    session_->awaitClosed();
  }
  void cancel() override { session_->cancel(); }

 private:
  std::shared_ptr<StreamSession> session_;
};

}  // namespace

std::unique_ptr<Stream> handleFor(std::shared_ptr<StreamSession> session) {
  return std::make_unique<SessionHandle>(std::move(session));
}

void StreamSession::cancel() {
  std::shared_ptr<StreamCall> step;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    step = step_;
  }
  if (step) step->cancel();
}

bool StreamSession::stopped() {
  std::lock_guard lock(mutex_);
  return stopped_;
}

void StreamSession::replaceStep(std::unique_ptr<StreamCall> step) {
  std::shared_ptr<StreamCall> previous;
  std::shared_ptr<StreamCall> current(std::move(step));
  bool cancelNow = false;
  {
    std::lock_guard lock(mutex_);
    previous = std::exchange(step_, current);
    cancelNow = stopped_;
  }
  if (cancelNow) current->cancel();
}

void StreamSession::open(const HttpRequest& request, std::function<void(std::string_view)> onChunk,
                         std::function<void(StreamEnd)> onEnd) {
  auto self = shared_from_this();
  std::lock_guard<std::recursive_mutex> order(stepOrder_);
  replaceStep(
      api_->stream(request, std::move(onChunk), [self, onEnd = std::move(onEnd)](StreamEnd end) {
        if (end.cancelled || self->stopped()) {
          self->close(nullptr);
        } else {
          onEnd(std::move(end));
        }
      }));
}

void StreamSession::after(std::chrono::milliseconds delay, std::function<void()> next) {
  delay += api_->rateLimitDelay();
  auto self = shared_from_this();
  std::lock_guard<std::recursive_mutex> order(stepOrder_);
  replaceStep(api_->after(delay, [self, next = std::move(next)](bool cancelled) {
    if (cancelled || self->stopped()) {
      self->close(nullptr);
    } else {
      next();
    }
  }));
}

void StreamSession::close(std::exception_ptr error) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    stopped_ = true;
  }
  gate_.enter();
  reportEnd(error);
  gate_.close();
}

}  // namespace kube
