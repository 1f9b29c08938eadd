#include "runner/daemon/poller.h"

#include <atomic>
#include <catch2/catch.hpp>

#include "fakes/stage_rig.h"

using namespace podrunner;
using namespace podrunner::testing;

namespace {

PollerOptions pollerOptions(const std::string& machine, int capacity) {
  PollerOptions o;
  o.filter.kind = "pipeline";
  o.filter.type = "kubernetes";
  o.machine = machine;
  o.capacity = capacity;
  o.retryFirst = std::chrono::milliseconds(10);
  o.retryMax = std::chrono::milliseconds(40);
  return o;
}

}  // namespace

TEST_CASE(
    "two runners offered the same stage: one accepts it, the other gets 409, drops it "
    "and polls on",
    "[component]") {
  FakeDroneServer::Options serverOptions;
  serverOptions.longPoll = std::chrono::milliseconds(100);
  serverOptions.handOutToWaiters = 2;
  StageRig rig(serverOptions);
  drone::Client secondClient(fastClientOptions(rig.server.address()), rig.metrics);
  std::atomic<int> ranByOne{0}, ranByTwo{0};
  const auto runOn = [&](std::atomic<int>& counter) {
    return [&](drone::Stage stage, Cancellation& cancellation) {
      ++counter;
      rig.run(stage, cancellation);
    };
  };
  Poller one(rig.client, pollerOptions("runner-1", 1), runOn(ranByOne));
  Poller two(secondClient, pollerOptions("runner-2", 1), runOn(ranByTwo));
  one.start();
  two.start();
  // Both polls must be open when the stage appears, or only one runner is offered it.
  REQUIRE(rig.server.waitUntil([&] { return rig.server.waitingPolls() == 2; }));
  const auto first = rig.server.addStage({});
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(first).status == "success"; }));
  // The losing runner's accept may come after the winner already finished the stage.
  REQUIRE(rig.server.waitUntil([&] { return rig.server.calls("accept").size() == 2; }));
  CHECK(ranByOne + ranByTwo == 1);
  const auto accepts = rig.server.calls("accept");
  CHECK(((accepts[0].status == 200 && accepts[1].status == 409) ||
         (accepts[0].status == 409 && accepts[1].status == 200)));
  CHECK(rig.server.calls("update_stage").size() == 2);  // running, then final: once

  const auto second = rig.server.addStage({});
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(second).status == "success"; }));
  CHECK(ranByOne + ranByTwo == 2);
}

TEST_CASE("a runner at capacity has no poll open until a slot frees", "[component]") {
  StageRig rig;
  rig.engine.scripts["build"] = {{}, 0, true};
  Poller poller(
      rig.client, pollerOptions("runner-1", 1),
      [&](drone::Stage stage, Cancellation& cancellation) { rig.run(stage, cancellation); });
  const auto first = rig.server.addStage({});
  poller.start();
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  const auto pollsWhileBusy = rig.server.calls("request").size();
  CHECK(rig.server.waitingPolls() == 0);
  const auto second = rig.server.addStage({});
  CHECK(poller.running() == 1);
  rig.engine.release.cancel("done");
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(second).status == "success"; }));
  CHECK(rig.server.stage(first).status == "success");
  // The poll that found the second stage started only after the first stage ended.
  CHECK(rig.server.calls("request").size() > pollsWhileBusy);
  const auto accepts = rig.server.calls("accept");
  REQUIRE(accepts.size() == 2);
}

TEST_CASE("a failing poll is retried after a backoff", "[component]") {
  StageRig rig;
  rig.server.failNext("request", 500, 2);
  Poller poller(
      rig.client, pollerOptions("runner-1", 2),
      [&](drone::Stage stage, Cancellation& cancellation) { rig.run(stage, cancellation); });
  const auto id = rig.server.addStage({});
  poller.start();
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(id).status == "success"; }));
  const auto polls = rig.server.calls("request");
  REQUIRE(polls.size() >= 3);
  CHECK(polls[0].status == 500);
  CHECK(polls[1].status == 500);
}
