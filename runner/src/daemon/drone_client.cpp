#include "runner/daemon/drone_client.h"

#include <cpprest/http_client.h>

#include <condition_variable>
#include <mutex>

#include "runner/log.h"

namespace podrunner::drone {
namespace {

using Clock = std::chrono::steady_clock;

// A long poll the server held at least this long ended normally; reconnect at once.
constexpr std::chrono::seconds kHeldLongPoll{1};

std::string id(std::int64_t value) { return std::to_string(value); }

std::string queryEscape(const std::string& value) {
  std::string out;
  static const char* hex = "0123456789ABCDEF";
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class Backoff {
 public:
  Backoff(std::chrono::milliseconds first, std::chrono::milliseconds max)
      : next_(first), max_(max) {}
  std::chrono::milliseconds next() {
    auto current = next_;
    next_ = std::min(max_, next_ * 2);
    return current;
  }

 private:
  std::chrono::milliseconds next_;
  std::chrono::milliseconds max_;
};

}  // namespace

RpcError::RpcError(const std::string& endpoint, int status, const std::string& message)
    : std::runtime_error(endpoint + ": " +
                         (status ? "HTTP " + std::to_string(status) + ": " : std::string()) +
                         message),
      status_(status) {}

bool waitOrStop(const pplx::cancellation_token& stop, std::chrono::milliseconds duration) {
  struct Signal {
    std::mutex mutex;
    std::condition_variable changed;
    bool stopped = false;
  };
  auto signal = std::make_shared<Signal>();
  std::optional<pplx::cancellation_token_registration> registration;
  if (stop.is_cancelable()) {
    registration = stop.register_callback([signal] {
      std::lock_guard<std::mutex> lock(signal->mutex);
      signal->stopped = true;
      signal->changed.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(signal->mutex);
    signal->changed.wait_for(lock, duration, [&] { return signal->stopped; });
  }
  if (registration) stop.deregister_callback(*registration);
  return stop.is_canceled();
}

Client::Client(ClientOptions options, Metrics& metrics)
    : options_(std::move(options)), metrics_(metrics) {
  web::http::client::http_client_config config;
  config.set_timeout(options_.timeout);
  config.set_validate_certificates(!options_.skipVerify);
  http_ = std::make_unique<web::http::client::http_client>(web::uri(options_.address), config);
}

Client::~Client() = default;

Client::Response Client::send(const std::string& method, const std::string& path,
                              const std::string& body, const std::string& endpoint,
                              const pplx::cancellation_token& stop) {
  web::http::http_request request(method);
  request.set_request_uri(path);
  request.headers().add("X-Drone-Token", options_.secret);
  if (!body.empty()) request.set_body(body, "application/json");
  Response response;
  try {
    auto answer = http_->request(request, stop).get();
    response.status = answer.status_code();
    response.body = answer.extract_utf8string(true).get();
  } catch (const pplx::task_canceled&) {
    throw Stopped();
  } catch (const std::exception& e) {
    metrics_.rpcRequest(endpoint, 0);
    if (stop.is_canceled()) throw Stopped();
    throw RpcError(endpoint, 0, e.what());
  }
  metrics_.rpcRequest(endpoint, response.status);
  if (options_.dumpHttp) {
    const bool withBody = options_.dumpBody;
    const bool secretAnswer = endpoint == "details";
    log::info("rpc", {{"method", method},
                      {"path", path},
                      {"status", std::to_string(response.status)},
                      {"request", withBody ? body : ""},
                      {"response", !withBody      ? ""
                                   : secretAnswer ? "(withheld: carries secrets)"
                                                  : response.body}});
  }
  return response;
}

Client::Response Client::retry(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& endpoint,
                               const pplx::cancellation_token& stop, bool acceptOtherErrors) {
  Backoff backoff(options_.retryFirst, options_.retryMax);
  for (;;) {
    if (stop.is_canceled()) throw Stopped();
    const auto began = Clock::now();
    std::string failure;
    try {
      Response r = send(method, path, body, endpoint, stop);
      if (r.status == 204) {
        if (Clock::now() - began >= kHeldLongPoll) {
          backoff = Backoff(options_.retryFirst, options_.retryMax);
          continue;
        }
        failure = "204 without waiting";
      } else if (r.status == 409) {
        throw OptimisticLock(endpoint, 409, r.body.empty() ? "Optimistic Lock Error" : r.body);
      } else if (r.status > 501 || (acceptOtherErrors && r.status > 299)) {
        failure = "HTTP " + std::to_string(r.status) + ": " + r.body;
      } else if (r.status > 299) {
        throw RpcError(endpoint, r.status, r.body.empty() ? "no message" : r.body);
      } else {
        return r;
      }
    } catch (const OptimisticLock&) {
      throw;
    } catch (const RpcError& e) {
      if (e.status() != 0) throw;
      failure = e.what();
    }
    const auto delay = backoff.next();
    log::debug(
        "rpc retry",
        {{"endpoint", endpoint}, {"error", failure}, {"delay_ms", std::to_string(delay.count())}});
    if (waitOrStop(stop, delay)) throw Stopped();
  }
}

void Client::ping() {
  auto r = send("POST", "/rpc/v2/ping", "", "ping", pplx::cancellation_token::none());
  if (r.status != 200) throw RpcError("ping", r.status, r.body.empty() ? "no message" : r.body);
}

std::optional<Stage> Client::request(const Filter& filter, const pplx::cancellation_token& stop) {
  try {
    for (;;) {
      auto r = retry("POST", "/rpc/v2/stage", encode(filter), "request", stop);
      Stage stage = decodeStage(r.body);
      if (stage.id != 0) return stage;  // runner-go ignores a stage without id
    }
  } catch (const Stopped&) {
    return std::nullopt;
  }
}

Stage Client::accept(std::int64_t stageId, const std::string& machine,
                     const pplx::cancellation_token& stop) {
  auto r = retry("POST", "/rpc/v2/stage/" + id(stageId) + "?machine=" + queryEscape(machine), "",
                 "accept", stop);
  return decodeStage(r.body);
}

Details Client::details(std::int64_t stageId, const pplx::cancellation_token& stop) {
  auto r = retry("GET", "/rpc/v2/stage/" + id(stageId), "", "details", stop);
  return decodeDetails(r.body);
}

void Client::updateStage(Stage& stage, const pplx::cancellation_token& stop) {
  auto r = retry("PUT", "/rpc/v2/stage/" + id(stage.id), encode(stage), "update_stage", stop);
  const Stage answer = decodeStage(r.body);
  stage.updated = answer.updated;
  stage.version = answer.version;
  for (auto& step : stage.steps) {
    for (const auto& returned : answer.steps) {
      if (returned.number != step.number) continue;
      step.id = returned.id;
      step.version = returned.version;
    }
  }
}

void Client::updateStep(Step& step, const pplx::cancellation_token& stop) {
  auto r = retry("PUT", "/rpc/v2/step/" + id(step.id), encode(step), "update_step", stop);
  step.version = decodeStep(r.body).version;
}

bool Client::watch(std::int64_t buildId, const pplx::cancellation_token& stop) {
  try {
    retry("POST", "/rpc/v2/build/" + id(buildId) + "/watch", "", "watch", stop, true);
    return true;
  } catch (const Stopped&) {
    return false;
  }
}

void Client::batch(std::int64_t stepId, const std::vector<Line>& lines) {
  auto r = send("POST", "/rpc/v2/step/" + id(stepId) + "/logs/batch", encode(lines), "batch",
                pplx::cancellation_token::none());
  if (r.status != 200) throw RpcError("batch", r.status, r.body.empty() ? "no message" : r.body);
}

void Client::upload(std::int64_t stepId, const std::vector<Line>& lines,
                    const pplx::cancellation_token& stop) {
  retry("POST", "/rpc/v2/step/" + id(stepId) + "/logs/upload", encode(lines), "upload", stop);
}

}  // namespace podrunner::drone
