#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "runner/cancellation.h"
#include "runner/daemon/drone_client.h"
#include "runner/daemon/metrics.h"
#include "runner/daemon/poller.h"
#include "runner/daemon/stage_runner.h"
#include "runner/engine/engine.h"

// The agent's lifecycle: serve the HTTP endpoint, do the start-up work, ping the Drone
// server until it answers, poll and run stages; when `stop` fires (SIGTERM or SIGINT), stop
// polling, let running stages finish for `shutdownGrace`, then cancel them (each reports `killed`;
// the engine deletes its pods) and wait for their final reports, giving the server `abandonAfter`
// more to take them before RPC retries stop.
namespace podrunner {

struct DaemonOptions {
  drone::ClientOptions client;
  PollerOptions poller;
  StageRunnerOptions stage;
  std::string listen;  // DRONE_SERVER_PORT; empty: no HTTP endpoint
  std::chrono::milliseconds shutdownGrace{std::chrono::seconds(600)};
  std::chrono::milliseconds abandonAfter{std::chrono::seconds(60)};
  std::chrono::milliseconds pingInterval{1000};
};

// Says why the cluster cannot be reached, or "" when it can.
using ClusterCheck = std::function<std::string()>;
// Work done once the HTTP endpoint is up and before the first poll (the orphan sweep).
using StartupWork = std::function<void()>;

class Daemon {
 public:
  Daemon(DaemonOptions options, Engine& engine, CompileFunction compile, Metrics& metrics,
         ClusterCheck cluster, StartupWork beforePolling = {});

  // Runs until `stop` is cancelled and running stages are done; returns the exit status.
  int run(const Cancellation& stop);

 private:
  DaemonOptions options_;
  Engine& engine_;
  CompileFunction compile_;
  Metrics& metrics_;
  ClusterCheck cluster_;
  StartupWork beforePolling_;
};

}  // namespace podrunner
