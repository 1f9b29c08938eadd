#pragma once

#include <pplx/pplxtasks.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "runner/daemon/drone_types.h"
#include "runner/daemon/metrics.h"

namespace web::http::client {
class http_client;
}

// The client of Drone's runner RPC v2 (drone-protocol.md §1-2). Every request carries
// X-Drone-Token. Calls marked "retried" repeat, with backoff, on 204, on 502-599 and on
// transport errors, as runner-go does; they stop only when `stop` is cancelled (then
// they throw Stopped). 409 throws OptimisticLock; any other status above 299 throws
// RpcError with the server's message. Thread-safe; one per daemon.
namespace podrunner::drone {

struct ClientOptions {
  std::string address;  // DRONE_RPC_PROTO://DRONE_RPC_HOST
  std::string secret;
  bool skipVerify = false;
  bool dumpHttp = false;             // log method, path and status of every call
  bool dumpBody = false;             // and bodies, except the details answer (it carries secrets)
  std::chrono::seconds timeout{75};  // above the server's 30 s long polls, with margin
  std::chrono::milliseconds retryFirst{1000};  // doubled after each failure...
  std::chrono::milliseconds retryMax{10000};   // ...up to runner-go's fixed 10 s
};

class RpcError : public std::runtime_error {
 public:
  RpcError(const std::string& endpoint, int status, const std::string& message);
  int status() const { return status_; }  // 0: no response

 private:
  int status_;
};

// 409: the row changed on the server: another runner accepted the stage, or the build
// was cancelled. Never retried with the same version.
class OptimisticLock : public RpcError {
 public:
  using RpcError::RpcError;
};

// The caller's stop token was cancelled while the call waited or retried.
class Stopped : public std::runtime_error {
 public:
  Stopped() : std::runtime_error("stopped") {}
};

class Client {
 public:
  Client(ClientOptions options, Metrics& metrics);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void ping();  // once, not retried
  // Long poll, retried; nullopt when `stop` is cancelled.
  std::optional<Stage> request(const Filter& filter, const pplx::cancellation_token& stop);
  // Retried. The returned stage carries the server's new version.
  Stage accept(std::int64_t stageId, const std::string& machine,
               const pplx::cancellation_token& stop);
  Details details(std::int64_t stageId, const pplx::cancellation_token& stop);
  // Retried. Adopt the server's `updated`, `version` and, by step number, each step's
  // id and version.
  void updateStage(Stage& stage, const pplx::cancellation_token& stop);
  void updateStep(Step& step, const pplx::cancellation_token& stop);
  // Long poll until the build is cancelled (true) or `stop` is cancelled (false).
  // Errors other than 409 are retried with backoff, so a flaky server never ends the watch.
  bool watch(std::int64_t buildId, const pplx::cancellation_token& stop);
  void batch(std::int64_t stepId, const std::vector<Line>& lines);  // once, not retried
  void upload(std::int64_t stepId, const std::vector<Line>& lines,
              const pplx::cancellation_token& stop);

 private:
  struct Response {
    int status = 0;
    std::string body;
  };
  Response send(const std::string& method, const std::string& path, const std::string& body,
                const std::string& endpoint, const pplx::cancellation_token& stop);
  Response retry(const std::string& method, const std::string& path, const std::string& body,
                 const std::string& endpoint, const pplx::cancellation_token& stop,
                 bool acceptOtherErrors = false);

  ClientOptions options_;
  Metrics& metrics_;
  std::unique_ptr<web::http::client::http_client> http_;
};

// Waits `duration` unless `stop` is cancelled first; true when stopped.
bool waitOrStop(const pplx::cancellation_token& stop, std::chrono::milliseconds duration);

}  // namespace podrunner::drone
