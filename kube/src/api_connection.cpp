#include "api_connection.h"

#include <thread>

#include "kube/error.h"
#include "kube/json_codec.h"

namespace kube {

ApiConnection::ApiConnection(std::unique_ptr<HttpTransport> transport, ClusterConfig config,
                             RetryPolicy retry, double qps, int burst, RequestObserver observer)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      retry_(retry),
      tokens_(config_.token, config_.tokenFile),
      limiter_(qps, burst),
      observer_(std::move(observer)),
      random_(std::random_device{}()) {}

std::chrono::milliseconds ApiConnection::backoff(int retry) {
  std::lock_guard lock(randomMutex_);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  return backoffDelay(retry_, retry, [&] { return unit(random_); });
}

std::chrono::milliseconds ApiConnection::rateLimitDelay() {
  return std::chrono::ceil<std::chrono::milliseconds>(limiter_.reserve());
}

HttpResponse ApiConnection::call(HttpRequest request, Replay replay) {
  bool tokenRefreshed = false;
  for (int attempt = 1;; ++attempt) {
    std::this_thread::sleep_for(rateLimitDelay());
    request.bearerToken = tokens_.current();
    bool last = attempt >= retry_.maxAttempts || replay == Replay::Never;
    HttpResponse response;
    try {
      response = transport_->send(request);
    } catch (const ApiError&) {
      observe(request, 0);
      if (last || replay != Replay::Safe) throw;
      std::this_thread::sleep_for(backoff(attempt - 1));
      continue;
    }
    observe(request, response.status);
    if (response.status / 100 == 2) return response;
    if (response.status == 401 && !tokenRefreshed && tokens_.refresh()) {
      tokenRefreshed = true;
      --attempt;  // a rotated token is not a failed attempt
      continue;
    }
    bool transient = response.status == 429 || (response.status >= 500 && replay == Replay::Safe);
    if (!transient || last) throw errorFromStatus(response.status, response.body);
    auto wait = backoff(attempt - 1);
    if (auto asked = retryAfter(retry_, response.header("retry-after")))
      wait = std::max(wait, *asked);
    std::this_thread::sleep_for(wait);
  }
}

std::unique_ptr<StreamCall> ApiConnection::stream(HttpRequest request,
                                                  std::function<void(std::string_view)> onChunk,
                                                  std::function<void(StreamEnd)> onEnd) {
  request.bearerToken = tokens_.current();
  if (!observer_) return transport_->stream(request, std::move(onChunk), std::move(onEnd));
  return transport_->stream(
      request, std::move(onChunk),
      [observer = observer_, verb = request.verb, onEnd = std::move(onEnd)](StreamEnd end) {
        if (!end.cancelled || end.response.status != 0) observer(verb, end.response.status);
        onEnd(std::move(end));
      });
}

std::unique_ptr<StreamCall> ApiConnection::after(std::chrono::milliseconds delay,
                                                 std::function<void(bool cancelled)> fn) {
  return transport_->schedule(delay, std::move(fn));
}

}  // namespace kube
