#pragma once

#include <chrono>
#include <string>

#include "kube/objects.h"
#include "runner/config.h"

namespace podrunner {

// What a step's pod, as last seen by the watch, means for the step.
struct PodObservation {
  enum class Phase {
    Starting,  // not scheduled, pulling, creating: wait (see stuck)
    Running,   // the container runs: follow its log
    Exited,    // the container terminated: exitCode, reason (e.g. OOMKilled)
    Failed,    // the pod ended without a container exit (evicted, deadline): reason, message
  };
  Phase phase = Phase::Starting;
  // Why a starting pod may never start (ErrImagePull, Unschedulable, ...); empty if
  // nothing is known to be wrong. stuckGrace is how long that is given to resolve.
  std::string stuck;
  std::chrono::seconds stuckGrace{0};
  // The problem `stuck` is a case of: one failing pull shows ErrImagePull and
  // ImagePullBackOff by turns, and its grace runs from the first of them.
  std::string stuckKind;
  std::string message;
  std::string reason;
  int exitCode = 0;
  std::string nodeName;
  std::string podIP;
  bool ready = false;
};

PodObservation observe(const kube::Pod& pod, const Config::Engine& engine);

}  // namespace podrunner
