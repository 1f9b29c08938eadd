#include <catch2/catch.hpp>
#include <sstream>

#include "engine/fake_kube_client.h"
#include "runner/exec/exec.h"

using namespace podrunner;
using podrunner::testing::echoStep;
using podrunner::testing::FakeKubeClient;
using podrunner::testing::prints;

namespace {

struct Exec {
  std::optional<pipeline::Plan> plan;
  pipeline::CompileResult compiled;
  bool connected = false;
  std::ostringstream out, err;
  Cancellation cancellation;

  int run() {
    ExecRequest request;
    request.file = ".drone.yml";
    request.text = "kind: pipeline\n";
    request.context.build.number = 8;
    request.context.repo.slug = "octo/app";
    ExecDependencies dependencies;
    dependencies.compile = [this](const pipeline::CompileRequest&) {
      auto result = compiled;
      result.plan = plan;
      return result;
    };
    dependencies.connect = [this](const Config&) -> std::unique_ptr<kube::Client> {
      connected = true;
      auto client = std::make_unique<FakeKubeClient>();
      client->onImage("hello",
                      [](const kube::Pod&, FakeKubeClient&) { return prints({"hello world"}); });
      client->onImage(
          "fails", [](const kube::Pod&, FakeKubeClient&) { return prints({"tests failed"}, 3); });
      return client;
    };
    return runExec(request, dependencies, cancellation, out, err);
  }
};

}  // namespace

TEST_CASE("exec prints each step's log under its name, a summary, and exits 0 on success",
          "[component]") {
  Exec e;
  e.plan = pipeline::Plan{};
  e.plan->pipelineName = "default";
  e.plan->steps = {echoStep("greet", "hello")};
  CHECK(e.run() == 0);
  const auto out = e.out.str();
  CHECK(out.find("[greet] hello world\n") != std::string::npos);
  CHECK(out.find("STEP   STATUS    EXIT  DURATION\n") != std::string::npos);
  CHECK(out.find("greet  success      0  ") != std::string::npos);
  CHECK(out.find("pipeline success") != std::string::npos);
  CHECK(out.find("\033[") == std::string::npos);
}

TEST_CASE("exec exits 1 when a step fails and shows its exit code", "[component]") {
  Exec e;
  e.plan = pipeline::Plan{};
  e.plan->steps = {echoStep("test", "fails"), echoStep("deploy", "hello", {"test"})};
  CHECK(e.run() == 1);
  const auto out = e.out.str();
  INFO(out);
  CHECK(out.find("[test]   tests failed\n") != std::string::npos);
  CHECK(out.find("test    failure      3") != std::string::npos);
  CHECK(out.find("deploy  skipped      0  -") != std::string::npos);
  CHECK(out.find("pipeline failure") != std::string::npos);
}

TEST_CASE("exec prints compile errors with their position and never reaches the cluster",
          "[component]") {
  Exec e;
  e.compiled.findings.push_back(
      {pipeline::Finding::Severity::Error, ".drone.yml", 4, 3, "steps[0].image: required"});
  CHECK(e.run() == 2);
  CHECK_FALSE(e.connected);
  CHECK(e.err.str().find(".drone.yml:4:3") != std::string::npos);
}

TEST_CASE("exec of a pipeline its trigger skips succeeds without running anything", "[component]") {
  Exec e;
  e.compiled.skipped = true;
  CHECK(e.run() == 0);
  CHECK_FALSE(e.connected);
}
