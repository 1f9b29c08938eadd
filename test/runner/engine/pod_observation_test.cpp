#include "runner/engine/pod_observation.h"

#include <catch2/catch.hpp>

using namespace podrunner;
using Phase = PodObservation::Phase;
using State = kube::ContainerStatus::State;

namespace {

kube::Pod podWith(State state, const std::string& reason = {}, int exitCode = 0) {
  kube::Pod pod;
  pod.status.phase = "Pending";
  kube::ContainerStatus c;
  c.state = state;
  c.reason = reason;
  c.exitCode = exitCode;
  pod.status.containerStatuses.push_back(c);
  return pod;
}

Config::Engine engineSettings() {
  Config::Engine e;
  e.imagePullGrace = std::chrono::seconds(30);
  e.unschedulableGrace = std::chrono::seconds(120);
  return e;
}

}  // namespace

TEST_CASE("image pull errors are stuck with the image pull grace", "[classify]") {
  for (const char* reason : {"ErrImagePull", "ImagePullBackOff"}) {
    const auto seen = observe(podWith(State::Waiting, reason), engineSettings());
    CHECK(seen.phase == Phase::Starting);
    CHECK(seen.stuck == reason);
    CHECK(seen.stuckGrace == std::chrono::seconds(30));
  }
}

TEST_CASE("the reasons a failing pull shows by turns are one problem, whose grace goes on",
          "[classify]") {
  const auto pulling = observe(podWith(State::Waiting, "ErrImagePull"), engineSettings());
  const auto backingOff = observe(podWith(State::Waiting, "ImagePullBackOff"), engineSettings());
  const auto config =
      observe(podWith(State::Waiting, "CreateContainerConfigError"), engineSettings());
  CHECK(pulling.stuckKind == backingOff.stuckKind);
  CHECK(pulling.stuckKind != config.stuckKind);
  CHECK(observe(podWith(State::Waiting, "ContainerCreating"), engineSettings()).stuckKind.empty());
}

TEST_CASE("an invalid image name fails without grace", "[classify]") {
  const auto seen = observe(podWith(State::Waiting, "InvalidImageName"), engineSettings());
  CHECK(seen.stuck == "InvalidImageName");
  CHECK(seen.stuckGrace == std::chrono::seconds(0));
}

TEST_CASE("a missing secret or config map is stuck as CreateContainerConfigError", "[classify]") {
  const auto seen =
      observe(podWith(State::Waiting, "CreateContainerConfigError"), engineSettings());
  CHECK(seen.stuck == "CreateContainerConfigError");
}

TEST_CASE("an ordinary wait (ContainerCreating) is not stuck", "[classify]") {
  const auto seen = observe(podWith(State::Waiting, "ContainerCreating"), engineSettings());
  CHECK(seen.phase == Phase::Starting);
  CHECK(seen.stuck.empty());
}

TEST_CASE("an unschedulable pod is stuck with the scheduler's message", "[classify]") {
  kube::Pod pod;
  pod.status.phase = "Pending";
  pod.status.conditions.push_back({"PodScheduled", "False", "Unschedulable", "0/3 nodes fit"});
  const auto seen = observe(pod, engineSettings());
  CHECK(seen.stuck == "Unschedulable");
  CHECK(seen.stuckGrace == std::chrono::seconds(120));
  CHECK(seen.message == "0/3 nodes fit");
}

TEST_CASE("a terminated container reports its exit code; OOMKilled is 137", "[classify]") {
  const auto failed = observe(podWith(State::Terminated, "Error", 2), engineSettings());
  CHECK(failed.phase == Phase::Exited);
  CHECK(failed.exitCode == 2);
  const auto oom = observe(podWith(State::Terminated, "OOMKilled", 0), engineSettings());
  CHECK(oom.exitCode == 137);
  CHECK(oom.reason == "OOMKilled");
}

TEST_CASE("an evicted pod is a pod failure, not a container exit", "[classify]") {
  auto pod = podWith(State::Terminated, "Error", 137);
  pod.status.phase = "Failed";
  pod.status.reason = "Evicted";
  pod.status.message = "The node was low on resource: ephemeral-storage.";
  const auto seen = observe(pod, engineSettings());
  CHECK(seen.phase == Phase::Failed);
  CHECK(seen.reason == "Evicted");
  CHECK(seen.message.find("ephemeral-storage") != std::string::npos);
}

TEST_CASE("a running pod reports node, address and readiness", "[classify]") {
  auto pod = podWith(State::Running);
  pod.spec.nodeName = "node-1";
  pod.status.podIP = "10.1.2.3";
  pod.status.conditions.push_back({"Ready", "True", "", ""});
  const auto seen = observe(pod, engineSettings());
  CHECK(seen.phase == Phase::Running);
  CHECK(seen.nodeName == "node-1");
  CHECK(seen.podIP == "10.1.2.3");
  CHECK(seen.ready);
}
