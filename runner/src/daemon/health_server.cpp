#include "runner/daemon/health_server.h"

#include <cpprest/http_listener.h>

namespace podrunner {

using web::http::http_request;
using web::http::status_codes;

std::string listenUri(const std::string& listen) {
  if (!listen.empty() && listen.front() == ':') return "http://0.0.0.0" + listen;
  return "http://" + listen;
}

HealthServer::HealthServer(const std::string& listen, Metrics& metrics,
                           std::function<std::string()> notReady)
    : listener_(std::make_unique<web::http::experimental::listener::http_listener>(
          web::uri(listenUri(listen)))) {
  listener_->support(web::http::methods::GET, [&metrics, notReady](http_request request) {
    const std::string path = request.relative_uri().path();
    if (path == "/healthz") {
      request.reply(status_codes::OK, "ok\n");
    } else if (path == "/metrics") {
      request.reply(status_codes::OK, metrics.render(), "text/plain; version=0.0.4");
    } else if (path == "/readyz") {
      const std::string why = notReady();
      if (why.empty())
        request.reply(status_codes::OK, "ready\n");
      else
        request.reply(status_codes::ServiceUnavailable, why + "\n");
    } else {
      request.reply(status_codes::NotFound, "not found\n");
    }
  });
  listener_->open().wait();
}

HealthServer::~HealthServer() { listener_->close().wait(); }

}  // namespace podrunner
