#include "runner/daemon/daemon.h"

#include <cpprest/http_client.h>

#include <catch2/catch.hpp>
#include <future>

#include "fakes/stage_rig.h"
#include "runner/daemon/cluster_probe.h"
#include "test_client.h"

using namespace podrunner;
using namespace podrunner::testing;

namespace {

struct DaemonRig {
  DaemonRig() {
    options.client = fastClientOptions(server.address());
    options.poller.filter = {"pipeline", "kubernetes", "", "", "", "", {}};
    options.poller.machine = "runner-1";
    options.poller.capacity = 2;
    options.stage.machine = "runner-1";
    options.stage.logInterval = std::chrono::milliseconds(50);
    options.pingInterval = std::chrono::milliseconds(10);
    engine.scripts["build"] = {{"working\n"}, 0, true};
  }
  int run() {
    Daemon daemon(
        options, engine,
        [this](const pipeline::CompileRequest&) {
          pipeline::CompileResult result;
          result.plan = planWithSteps({"clone", "build"});
          return result;
        },
        metrics, cluster, beforePolling);
    return daemon.run(stop);
  }

  FakeDroneServer server{FakeDroneServer::Options{}};
  Metrics metrics;
  FakeEngine engine;
  DaemonOptions options;
  ClusterCheck cluster = [] { return std::string(); };
  StartupWork beforePolling;
  Cancellation stop;  // what SIGTERM cancels in `podrunner daemon`
};

}  // namespace

TEST_CASE("on SIGTERM a running stage may finish within the grace and the daemon exits 0",
          "[component]") {
  DaemonRig rig;
  rig.options.shutdownGrace = std::chrono::minutes(10);
  const auto id = rig.server.addStage({});
  auto exit = std::async(std::launch::async, [&] { return rig.run(); });
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  rig.stop.cancel("SIGTERM");
  rig.engine.release.cancel("the step ends");
  CHECK(exit.get() == 0);
  CHECK(rig.server.stage(id).status == "success");
}

TEST_CASE("on SIGTERM a stage still running after the grace is cancelled and reported killed",
          "[component]") {
  DaemonRig rig;
  rig.options.shutdownGrace = std::chrono::milliseconds(0);
  const auto id = rig.server.addStage({});
  auto exit = std::async(std::launch::async, [&] { return rig.run(); });
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  rig.stop.cancel("SIGTERM");
  CHECK(exit.get() == 0);
  const auto stage = rig.server.stage(id);
  CHECK(stage.status == "killed");
  REQUIRE(stage.steps.size() == 2);
  CHECK(stage.steps[0].status == "success");
  CHECK(stage.steps[1].status == "killed");
  CHECK(stage.steps[1].exitCode == 137);
  const auto uploaded = rig.server.uploaded(stage.steps[1].id);
  REQUIRE(uploaded.size() == 1);
  CHECK(uploaded[0].out == "working\n");
}

TEST_CASE("the HTTP endpoint serves healthz, readyz and metrics", "[component]") {
  DaemonRig rig;
  const int port = freeLoopbackPort();
  rig.options.listen = "127.0.0.1:" + std::to_string(port);
  const auto id = rig.server.addStage({});
  auto exit = std::async(std::launch::async, [&] { return rig.run(); });
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));

  web::http::client::http_client http("http://127.0.0.1:" + std::to_string(port));
  const auto get = [&](const std::string& path) {
    auto response = http.request("GET", path).get();
    return std::make_pair(int(response.status_code()), response.extract_utf8string(true).get());
  };
  CHECK(get("/healthz").first == 200);
  CHECK(get("/readyz").first == 200);
  const auto metrics = get("/metrics");
  CHECK(metrics.first == 200);
  CHECK(metrics.second.find("podrunner_stages_running 1") != std::string::npos);
  CHECK(metrics.second.find("podrunner_steps_total{status=\"success\"} 1") != std::string::npos);
  CHECK(metrics.second.find("podrunner_rpc_requests_total{endpoint=\"accept\",code=\"200\"} 1") !=
        std::string::npos);
  CHECK(get("/nothing").first == 404);

  rig.server.failNext("ping", 500);
  CHECK(get("/readyz").first == 503);

  rig.engine.release.cancel("done");
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(id).status == "success"; }));
  rig.stop.cancel("SIGTERM");
  CHECK(exit.get() == 0);
}

TEST_CASE("the start-up work (the orphan sweep) is done before the first poll", "[component]") {
  DaemonRig rig;
  std::size_t pollsBefore = 99;
  rig.beforePolling = [&] { pollsBefore = rig.server.calls("request").size(); };
  const auto id = rig.server.addStage({});
  auto exit = std::async(std::launch::async, [&] { return rig.run(); });
  REQUIRE(rig.engine.blocking.waitFor(std::chrono::seconds(30)));
  CHECK(pollsBefore == 0);
  rig.engine.release.cancel("done");
  REQUIRE(rig.server.waitUntil([&] { return rig.server.stage(id).status == "success"; }));
  rig.stop.cancel("SIGTERM");
  CHECK(exit.get() == 0);
}

TEST_CASE("readyz fails with the reason while the Kubernetes API is down and passes when it is up",
          "[component]") {
  std::atomic<bool> up{false};
  kube::test::FakeApiServer api(
      [&](const kube::test::FakeRequest& request, kube::test::ResponseWriter& out) {
        if (!up) return out.drop();
        out.respond(request.path == "/version" ? 200 : 404, R"({"gitVersion":"v1.34.0"})");
      });
  const auto cluster = kube::makeClient(kube::test::configFor(api), kube::test::quickSettings());
  ClusterProbe probe(*cluster, std::chrono::milliseconds(0));
  DaemonRig rig;
  rig.cluster = [&] { return probe.notReady(); };
  const int port = freeLoopbackPort();
  rig.options.listen = "127.0.0.1:" + std::to_string(port);
  auto exit = std::async(std::launch::async, [&] { return rig.run(); });
  REQUIRE(rig.server.waitUntil([&] { return rig.server.waitingPolls() > 0; }));

  web::http::client::http_client http("http://127.0.0.1:" + std::to_string(port));
  const auto readyz = [&] {
    auto response = http.request("GET", "/readyz").get();
    return std::make_pair(int(response.status_code()), response.extract_utf8string(true).get());
  };
  const auto down = readyz();
  CHECK(down.first == 503);
  CHECK_THAT(down.second,
             Catch::Matchers::StartsWith("kubernetes API: cannot talk to " + api.url()));
  up = true;
  CHECK(readyz() == std::make_pair(200, std::string("ready\n")));
  CHECK(api.requests().back().path == "/version");

  rig.stop.cancel("SIGTERM");
  CHECK(exit.get() == 0);
}
