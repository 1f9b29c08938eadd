// Every unary operation of the client against the fake API server over HTTPS.
#include <atomic>
#include <catch2/catch.hpp>

#include "kube/json_codec.h"
#include "test_client.h"

using namespace kube;
using namespace kube::test;

namespace {

const char* kPodJson =
    R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"step-1","namespace":"ci","resourceVersion":"7","uid":"u-1"},)"
    R"("spec":{"containers":[{"name":"step","image":"alpine"}]},"status":{"phase":"Pending"}})";

Pod samplePod() {
  Pod pod;
  pod.metadata.name = "step-1";
  pod.metadata.namespaceName = "ci";
  pod.metadata.labels["podrunner/stage"] = "42";
  Container container;
  container.name = "step";
  container.image = "alpine";
  pod.spec.containers.push_back(container);
  return pod;
}

}  // namespace

TEST_CASE("createPod posts the pod with the bearer token and returns the server's copy",
          "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(201, kPodJson); });
  auto client = makeClient(configFor(server), quickSettings());

  Pod created = client->createPod(samplePod());

  CHECK(created.metadata.uid == "u-1");
  CHECK(created.status.phase == "Pending");
  auto request = server.requests().at(0);
  CHECK(request.method == "POST");
  CHECK(request.path == "/api/v1/namespaces/ci/pods");
  CHECK(request.bearerToken() == "token-1");
  CHECK(request.headers["content-type"].find("application/json") == 0);
  CHECK(podFromJson(request.body).metadata.labels.at("podrunner/stage") == "42");
}

TEST_CASE("getPod of a missing pod throws NotFound with the server's message", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(404, statusBody(404, "NotFound", R"(pods \"step-9\" not found)"));
  });
  auto client = makeClient(configFor(server), quickSettings());

  try {
    client->getPod("ci", "step-9");
    FAIL("no error");
  } catch (const ApiError& e) {
    CHECK(e.isNotFound());
    CHECK(e.reason() == "NotFound");
    CHECK(std::string(e.what()) == "pods \"step-9\" not found");
  }
  CHECK(server.requests().at(0).path == "/api/v1/namespaces/ci/pods/step-9");
}

TEST_CASE("listPods selects by label and returns the list's resourceVersion", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(200,
                std::string(R"({"kind":"PodList","metadata":{"resourceVersion":"99"},"items":[)") +
                    kPodJson + "]}");
  });
  auto client = makeClient(configFor(server), quickSettings());

  std::string version;
  auto pods = client->listPods("ci", "podrunner/stage=42,app in (a,b)", &version);

  REQUIRE(pods.size() == 1);
  CHECK(pods[0].metadata.name == "step-1");
  CHECK(version == "99");
  auto request = server.requests().at(0);
  CHECK(request.path == "/api/v1/namespaces/ci/pods");
  CHECK(request.query["labelSelector"] == "podrunner/stage=42,app in (a,b)");
}

TEST_CASE("patchPod sends a JSON merge patch", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, kPodJson); });
  auto client = makeClient(configFor(server), quickSettings());

  client->patchPod("ci", "step-1", R"({"metadata":{"labels":{"done":"yes"}}})");

  auto request = server.requests().at(0);
  CHECK(request.method == "PATCH");
  CHECK(request.path == "/api/v1/namespaces/ci/pods/step-1");
  CHECK(request.headers["content-type"].find("application/merge-patch+json") == 0);
  CHECK(request.body == R"({"metadata":{"labels":{"done":"yes"}}})");
}

TEST_CASE("deletePod and deletePods send delete options with the grace period", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, "{}"); });
  auto client = makeClient(configFor(server), quickSettings());
  DeleteOptions options;
  options.gracePeriodSeconds = 0;

  client->deletePod("ci", "step-1", options);
  client->deletePods("ci", "podrunner/stage=42");

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "DELETE");
  CHECK(requests[0].path == "/api/v1/namespaces/ci/pods/step-1");
  CHECK(
      requests[0].body ==
      R"({"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0,"propagationPolicy":"Background"})");
  CHECK(requests[1].path == "/api/v1/namespaces/ci/pods");
  CHECK(requests[1].query["labelSelector"] == "podrunner/stage=42");
  CHECK(requests[1].body.find("gracePeriodSeconds") == std::string::npos);
}

TEST_CASE("serverVersion reads /version and is tried once, also on a 5xx", "[component]") {
  std::atomic<bool> healthy{true};
  FakeApiServer server([&](const FakeRequest&, ResponseWriter& out) {
    if (healthy) {
      out.respond(200,
                  R"({"major":"1","minor":"34","gitVersion":"v1.34.0","platform":"linux/arm64"})");
    } else {
      out.respond(503, statusBody(503, "ServiceUnavailable", "etcd is away"));
    }
  });
  auto client = makeClient(configFor(server), quickSettings());

  CHECK(client->serverVersion() == "v1.34.0");
  healthy = false;
  CHECK_THROWS_WITH(client->serverVersion(), "etcd is away");

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].method == "GET");
  CHECK(requests[0].path == "/version");
  CHECK(requests[0].bearerToken() == "token-1");
}

TEST_CASE("a delete by label returns the names the server lists as deleted", "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    if (request.path == "/api/v1/namespaces/ci/pods") {
      out.respond(
          200,
          R"({"kind":"PodList","items":[{"metadata":{"name":"a"}},{"metadata":{"name":"b"}}]})");
    } else if (request.path == "/api/v1/namespaces/ci/secrets") {
      out.respond(200, R"({"kind":"SecretList","items":[{"metadata":{"name":"s"},"data":{}}]})");
    } else {
      out.respond(200, "");  // an answer that lists nothing: still deleted
    }
  });
  auto client = makeClient(configFor(server), quickSettings());

  CHECK(client->deletePods("ci", "x=1") == std::vector<std::string>{"a", "b"});
  CHECK(client->deleteSecrets("ci", "x=1") == std::vector<std::string>{"s"});
  CHECK(client->deleteClaims("ci", "x=1").empty());
  CHECK(server.requests().size() == 3);
}

TEST_CASE("Secrets are created with base64 data and deleted one by one or by label",
          "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    if (request.method == "POST") {
      out.respond(
          201,
          R"({"kind":"Secret","metadata":{"name":"s","namespace":"ci"},"type":"Opaque","data":{"password":"c2VjcmV0"}})");
    } else {
      out.respond(200, "{}");
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Secret secret;
  secret.metadata.name = "s";
  secret.metadata.namespaceName = "ci";
  secret.data["password"] = "secret";

  Secret created = client->createSecret(secret);
  client->deleteSecret("ci", "s");
  client->deleteSecrets("ci", "podrunner/stage=42");

  CHECK(created.data.at("password") == "secret");
  auto requests = server.requests();
  CHECK(requests[0].path == "/api/v1/namespaces/ci/secrets");
  CHECK(requests[0].body.find(R"("password":"c2VjcmV0")") != std::string::npos);
  CHECK(requests[1].method == "DELETE");
  CHECK(requests[1].path == "/api/v1/namespaces/ci/secrets/s");
  CHECK(requests[2].path == "/api/v1/namespaces/ci/secrets");
  CHECK(requests[2].query["labelSelector"] == "podrunner/stage=42");
}

TEST_CASE("a create that already exists throws AlreadyExists and is not retried", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(409, statusBody(409, "AlreadyExists", "secrets s already exists"));
  });
  auto client = makeClient(configFor(server), quickSettings());
  Secret secret;
  secret.metadata.name = "s";
  secret.metadata.namespaceName = "ci";

  try {
    client->createSecret(secret);
    FAIL("no error");
  } catch (const ApiError& e) {
    CHECK(e.isAlreadyExists());
    CHECK_FALSE(e.isConflict());
  }
  CHECK(server.requests().size() == 1);
}

TEST_CASE("PersistentVolumeClaims are created, read and deleted", "[component]") {
  const char* claimJson =
      R"({"kind":"PersistentVolumeClaim","metadata":{"name":"ws","namespace":"ci"},)"
      R"("spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"local-path","resources":{"requests":{"storage":"1Gi"}}},)"
      R"("status":{"phase":"Bound"}})";
  FakeApiServer server([&](const FakeRequest& request, ResponseWriter& out) {
    out.respond(request.method == "DELETE" ? 200 : 201,
                request.method == "DELETE" ? "{}" : claimJson);
  });
  auto client = makeClient(configFor(server), quickSettings());
  PersistentVolumeClaim claim;
  claim.metadata.name = "ws";
  claim.metadata.namespaceName = "ci";
  claim.accessModes = {"ReadWriteOnce"};
  claim.storageBytes = std::int64_t{1} << 30;

  client->createClaim(claim);
  auto read = client->getClaim("ci", "ws");
  client->deleteClaim("ci", "ws");
  client->deleteClaims("ci", "podrunner/stage=42");

  CHECK(read.phase == "Bound");
  CHECK(read.storageBytes == std::int64_t{1} << 30);
  CHECK(read.storageClassName == std::optional<std::string>("local-path"));
  auto requests = server.requests();
  CHECK(requests[0].path == "/api/v1/namespaces/ci/persistentvolumeclaims");
  CHECK(requests[0].body.find(R"("storage":"1Gi")") != std::string::npos);
  CHECK(requests[1].path == "/api/v1/namespaces/ci/persistentvolumeclaims/ws");
  CHECK(requests[2].method == "DELETE");
  CHECK(requests[3].query["labelSelector"] == "podrunner/stage=42");
}

TEST_CASE("Services are created and deleted one by one or by label", "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    if (request.method == "POST") {
      out.respond(
          201,
          R"({"kind":"Service","metadata":{"name":"db","namespace":"ci"},"spec":{"clusterIP":"None","ports":[{"port":5432,"targetPort":5432}]}})");
    } else if (request.method == "GET") {
      out.respond(
          200,
          R"({"kind":"ServiceList","items":[{"metadata":{"name":"db"}},{"metadata":{"name":"cache"}}]})");
    } else {
      out.respond(request.path.find("cache") != std::string::npos ? 404 : 200,
                  statusBody(404, "NotFound", "gone already"));
    }
  });
  auto client = makeClient(configFor(server), quickSettings());
  Service service;
  service.metadata.name = "db";
  service.metadata.namespaceName = "ci";
  service.clusterIP = "None";
  service.ports.push_back({"", 5432, 5432});

  auto created = client->createService(service);
  client->deleteService("ci", "db");
  client->deleteServices("ci", "podrunner/stage=42");

  CHECK(created.clusterIP == "None");
  auto requests = server.requests();
  REQUIRE(requests.size() == 5);
  CHECK(requests[0].path == "/api/v1/namespaces/ci/services");
  CHECK(requests[1].path == "/api/v1/namespaces/ci/services/db");
  CHECK(requests[2].query["labelSelector"] == "podrunner/stage=42");
  CHECK(requests[3].path == "/api/v1/namespaces/ci/services/db");
  CHECK(requests[4].path == "/api/v1/namespaces/ci/services/cache");
}

TEST_CASE("Namespaces are created and deleted", "[component]") {
  FakeApiServer server([](const FakeRequest& request, ResponseWriter& out) {
    out.respond(
        request.method == "POST" ? 201 : 200,
        R"({"kind":"Namespace","metadata":{"name":"build-7"},"status":{"phase":"Active"}})");
  });
  auto client = makeClient(configFor(server), quickSettings());
  Namespace ns;
  ns.metadata.name = "build-7";

  auto created = client->createNamespace(ns);
  client->deleteNamespace("build-7");

  CHECK(created.phase == "Active");
  auto requests = server.requests();
  CHECK(requests[0].path == "/api/v1/namespaces");
  CHECK(requests[1].method == "DELETE");
  CHECK(requests[1].path == "/api/v1/namespaces/build-7");
}

TEST_CASE("listEvents selects the object's events by field and sorts them oldest first",
          "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) {
    out.respond(
        200,
        R"({"kind":"EventList","items":[)"
        R"({"type":"Warning","reason":"Failed","message":"pull failed","count":2,"lastTimestamp":"2026-01-01T00:00:09Z","involvedObject":{"kind":"Pod","name":"step-1"}},)"
        R"({"type":"Normal","reason":"Scheduled","message":"assigned","lastTimestamp":"2026-01-01T00:00:01Z","involvedObject":{"kind":"Pod","name":"step-1"}}]})");
  });
  auto client = makeClient(configFor(server), quickSettings());

  auto events = client->listEvents("ci", "Pod", "step-1");

  REQUIRE(events.size() == 2);
  CHECK(events[0].reason == "Scheduled");
  CHECK(events[1].reason == "Failed");
  CHECK(events[1].count == 2);
  auto request = server.requests().at(0);
  CHECK(request.path == "/api/v1/namespaces/ci/events");
  CHECK(request.query["fieldSelector"] == "involvedObject.kind=Pod,involvedObject.name=step-1");
}

TEST_CASE("identity names the server, the user and the namespace", "[component]") {
  FakeApiServer server([](const FakeRequest&, ResponseWriter& out) { out.respond(200, "{}"); });
  auto client = makeClient(configFor(server), quickSettings());

  auto identity = client->identity();

  CHECK(identity.server == server.url());
  CHECK(identity.user == "tester");
  CHECK(identity.namespaceName == "ci");
}
