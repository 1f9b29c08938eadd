#include "runner/daemon/stage_runner.h"

#include <fnmatch.h>

#include <algorithm>
#include <ctime>
#include <optional>
#include <set>
#include <thread>

#include "runner/daemon/log_streamer.h"
#include "runner/daemon/stage_reporter.h"
#include "runner/log.h"

namespace podrunner {
namespace {

std::int64_t nowUnix() { return static_cast<std::int64_t>(std::time(nullptr)); }

// Drone's limits use Go's filepath.Match: `*` stops at `/`.
bool matchesAny(const std::vector<std::string>& globs, const std::string& value) {
  for (const auto& glob : globs)
    if (fnmatch(glob.c_str(), value.c_str(), FNM_PATHNAME) == 0) return true;
  return false;
}

std::string lintMessage(const std::vector<pipeline::Finding>& findings) {
  std::string message;
  for (const auto& f : findings) {
    if (f.severity != pipeline::Finding::Severity::Error) continue;
    if (!message.empty()) message += "\n";
    message +=
        f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " + f.message;
  }
  return message.empty() ? "the pipeline does not compile" : message;
}

drone::Step wireStep(const pipeline::Step& s, std::int64_t stageId, bool detached) {
  drone::Step step;
  step.stageId = stageId;
  step.number = s.number;
  step.name = s.name;
  step.status = "pending";
  step.errignore = s.failure == pipeline::FailureMode::Ignore;
  step.image = s.image;
  step.detached = detached || s.detach;
  step.dependsOn = s.dependsOn;
  return step;
}

// One watch long poll after another while the stage runs (§2.7); a 200 cancels it.
class CancelWatch {
 public:
  CancelWatch(drone::Client& client, std::int64_t buildId, Cancellation& cancellation,
              pplx::cancellation_token abandon)
      : abandon_(std::move(abandon)),
        thread_([&client, buildId, &cancellation, token = source_.get_token()] {
          if (client.watch(buildId, token))
            cancellation.cancel("the build was cancelled on the server");
        }) {
    if (abandon_.is_cancelable())
      abandoned_ = abandon_.register_callback([source = source_] { source.cancel(); });
  }
  ~CancelWatch() { stop(); }
  void stop() {
    source_.cancel();
    if (thread_.joinable()) thread_.join();
    if (abandoned_) abandon_.deregister_callback(*abandoned_);
    abandoned_.reset();
  }

 private:
  pplx::cancellation_token_source source_;
  pplx::cancellation_token abandon_;
  std::optional<pplx::cancellation_token_registration> abandoned_;
  std::thread thread_;
};

// The final update of a stage (§2.5 AfterAll): every step with its current version.
class Finaliser {
 public:
  Finaliser(drone::Client& client, Metrics& metrics, const pplx::cancellation_token& abandon)
      : client_(client), metrics_(metrics), abandon_(abandon) {}

  void operator()(drone::Stage& stage, const std::string& status, int exitCode,
                  const std::string& error, bool cancelled) {
    const std::int64_t now = nowUnix();
    for (auto& step : stage.steps) {
      if (step.status == "pending") {
        step.status = "skipped";
        step.started = step.stopped = now;
        step.exitCode = 0;
      } else if (step.status == "running") {  // detached, or cut short by cancellation
        step.status = cancelled ? "killed" : "success";
        step.exitCode = cancelled ? 137 : 0;
        step.stopped = now;
      }
    }
    stage.status = status;
    stage.exitCode = exitCode;
    stage.error = truncateError(error);
    if (!stage.started) stage.started = now;
    stage.stopped = now;
    try {
      client_.updateStage(stage, abandon_);
      log::info("stage finished", {{"stage", std::to_string(stage.id)}, {"status", status}});
    } catch (const drone::OptimisticLock&) {
      log::info("final stage update refused (409): the build was cancelled on the server",
                {{"stage", std::to_string(stage.id)}});
    } catch (const std::exception& e) {
      log::error("final stage update failed",
                 {{"stage", std::to_string(stage.id)}, {"error", e.what()}});
    }
    metrics_.stageFinished(status);
  }

 private:
  drone::Client& client_;
  Metrics& metrics_;
  pplx::cancellation_token abandon_;
};

}  // namespace

std::vector<drone::Step> initialSteps(const pipeline::Plan& plan, std::int64_t stageId) {
  std::vector<drone::Step> steps;
  for (const auto& s : plan.services) steps.push_back(wireStep(s, stageId, true));
  for (const auto& s : plan.steps) steps.push_back(wireStep(s, stageId, false));
  std::set<int> numbers;
  for (const auto& s : steps) numbers.insert(s.number);
  const bool numbered = numbers.size() == steps.size() && !numbers.count(0);
  if (!numbered)
    for (size_t i = 0; i < steps.size(); ++i) steps[i].number = static_cast<int>(i) + 1;
  return steps;
}

StageRunner::StageRunner(drone::Client& client, Engine& engine, CompileFunction compile,
                         Metrics& metrics, StageRunnerOptions options)
    : client_(client),
      engine_(engine),
      compile_(std::move(compile)),
      metrics_(metrics),
      options_(std::move(options)) {}

std::string StageRunner::refusal(const pipeline::BuildContext& context) const {
  if (!options_.limitRepos.empty() && !matchesAny(options_.limitRepos, context.repo.slug))
    return "repository " + context.repo.slug + " is not in DRONE_LIMIT_REPOS";
  if (!options_.limitEvents.empty() && !matchesAny(options_.limitEvents, context.build.event))
    return "event " + context.build.event + " is not in DRONE_LIMIT_EVENTS";
  if (options_.limitTrusted && !context.repo.trusted)
    return "repository " + context.repo.slug + " is not trusted (DRONE_LIMIT_TRUSTED)";
  return {};
}

void StageRunner::run(drone::Stage stage, Cancellation& cancellation,
                      const pplx::cancellation_token& abandon) {
  metrics_.stageStarted();
  Finaliser finalise(client_, metrics_, abandon);
  const std::string stageId = std::to_string(stage.id);
  try {
    const drone::Details details = client_.details(stage.id, abandon);
    pipeline::BuildContext context = details.context;
    context.stage.machine = stage.machine;
    if (auto why = refusal(context); !why.empty()) {
      log::info("stage declined", {{"stage", stageId}, {"reason", why}});
      return finalise(stage, "error", 255, "insufficient permission to run the pipeline: " + why,
                      false);
    }
    pipeline::CompileRequest request;
    request.text = details.config;
    request.pipelineName = stage.name;
    request.context = context;
    request.options = options_.compilerOptions;
    const pipeline::CompileResult compiled = compile_(request);
    if (!compiled.plan) {
      if (compiled.skipped) return finalise(stage, "skipped", 0, "", false);
      return finalise(stage, "error", 255, lintMessage(compiled.findings), false);
    }
    const pipeline::Plan& plan = *compiled.plan;

    stage.steps = initialSteps(plan, stage.id);
    stage.status = "running";
    stage.started = nowUnix();
    try {
      client_.updateStage(stage, abandon);  // BeforeAll: creates the steps (§9 item 7)
    } catch (const drone::OptimisticLock&) {
      log::info("stage update refused (409): the build was cancelled on the server",
                {{"stage", stageId}});
      metrics_.stageFinished("killed");
      return;
    } catch (const drone::Stopped&) {
      throw;
    } catch (const std::exception& e) {
      stage.steps.clear();  // the server may hold none of them; update the stage alone
      return finalise(stage, "error", 255, std::string("could not start the stage: ") + e.what(),
                      false);
    }

    CancelWatch watch(client_, details.buildId, cancellation, abandon);

    StageIdentity identity;
    identity.runnerName = options_.machine;
    identity.stageId = stage.id;
    identity.buildNumber = context.build.number;
    identity.stageNumber = stage.number;
    identity.repoSlug = context.repo.slug;
    identity.timeout = context.repo.timeoutMinutes > 0
                           ? std::chrono::minutes(context.repo.timeoutMinutes)
                           : options_.defaultTimeout;

    StageResult result;
    {
      LogStreamer logs(client_, metrics_, options_.stepLogLimitBytes, options_.logInterval,
                       abandon);
      StageReporter reporter(stage, client_, logs, metrics_, cancellation, abandon);
      try {
        result = engine_.run(plan, identity, reporter, cancellation);
      } catch (const std::exception& e) {
        result = {StepStatus::Error, 255, std::string("engine: ") + e.what()};
      }
      logs.closeAll();
    }
    watch.stop();

    const bool cancelled = cancellation.cancelled();
    if (cancelled) return finalise(stage, "killed", result.exitCode, result.error, true);
    return finalise(stage, toString(result.status), result.exitCode, result.error, false);
  } catch (const drone::Stopped&) {
    log::warn("gave up on the server while running the stage", {{"stage", stageId}});
    metrics_.stageFinished("error");
  } catch (const std::exception& e) {
    log::error("stage failed inside the runner", {{"stage", stageId}, {"error", e.what()}});
    // Steps without an id never reached the server; the others must be finalised too.
    stage.steps.erase(std::remove_if(stage.steps.begin(), stage.steps.end(),
                                     [](const drone::Step& s) { return s.id == 0; }),
                      stage.steps.end());
    finalise(stage, "error", 255, std::string("runner: ") + e.what(), false);
  }
}

}  // namespace podrunner
