// The RequestObserver of ClientSettings against the fake API server: one report per
// request sent, with the Kubernetes verb and the HTTP status.
#include <atomic>
#include <catch2/catch.hpp>
#include <mutex>

#include "test_client.h"

using namespace kube;
using namespace kube::test;

namespace {

using Report = std::string;  // "verb status"

struct Reports {
  void add(const std::string& verb, int status) {
    std::lock_guard lock(mutex);
    seen.push_back(verb + " " + std::to_string(status));
  }
  std::vector<Report> all() {
    std::lock_guard lock(mutex);
    return seen;
  }
  std::mutex mutex;
  std::vector<Report> seen;
};

ClientSettings observedBy(Reports& reports) {
  auto settings = quickSettings();
  settings.observer = [&reports](const std::string& verb, int status) {
    reports.add(verb, status);
  };
  return settings;
}

const char* kPod = R"({"metadata":{"name":"step-1","namespace":"ci","resourceVersion":"7"}})";

}  // namespace

TEST_CASE("each request reaches the observer with its verb and status, each retry too",
          "[component]") {
  std::atomic<int> gets{0};
  FakeApiServer server([&](const FakeRequest& request, ResponseWriter& out) {
    const bool named = request.path == "/api/v1/namespaces/ci/pods/step-1";
    if (request.path == "/version") {
      out.respond(200, R"({"gitVersion":"v1.34.0"})");
    } else if (request.method == "GET" && named) {
      if (gets++ == 0) return out.respond(503, statusBody(503, "ServiceUnavailable", "busy"));
      out.respond(200, kPod);
    } else if (request.method == "GET") {
      out.respond(200, std::string(R"({"kind":"PodList","items":[)") + kPod + "]}");
    } else if (request.method == "POST") {
      out.respond(201, kPod);
    } else if (request.method == "DELETE" && named) {
      out.respond(404, statusBody(404, "NotFound", "gone"));
    } else {
      out.respond(200, kPod);
    }
  });
  Reports reports;
  auto client = makeClient(configFor(server), observedBy(reports));
  Pod pod;
  pod.metadata.name = "step-1";
  pod.metadata.namespaceName = "ci";

  client->serverVersion();
  client->getPod("ci", "step-1");
  client->listPods("ci", "a=b");
  client->createPod(pod);
  client->patchPod("ci", "step-1", "{}");
  CHECK_THROWS_AS(client->deletePod("ci", "step-1"), ApiError);
  client->deletePods("ci", "a=b");

  CHECK(reports.all() == std::vector<Report>{"get 200", "get 503", "get 200", "list 200",
                                             "create 201", "patch 200", "delete 404",
                                             "deletecollection 200"});
}

TEST_CASE("a request that gets no answer is reported with status 0", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.drop(); });
  Reports reports;
  auto client = makeClient(configFor(server), observedBy(reports));

  CHECK_THROWS_AS(client->serverVersion(), ApiError);

  CHECK(reports.all() == std::vector<Report>{"get 0"});
}

TEST_CASE("a log stream is reported when it ends, a watch also when it is cancelled",
          "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    if (request.path.find("/log") != std::string::npos) {
      out.respond(200, "hello\n");
    } else if (request.query.count("watch")) {
      out.beginChunked(200);
      out.writeChunk(std::string(R"({"type":"ADDED","object":)") + kPod + "}\n");
      out.stall();
    } else {
      out.respond(200, R"({"kind":"PodList","metadata":{"resourceVersion":"7"},"items":[]})");
    }
  });
  Reports reports;
  auto client = makeClient(configFor(server), observedBy(reports));

  Recorder<std::string> log;
  auto follow = client->followLog(
      "ci", "step-1", {}, [&](std::string_view chunk) { log.add(std::string(chunk)); },
      [&](std::exception_ptr error) { log.end(error); });
  CHECK(log.awaitEnd() == nullptr);
  CHECK(reports.all() == std::vector<Report>{"get 200"});

  Recorder<std::string> events;
  auto watch = client->watchPods(
      "ci", "a=b", "", [&](const WatchEvent& event) { events.add(event.pod.metadata.name); },
      [&](std::exception_ptr error) { events.end(error); });
  REQUIRE(events.awaitItems(1) == std::vector<std::string>{"step-1"});
  watch.reset();  // cancels

  CHECK(reports.all() == std::vector<Report>{"get 200", "list 200", "watch 200"});
}
