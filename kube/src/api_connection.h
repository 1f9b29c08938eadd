#pragma once

#include <functional>
#include <memory>
#include <random>

#include "backoff.h"
#include "http_transport.h"
#include "kube/config.h"
#include "kube/factory.h"
#include "rate_limiter.h"
#include "token_source.h"

namespace kube {

// Whether a request may be sent again after a failure whose effect is unknown.
enum class Replay {
  Safe,             // GET, PUT, DELETE, PATCH: retried on connection errors, 429 and 5xx
  OnlyUnprocessed,  // POST: retried only on 429, which the server did not act on
  Never,            // a health check: one attempt (resent only with a rotated token)
};

// One authenticated, rate-limited, retrying line to the API server, shared by the
// client and its streams.
class ApiConnection {
 public:
  ApiConnection(std::unique_ptr<HttpTransport> transport, ClusterConfig config, RetryPolicy retry,
                double qps, int burst, RequestObserver observer = {});

  const ClusterConfig& config() const { return config_; }
  const RetryPolicy& retryPolicy() const { return retry_; }

  // Sends with retries; returns a 2xx response or throws ApiError.
  HttpResponse call(HttpRequest request, Replay replay);

  // One streamed attempt with the current token; the caller handles its end.
  std::unique_ptr<StreamCall> stream(HttpRequest request,
                                     std::function<void(std::string_view)> onChunk,
                                     std::function<void(StreamEnd)> onEnd);
  std::unique_ptr<StreamCall> after(std::chrono::milliseconds delay,
                                    std::function<void(bool cancelled)> fn);

  std::chrono::milliseconds backoff(int retry);
  // How long the rate limit asks the next request to wait.
  std::chrono::milliseconds rateLimitDelay();
  // After a 401: re-reads the token file; false when there is none.
  bool refreshToken() { return tokens_.refresh(); }

 private:
  void observe(const HttpRequest& request, int status) const {
    if (observer_) observer_(request.verb, status);
  }

  std::unique_ptr<HttpTransport> transport_;
  const ClusterConfig config_;
  const RetryPolicy retry_;
  TokenSource tokens_;
  RateLimiter limiter_;
  const RequestObserver observer_;
  std::mutex randomMutex_;
  std::minstd_rand random_;
};

}  // namespace kube
