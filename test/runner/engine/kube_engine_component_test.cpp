#include <algorithm>
#include <catch2/catch.hpp>
#include <future>
#include <iostream>

#include "fake_kube_client.h"
#include "recording_observer.h"
#include "runner/engine/kube_engine.h"

using namespace podrunner;
using podrunner::testing::ContainerScript;
using podrunner::testing::echoStep;
using podrunner::testing::FakeKubeClient;
using podrunner::testing::prints;
using podrunner::testing::RecordingObserver;

namespace {

Config testConfig() {
  Config c;
  c.runner.name = "test-runner";
  c.engine.imagePullGrace = std::chrono::seconds(0);
  c.engine.unschedulableGrace = std::chrono::seconds(0);
  c.engine.containerStartTimeout = std::chrono::seconds(60);
  c.engine.cancelGrace = std::chrono::seconds(3);
  return c;
}

StageIdentity identity() {
  StageIdentity s;
  s.runnerName = "test-runner";
  s.stageId = 99;
  s.buildNumber = 5;
  s.repoSlug = "octo/app";
  return s;
}

std::string envOf(const kube::Pod& pod, const std::string& name) {
  for (const auto& e : pod.spec.containers.front().env) {
    if (e.name == name) return e.value;
  }
  return "";
}

std::size_t indexOf(const std::vector<std::string>& events, const std::string& event) {
  return static_cast<std::size_t>(std::find(events.begin(), events.end(), event) - events.begin());
}

struct Run {
  FakeKubeClient client;
  RecordingObserver observer;
  Cancellation cancellation;
  Config config = testConfig();
  StageIdentity stage = identity();

  StageResult run(const pipeline::Plan& plan) {
    KubeEngine engine(client, config);
    return engine.run(plan, stage, observer, cancellation);
  }
};

// Runs a step printing "line 1" to "line 12"; returns what it printed and what it should have.
std::pair<std::string, std::string> twelveLineStep(Run& r) {
  std::vector<std::string> lines;
  std::string expected;
  for (int i = 1; i <= 12; ++i) {
    lines.push_back("line " + std::to_string(i));
    expected += lines.back() + "\n";
  }
  r.client.onImage("chatty", [lines](const kube::Pod&, FakeKubeClient&) { return prints(lines); });
  pipeline::Plan plan;
  plan.steps = {echoStep("chatty", "chatty")};
  CHECK(r.run(plan).status == StepStatus::Success);
  return {r.observer.output("chatty"), expected};
}

}  // namespace

TEST_CASE("a file written by one step is read by the next through the stage's workspace",
          "[component]") {
  Run r;
  r.client.onImage("writer", [](const kube::Pod& pod, FakeKubeClient& cluster) {
    cluster.files(pod.spec.volumes.front().objectName)["hello.txt"] = "hello from clone";
    return prints({"wrote hello.txt"});
  });
  r.client.onImage("reader", [](const kube::Pod& pod, FakeKubeClient& cluster) {
    return prints({"read: " + cluster.files(pod.spec.volumes.front().objectName)["hello.txt"]});
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("clone", "writer"), echoStep("build", "reader", {"clone"})};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Success);
  CHECK(r.observer.output("build") == "read: hello from clone\n");
  const auto pods = r.client.createdPods();
  REQUIRE(pods.size() == 2);
  const auto claims = r.client.createdClaims();
  REQUIRE(claims.size() == 1);
  CHECK(pods[0].spec.volumes.front().objectName == claims[0].metadata.name);
  CHECK(pods[1].spec.volumes.front().objectName == claims[0].metadata.name);
  // ReadWriteOnce: the second pod follows the first to its node.
  CHECK(pods[0].spec.requiredNodeValues.empty());
  CHECK(pods[1].spec.requiredNodeValues == std::vector<std::string>{"node-1"});
  CHECK(r.client.objectsLeft() == 0);
  CHECK(r.observer.violations().empty());
}

TEST_CASE("in host mode, a pod on the stage's node removes the workspace directory at the end",
          "[component]") {
  Run r;
  r.config.engine.workspaceMode = "host";
  r.config.engine.workspaceHostPath = "/var/lib/podrunner";
  pipeline::Plan plan;
  plan.steps = {echoStep("clone", "img"), echoStep("build", "img", {"clone"})};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Success);
  const auto pods = r.client.createdPods();
  REQUIRE(pods.size() == 3);
  const auto& removal = pods.back();
  const std::string directory = pods[0].spec.volumes.front().path;
  REQUIRE(removal.spec.containers.size() == 1);
  const auto& command = removal.spec.containers[0].command;
  REQUIRE(command.size() == 4);
  CHECK(command[0] == "rm");
  CHECK(command[3] ==
        "/podrunner-workspaces/" + directory.substr(std::string("/var/lib/podrunner/").size()));
  CHECK(removal.spec.volumes.front().path == "/var/lib/podrunner");
  CHECK(removal.spec.nodeName == "node-1");
  CHECK(removal.metadata.ownerReferences.empty());
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("namespace drone- gives the stage a namespace of its own, deleted at the end",
          "[component]") {
  Run r;
  r.config.defaults.namespaceName = "drone-";
  pipeline::Plan plan;
  plan.steps = {echoStep("clone", "img"), echoStep("build", "img", {"clone"})};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Success);
  const auto created = r.client.createdNamespaces();
  REQUIRE(created.size() == 1);
  CHECK(created[0].rfind("drone-5-", 0) == 0);
  CHECK(created[0].find("-namespace-") != std::string::npos);
  for (const auto& pod : r.client.createdPods()) CHECK(pod.metadata.namespaceName == created[0]);
  CHECK(r.client.namespacesLeft().empty());
}

TEST_CASE("steps that depend only on clone run in parallel and the join waits for both",
          "[component]") {
  Run r;
  pipeline::Plan plan;
  plan.steps = {echoStep("clone", "img"), echoStep("a", "img", {"clone"}),
                echoStep("b", "img", {"clone"}), echoStep("join", "img", {"a", "b"})};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Success);
  const auto events = r.observer.events();
  CHECK(indexOf(events, "started:b") < indexOf(events, "finished:a"));
  CHECK(indexOf(events, "started:a") < indexOf(events, "finished:b"));
  CHECK(indexOf(events, "started:join") > indexOf(events, "finished:a"));
  CHECK(indexOf(events, "started:join") > indexOf(events, "finished:b"));
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE(
    "an ignored failure passes, a real one skips deploy and runs the on-failure step "
    "with the failure status in its environment",
    "[component]") {
  Run r;
  r.client.onImage("fails", [](const kube::Pod&, FakeKubeClient&) { return prints({"boom"}, 2); });
  r.client.onImage("notifier", [](const kube::Pod& pod, FakeKubeClient&) {
    return prints({"build status " + envOf(pod, "DRONE_BUILD_STATUS") + ", failed " +
                   envOf(pod, "DRONE_FAILED_STEPS")});
  });
  pipeline::Plan plan;
  auto flaky = echoStep("flaky", "fails");
  flaky.failure = pipeline::FailureMode::Ignore;
  auto notify = echoStep("notify", "notifier", {"deploy"});
  notify.runPolicy = pipeline::RunPolicy::OnFailure;
  plan.steps = {flaky, echoStep("test", "fails", {"flaky"}), echoStep("deploy", "img", {"test"}),
                notify};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Failure);
  CHECK(r.observer.state("flaky").status == StepStatus::Failure);
  CHECK(r.observer.state("test").exitCode == 2);
  CHECK(r.observer.state("deploy").status == StepStatus::Skipped);
  CHECK(r.observer.state("notify").status == StepStatus::Success);
  CHECK(r.observer.output("notify") == "build status failure, failed flaky,test\n");
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("exit 78 ends the stage early as a success", "[component]") {
  Run r;
  r.client.onImage("done-early",
                   [](const kube::Pod&, FakeKubeClient&) { return prints({"nothing to do"}, 78); });
  pipeline::Plan plan;
  plan.steps = {echoStep("check", "done-early"), echoStep("build", "img", {"check"})};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Success);
  CHECK(r.observer.state("check").exitCode == 78);
  CHECK(r.observer.state("build").status == StepStatus::Skipped);
  CHECK(r.client.createdPods().size() == 1);
}

TEST_CASE("a step reaches a service by its name once the service's port is ready", "[component]") {
  Run r;
  r.client.onImage("redis", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s = prints({"Ready to accept connections"});
    s.runsUntilDeleted = true;
    return s;
  });
  r.client.onImage("client", [](const kube::Pod& pod, FakeKubeClient&) {
    std::string answer = "no route to redis";
    for (const auto& alias : pod.spec.hostAliases) {
      if (std::find(alias.hostnames.begin(), alias.hostnames.end(), "redis") !=
          alias.hostnames.end()) {
        answer = "PONG from " + alias.ip;
      }
    }
    return prints({answer});
  });
  pipeline::Plan plan;
  auto redis = echoStep("redis", "redis");
  redis.script.clear();
  redis.ports = {6379};
  plan.services = {redis};
  plan.steps = {echoStep("ping", "client")};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Success);
  CHECK(r.observer.output("ping").rfind("PONG from 10.42.0.", 0) == 0);
  CHECK(r.observer.output("redis") == "Ready to accept connections\n");
  CHECK(r.observer.state("redis").status == StepStatus::Success);
  const auto pods = r.client.createdPods();
  REQUIRE(pods.size() == 2);
  CHECK(pods[0].spec.containers[0].readinessTcpPort == 6379);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE(
    "a service whose port never opens fails the stage after the start timeout, "
    "and the steps do not run",
    "[component]") {
  Run r;
  r.config.engine.containerStartTimeout = std::chrono::seconds(1);
  r.client.onImage("mute", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.runsUntilDeleted = true;
    s.neverReady = true;
    return s;
  });
  pipeline::Plan plan;
  auto db = echoStep("db", "mute");
  db.ports = {5432};
  plan.services = {db};
  plan.steps = {echoStep("migrate", "img")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  CHECK(r.observer.output("db").find("port 5432 did not accept connections") != std::string::npos);
  CHECK(r.observer.state("migrate").status == StepStatus::Skipped);
  CHECK(r.client.createdPods().size() == 1);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("a service whose image cannot be pulled fails the stage", "[component]") {
  Run r;
  r.client.onImage("nosuch", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.waitingReason = "ImagePullBackOff";
    return s;
  });
  pipeline::Plan plan;
  plan.services = {echoStep("db", "nosuch")};
  plan.steps = {echoStep("migrate", "img")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  CHECK(r.observer.state("migrate").status == StepStatus::Skipped);
}

TEST_CASE(
    "a secret is masked in the output even when it arrives split across reads and "
    "never appears in a pod",
    "[component]") {
  Run r;
  r.client.onImage("leaky", [](const kube::Pod&, FakeKubeClient&) {
    return prints({"token is xoxb-1234567890-secret, again xoxb-1234567890-secret"});
  });
  pipeline::Plan plan;
  auto leak = echoStep("leak", "leaky");
  leak.secretEnvironment = {{"SLACK_TOKEN", "slack_token"}};
  plan.steps = {leak};
  plan.secrets = {{"slack_token", "xoxb-1234567890-secret"}};
  plan.masked = {"xoxb-1234567890-secret"};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Success);
  CHECK(r.observer.output("leak") == "token is ******, again ******\n");
  for (const auto& pod : r.client.createdPods()) {
    for (const auto& e : pod.spec.containers[0].env) {
      CHECK(e.value.find("xoxb") == std::string::npos);
    }
  }
  const auto secrets = r.client.createdSecrets();
  REQUIRE(secrets.size() == 1);
  CHECK(secrets[0].data.at("slack_token") == "xoxb-1234567890-secret");
}

TEST_CASE("a missing image fails the step at once with the reason and the pod's events",
          "[component]") {
  Run r;
  r.client.onImage("nosuch/image:1", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.waitingReason = "ErrImagePull";
    s.waitingMessage = "manifest for nosuch/image:1 not found";
    return s;
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("build", "nosuch/image:1"), echoStep("after", "img", {"build"})};
  const auto result = r.run(plan);

  CHECK(result.status == StepStatus::Error);
  CHECK(result.error.find("ErrImagePull") != std::string::npos);
  const auto state = r.observer.state("build");
  CHECK(state.status == StepStatus::Error);
  CHECK(state.exitCode == 255);
  const auto log = r.observer.output("build");
  CHECK(log.find("ErrImagePull") != std::string::npos);
  CHECK(log.find("manifest for nosuch/image:1 not found") != std::string::npos);
  CHECK(log.find("event Failed") != std::string::npos);
  CHECK(r.observer.state("after").status == StepStatus::Skipped);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("an unschedulable pod fails with the scheduler's message", "[component]") {
  Run r;
  r.client.onImage("huge", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.unschedulable = true;
    return s;
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("build", "huge")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  CHECK(r.observer.output("build").find("Insufficient memory") != std::string::npos);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("an OOM-killed step is reported as such with exit 137", "[component]") {
  Run r;
  r.client.onImage("hungry", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s = prints({"allocating"});
    s.exitCode = 137;
    s.terminatedReason = "OOMKilled";
    return s;
  });
  pipeline::Plan plan;
  auto hungry = echoStep("hungry", "hungry");
  hungry.resources.memoryLimitBytes = 64LL << 20;
  plan.steps = {hungry};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Failure);
  const auto state = r.observer.state("hungry");
  CHECK(state.status == StepStatus::Failure);
  CHECK(state.exitCode == 137);
  CHECK(state.error.find("OOMKilled") != std::string::npos);
  const auto log = r.observer.output("hungry");
  CHECK(log.find("allocating\n") == 0);
  CHECK(log.find("OOMKilled, memory limit 67108864 bytes") != std::string::npos);
}

TEST_CASE("cancel deletes the running pod within the grace, kills the step and leaves nothing",
          "[component]") {
  Run r;
  r.client.onImage("forever", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s = prints({"working"});
    s.runsUntilDeleted = true;
    return s;
  });
  pipeline::Plan plan;
  auto cleanup = echoStep("cleanup", "img", {"long"});
  cleanup.runPolicy = pipeline::RunPolicy::Always;
  plan.steps = {echoStep("long", "forever"), cleanup};
  auto running = std::async(std::launch::async, [&] { return r.run(plan); });
  REQUIRE(r.observer.waitForOutput("long", "working"));
  r.cancellation.cancel("ctrl-c");
  const auto result = running.get();

  CHECK(result.status == StepStatus::Killed);
  CHECK(result.exitCode == 137);
  CHECK(result.error == "ctrl-c");
  CHECK(r.observer.state("long").status == StepStatus::Killed);
  CHECK(r.observer.state("long").exitCode == 137);
  CHECK(r.observer.state("cleanup").status == StepStatus::Skipped);
  const auto deletes = r.client.deletedWithGrace();
  REQUIRE_FALSE(deletes.empty());
  CHECK(deletes.front().substr(deletes.front().find(':')) == ":3");
  CHECK(r.client.objectsLeft() == 0);
  CHECK(r.observer.violations().empty());
}

TEST_CASE("the stage timeout kills a step that runs too long", "[component]") {
  Run r;
  r.stage.timeout = std::chrono::seconds(1);
  r.client.onImage("forever", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.runsUntilDeleted = true;
    return s;
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("long", "forever")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Killed);
  CHECK(result.error.find("timed out") != std::string::npos);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("a broken log stream resumes after the last line: nothing lost, nothing twice",
          "[component]") {
  Run r;
  r.client.breakLogStreamsOnce(100);
  const auto [output, expected] = twelveLineStep(r);
  CHECK(output == expected);
}

TEST_CASE(
    "a follow stream that ends before the log's tail (mid-line) is read to the end, each "
    "line whole and once",
    "[component]") {
  Run r;
  r.client.endFollowShortOnce(150);
  const auto [output, expected] = twelveLineStep(r);
  CHECK(output == expected);
}

TEST_CASE("a broken watch is watched again and the stage still completes", "[component]") {
  Run r;
  r.client.onImage("breaks-watch", [](const kube::Pod&, FakeKubeClient& cluster) {
    cluster.failWatchOnce();
    return prints({"still here"});
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("first", "img"), echoStep("second", "breaks-watch", {"first"})};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Success);
  CHECK(r.observer.output("second") == "still here\n");
}

TEST_CASE("the runner's own time per step is measured", "[component][latency]") {
  Run r;
  pipeline::Plan plan;
  std::string previous;
  for (int i = 0; i < 20; ++i) {
    const auto name = "step" + std::to_string(i);
    plan.steps.push_back(echoStep(
        name, "img",
        previous.empty() ? std::vector<std::string>{} : std::vector<std::string>{previous}));
    previous = name;
  }
  KubeEngine engine(r.client, r.config);
  CHECK(engine.run(plan, r.stage, r.observer, r.cancellation).status == StepStatus::Success);
  const auto latencies = engine.lastStageLatencies();
  REQUIRE(latencies.size() == 20);
  double worstCreate = 0, worstReport = 0, sumCreate = 0, sumReport = 0;
  for (const auto& l : latencies) {
    CHECK(l.exitToReportedMs >= 0);
    worstCreate = std::max(worstCreate, l.readyToCreatedMs);
    worstReport = std::max(worstReport, l.exitToReportedMs);
    sumCreate += l.readyToCreatedMs;
    sumReport += l.exitToReportedMs;
  }
  std::cout << "runner latency over 20 steps (fake cluster): ready->created mean " << sumCreate / 20
            << " ms, max " << worstCreate << " ms; exit->reported mean " << sumReport / 20
            << " ms, max " << worstReport << " ms\n";
}

TEST_CASE("an evicted pod is reported with the kubelet's reason, not hung on", "[component]") {
  Run r;
  r.client.onImage("evicted", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s = prints({"filling the disk"});
    s.evicted = true;
    return s;
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("fill", "evicted")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  const auto state = r.observer.state("fill");
  CHECK(state.status == StepStatus::Error);
  CHECK(state.error.find("Evicted") != std::string::npos);
  CHECK(r.observer.output("fill").find("low on resource: ephemeral-storage") != std::string::npos);
  CHECK(r.client.objectsLeft() == 0);
}

TEST_CASE("a pod deleted by someone else is reported, not hung on", "[component]") {
  Run r;
  r.client.onImage("vanishes", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.vanishes = true;
    return s;
  });
  pipeline::Plan plan;
  plan.steps = {echoStep("gone", "vanishes")};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  CHECK(r.observer.state("gone").error.find("Deleted") != std::string::npos);
}

TEST_CASE("failed pods are kept for debugging without holding up the result, then removed",
          "[component]") {
  FakeKubeClient client;
  client.onImage("fails", [](const kube::Pod&, FakeKubeClient&) { return prints({"no"}, 1); });
  RecordingObserver observer;
  Cancellation cancellation;
  auto config = testConfig();
  config.engine.keepFailedPods = std::chrono::hours(1);
  pipeline::Plan plan;
  plan.steps = {echoStep("ok", "img"), echoStep("bad", "fails", {"ok"})};
  {
    KubeEngine engine(client, config);
    CHECK(engine.run(plan, identity(), observer, cancellation).status == StepStatus::Failure);
    CHECK(engine.keptPodCleanups() == 1);
    CHECK(client.objectsLeft() == 2);  // the failed pod and the stage Secret owning it
    const auto pods = client.listPods("default", "io.drone.step=bad", nullptr);
    CHECK(pods.size() == 1);
  }
  CHECK(client.objectsLeft() == 0);
}

TEST_CASE("when the first pod never gets a node, an always step still runs, unpinned",
          "[component]") {
  Run r;
  r.client.onImage("huge", [](const kube::Pod&, FakeKubeClient&) {
    ContainerScript s;
    s.unschedulable = true;
    return s;
  });
  pipeline::Plan plan;
  auto cleanup = echoStep("cleanup", "img", {"build"});
  cleanup.runPolicy = pipeline::RunPolicy::Always;
  plan.steps = {echoStep("build", "huge"), cleanup};
  const auto result = r.run(plan);
  CHECK(result.status == StepStatus::Error);
  CHECK(r.observer.state("cleanup").status == StepStatus::Success);
  const auto pods = r.client.createdPods();
  REQUIRE(pods.size() == 2);
  CHECK(pods[1].spec.requiredNodeValues.empty());
}
