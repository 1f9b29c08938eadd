// watchPods against the fake API server: resume after a drop, re-list on 410 Gone,
// each change reported once.
#include <atomic>
#include <catch2/catch.hpp>

#include "test_client.h"

using namespace kube;
using namespace kube::test;

namespace {

std::string podJson(const std::string& name, const std::string& version,
                    const std::string& phase = "Running") {
  return R"({"metadata":{"name":")" + name + R"(","namespace":"ci","resourceVersion":")" + version +
         R"("},"status":{"phase":")" + phase + R"("}})";
}

std::string eventLine(const std::string& type, const std::string& object) {
  return R"({"type":")" + type + R"(","object":)" + object + "}\n";
}

std::string podList(const std::string& version, const std::vector<std::string>& pods) {
  std::string items;
  for (const auto& pod : pods) items += (items.empty() ? "" : ",") + pod;
  return R"({"kind":"PodList","metadata":{"resourceVersion":")" + version + R"("},"items":[)" +
         items + "]}";
}

std::string describe(const WatchEvent& event) {
  const char* type = event.type == WatchEvent::Type::Added      ? "Added"
                     : event.type == WatchEvent::Type::Modified ? "Modified"
                                                                : "Deleted";
  return std::string(type) + " " + event.pod.metadata.name + "@" +
         event.pod.metadata.resourceVersion;
}

struct Watcher {
  Recorder<std::string> events;
  std::unique_ptr<Stream> stream;

  void start(Client& client, const std::string& resourceVersion = {}) {
    stream = client.watchPods(
        "ci", "podrunner/stage=42", resourceVersion,
        [this](const WatchEvent& event) { events.add(describe(event)); },
        [this](std::exception_ptr error) { events.end(error); });
  }
};

bool isWatch(const FakeRequest& request) { return request.query.count("watch") > 0; }

}  // namespace

TEST_CASE(
    "a watch lists first, resumes from the last version after a drop and reports each change once",
    "[component]") {
  std::atomic<int> watches{0};
  FakeApiServer server([&](const FakeRequest& request, ResponseWriter& out) {
    if (!isWatch(request)) {
      out.respond(200, podList("11", {podJson("pod-a", "10")}));
      return;
    }
    switch (++watches) {
      case 1:
        out.beginChunked(200);
        out.writeChunk(eventLine("ADDED", podJson("pod-b", "12")));
        out.writeChunk(eventLine("MODIFIED", podJson("pod-a", "13")));
        out.writeChunk(R"({"type":"DELETED","obj)");  // cut mid-line
        out.drop();
        return;
      case 2:  // the server replays the last event the client saw
        out.beginChunked(200);
        out.writeChunk(eventLine("MODIFIED", podJson("pod-a", "13")) +
                       eventLine("DELETED", podJson("pod-b", "14", "Succeeded")));
        out.endChunked();
        return;
      default:
        out.beginChunked(200);
        out.stall();
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client);
  auto events = watcher.events.awaitItems(4);
  server.awaitRequests(4);
  watcher.stream.reset();

  CHECK(events == std::vector<std::string>{"Added pod-a@10", "Added pod-b@12", "Modified pod-a@13",
                                           "Deleted pod-b@14"});
  CHECK(watcher.events.ends() == 1);
  auto requests = server.requests();
  REQUIRE(requests.size() >= 4);
  CHECK(requests[0].query["labelSelector"] == "podrunner/stage=42");
  CHECK(requests[1].query["resourceVersion"] == "11");
  CHECK(requests[1].query["allowWatchBookmarks"] == "true");
  CHECK(requests[1].query["labelSelector"] == "podrunner/stage=42");
  CHECK(requests[2].query["resourceVersion"] == "13");
  CHECK(requests[3].query["resourceVersion"] == "14");
}

TEST_CASE("a bookmark moves the version a watch resumes from", "[component]") {
  std::atomic<int> watches{0};
  FakeApiServer server([&](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    if (++watches == 1) {
      out.writeChunk(eventLine("ADDED", podJson("pod-a", "3")));
      out.writeChunk(eventLine("BOOKMARK", R"({"metadata":{"resourceVersion":"8"}})"));
      out.drop();
    } else {
      out.stall();
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "2");
  server.awaitRequests(2);
  watcher.stream.reset();

  CHECK(watcher.events.items() == std::vector<std::string>{"Added pod-a@3"});
  CHECK(server.requests().at(0).query["resourceVersion"] == "2");
  CHECK(server.requests().at(1).query["resourceVersion"] == "8");
}

TEST_CASE("410 Gone on resume re-lists and reports only what changed meanwhile", "[component]") {
  std::atomic<int> watches{0};
  FakeApiServer server([&](const FakeRequest& request, ResponseWriter& out) {
    if (!isWatch(request)) {  // a kept, b deleted, c new, a unchanged
      out.respond(200, podList("30", {podJson("pod-a", "21"), podJson("pod-c", "25")}));
      return;
    }
    switch (++watches) {
      case 1:
        out.beginChunked(200);
        out.writeChunk(eventLine("ADDED", podJson("pod-a", "21")) +
                       eventLine("ADDED", podJson("pod-b", "22")));
        out.drop();
        return;
      case 2:
        out.respond(410, statusBody(410, "Expired", "too old resource version: 22 (29)"));
        return;
      default:
        out.beginChunked(200);
        out.stall();
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "20");
  auto events = watcher.events.awaitItems(4);
  server.awaitRequests(4);
  watcher.stream.reset();

  CHECK(events == std::vector<std::string>{"Added pod-a@21", "Added pod-b@22", "Added pod-c@25",
                                           "Deleted pod-b@22"});
  auto requests = server.requests();
  CHECK(requests[1].query["resourceVersion"] == "22");
  CHECK_FALSE(isWatch(requests[2]));
  CHECK(requests[3].query["resourceVersion"] == "30");
}

TEST_CASE("an ERROR 410 event inside the stream also re-lists", "[component]") {
  std::atomic<int> watches{0};
  FakeApiServer server([&](const FakeRequest& request, ResponseWriter& out) {
    if (!isWatch(request)) {
      out.respond(200, podList("50", {podJson("pod-a", "45", "Succeeded")}));
      return;
    }
    out.beginChunked(200);
    if (++watches == 1) {
      out.writeChunk(eventLine("ADDED", podJson("pod-a", "41")));
      out.writeChunk(eventLine("ERROR", statusBody(410, "Expired", "too old resource version")));
      out.endChunked();
    } else {
      out.stall();
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "40");
  auto events = watcher.events.awaitItems(2);
  server.awaitRequests(3);
  watcher.stream.reset();

  CHECK(events == std::vector<std::string>{"Added pod-a@41", "Modified pod-a@45"});
  CHECK(server.requests().at(2).query["resourceVersion"] == "50");
}

TEST_CASE("a watch the server refuses ends with the server's error", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(403, statusBody(403, "Forbidden", "pods is forbidden"));
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "1");
  auto error = apiErrorOf(watcher.events.awaitEnd());

  CHECK(error.isForbidden());
  CHECK(server.requests().size() == 1);
}

TEST_CASE("a watch keeps trying through 5xx answers", "[component]") {
  std::atomic<int> calls{0};
  FakeApiServer server([&](const FakeRequest&, ResponseWriter& out) {
    if (++calls <= 2) {
      out.respond(503, statusBody(503, "ServiceUnavailable", "etcd is busy"));
      return;
    }
    out.beginChunked(200);
    out.writeChunk(eventLine("ADDED", podJson("pod-a", "5")));
    out.stall();
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "1");
  auto events = watcher.events.awaitItems(1);
  watcher.stream.reset();

  CHECK(events == std::vector<std::string>{"Added pod-a@5"});
  CHECK(server.requests().size() == 3);
}

TEST_CASE("cancelling a watch ends it once without an error", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    out.stall();
  });
  auto client = makeClient(configFor(server), quickSettings());
  Watcher watcher;

  watcher.start(*client, "1");
  server.awaitRequests(1);
  watcher.stream->cancel();

  CHECK(watcher.events.awaitEnd() == nullptr);
  watcher.stream.reset();
  CHECK(watcher.events.ends() == 1);
}
