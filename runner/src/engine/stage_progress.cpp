#include "runner/engine/stage_progress.h"

#include <algorithm>

namespace podrunner {
namespace {

constexpr int kExitSkipRest = 78;
constexpr int kExitKilled = 137;
constexpr int kExitError = 255;

bool finished(StepStatus s) { return s != StepStatus::Pending && s != StepStatus::Running; }

}  // namespace

StageProgress::StageProgress(const std::vector<pipeline::Step>& steps)
    : steps_(steps), states_(steps.size()) {}

bool StageProgress::ignored(std::size_t step) const {
  // A detached step's exit code does not count; that it could not run at all does.
  if (steps_[step].failure == pipeline::FailureMode::Ignore) return true;
  return steps_[step].detach && states_[step].status == StepStatus::Failure;
}

bool StageProgress::dependenciesDone(std::size_t step) const {
  for (const auto& name : steps_[step].dependsOn) {
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (steps_[i].name != name) continue;
      const bool detachedRunning = steps_[i].detach && states_[i].status == StepStatus::Running;
      if (!finished(states_[i].status) && !detachedRunning) return false;
    }
  }
  return true;
}

StageProgress::Next StageProgress::next(int maxProcs, std::int64_t now) {
  Next out;
  int busy = running();
  const bool stopping = endedEarly_ || cancelled_;
  // Skipping a step may complete another's dependencies: repeat until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      if (states_[i].status != StepStatus::Pending) continue;
      if (!stopping && !dependenciesDone(i)) continue;
      if (std::find(out.start.begin(), out.start.end(), i) != out.start.end()) continue;
      bool run = false;
      switch (steps_[i].runPolicy) {
        case pipeline::RunPolicy::OnSuccess:
          run = !failed();
          break;
        case pipeline::RunPolicy::OnFailure:
          run = failed();
          break;
        case pipeline::RunPolicy::Always:
          run = true;
          break;
        case pipeline::RunPolicy::Never:
          break;
      }
      if (run && !stopping) {
        if (maxProcs > 0 && busy >= maxProcs) continue;
        out.start.push_back(i);
        if (!steps_[i].detach) ++busy;
        continue;
      }
      auto& s = states_[i];
      s.status = StepStatus::Skipped;
      s.started = s.stopped = now;
      out.skipped.push_back(i);
      changed = true;
    }
  }
  return out;
}

void StageProgress::started(std::size_t step, std::int64_t now) {
  auto& s = states_[step];
  s.status = StepStatus::Running;
  s.started = now;
}

void StageProgress::exited(std::size_t step, int exitCode, std::int64_t now,
                           const std::string& error) {
  auto& s = states_[step];
  if (finished(s.status)) return;
  s.exitCode = exitCode;
  s.error = error;
  s.status = exitCode == 0 || exitCode == kExitSkipRest ? StepStatus::Success : StepStatus::Failure;
  s.stopped = now;
  if (s.started == 0) s.started = now;
  if (exitCode == kExitSkipRest) endedEarly_ = true;
}

void StageProgress::errored(std::size_t step, const std::string& error, std::int64_t now) {
  auto& s = states_[step];
  if (finished(s.status)) return;
  s.status = StepStatus::Error;
  s.exitCode = kExitError;
  s.error = error;
  s.stopped = now;
  if (s.started == 0) s.started = now;
}

std::vector<std::size_t> StageProgress::cancel(std::int64_t now) {
  cancelled_ = true;
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    auto& s = states_[i];
    if (s.status == StepStatus::Pending) {
      s.status = StepStatus::Skipped;
      s.started = s.stopped = now;
    } else if (s.status == StepStatus::Running) {
      s.status = StepStatus::Killed;
      s.exitCode = kExitKilled;
      s.stopped = now;
    } else {
      continue;
    }
    changed.push_back(i);
  }
  return changed;
}

std::vector<std::size_t> StageProgress::finishDetached(std::int64_t now) {
  std::vector<std::size_t> changed;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].status != StepStatus::Running) continue;
    states_[i].status = StepStatus::Success;
    states_[i].exitCode = 0;
    states_[i].stopped = now;
    changed.push_back(i);
  }
  return changed;
}

bool StageProgress::failed() const {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto status = states_[i].status;
    if ((status == StepStatus::Failure || status == StepStatus::Error) && !ignored(i)) return true;
  }
  return false;
}

std::vector<std::string> StageProgress::failedSteps() const {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto status = states_[i].status;
    if (status == StepStatus::Failure || status == StepStatus::Error) {
      names.push_back(steps_[i].name);
    }
  }
  return names;
}

bool StageProgress::done() const {
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto status = states_[i].status;
    if (status == StepStatus::Pending) return false;
    if (status == StepStatus::Running && !steps_[i].detach) return false;
  }
  return true;
}

int StageProgress::running() const {
  int n = 0;
  for (std::size_t i = 0; i < states_.size(); ++i) {
    if (states_[i].status == StepStatus::Running && !steps_[i].detach) ++n;
  }
  return n;
}

StageResult StageProgress::result() const {
  // The first step in order that decides wins, as runner-go aggregates.
  for (std::size_t i = 0; i < states_.size(); ++i) {
    const auto& s = states_[i];
    if (s.status == StepStatus::Killed) return {StepStatus::Killed, kExitKilled, s.error};
    if (s.status == StepStatus::Error && !ignored(i)) {
      return {StepStatus::Error, kExitError, steps_[i].name + ": " + s.error};
    }
    if (s.status == StepStatus::Failure && !ignored(i)) return {StepStatus::Failure, 0, {}};
  }
  return {StepStatus::Success, 0, {}};
}

}  // namespace podrunner
