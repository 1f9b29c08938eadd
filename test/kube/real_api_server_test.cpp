// kube/ alone against the real kube-apiserver of the end-to-end environment (run by
// test/e2e/kube_api.sh inside it, with KUBECONFIG set): every operation the engine uses,
// the errors it acts on, a watch from a list's resourceVersion, and (tag [kubelet], tier B
// only) a log followed to its end and resumed with sinceTime.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kube/error.h"
#include "kube/factory.h"

namespace {

using namespace std::chrono_literals;

std::unique_ptr<kube::Client> realClient() {
  const char* path = std::getenv("KUBECONFIG");
  if (path == nullptr || *path == '\0')
    FAIL("KUBECONFIG is not set: run this through test/e2e/kube_api.sh");
  kube::ClientSettings settings;
  settings.configPath = path;
  settings.qps = 50;
  settings.burst = 100;
  return kube::makeClient(settings);
}

template <typename Predicate>
bool eventually(Predicate done, std::chrono::seconds timeout = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(250ms);
  }
  return done();
}

// The error a call throws, or nullopt when it succeeds.
template <typename Call>
std::optional<kube::ApiError> errorOf(Call call) {
  try {
    call();
  } catch (const kube::ApiError& e) {
    return e;
  }
  return std::nullopt;
}

// A namespace of its own for each test case, deleted at the end.
class ScratchNamespace {
 public:
  ScratchNamespace(kube::Client& client, const std::string& purpose) : client_(client) {
    static int counter = 0;
    name_ =
        "kube-e2e-" + purpose + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    kube::Namespace ns;
    ns.metadata.name = name_;
    client_.createNamespace(ns);
  }
  ~ScratchNamespace() {
    try {
      client_.deleteNamespace(name_);
    } catch (const std::exception&) {
    }
  }
  const std::string& name() const { return name_; }

 private:
  kube::Client& client_;
  std::string name_;
};

kube::Pod busyboxPod(const std::string& ns, const std::string& name, const std::string& script,
                     const kube::StringMap& labels) {
  kube::Pod pod;
  pod.metadata.name = name;
  pod.metadata.namespaceName = ns;
  pod.metadata.labels = labels;
  kube::Container c;
  c.name = "main";
  c.image = "podrunner-e2e/busybox:1";
  c.imagePullPolicy = "IfNotPresent";
  c.command = {"/bin/sh", "-c", script};
  pod.spec.containers.push_back(c);
  pod.spec.automountServiceAccountToken = false;
  pod.spec.terminationGracePeriodSeconds = 1;
  return pod;
}

// A new namespace gets its default ServiceAccount a moment after it exists; pods are
// refused until then.
kube::Pod createPodWhenAdmitted(kube::Client& client, const kube::Pod& pod) {
  for (int attempt = 0;; ++attempt) {
    try {
      return client.createPod(pod);
    } catch (const kube::ApiError& e) {
      const bool noAccountYet = std::string(e.what()).find("serviceaccount") != std::string::npos;
      if (!noAccountYet || attempt > 120) throw;
      std::this_thread::sleep_for(250ms);
    }
  }
}

struct RecordedWatch {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<kube::WatchEvent> events;
  bool closed = false;

  bool waitFor(const std::function<bool(const kube::WatchEvent&)>& match) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, 60s, [&] {
      for (const auto& e : events)
        if (match(e)) return true;
      return false;
    });
  }
};

}  // namespace

TEST_CASE("the client says which server it talks to", "[e2e]") {
  auto client = realClient();
  const auto who = client->identity();
  CHECK(who.server.rfind("https://", 0) == 0);
  CHECK_FALSE(who.user.empty());
}

TEST_CASE("secrets: create, AlreadyExists, delete by name and by label", "[e2e]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "secrets");
  kube::Secret secret;
  secret.metadata.name = "stage";
  secret.metadata.namespaceName = ns.name();
  secret.metadata.labels = {{"io.example/stage", "one"}};
  secret.data = {{"token", std::string("bin\0ary\n", 8)}};
  const auto created = client->createSecret(secret);
  CHECK_FALSE(created.metadata.uid.empty());
  CHECK(created.data.at("token") == std::string("bin\0ary\n", 8));

  const auto again = errorOf([&] { client->createSecret(secret); });
  REQUIRE(again);
  CHECK(again->isAlreadyExists());
  CHECK(again->reason() == "AlreadyExists");

  secret.metadata.name = "other";
  client->createSecret(secret);
  client->deleteSecret(ns.name(), "stage");
  const auto gone = errorOf([&] { client->deleteSecret(ns.name(), "stage"); });
  REQUIRE(gone);
  CHECK(gone->isNotFound());

  client->deleteSecrets(ns.name(), "io.example/stage=one");
  const auto collected = errorOf([&] { client->deleteSecret(ns.name(), "other"); });
  REQUIRE(collected);
  CHECK(collected->isNotFound());
}

TEST_CASE("claims and services: create, get, delete by label", "[e2e]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "storage");
  kube::PersistentVolumeClaim claim;
  claim.metadata.name = "workspace";
  claim.metadata.namespaceName = ns.name();
  claim.metadata.labels = {{"io.example/stage", "one"}};
  claim.accessModes = {"ReadWriteOnce"};
  claim.storageBytes = 16 * 1024 * 1024;
  client->createClaim(claim);
  const auto read = client->getClaim(ns.name(), "workspace");
  CHECK(read.storageBytes == 16 * 1024 * 1024);
  CHECK(read.accessModes == std::vector<std::string>{"ReadWriteOnce"});

  kube::Service service;
  service.metadata.name = "cache";
  service.metadata.namespaceName = ns.name();
  service.metadata.labels = {{"io.example/stage", "one"}};
  service.selector = {{"app", "cache"}};
  service.ports = {{"redis", 6379, 6379}};
  const auto created = client->createService(service);
  CHECK_FALSE(created.clusterIP.empty());
  CHECK(created.clusterIP != "None");

  client->deleteClaims(ns.name(), "io.example/stage=one");
  client->deleteServices(ns.name(), "io.example/stage=one");
  // The claim's protection finalizer goes once the controller sees no pod uses it.
  CHECK(eventually([&] {
    const auto e = errorOf([&] { client->getClaim(ns.name(), "workspace"); });
    return e && e->isNotFound();
  }));
  const auto noService = errorOf([&] { client->deleteService(ns.name(), "cache"); });
  REQUIRE(noService);
  CHECK(noService->isNotFound());
}

TEST_CASE("errors carry the server's code, reason and message", "[e2e]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "errors");
  const auto missing = errorOf([&] { client->getPod(ns.name(), "absent"); });
  REQUIRE(missing);
  CHECK(missing->isNotFound());
  CHECK(missing->reason() == "NotFound");
  CHECK(std::string(missing->what()).find("absent") != std::string::npos);

  const auto invalid =
      errorOf([&] { client->createPod(busyboxPod(ns.name(), "Not_A_DNS_Name", "true", {})); });
  REQUIRE(invalid);
  CHECK(invalid->code() == 422);
  CHECK(invalid->reason() == "Invalid");
  CHECK(std::string(invalid->what()).find("Not_A_DNS_Name") != std::string::npos);
}

TEST_CASE("pods: a watch from a list's resourceVersion sees each change once, in order", "[e2e]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "watch");
  const kube::StringMap labels = {{"io.example/stage", "watched"}};
  createPodWhenAdmitted(*client, busyboxPod(ns.name(), "first", "sleep 300", labels));
  std::string listedAt;
  const auto listed = client->listPods(ns.name(), "io.example/stage=watched", &listedAt);
  REQUIRE(listed.size() == 1);
  REQUIRE_FALSE(listedAt.empty());

  RecordedWatch recorded;
  auto stream = client->watchPods(
      ns.name(), "io.example/stage=watched", listedAt,
      [&](const kube::WatchEvent& event) {
        std::lock_guard<std::mutex> lock(recorded.mutex);
        recorded.events.push_back(event);
        recorded.changed.notify_all();
      },
      [&](std::exception_ptr) {
        std::lock_guard<std::mutex> lock(recorded.mutex);
        recorded.closed = true;
        recorded.changed.notify_all();
      });

  client->patchPod(ns.name(), "first", R"({"metadata":{"annotations":{"e2e":"patched"}}})");
  CHECK(recorded.waitFor([](const kube::WatchEvent& e) {
    return e.type == kube::WatchEvent::Type::Modified && e.pod.metadata.name == "first" &&
           e.pod.metadata.annotations.count("e2e") == 1;
  }));
  createPodWhenAdmitted(*client, busyboxPod(ns.name(), "second", "sleep 300", labels));
  CHECK(recorded.waitFor([](const kube::WatchEvent& e) {
    return e.type == kube::WatchEvent::Type::Added && e.pod.metadata.name == "second";
  }));
  kube::DeleteOptions now;
  now.gracePeriodSeconds = 0;
  client->deletePods(ns.name(), "io.example/stage=watched", now);
  for (const auto* name : {"first", "second"}) {
    CHECK(recorded.waitFor([name](const kube::WatchEvent& e) {
      return e.type == kube::WatchEvent::Type::Deleted && e.pod.metadata.name == name;
    }));
  }
  stream.reset();

  std::lock_guard<std::mutex> lock(recorded.mutex);
  CHECK(recorded.closed);
  std::set<std::string> versions;
  long long previous = std::stoll(listedAt);
  for (const auto& e : recorded.events) {
    INFO("event of " << e.pod.metadata.name << " at " << e.pod.metadata.resourceVersion);
    CHECK(versions.insert(e.pod.metadata.resourceVersion).second);
    const long long version = std::stoll(e.pod.metadata.resourceVersion);
    CHECK(version > previous);
    previous = version;
  }
  CHECK(client->listPods(ns.name(), "io.example/stage=watched").empty());
}

TEST_CASE("events of one pod, from the scheduler", "[e2e]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "events");
  createPodWhenAdmitted(*client, busyboxPod(ns.name(), "scheduled", "sleep 300", {}));
  CHECK(eventually([&] {
    for (const auto& e : client->listEvents(ns.name(), "Pod", "scheduled"))
      if (e.reason == "Scheduled" && e.involvedName == "scheduled") return true;
    return false;
  }));
}

TEST_CASE("a log followed to its end, then resumed with sinceTime", "[e2e][kubelet]") {
  auto client = realClient();
  ScratchNamespace ns(*client, "logs");
  createPodWhenAdmitted(
      *client, busyboxPod(ns.name(), "printer",
                          "seq 1 2000 | sed 's/^/line /'; sleep 2; echo after-the-pause", {}));

  const auto follow = [&](const kube::LogOptions& options) {
    std::mutex mutex;
    std::condition_variable ended;
    std::string text;
    bool done = false;
    std::exception_ptr failure;
    auto stream = client->followLog(
        ns.name(), "printer", options,
        [&](std::string_view chunk) {
          std::lock_guard<std::mutex> lock(mutex);
          text.append(chunk);
        },
        [&](std::exception_ptr error) {
          std::lock_guard<std::mutex> lock(mutex);
          failure = error;
          done = true;
          ended.notify_all();
        });
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(ended.wait_for(lock, 120s, [&] { return done; }));
    if (failure) std::rethrow_exception(failure);
    return text;
  };

  REQUIRE(eventually([&] {
    const auto pod = client->getPod(ns.name(), "printer");
    return pod.status.phase != "Pending";
  }));
  kube::LogOptions fromStart;
  fromStart.timestamps = true;
  const std::string all = follow(fromStart);
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < all.size();) {
    const auto end = all.find('\n', at);
    lines.push_back(all.substr(at, end - at));
    at = end == std::string::npos ? all.size() : end + 1;
  }
  REQUIRE(lines.size() == 2001);
  CHECK(lines[0].substr(lines[0].find(' ') + 1) == "line 1");
  CHECK(lines[1999].substr(lines[1999].find(' ') + 1) == "line 2000");
  const std::string lastStamp = lines[2000].substr(0, lines[2000].find(' '));
  CHECK(lines[2000].substr(lastStamp.size() + 1) == "after-the-pause");

  // sinceTime has whole seconds: from the last line's second, the lines two seconds
  // earlier are not sent again.
  kube::LogOptions resumed;
  resumed.sinceTime = lastStamp.substr(0, 19) + "Z";
  const std::string tail = follow(resumed);
  CHECK(tail == "after-the-pause\n");
}
