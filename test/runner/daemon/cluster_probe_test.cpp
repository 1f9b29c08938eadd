#include "runner/daemon/cluster_probe.h"

#include <atomic>
#include <catch2/catch.hpp>

#include "test_client.h"

using namespace podrunner;

namespace {

// An API server whose /version answers 200, or 503 while `failing`.
struct VersionServer {
  std::atomic<bool> failing{false};
  kube::test::FakeApiServer server{
      [this](const kube::test::FakeRequest&, kube::test::ResponseWriter& out) {
        if (failing) {
          out.respond(503, kube::test::statusBody(503, "ServiceUnavailable", "etcd is away"));
        } else {
          out.respond(200, R"({"gitVersion":"v1.34.0"})");
        }
      }};
  std::unique_ptr<kube::Client> client =
      kube::makeClient(kube::test::configFor(server), kube::test::quickSettings());
};

}  // namespace

TEST_CASE("the cluster probe asks the API server at most once per ttl", "[component]") {
  VersionServer api;
  ClusterProbe::Clock::time_point now{};
  ClusterProbe probe(*api.client, std::chrono::seconds(5), [&] { return now; });

  CHECK(probe.notReady().empty());
  now += std::chrono::seconds(4);
  CHECK(probe.notReady().empty());
  CHECK(api.server.requests().size() == 1);

  api.failing = true;
  now += std::chrono::seconds(1);
  CHECK(probe.notReady() == "kubernetes API: etcd is away");
  CHECK(probe.notReady() == "kubernetes API: etcd is away");  // kept, not asked again
  CHECK(api.server.requests().size() == 2);                   // once: a probe never retries

  api.failing = false;
  now += std::chrono::seconds(5);
  CHECK(probe.notReady().empty());
  CHECK(api.server.requests().size() == 3);
}
