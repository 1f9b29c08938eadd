// `podrunner daemon` as deployed, with its composition root: the binary runs against a
// fake Drone server and the fake Kubernetes API server (through a kubeconfig) and shows
// its start-up sweep, /readyz and the API requests in /metrics.
#include <cpprest/http_client.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "fakes/fake_drone_server.h"
#include "test_client.h"

using namespace podrunner::testing;
using Catch::Matchers::Contains;

namespace {

// The runner's Kubernetes API: /version, one orphan pod of runner-1 in namespace ci, and
// collection deletes that answer with what they deleted.
class ClusterOfOneOrphan {
 public:
  ClusterOfOneOrphan()
      : server_([this](const kube::test::FakeRequest& request, kube::test::ResponseWriter& out) {
          std::lock_guard lock(mutex_);
          if (request.path == "/version") return out.respond(200, R"({"gitVersion":"v1.34.0"})");
          const bool pods = request.path == "/api/v1/namespaces/ci/pods";
          const bool orphan = pods && !podDeleted_;
          if (pods && request.method == "DELETE") podDeleted_ = true;
          out.respond(
              200, orphan ? R"({"kind":"PodList","metadata":{"resourceVersion":"3"},"items":[)"
                            R"({"metadata":{"name":"drone-1-1-build-abc123","namespace":"ci"}}]})"
                          : R"({"kind":"List","metadata":{"resourceVersion":"3"},"items":[]})");
        }) {}

  std::string kubeconfig() const {
    return "apiVersion: v1\nkind: Config\ncurrent-context: fake\n"
           "clusters:\n- name: fake\n  cluster:\n    server: " +
           server_.url() + "\n    certificate-authority: " + kube::test::testCertificates().caFile +
           "\nusers:\n- name: tester\n  user:\n    token: token-1\n"
           "contexts:\n- name: fake\n  context: {cluster: fake, user: tester, namespace: ci}\n";
  }

  // "METHOD path?labelSelector" of each request so far.
  std::vector<std::string> requests() const {
    std::vector<std::string> out;
    for (const auto& r : server_.requests()) {
      const auto selector = r.query.find("labelSelector");
      out.push_back(r.method + " " + r.path +
                    (selector == r.query.end() ? "" : "?" + selector->second));
    }
    return out;
  }

 private:
  std::mutex mutex_;
  bool podDeleted_ = false;
  kube::test::FakeApiServer server_;
};

// The podrunner binary, started with an environment of its own (nothing inherited but
// the sanitizers' options, as scripts/test sets them) and its output in a file; stopped
// with SIGTERM.
class DaemonProcess {
 public:
  DaemonProcess(const std::vector<std::string>& environment, const std::string& logFile) {
    std::vector<std::string> args = {PODRUNNER_BINARY, "daemon"};
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = environment;
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
      if (const char* value = std::getenv(name)) env.push_back(std::string(name) + "=" + value);
    }
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 1, logFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    posix_spawn_file_actions_adddup2(&files, 1, 2);
    const int failed = posix_spawn(&pid_, argv[0], &files, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&files);
    REQUIRE(failed == 0);
  }
  ~DaemonProcess() {
    if (pid_ > 0) stop();
  }

  // SIGTERM, then the exit status (-1 when it did not exit by itself).
  int stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = 0;
};

// Polls `condition` every 20 ms for up to 30 s.
template <typename Fn>
bool eventually(Fn condition) {
  for (int i = 0; i < 1500; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

TEST_CASE(
    "podrunner daemon sweeps its orphans before polling, checks the cluster on readyz "
    "and counts API requests in metrics",
    "[component]") {
  FakeDroneServer drone{FakeDroneServer::Options{}};
  ClusterOfOneOrphan cluster;
  const std::string dir = kube::test::makeTempDir();
  kube::test::writeFile(dir + "/kubeconfig", cluster.kubeconfig());
  const int port = freeLoopbackPort();
  DaemonProcess daemon(
      {"PATH=/usr/bin:/bin", "DRONE_RPC_HOST=" + drone.address().substr(7),
       "DRONE_RPC_SECRET=s3cr3t", "DRONE_RUNNER_NAME=runner-1", "DRONE_NAMESPACE_DEFAULT=ci",
       "DRONE_KUBERNETES_CONFIG=" + dir + "/kubeconfig",
       "DRONE_SERVER_PORT=127.0.0.1:" + std::to_string(port)},
      dir + "/daemon.log");
  const auto log = [&] { return kube::test::readFile(dir + "/daemon.log"); };

  const bool polled = eventually([&] { return !drone.calls("request").empty(); });
  INFO(log());
  REQUIRE(polled);
  // All of the sweep came before the first poll.
  CHECK(cluster.requests() ==
        std::vector<std::string>{
            "GET /api/v1/namespaces/ci/pods?io.drone.runner=runner-1",
            "DELETE /api/v1/namespaces/ci/pods?io.drone.runner=runner-1",
            "DELETE /api/v1/namespaces/ci/persistentvolumeclaims?io.drone.runner=runner-1",
            "DELETE /api/v1/namespaces/ci/secrets?io.drone.runner=runner-1"});

  web::http::client::http_client http("http://127.0.0.1:" + std::to_string(port));
  const auto get = [&](const std::string& path) {
    auto response = http.request("GET", path).get();
    return std::make_pair(int(response.status_code()), response.extract_utf8string(true).get());
  };
  CHECK(get("/readyz") == std::make_pair(200, std::string("ready\n")));
  CHECK(cluster.requests().back() == "GET /version");
  const auto metrics = get("/metrics").second;
  CHECK_THAT(metrics, Contains(R"(podrunner_kube_requests_total{verb="list",code="200"} 1)"));
  CHECK_THAT(metrics,
             Contains(R"(podrunner_kube_requests_total{verb="deletecollection",code="200"} 3)"));
  CHECK_THAT(metrics, Contains(R"(podrunner_kube_requests_total{verb="get",code="200"} 1)"));

  const int status = daemon.stop();
  INFO(log());
  CHECK(status == 0);
  CHECK_THAT(log(),
             Contains(R"(msg="deleted orphan" namespace=ci kind=Pod name=drone-1-1-build-abc123)"));
  std::filesystem::remove_all(dir);
}
