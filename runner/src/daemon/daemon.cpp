#include "runner/daemon/daemon.h"

#include <memory>

#include "runner/daemon/health_server.h"
#include "runner/log.h"

namespace podrunner {

Daemon::Daemon(DaemonOptions options, Engine& engine, CompileFunction compile, Metrics& metrics,
               ClusterCheck cluster, StartupWork beforePolling)
    : options_(std::move(options)),
      engine_(engine),
      compile_(std::move(compile)),
      metrics_(metrics),
      cluster_(std::move(cluster)),
      beforePolling_(std::move(beforePolling)) {}

int Daemon::run(const Cancellation& stop) {
  drone::Client client(options_.client, metrics_);
  auto probeOptions = options_.client;
  probeOptions.timeout = std::chrono::seconds(5);
  drone::Client probe(probeOptions, metrics_);

  std::unique_ptr<HealthServer> http;
  if (!options_.listen.empty()) {
    http = std::make_unique<HealthServer>(options_.listen, metrics_, [&]() -> std::string {
      try {
        probe.ping();
      } catch (const std::exception& e) {
        return std::string("drone server: ") + e.what();
      }
      return cluster_ ? cluster_() : std::string();
    });
    log::info("http endpoint listening", {{"address", options_.listen}});
  }
  if (beforePolling_) beforePolling_();

  while (!stop.cancelled()) {
    try {
      client.ping();
      log::info("drone server answered", {{"address", options_.client.address}});
      break;
    } catch (const std::exception& e) {
      log::warn("cannot ping the drone server", {{"error", e.what()}});
      stop.waitFor(options_.pingInterval);
    }
  }
  if (stop.cancelled()) return 0;

  pplx::cancellation_token_source abandon;
  StageRunner runner(client, engine_, compile_, metrics_, options_.stage);
  {
    Poller poller(client, options_.poller, [&](drone::Stage stage, Cancellation& cancellation) {
      runner.run(std::move(stage), cancellation, abandon.get_token());
    });
    poller.start();
    log::info("polling for stages", {{"capacity", std::to_string(options_.poller.capacity)},
                                     {"runner", options_.poller.machine}});
    while (!stop.waitFor(std::chrono::hours(1))) {
    }
    poller.stopPolling();
    log::info("stopping: running stages may finish",
              {{"running", std::to_string(poller.running())},
               {"grace_ms", std::to_string(options_.shutdownGrace.count())}});
    if (!poller.waitIdle(options_.shutdownGrace)) {
      log::warn("grace period over: cancelling running stages",
                {{"running", std::to_string(poller.running())}});
      poller.cancelAll("the runner is shutting down");
      if (!poller.waitIdle(options_.abandonAfter)) {
        log::error("stages did not report in time: giving up on the server");
        abandon.cancel();
      }
    }
  }
  log::info("stopped");
  return 0;
}

}  // namespace podrunner
