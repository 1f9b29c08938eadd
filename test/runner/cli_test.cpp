#include <catch2/catch.hpp>
#include <string>

#include "command_run.h"

// These run the real binary, as a user would.
using Catch::Matchers::Contains;

namespace {

using Run = CommandRun;

Run run(const std::string& arguments) { return runCommand(arguments); }

const std::string kBinary = PODRUNNER_BINARY;

}  // namespace

TEST_CASE("podrunner version prints the version and the commit", "[cli]") {
  const Run r = run(kBinary + " version");
  CHECK(r.status == 0);
  CHECK_THAT(r.output, Contains("podrunner 0.1.0 (commit "));
}

TEST_CASE("each sub-command's --help lists its settings with DRONE_* names", "[cli]") {
  const Run daemon = run(kBinary + " daemon --help");
  CHECK(daemon.status == 0);
  CHECK_THAT(daemon.output, Contains("--rpc-host") && Contains("[DRONE_RPC_HOST]"));
  CHECK_THAT(daemon.output, Contains("[DRONE_RUNNER_CAPACITY] (default: 100)"));
  const Run exec = run(kBinary + " exec --help");
  CHECK(exec.status == 0);
  CHECK_THAT(exec.output, Contains("[DRONE_NAMESPACE_DEFAULT]"));
  CHECK_THAT(exec.output, !Contains("[DRONE_RPC_HOST]"));
  for (const char* command : {"compile", "lint", "version"}) {
    CHECK(run(kBinary + " " + command + " --help").status == 0);
  }
  const Run top = run(kBinary + " --help");
  CHECK(top.status == 0);
  CHECK_THAT(top.output, Contains("daemon") && Contains("exec") && Contains("lint"));
}

TEST_CASE("a malformed setting stops the program at start", "[cli]") {
  const Run r = run("DRONE_RUNNER_CAPACITY=abc " + kBinary + " daemon");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("DRONE_RUNNER_CAPACITY='abc'") && Contains("whole number"));
  const Run proto = run("DRONE_RPC_PROTO=ftp " + kBinary + " daemon");
  CHECK(proto.status == 2);
  CHECK_THAT(proto.output, Contains("DRONE_RPC_PROTO='ftp'"));
  const Run flag = run(kBinary + " daemon --resource-request-memory=lots");
  CHECK(flag.status == 2);
  CHECK_THAT(flag.output, Contains("--resource-request-memory='lots'"));
}

TEST_CASE("the daemon requires the server's address and secret", "[cli]") {
  const Run r = run(kBinary + " daemon");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("DRONE_RPC_HOST is required"));
  CHECK_THAT(r.output, Contains("DRONE_RPC_SECRET is required"));
}

TEST_CASE("the daemon without a usable Kubernetes configuration exits 2 with the reason", "[cli]") {
  const Run r =
      run("DRONE_RPC_HOST=127.0.0.1:1 DRONE_RPC_SECRET=s DRONE_SERVER_PORT= "
          "DRONE_KUBERNETES_CONFIG=/nonexistent/kubeconfig " +
          kBinary + " daemon");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("podrunner daemon: no Kubernetes configuration:") &&
                           Contains("/nonexistent/kubeconfig"));
}

TEST_CASE("unsupported drone-runner-kube settings are refused, not ignored", "[cli]") {
  const Run r =
      run("DRONE_RPC_HOST=h DRONE_RPC_SECRET=s DRONE_TMATE_ENABLED=true " + kBinary + " daemon");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("DRONE_TMATE_ENABLED=true is not supported"));
}

TEST_CASE("an unknown command or flag is a usage error", "[cli]") {
  CHECK(run(kBinary + " frobnicate").status == 2);
  const Run r = run(kBinary + " version --no-such-flag");
  CHECK(r.status == 2);
  CHECK_THAT(r.output, Contains("no-such-flag"));
}
