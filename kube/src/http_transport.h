#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

// The HTTP the client needs, and nothing more: one request and its whole answer,
// or one request whose body arrives chunk by chunk. Failures to reach or hear the
// server throw (or end a stream with) kube::ApiError with code 0.
namespace kube {

struct HttpRequest {
  std::string verb = "get";  // the Kubernetes verb, for the RequestObserver (factory.h)
  std::string method = "GET";
  std::string target;  // path and query, below the server URL
  std::string body;
  std::string contentType;
  std::string bearerToken;  // empty: none
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& lowerCaseName) const {
    auto it = headers.find(lowerCaseName);
    return it == headers.end() ? std::string() : it->second;
  }
};

// How a streamed request ended. A 2xx body was delivered to onChunk; any other
// status comes with its whole (short) body in response.body.
struct StreamEnd {
  HttpResponse response;     // status 0 when no answer was heard
  std::exception_ptr error;  // the connection failed or stalled
  bool cancelled = false;    // cancel() was called
};

// A request in flight. Destroying it cancels the request and waits until its
// callbacks have returned (unless destroyed from inside one of them).
class StreamCall {
 public:
  virtual ~StreamCall() = default;
  virtual void cancel() = 0;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  virtual HttpResponse send(const HttpRequest& request) = 0;

  // onChunk runs for each piece of a 2xx body as it arrives; onEnd runs exactly once.
  virtual std::unique_ptr<StreamCall> stream(const HttpRequest& request,
                                             std::function<void(std::string_view)> onChunk,
                                             std::function<void(StreamEnd)> onEnd) = 0;

  // Runs fn once, after delay, on the transport's threads (a pause between stream
  // attempts that holds no thread), with cancelled = true when the handle cancelled it.
  virtual std::unique_ptr<StreamCall> schedule(std::chrono::milliseconds delay,
                                               std::function<void(bool cancelled)> fn) = 0;
};

}  // namespace kube
