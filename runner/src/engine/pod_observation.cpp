#include "runner/engine/pod_observation.h"

#include <chrono>
#include <optional>

namespace podrunner {
namespace {

constexpr int kExitOomKilled = 137;

struct WaitingProblem {
  const char* kind;
  std::chrono::seconds grace;
};

// Waiting reasons that only get worse: the first kinds get a grace (registries flake),
// the last fail at once. Others (ContainerCreating, PodInitializing) are normal.
std::optional<WaitingProblem> waitingProblem(const std::string& reason,
                                             const Config::Engine& engine) {
  if (reason == "ErrImagePull" || reason == "ImagePullBackOff" || reason == "RegistryUnavailable") {
    return WaitingProblem{"image pull", engine.imagePullGrace};
  }
  if (reason == "CreateContainerConfigError" || reason == "CreateContainerError" ||
      reason == "RunContainerError") {
    return WaitingProblem{"container creation", engine.imagePullGrace};
  }
  if (reason == "InvalidImageName" || reason == "ErrImageNeverPull") {
    return WaitingProblem{"image name", std::chrono::seconds(0)};
  }
  return std::nullopt;
}

}  // namespace

PodObservation observe(const kube::Pod& pod, const Config::Engine& engine) {
  PodObservation o;
  o.nodeName = pod.spec.nodeName;
  o.podIP = pod.status.podIP;
  for (const auto& c : pod.status.conditions) {
    if (c.type == "Ready") o.ready = c.status == "True";
    if (c.type == "PodScheduled" && c.status == "False" && c.reason == "Unschedulable") {
      o.stuck = "Unschedulable";
      o.stuckKind = "scheduling";
      o.stuckGrace = engine.unschedulableGrace;
      o.message = c.message;
    }
  }
  // Evicted or past activeDeadlineSeconds: whatever the container shows, the kubelet
  // ended it, not the step.
  if (pod.status.phase == "Failed" && !pod.status.reason.empty()) {
    o.phase = PodObservation::Phase::Failed;
    o.reason = pod.status.reason;
    o.message = pod.status.message;
    return o;
  }
  for (const auto& c : pod.status.containerStatuses) {
    using State = kube::ContainerStatus::State;
    if (c.state == State::Terminated) {
      o.phase = PodObservation::Phase::Exited;
      o.exitCode = c.reason == "OOMKilled" ? kExitOomKilled : c.exitCode;
      o.reason = c.reason;
      o.message = c.message;
      return o;
    }
    if (c.state == State::Running) o.phase = PodObservation::Phase::Running;
    if (c.state == State::Waiting) {
      if (const auto problem = waitingProblem(c.reason, engine)) {
        o.stuck = c.reason;
        o.stuckKind = problem->kind;
        o.stuckGrace = problem->grace;
        o.message = c.message;
      }
    }
  }
  if (pod.status.phase == "Failed") {
    o.phase = PodObservation::Phase::Failed;
    o.reason = "Failed";
    o.message = pod.status.message;
  }
  return o;
}

}  // namespace podrunner
