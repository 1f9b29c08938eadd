#pragma once

#include <pplx/pplxtasks.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/compiler.h"
#include "runner/cancellation.h"
#include "runner/daemon/drone_client.h"
#include "runner/daemon/metrics.h"
#include "runner/engine/engine.h"

// Runs one accepted stage from the Drone server to its final report
// (drone-protocol.md §4.2-4.3): details, DRONE_LIMIT_* checks, compile (substitution
// and lint included), the stage's `running` update that creates its steps, the watch
// for cancellation, the engine run with live logs, and the final update. The stage
// is finalised exactly once, also after an internal error, unless the server refused
// it with 409 (then it already holds the build as cancelled).
namespace podrunner {

using CompileFunction = std::function<pipeline::CompileResult(const pipeline::CompileRequest&)>;

struct StageRunnerOptions {
  std::string machine;                   // DRONE_RUNNER_NAME
  std::vector<std::string> limitRepos;   // globs on the repo slug; empty: any
  std::vector<std::string> limitEvents;  // globs on the build event; empty: any
  bool limitTrusted = false;
  pipeline::CompilerOptions compilerOptions;
  std::int64_t stepLogLimitBytes = 5 * 1024 * 1024;
  std::chrono::milliseconds logInterval{1000};
  std::chrono::minutes defaultTimeout{60};  // when the repository says 0
};

class StageRunner {
 public:
  StageRunner(drone::Client& client, Engine& engine, CompileFunction compile, Metrics& metrics,
              StageRunnerOptions options);

  // `accepted` is the stage as the accept call returned it. `cancellation` is the
  // stage's: shutdown cancels it, and so do the watch and a 409. `abandon` stops RPC
  // retries when the daemon gives up on a server that does not answer.
  void run(drone::Stage accepted, Cancellation& cancellation,
           const pplx::cancellation_token& abandon);

 private:
  // Why this runner may not run the build (DRONE_LIMIT_*), or empty.
  std::string refusal(const pipeline::BuildContext& context) const;

  drone::Client& client_;
  Engine& engine_;
  CompileFunction compile_;
  Metrics& metrics_;
  StageRunnerOptions options_;
};

// The stage's steps as the first `running` update creates them: services first,
// then steps, pending, numbered as the Plan numbers them.
std::vector<drone::Step> initialSteps(const pipeline::Plan& plan, std::int64_t stageId);

}  // namespace podrunner
