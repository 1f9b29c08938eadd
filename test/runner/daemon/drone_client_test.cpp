#include "runner/daemon/drone_client.h"

#include <catch2/catch.hpp>
#include <future>

#include "fakes/stage_rig.h"

using namespace podrunner;
using namespace podrunner::testing;

namespace {

drone::Filter kubernetesFilter() {
  drone::Filter f;
  f.kind = "pipeline";
  f.type = "kubernetes";
  return f;
}

}  // namespace

TEST_CASE("the stage long poll reconnects after 204 until a stage comes", "[component]") {
  FakeDroneServer::Options options;
  options.longPoll = std::chrono::milliseconds(50);
  FakeDroneServer server(options);
  Metrics metrics;
  drone::Client client(fastClientOptions(server.address()), metrics);
  auto polled = std::async(std::launch::async, [&] {
    return client.request(kubernetesFilter(), pplx::cancellation_token::none());
  });
  REQUIRE(server.waitUntil([&] { return server.calls("request").size() >= 3; }));
  const auto id = server.addStage({});
  const auto stage = polled.get();
  REQUIRE(stage);
  CHECK(stage->id == id);
  CHECK(stage->type == "kubernetes");
  for (const auto& c : server.calls("request")) CHECK((c.status == 204 || c.status == 200));
  const auto filter = drone::decodeFilter(server.calls("request").at(0).body);
  CHECK(filter.kind == "pipeline");
  CHECK(filter.type == "kubernetes");
  CHECK(metrics.render().find("endpoint=\"request\",code=\"204\"") != std::string::npos);
}

TEST_CASE("a stopped long poll returns without a stage", "[component]") {
  FakeDroneServer server({});
  Metrics metrics;
  drone::Client client(fastClientOptions(server.address()), metrics);
  pplx::cancellation_token_source stop;
  auto polled = std::async(std::launch::async,
                           [&] { return client.request(kubernetesFilter(), stop.get_token()); });
  REQUIRE(server.waitUntil([&] { return !server.calls("request").empty(); }));
  stop.cancel();
  CHECK_FALSE(polled.get());
}

TEST_CASE("labels go into the filter and must match the stage's exactly", "[component]") {
  FakeDroneServer::Options options;
  options.longPoll = std::chrono::milliseconds(20);
  FakeDroneServer server(options);
  Metrics metrics;
  drone::Client client(fastClientOptions(server.address()), metrics);
  FakeStage labelled;
  labelled.labels = {{"zone", "a"}};
  const auto id = server.addStage(labelled);
  auto filter = kubernetesFilter();
  filter.labels = {{"zone", "a"}};
  const auto stage = client.request(filter, pplx::cancellation_token::none());
  REQUIRE(stage);
  CHECK(stage->id == id);
  CHECK(drone::decodeFilter(server.calls("request").back().body).labels == filter.labels);
}

TEST_CASE("accept sends the machine name and a second accept gets 409", "[component]") {
  FakeDroneServer server({});
  Metrics metrics;
  drone::Client client(fastClientOptions(server.address()), metrics);
  const auto id = server.addStage({});
  const auto accepted = client.accept(id, "runner one", pplx::cancellation_token::none());
  CHECK(accepted.machine == "runner one");
  CHECK(accepted.version == 2);
  CHECK(server.calls("accept").at(0).path ==
        "/rpc/v2/stage/" + std::to_string(id) + "?machine=runner+one");
  CHECK_THROWS_AS(client.accept(id, "runner-2", pplx::cancellation_token::none()),
                  drone::OptimisticLock);
}

TEST_CASE("details decode the base64 pipeline file and the build context", "[component]") {
  FakeDroneServer server({});
  Metrics metrics;
  drone::Client client(fastClientOptions(server.address()), metrics);
  FakeStage spec;
  spec.config = "kind: pipeline\ntype: kubernetes\nsteps:\n- name: é\n";
  spec.trusted = true;
  spec.event = "tag";
  const auto id = server.addStage(spec);
  const auto details = client.details(id, pplx::cancellation_token::none());
  CHECK(details.config == spec.config);
  CHECK(details.buildId == server.buildOf(id));
  CHECK(details.context.repo.slug == "octo/hello");
  CHECK(details.context.repo.namespaceName == "octo");
  CHECK(details.context.repo.trusted);
  CHECK(details.context.build.event == "tag");
  CHECK(details.context.secrets.empty());
  CHECK_FALSE(details.context.netrc);
  CHECK(details.context.system.host == "drone.invalid");
  CHECK(details.stage.id == id);
}

TEST_CASE("a wrong secret is an error naming the endpoint and status", "[component]") {
  FakeDroneServer server({});
  Metrics metrics;
  auto options = fastClientOptions(server.address());
  options.secret = "wrong";
  drone::Client client(options, metrics);
  try {
    client.ping();
    FAIL("ping with a wrong secret succeeded");
  } catch (const drone::RpcError& e) {
    CHECK(e.status() == 401);
    CHECK(std::string(e.what()).find("ping") == 0);
  }
}

TEST_CASE("a server that does not answer is retried with backoff, and stop ends the wait",
          "[component]") {
  Metrics metrics;
  auto options = fastClientOptions("http://127.0.0.1:" + std::to_string(freeLoopbackPort()));
  drone::Client client(options, metrics);
  pplx::cancellation_token_source stop;
  auto polled = std::async(std::launch::async,
                           [&] { return client.request(kubernetesFilter(), stop.get_token()); });
  while (metrics.render().find("endpoint=\"request\",code=\"0\"} 3") == std::string::npos)
    drone::waitOrStop(pplx::cancellation_token::none(), std::chrono::milliseconds(5));
  stop.cancel();
  CHECK_FALSE(polled.get());
}
