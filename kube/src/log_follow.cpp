#include "log_follow.h"

#include "api_paths.h"
#include "kube/json_codec.h"
#include "stream_session.h"

namespace kube {
namespace {

class LogFollow : public StreamSession {
 public:
  LogFollow(std::shared_ptr<ApiConnection> api, HttpRequest request,
            std::function<void(std::string_view)> onData,
            std::function<void(std::exception_ptr)> onEnd)
      : StreamSession(std::move(api)),
        request_(std::move(request)),
        onData_(std::move(onData)),
        onEnd_(std::move(onEnd)) {}

  void begin() {
    auto self = std::static_pointer_cast<LogFollow>(shared_from_this());
    open(
        request_,
        [self](std::string_view chunk) {
          self->receivedData_ = true;
          if (!self->stopped()) self->deliver([&] { self->onData_(chunk); });
        },
        [self](StreamEnd end) { self->ended(std::move(end)); });
  }

 private:
  void reportEnd(std::exception_ptr error) override { onEnd_(error); }

  void ended(StreamEnd end) {
    int status = end.response.status;
    if (!end.error && status / 100 == 2) return close(nullptr);
    auto self = std::static_pointer_cast<LogFollow>(shared_from_this());
    if (!receivedData_) {
      if (status == 401 && !tokenRefreshed_ && api_->refreshToken()) {
        tokenRefreshed_ = true;
        return after(std::chrono::milliseconds(0), [self] { self->begin(); });
      }
      bool transient = status == 429 || status >= 500;
      if (transient && ++failures_ < api_->retryPolicy().maxAttempts) {
        auto wait = api_->backoff(failures_ - 1);
        if (auto asked = retryAfter(api_->retryPolicy(), end.response.header("retry-after"))) {
          wait = std::max(wait, *asked);
        }
        return after(wait, [self] { self->begin(); });
      }
    }
    close(end.error ? end.error
                    : std::make_exception_ptr(errorFromStatus(status, end.response.body)));
  }

  const HttpRequest request_;
  std::function<void(std::string_view)> onData_;
  std::function<void(std::exception_ptr)> onEnd_;
  bool receivedData_ = false;
  bool tokenRefreshed_ = false;
  int failures_ = 0;
};

}  // namespace

std::unique_ptr<Stream> startLogFollow(std::shared_ptr<ApiConnection> api, const std::string& ns,
                                       const std::string& pod, const LogOptions& options,
                                       std::function<void(std::string_view)> onData,
                                       std::function<void(std::exception_ptr)> onEnd) {
  HttpRequest request;
  request.verb = "get";  // of pods/log
  request.target = paths::namespaced(ns, "pods", pod, "log") +
                   paths::query({{"follow", options.follow ? "true" : ""},
                                 {"container", options.container},
                                 {"timestamps", options.timestamps ? "true" : ""},
                                 {"sinceTime", options.sinceTime}});
  auto follow = std::make_shared<LogFollow>(std::move(api), std::move(request), std::move(onData),
                                            std::move(onEnd));
  follow->begin();
  return handleFor(follow);
}

}  // namespace kube
