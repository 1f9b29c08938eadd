#include "runner/daemon/stage_runner.h"

#include <catch2/catch.hpp>
#include <thread>

#include "fakes/stage_rig.h"

using namespace podrunner;
using namespace podrunner::testing;

namespace {

std::vector<FakeCall> updates(const FakeDroneServer& server) {
  std::vector<FakeCall> out;
  for (auto& c : server.calls())
    if (c.endpoint == "update_stage" || c.endpoint == "update_step") out.push_back(c);
  return out;
}

size_t indexOf(const std::vector<FakeCall>& calls, const std::function<bool(const FakeCall&)>& f) {
  for (size_t i = 0; i < calls.size(); ++i)
    if (f(calls[i])) return i;
  return calls.size();
}

}  // namespace

TEST_CASE(
    "a stage reports running with pending steps, each step running then final, then the "
    "stage final, echoing every field",
    "[component]") {
  StageRig rig;
  FakeStage spec;
  spec.labels = {{"zone", "a"}};
  spec.config = "kind: pipeline\ntype: kubernetes\nname: default\nsteps: []\n";
  const auto stage = rig.accepted(spec);
  Cancellation cancellation;
  rig.run(stage, cancellation);

  REQUIRE(rig.compiled.size() == 1);
  CHECK(rig.compiled[0].text == spec.config);
  CHECK(rig.compiled[0].pipelineName == "default");
  CHECK(rig.compiled[0].context.repo.slug == "octo/hello");

  const auto calls = updates(rig.server);
  REQUIRE(calls.size() == 6);
  const auto first = drone::decodeStage(calls[0].body);
  CHECK(calls[0].endpoint == "update_stage");
  CHECK(first.status == "running");
  CHECK(first.started != 0);
  CHECK(first.machine == "runner-1");
  CHECK(first.created == 1700000000);
  CHECK(first.version == stage.version);
  CHECK(first.labels == spec.labels);
  CHECK(first.dependsOn == std::vector<std::string>{"setup"});
  CHECK(first.onSuccess);
  REQUIRE(first.steps.size() == 2);
  for (int i = 0; i < 2; ++i) {
    CHECK(first.steps[i].id == 0);
    CHECK(first.steps[i].stageId == stage.id);
    CHECK(first.steps[i].number == i + 1);
    CHECK(first.steps[i].status == "pending");
  }
  CHECK(first.steps[1].dependsOn == std::vector<std::string>{"clone"});
  CHECK(first.steps[0].image == "drone/git:latest");

  const std::vector<std::pair<std::string, std::string>> expected = {
      {"clone", "running"}, {"clone", "success"}, {"build", "running"}, {"build", "success"}};
  for (size_t i = 0; i < expected.size(); ++i) {
    const auto& call = calls[i + 1];
    CHECK(call.endpoint == "update_step");
    CHECK(call.status == 200);
    const auto step = drone::decodeStep(call.body);
    CHECK(step.name == expected[i].first);
    CHECK(step.status == expected[i].second);
    CHECK(step.started != 0);
    CHECK(step.stageId == stage.id);
    CHECK(step.image == first.steps[step.number - 1].image);
  }
  const auto last = drone::decodeStage(calls[5].body);
  CHECK(calls[5].endpoint == "update_stage");
  CHECK(calls[5].status == 200);
  CHECK(last.status == "success");
  CHECK(last.stopped != 0);
  CHECK(last.labels == spec.labels);
  CHECK(last.created == 1700000000);

  const auto onServer = rig.server.stage(stage.id);
  CHECK(onServer.status == "success");
  REQUIRE(onServer.steps.size() == 2);
  for (const auto& step : onServer.steps) {
    CHECK(step.status == "success");
    CHECK(rig.server.uploads(step.id) == 1);
  }
}

TEST_CASE("lint errors end the stage as error with the findings in its message and no steps",
          "[component]") {
  StageRig rig;
  rig.findings.push_back({pipeline::Finding::Severity::Error, ".drone.yml", 7, 5,
                          "steps[1].depends_on: no step named 'tset'"});
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);

  const auto calls = updates(rig.server);
  REQUIRE(calls.size() == 1);
  const auto sent = drone::decodeStage(calls[0].body);
  CHECK(sent.status == "error");
  CHECK(sent.exitCode == 255);
  CHECK(sent.steps.empty());
  CHECK(sent.error == ".drone.yml:7:5: steps[1].depends_on: no step named 'tset'");
  CHECK(rig.server.stage(stage.id).status == "error");
  CHECK(rig.engine.runs == 0);
}

TEST_CASE("DRONE_LIMIT_REPOS declines a repository it does not list", "[component]") {
  auto options = StageRig::defaultRunnerOptions();
  options.limitRepos = {"octo/other", "acme/*"};
  StageRig rig({}, options);
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);
  const auto onServer = rig.server.stage(stage.id);
  CHECK(onServer.status == "error");
  CHECK(onServer.error.find("insufficient permission") != std::string::npos);
  CHECK(onServer.error.find("DRONE_LIMIT_REPOS") != std::string::npos);
  CHECK(rig.engine.runs == 0);
}

TEST_CASE(
    "log lines reach the server while the step runs, and are uploaded once before its "
    "final update",
    "[component]") {
  StageRig rig;
  rig.plan = planWithSteps({"build"});
  rig.engine.scripts["build"] = {{"one\n", "two\n", "three\n"}, 0, true};
  const auto stage = rig.accepted();
  Cancellation cancellation;
  std::thread running([&] { rig.run(stage, cancellation); });

  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  const std::int64_t stepId = rig.server.stage(stage.id).steps.at(0).id;
  CHECK(rig.server.waitUntil([&] { return rig.server.batched(stepId).size() == 3; }));
  cancellation.cancel("test");
  running.join();

  const auto batched = rig.server.batched(stepId);
  REQUIRE(batched.size() == 3);
  CHECK(batched[0].pos == 0);
  CHECK(batched[2].pos == 2);
  CHECK(batched[1].out == "two\n");
  CHECK(batched[0].time >= 0);
  for (const auto& call : rig.server.calls("batch")) CHECK(call.status == 200);
  const auto uploaded = rig.server.uploaded(stepId);
  REQUIRE(uploaded.size() == 3);
  CHECK(uploaded[2].out == "three\n");
  CHECK(rig.server.uploads(stepId) == 1);

  const auto calls = rig.server.calls();
  const auto upload = indexOf(calls, [](const FakeCall& c) { return c.endpoint == "upload"; });
  const auto final = indexOf(calls, [](const FakeCall& c) {
    return c.endpoint == "update_step" && drone::decodeStep(c.body).status == "killed";
  });
  CHECK(upload < final);
  CHECK(final < calls.size());
  CHECK(rig.server.stage(stage.id).status == "killed");
}

TEST_CASE(
    "a step's log is capped: live streaming stops with a notice and the upload keeps the "
    "tail after a line counting what was dropped",
    "[component]") {
  auto options = StageRig::defaultRunnerOptions();
  options.stepLogLimitBytes = 100;
  StageRig rig({}, options);
  rig.plan = planWithSteps({"build"});
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i) lines.push_back("line " + std::to_string(100 + i) + "\n");  // 9 B
  rig.engine.scripts["build"] = {lines, 0, false};
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);

  const std::int64_t stepId = rig.server.stage(stage.id).steps.at(0).id;
  const auto uploaded = rig.server.uploaded(stepId);
  REQUIRE(uploaded.size() == 12);  // the notice and the last 11 lines (99 bytes)
  CHECK(uploaded[0].out.find("39 earlier lines were dropped") != std::string::npos);
  CHECK(uploaded[1].out == "line 139\n");
  CHECK(uploaded.back().out == "line 149\n");
  CHECK(uploaded[0].pos == 38);
  CHECK(uploaded.back().pos == 49);
  const auto batched = rig.server.batched(stepId);
  REQUIRE_FALSE(batched.empty());
  CHECK(batched.back().out.find("live streaming stops here") != std::string::npos);
  CHECK(rig.metrics.render().find("podrunner_log_lines_dropped_total 39") != std::string::npos);
  CHECK(rig.server.stage(stage.id).status == "success");
}

TEST_CASE("a 409 on a step update cancels the stage, which ends killed", "[component]") {
  StageRig rig;
  rig.server.failNext("update_step", 409);
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);

  CHECK(cancellation.cancelled());
  CHECK(cancellation.reason().find("refused an update") != std::string::npos);
  const auto onServer = rig.server.stage(stage.id);
  CHECK(onServer.status == "killed");
  REQUIRE(onServer.steps.size() == 2);
  CHECK(onServer.steps[1].status == "skipped");
}

TEST_CASE("a cancel on the server reaches the running stage through the watch", "[component]") {
  StageRig rig;
  rig.engine.scripts["build"] = {{}, 0, true};
  const auto stage = rig.accepted();
  Cancellation cancellation;
  std::thread running([&] { rig.run(stage, cancellation); });
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  rig.server.cancelBuild(rig.server.buildOf(stage.id));
  running.join();

  CHECK(cancellation.reason() == "the build was cancelled on the server");
  bool watchedCancel = false;
  for (const auto& c : rig.server.calls("watch"))
    watchedCancel = watchedCancel || (c.status == 200 && c.path.find("/rpc/v2/build/") == 0);
  CHECK(watchedCancel);
  CHECK(rig.server.stage(stage.id).status == "killed");
}

TEST_CASE("5xx answers above 501 are retried until the server recovers", "[component]") {
  StageRig rig;
  rig.server.failNext("details", 502);
  rig.server.failNext("update_stage", 503, 2);
  rig.server.failNext("update_step", 504);
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);

  CHECK(rig.server.calls("details").size() == 2);
  CHECK(rig.server.calls("update_stage").size() == 4);
  CHECK(rig.server.stage(stage.id).status == "success");
}

TEST_CASE("a 500 on details still finalises the stage as error", "[component]") {
  StageRig rig;
  rig.server.failNext("details", 500);
  const auto stage = rig.accepted();
  Cancellation cancellation;
  rig.run(stage, cancellation);
  const auto onServer = rig.server.stage(stage.id);
  CHECK(onServer.status == "error");
  CHECK(onServer.error.find("injected failure") != std::string::npos);
}
