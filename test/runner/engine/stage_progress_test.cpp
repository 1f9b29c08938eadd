#include "runner/engine/stage_progress.h"

#include <catch2/catch.hpp>

using namespace podrunner;

namespace {

pipeline::Step step(const std::string& name, std::vector<std::string> dependsOn = {}) {
  pipeline::Step s;
  s.name = name;
  s.dependsOn = std::move(dependsOn);
  return s;
}

std::vector<std::size_t> ids(std::initializer_list<std::size_t> list) { return list; }

}  // namespace

TEST_CASE("steps without dependencies between them start together", "[graph]") {
  const std::vector<pipeline::Step> steps{step("clone"), step("a", {"clone"}), step("b", {"clone"}),
                                          step("c", {"a", "b"})};
  StageProgress p(steps);
  auto next = p.next(0, 1);
  CHECK(next.start == ids({0}));
  p.started(0, 1);
  CHECK(p.next(0, 1).start.empty());
  p.exited(0, 0, 2);
  next = p.next(0, 2);
  CHECK(next.start == ids({1, 2}));
  p.started(1, 2);
  p.started(2, 2);
  p.exited(1, 0, 3);
  CHECK(p.next(0, 3).start.empty());
  p.exited(2, 0, 3);
  CHECK(p.next(0, 3).start == ids({3}));
  p.started(3, 3);
  p.exited(3, 0, 4);
  CHECK(p.done());
  CHECK(p.result().status == StepStatus::Success);
}

TEST_CASE("max procs bounds the steps running at once", "[graph]") {
  const std::vector<pipeline::Step> steps{step("a"), step("b"), step("c")};
  StageProgress p(steps);
  auto next = p.next(2, 1);
  CHECK(next.start == ids({0, 1}));
  p.started(0, 1);
  p.started(1, 1);
  CHECK(p.next(2, 1).start.empty());
  p.exited(0, 0, 2);
  CHECK(p.next(2, 2).start == ids({2}));
}

TEST_CASE("a failed step skips on-success steps and runs on-failure and always steps",
          "[graph][policy]") {
  auto notify = step("notify", {"test"});
  notify.runPolicy = pipeline::RunPolicy::OnFailure;
  auto cleanup = step("cleanup", {"notify"});
  cleanup.runPolicy = pipeline::RunPolicy::Always;
  const std::vector<pipeline::Step> steps{step("test"), step("deploy", {"test"}), notify, cleanup};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.exited(0, 2, 2);
  CHECK(p.failed());
  CHECK(p.failedSteps() == std::vector<std::string>{"test"});
  const auto next = p.next(0, 2);
  CHECK(next.skipped == ids({1}));
  CHECK(next.start == ids({2}));
  CHECK(p.state(1).status == StepStatus::Skipped);
  p.started(2, 2);
  p.exited(2, 0, 3);
  CHECK(p.next(0, 3).start == ids({3}));
  p.started(3, 3);
  p.exited(3, 0, 4);
  CHECK(p.done());
  const auto result = p.result();
  CHECK(result.status == StepStatus::Failure);
  CHECK(result.exitCode == 0);
}

TEST_CASE("an on-failure step is skipped when everything passed", "[graph][policy]") {
  auto notify = step("notify", {"test"});
  notify.runPolicy = pipeline::RunPolicy::OnFailure;
  const std::vector<pipeline::Step> steps{step("test"), notify};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.exited(0, 0, 2);
  const auto next = p.next(0, 2);
  CHECK(next.skipped == ids({1}));
  CHECK(next.start.empty());
  CHECK(p.result().status == StepStatus::Success);
}

TEST_CASE("failure: ignore keeps the stage passing", "[graph][policy]") {
  auto flaky = step("flaky");
  flaky.failure = pipeline::FailureMode::Ignore;
  const std::vector<pipeline::Step> steps{flaky, step("next", {"flaky"})};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.exited(0, 1, 2);
  CHECK(p.state(0).status == StepStatus::Failure);
  CHECK_FALSE(p.failed());
  CHECK(p.next(0, 2).start == ids({1}));
  p.started(1, 2);
  p.exited(1, 0, 3);
  CHECK(p.result().status == StepStatus::Success);
}

TEST_CASE("exit 78 ends the stage early as success and skips the rest, also always steps",
          "[graph][policy]") {
  auto always = step("always", {"next"});
  always.runPolicy = pipeline::RunPolicy::Always;
  const std::vector<pipeline::Step> steps{step("check"), step("next", {"check"}), always};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.exited(0, 78, 2);
  CHECK(p.state(0).status == StepStatus::Success);
  CHECK(p.state(0).exitCode == 78);
  const auto next = p.next(0, 2);
  CHECK(next.start.empty());
  CHECK(next.skipped == ids({1, 2}));
  CHECK(p.done());
  CHECK(p.result().status == StepStatus::Success);
}

TEST_CASE("a detached step unblocks its dependents while it runs", "[graph]") {
  auto server = step("server");
  server.detach = true;
  const std::vector<pipeline::Step> steps{server, step("client", {"server"})};
  StageProgress p(steps);
  CHECK(p.next(0, 1).start == ids({0}));
  p.started(0, 1);
  CHECK(p.next(0, 1).start == ids({1}));
  p.started(1, 1);
  p.exited(1, 0, 2);
  CHECK(p.done());
  CHECK(p.finishDetached(3) == ids({0}));
  CHECK(p.state(0).status == StepStatus::Success);
}

TEST_CASE("an error step makes the stage an error with its reason and exit 255", "[graph]") {
  const std::vector<pipeline::Step> steps{step("build")};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.errored(0, "ErrImagePull", 2);
  CHECK(p.state(0).exitCode == 255);
  const auto result = p.result();
  CHECK(result.status == StepStatus::Error);
  CHECK(result.exitCode == 255);
  CHECK(result.error == "build: ErrImagePull");
}

TEST_CASE("cancel kills running steps with 137 and skips pending ones", "[graph]") {
  auto always = step("always", {"a"});
  always.runPolicy = pipeline::RunPolicy::Always;
  const std::vector<pipeline::Step> steps{step("a"), always};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  CHECK(p.cancel(5) == ids({0, 1}));
  CHECK(p.state(0).status == StepStatus::Killed);
  CHECK(p.state(0).exitCode == 137);
  CHECK(p.state(1).status == StepStatus::Skipped);
  CHECK(p.next(0, 6).start.empty());
  CHECK(p.done());
  CHECK(p.result().status == StepStatus::Killed);
  CHECK(p.result().exitCode == 137);
}

TEST_CASE("the first deciding step in order sets the stage result", "[graph]") {
  const std::vector<pipeline::Step> steps{step("a"), step("b")};
  StageProgress p(steps);
  p.next(0, 1);
  p.started(0, 1);
  p.started(1, 1);
  p.exited(0, 1, 2);
  p.errored(1, "lost", 2);
  CHECK(p.result().status == StepStatus::Failure);
}
