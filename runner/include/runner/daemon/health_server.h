#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runner/daemon/metrics.h"

namespace web::http::experimental::listener {
class http_listener;
}

// The runner's own HTTP endpoint on DRONE_SERVER_PORT: /healthz (the process
// answers), /readyz (the Drone server and the cluster answer), /metrics (Prometheus
// text). Listens from construction to destruction.
namespace podrunner {

class HealthServer {
 public:
  // `listen` is DRONE_SERVER_PORT's form: ":3000" (every interface) or "host:port".
  HealthServer(const std::string& listen, Metrics& metrics, std::function<std::string()> notReady);
  ~HealthServer();
  HealthServer(const HealthServer&) = delete;
  HealthServer& operator=(const HealthServer&) = delete;

 private:
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

// "http://0.0.0.0:3000" for ":3000"; "http://host:port" for "host:port".
std::string listenUri(const std::string& listen);

}  // namespace podrunner
