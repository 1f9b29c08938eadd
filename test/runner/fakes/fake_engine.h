#pragma once

#include <atomic>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "runner/engine/engine.h"

// An Engine that runs a Plan's steps in order without Kubernetes: each step prints
// its scripted lines and exits with its scripted code. A step scripted to block
// waits for the stage's cancellation and ends killed, like a pod deleted mid-run.
namespace podrunner::testing {

struct FakeStepScript {
  std::vector<std::string> lines;
  int exitCode = 0;
  bool blockUntilCancelled = false;
};

class FakeEngine : public Engine {
 public:
  std::map<std::string, FakeStepScript> scripts;  // by step name; default: exit 0, no output
  Cancellation blocking;  // cancelled (as a one-shot signal) when a blocking step runs
  Cancellation release;   // lets blocking steps end with success
  std::atomic<int> runs{0};
  StageIdentity lastIdentity;

  StageResult run(const pipeline::Plan& plan, const StageIdentity& stage, StageObserver& observer,
                  const Cancellation& cancellation) override {
    ++runs;
    lastIdentity = stage;
    StageResult result;
    for (const auto& step : plan.steps) {
      if (cancellation.cancelled()) break;
      if (result.status != StepStatus::Success &&
          step.runPolicy == pipeline::RunPolicy::OnSuccess) {
        observer.stepFinished(step, {StepStatus::Skipped, 0, "", 0, 0});
        continue;
      }
      const auto started = static_cast<std::int64_t>(std::time(nullptr));
      observer.stepStarted(step, started);
      const FakeStepScript script =
          scripts.count(step.name) ? scripts.at(step.name) : FakeStepScript{};
      for (const auto& line : script.lines) observer.stepOutput(step, line);
      if (script.blockUntilCancelled) {
        blocking.cancel("a step is running");
        while (!cancellation.waitFor(std::chrono::milliseconds(20)) && !release.cancelled()) {
        }
        if (cancellation.cancelled()) {
          observer.stepFinished(step, {StepStatus::Killed, 137, "", started, 0});
          return {StepStatus::Killed, 137, ""};
        }
      }
      const auto status = script.exitCode == 0 ? StepStatus::Success : StepStatus::Failure;
      observer.stepFinished(step, {status, script.exitCode, "", started, 0});
      if (status == StepStatus::Failure) result.status = StepStatus::Failure;
    }
    return result;
  }
};

// A Plan with the named steps, numbered from 1, each after the one before.
inline pipeline::Plan planWithSteps(const std::vector<std::string>& names) {
  pipeline::Plan plan;
  plan.pipelineName = "default";
  int number = 0;
  for (const auto& name : names) {
    pipeline::Step step;
    step.name = name;
    step.number = ++number;
    step.image = name == "clone" ? "drone/git:latest" : "alpine:3";
    if (number > 1) step.dependsOn = {plan.steps.back().name};
    plan.steps.push_back(step);
  }
  return plan;
}

}  // namespace podrunner::testing
