#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/plan.h"
#include "runner/engine/engine.h"

namespace podrunner {

// The state of every step of a stage and Drone's rules over it (drone-protocol.md
// §4.3-4.5): which steps may start, which run policy skips them, exit 78, `failure:
// ignore`, detached steps, cancellation and the stage's aggregate result. Pure: the
// caller says what happened and when.
class StageProgress {
 public:
  explicit StageProgress(const std::vector<pipeline::Step>& steps);

  struct Next {
    std::vector<std::size_t> start;    // dependencies done, policy says run: start these
    std::vector<std::size_t> skipped;  // just marked skipped: report them
  };
  // Decides what happens to pending steps whose dependencies are all done. At most
  // `maxProcs` steps (0: no limit) run at once, detached ones not counted.
  Next next(int maxProcs, std::int64_t now);

  void started(std::size_t step, std::int64_t now);
  // The container exited: 0 and 78 are success; 78 also skips every pending step.
  void exited(std::size_t step, int exitCode, std::int64_t now, const std::string& error = {});
  // The step could not run (image, scheduling, API): status error, exit 255.
  void errored(std::size_t step, const std::string& error, std::int64_t now);
  // Pending steps are skipped, running ones killed (137); returns the steps changed.
  std::vector<std::size_t> cancel(std::int64_t now);
  // At the end of the stage: detached steps still running count as success, exit 0.
  std::vector<std::size_t> finishDetached(std::int64_t now);

  const StepState& state(std::size_t step) const { return states_[step]; }
  // A step failed (and the failure is not ignored): run policies and DRONE_*_STATUS.
  bool failed() const;
  std::vector<std::string> failedSteps() const;
  // Nothing pending, nothing running that the stage waits for.
  bool done() const;
  int running() const;
  StageResult result() const;

 private:
  bool dependenciesDone(std::size_t step) const;
  bool ignored(std::size_t step) const;

  const std::vector<pipeline::Step>& steps_;
  std::vector<StepState> states_;
  bool endedEarly_ = false;  // a step exited 78
  bool cancelled_ = false;
};

}  // namespace podrunner
