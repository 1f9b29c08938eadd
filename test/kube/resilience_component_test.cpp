// TLS, authentication, token rotation, retries and timeouts against the fake API server.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "test_client.h"

using namespace kube;
using namespace kube::test;

namespace {

const char* kPod = R"({"kind":"Pod","metadata":{"name":"p","namespace":"ci"}})";

ApiError errorOfGet(Client& client) {
  try {
    client.getPod("ci", "p");
  } catch (const ApiError& e) {
    return e;
  }
  throw std::logic_error("getPod did not fail");
}

}  // namespace

TEST_CASE("a client certificate held in memory authenticates the client", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPod); },
                       /*requestClientCertificate=*/true);
  auto config = configFor(server, "");
  config.clientCertificatePem = testCertificates().clientCertPem;
  config.clientKeyPem = testCertificates().clientKeyPem;
  auto client = makeClient(config, quickSettings());

  client->getPod("ci", "p");

  auto request = server.requests().at(0);
  CHECK(request.clientCommonName == "podrunner-test");
  CHECK(request.bearerToken().empty());
}

TEST_CASE("a server whose certificate the configured CA did not sign is refused", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPod); });
  auto config = configFor(server);
  config.caPem = testCertificates().otherCaPem;
  auto settings = quickSettings();
  settings.maxAttempts = 1;
  auto client = makeClient(config, settings);

  CHECK(errorOfGet(*client).code() == 0);
  CHECK(server.requests().empty());
}

TEST_CASE("insecure-skip-tls-verify accepts any server certificate", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPod); });
  auto config = configFor(server);
  config.caPem = testCertificates().otherCaPem;
  config.insecureSkipTlsVerify = true;
  auto client = makeClient(config, quickSettings());

  CHECK(client->getPod("ci", "p").metadata.name == "p");
}

TEST_CASE("tls-server-name is the name the server certificate must carry", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPod); });
  auto settings = quickSettings();
  settings.maxAttempts = 1;
  auto config = configFor(server);
  config.tlsServerName = "kube.test";
  CHECK(makeClient(config, settings)->getPod("ci", "p").metadata.name == "p");

  config.tlsServerName = "elsewhere.test";
  CHECK(errorOfGet(*makeClient(config, settings)).code() == 0);
}

TEST_CASE("a rewritten token file is used by the next request", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPod); });
  std::string dir = makeTempDir();
  writeFile(dir + "/token", "first\n");
  auto config = configFor(server, "");
  config.tokenFile = dir + "/token";
  auto client = makeClient(config, quickSettings());

  client->getPod("ci", "p");
  writeFile(dir + "/token", "second\n");
  std::filesystem::last_write_time(
      dir + "/token", std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
  client->getPod("ci", "p");

  auto requests = server.requests();
  CHECK(requests.at(0).bearerToken() == "first");
  CHECK(requests.at(1).bearerToken() == "second");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a 401 re-reads the token file and retries once", "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    if (request.bearerToken() == "rotated") {
      out.respond(200, kPod);
    } else {
      out.respond(401, statusBody(401, "Unauthorized", "Unauthorized"));
    }
  });
  std::string dir = makeTempDir();
  std::string file = dir + "/token";
  writeFile(file, "expired");
  auto config = configFor(server, "");
  config.tokenFile = file;
  auto client = makeClient(config, quickSettings());
  // The kubelet rotated the token without the client noticing the file change.
  auto modified = std::filesystem::last_write_time(file);
  writeFile(file, "rotated");
  std::filesystem::last_write_time(file, modified);

  client->getPod("ci", "p");

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].bearerToken() == "expired");
  CHECK(requests[1].bearerToken() == "rotated");
  std::filesystem::remove_all(dir);
}

TEST_CASE("a 401 with a static token is not retried", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(401, statusBody(401, "Unauthorized", "Unauthorized"));
  });
  auto client = makeClient(configFor(server), quickSettings());

  CHECK(errorOfGet(*client).isUnauthorized());
  CHECK(server.requests().size() == 1);
}

TEST_CASE("429 is retried after the Retry-After the server asks for", "[component]") {
  std::atomic<int> calls{0};
  std::vector<std::chrono::steady_clock::time_point> arrivals(2);
  FakeApiServer server([&](const FakeRequest&, ResponseWriter& out) {
    int call = calls++;
    if (call < 2) arrivals[static_cast<std::size_t>(call)] = std::chrono::steady_clock::now();
    if (call == 0) {
      out.respond(429, statusBody(429, "TooManyRequests", "slow down"), {{"Retry-After", "1"}});
    } else {
      out.respond(200, kPod);
    }
  });
  auto client = makeClient(configFor(server), quickSettings());

  client->getPod("ci", "p");

  CHECK(server.requests().size() == 2);
  CHECK(arrivals[1] - arrivals[0] >= std::chrono::milliseconds(1000));
}

TEST_CASE("5xx answers to idempotent calls are retried with backoff", "[component]") {
  std::atomic<int> calls{0};
  FakeApiServer server([&](const FakeRequest&, ResponseWriter& out) {
    if (calls++ < 2) {
      out.respond(503, statusBody(503, "ServiceUnavailable", "busy"));
    } else {
      out.respond(200, kPod);
    }
  });
  auto client = makeClient(configFor(server), quickSettings());

  CHECK(client->getPod("ci", "p").metadata.name == "p");
  CHECK(server.requests().size() == 3);
}

TEST_CASE("a create answered with 5xx is not sent again", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(500, statusBody(500, "InternalError", "etcd timeout"));
  });
  auto client = makeClient(configFor(server), quickSettings());
  Pod pod;
  pod.metadata.name = "p";
  pod.metadata.namespaceName = "ci";

  CHECK_THROWS_AS(client->createPod(pod), ApiError);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("retries stop after the last attempt with the server's error", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(503, statusBody(503, "ServiceUnavailable", "still busy"));
  });
  auto settings = quickSettings();
  settings.maxAttempts = 3;
  auto client = makeClient(configFor(server), settings);

  auto error = errorOfGet(*client);

  CHECK(error.code() == 503);
  CHECK(std::string(error.what()) == "still busy");
  CHECK(server.requests().size() == 3);
}

TEST_CASE("a stalled server fails the call with a timeout", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.stall(); });
  auto settings = quickSettings();
  settings.requestTimeout = std::chrono::milliseconds(300);
  settings.maxAttempts = 1;
  auto client = makeClient(configFor(server), settings);

  auto error = errorOfGet(*client);

  CHECK(error.code() == 0);
  CHECK(error.reason() == "Timeout");
}
