#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/plan.h"
#include "runner/cancellation.h"

// The engine runs one compiled stage (a pipeline::Plan) on Kubernetes, one Pod per
// step, and tells an observer what happens. The daemon reports that to the Drone
// server; `podrunner exec` prints it to the terminal.
namespace podrunner {

enum class StepStatus { Pending, Running, Success, Failure, Killed, Skipped, Error };

const char* toString(StepStatus status);  // as Drone spells it: pending, running, success...

struct StepState {
  StepStatus status = StepStatus::Pending;
  int exitCode = 0;
  std::string error;         // why the step failed, when it is not just its exit code
  std::int64_t started = 0;  // unix seconds; 0 when it never started
  std::int64_t stopped = 0;
};

// Who a stage is, for object names, labels and timeouts.
struct StageIdentity {
  std::string runnerName;
  std::int64_t stageId = 0;  // the server's id: unique across builds
  std::int64_t buildNumber = 0;
  int stageNumber = 1;
  std::string repoSlug;  // owner/name
  std::chrono::seconds timeout{std::chrono::hours(1)};
};

// Called from engine threads; calls for one step come in order: started, output...,
// finished. Skipped steps get finished only.
class StageObserver {
 public:
  virtual ~StageObserver() = default;
  virtual void stepStarted(const pipeline::Step& step, std::int64_t startedUnix) = 0;
  // One line of output, masked, with its trailing newline (a last line may lack it).
  virtual void stepOutput(const pipeline::Step& step, std::string_view line) = 0;
  virtual void stepFinished(const pipeline::Step& step, const StepState& state) = 0;
};

struct StageResult {
  StepStatus status = StepStatus::Success;  // Success, Failure, Killed or Error
  int exitCode = 0;
  std::string error;
};

class Engine {
 public:
  virtual ~Engine() = default;
  // Sets up the stage, runs services and steps in graph order, and tears everything
  // down before it returns, also after errors and cancellation.
  virtual StageResult run(const pipeline::Plan& plan, const StageIdentity& stage,
                          StageObserver& observer, const Cancellation& cancellation) = 0;
};

}  // namespace podrunner
