#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fake_drone_server.h"
#include "fake_engine.h"
#include "runner/daemon/drone_client.h"
#include "runner/daemon/metrics.h"
#include "runner/daemon/stage_runner.h"

// A fake Drone server, a client with fast retries, a fake engine and a compile step
// that returns `plan` (or `findings`), wired into a StageRunner as the daemon does.
namespace podrunner::testing {

inline drone::ClientOptions fastClientOptions(const std::string& address) {
  drone::ClientOptions o;
  o.address = address;
  o.secret = "s3cr3t";
  o.timeout = std::chrono::seconds(10);
  o.retryFirst = std::chrono::milliseconds(10);
  o.retryMax = std::chrono::milliseconds(40);
  return o;
}

struct StageRig {
  explicit StageRig(FakeDroneServer::Options serverOptions = {},
                    StageRunnerOptions runnerOptions = defaultRunnerOptions())
      : server(serverOptions),
        client(fastClientOptions(server.address()), metrics),
        runner(
            client, engine,
            [this](const pipeline::CompileRequest& request) {
              compiled.push_back(request);
              pipeline::CompileResult result;
              result.findings = findings;
              if (findings.empty()) result.plan = plan;
              return result;
            },
            metrics, runnerOptions) {}

  static StageRunnerOptions defaultRunnerOptions() {
    StageRunnerOptions o;
    o.machine = "runner-1";
    o.logInterval = std::chrono::milliseconds(50);
    return o;
  }

  // Adds a stage to the server and accepts it as "runner-1".
  drone::Stage accepted(const FakeStage& spec = {}) {
    const auto id = server.addStage(spec);
    return client.accept(id, "runner-1", pplx::cancellation_token::none());
  }

  void run(const drone::Stage& stage, Cancellation& cancellation) {
    runner.run(stage, cancellation, pplx::cancellation_token::none());
  }

  FakeDroneServer server;
  Metrics metrics;
  drone::Client client;
  FakeEngine engine;
  pipeline::Plan plan = planWithSteps({"clone", "build"});
  std::vector<pipeline::Finding> findings;
  std::vector<pipeline::CompileRequest> compiled;
  StageRunner runner;
};

}  // namespace podrunner::testing
