// followLog against the fake API server.
#include <catch2/catch.hpp>

#include "test_client.h"

using namespace kube;
using namespace kube::test;

namespace {

struct LogReader {
  Recorder<std::string> chunks;
  std::unique_ptr<Stream> stream;

  void start(Client& client, const LogOptions& options) {
    stream = client.followLog(
        "ci", "step-1", options, [this](std::string_view data) { chunks.add(std::string(data)); },
        [this](std::exception_ptr error) { chunks.end(error); });
  }
  std::string text() {
    std::string all;
    for (const auto& chunk : chunks.items()) all += chunk;
    return all;
  }
};

}  // namespace

TEST_CASE("a followed log is delivered as it arrives and ends cleanly with the container",
          "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    out.writeChunk("2026-01-01T00:00:01Z + make\n");
    out.writeChunk("2026-01-01T00:00:02Z built\n2026-01-01T00:00:03Z par");
    out.writeChunk("tial line\n");
    out.endChunked();
  });
  auto client = makeClient(configFor(server), quickSettings());
  LogReader reader;
  LogOptions options;
  options.container = "step";
  options.timestamps = true;
  options.sinceTime = "2026-01-01T00:00:00Z";

  reader.start(*client, options);

  CHECK(describeError(reader.chunks.awaitEnd()) == "none");
  CHECK(reader.text() ==
        "2026-01-01T00:00:01Z + make\n2026-01-01T00:00:02Z built\n2026-01-01T00:00:03Z partial "
        "line\n");
  auto request = server.requests().at(0);
  CHECK(request.path == "/api/v1/namespaces/ci/pods/step-1/log");
  CHECK(request.query["follow"] == "true");
  CHECK(request.query["container"] == "step");
  CHECK(request.query["timestamps"] == "true");
  CHECK(request.query["sinceTime"] == "2026-01-01T00:00:00Z");
  CHECK(reader.chunks.ends() == 1);
}

TEST_CASE("a log the server refuses ends with the server's error", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(400, statusBody(400, "BadRequest", "container step is waiting to start"));
  });
  auto client = makeClient(configFor(server), quickSettings());
  LogReader reader;

  reader.start(*client, {});
  auto error = apiErrorOf(reader.chunks.awaitEnd());

  CHECK(error.code() == 400);
  CHECK(std::string(error.what()) == "container step is waiting to start");
}

TEST_CASE("a log stream broken mid-body ends with a transport error", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    out.writeChunk("first\n");
    out.drop();
  });
  auto client = makeClient(configFor(server), quickSettings());
  LogReader reader;

  reader.start(*client, {});
  auto error = apiErrorOf(reader.chunks.awaitEnd());

  CHECK(error.code() == 0);
  CHECK(reader.text() == "first\n");
}

TEST_CASE("a silent log stream ends with a timeout instead of hanging", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    out.writeChunk("started\n");
    out.stall();
  });
  auto settings = quickSettings();
  settings.streamIdleTimeout = std::chrono::milliseconds(300);
  auto client = makeClient(configFor(server), settings);
  LogReader reader;

  reader.start(*client, {});
  auto error = apiErrorOf(reader.chunks.awaitEnd());

  CHECK(error.code() == 0);
  CHECK(error.reason() == "Timeout");
  CHECK(reader.text() == "started\n");
}

TEST_CASE("destroying a log stream cancels it and reports the end once", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.beginChunked(200);
    out.writeChunk("running\n");
    out.stall();
  });
  auto client = makeClient(configFor(server), quickSettings());
  LogReader reader;

  reader.start(*client, {});
  reader.chunks.awaitItems(1);
  reader.stream.reset();

  CHECK(reader.chunks.ends() == 1);
  CHECK(describeError(reader.chunks.awaitEnd()) == "none");
}
