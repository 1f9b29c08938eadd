#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "compile_fixture.h"
#include "pipeline/plan_json.h"

using namespace pipeline;
using compile_fixture::request;

namespace {

const std::string kGoldenDir = std::string(PODRUNNER_SOURCE_DIR) + "/samples/golden";

CompileResult compileText(const std::string& text) { return compile(request(text)); }

const Step& stepNamed(const Plan& plan, const std::string& name) {
  for (const auto& s : plan.steps) {
    if (s.name == name) return s;
  }
  for (const auto& s : plan.services) {
    if (s.name == name) return s;
  }
  FAIL("no step named " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("compile matches the golden Plan JSON of every sample") {
  std::vector<std::filesystem::path> samples;
  for (const auto& entry : std::filesystem::directory_iterator(kGoldenDir)) {
    if (entry.path().extension() == ".yml") samples.push_back(entry.path());
  }
  std::sort(samples.begin(), samples.end());
  REQUIRE(samples.size() >= 14);
  const bool update = std::getenv("PODRUNNER_UPDATE_GOLDEN") != nullptr;
  for (const auto& sample : samples) {
    INFO(sample.filename().string());
    const auto result = compileText(compile_fixture::readFile(sample.string()));
    for (const auto& f : result.findings) UNSCOPED_INFO(toString(f));
    REQUIRE(result.plan.has_value());
    const std::string json = toJson(*result.plan);
    auto golden = sample;
    golden.replace_extension(".json");
    if (update) std::ofstream(golden) << json;
    CHECK(json == compile_fixture::readFile(golden.string()));
  }
}

TEST_CASE("compile is deterministic") {
  const std::string text = compile_fixture::readFile(kGoldenDir + "/secrets.yml");
  const auto first = compileText(text);
  const auto second = compileText(text);
  REQUIRE(first.plan);
  REQUIRE(second.plan);
  CHECK(toJson(*first.plan) == toJson(*second.plan));
}

TEST_CASE("compiled Plan JSON never contains a secret value") {
  for (const char* sample : {"secrets.yml", "plugin_settings.yml"}) {
    const auto result = compileText(compile_fixture::readFile(kGoldenDir + "/" + sample));
    REQUIRE(result.plan.has_value());
    const std::string json = toJson(*result.plan);
    REQUIRE(result.plan->masked.size() >= 3);
    for (const auto& masked : result.plan->masked) CHECK(json.find(masked) == std::string::npos);
    for (const auto& secret : compile_fixture::request("").context.secrets) {
      CHECK(json.find(secret.data) == std::string::npos);
    }
  }
}

TEST_CASE("compile resolves from_secret into secret references and masks the values") {
  const auto result = compileText(compile_fixture::readFile(kGoldenDir + "/secrets.yml"));
  REQUIRE(result.plan);
  const Plan& plan = *result.plan;
  const Step& step = stepNamed(plan, "call-api");
  auto secretOf = [&](const std::string& env) {
    for (const auto& s : step.secretEnvironment) {
      if (s.env == env) return s.secret;
    }
    return std::string("<none>");
  };
  CHECK(secretOf("TOKEN") == "api_token");
  CHECK(secretOf("SHARED_TOKEN") == "api_token");
  CHECK(secretOf("MISSING") == "not_in_this_build");
  CHECK(step.environment.count("TOKEN") == 0);
  CHECK(plan.secrets.at("api_token") == "token-abc123");
  CHECK(plan.secrets.at("not_in_this_build").empty());
  const auto& masked = plan.masked;
  CHECK(std::count(masked.begin(), masked.end(), "token-abc123") == 1);
  CHECK(std::count(masked.begin(), masked.end(), "netrc-pass-123") == 1);
  CHECK(std::count(masked.begin(), masked.end(), "registry-pass") == 1);
  REQUIRE(plan.registries.size() == 1);
  CHECK(plan.registries[0].address == "registry.example.com");
  CHECK(plan.registries[0].username == "robot");
  bool warned = false;
  for (const auto& f : result.findings) {
    warned = warned || (f.severity == Finding::Severity::Warning &&
                        f.message.find("'not_in_this_build'") != std::string::npos &&
                        f.message.find("step 'call-api'") != std::string::npos);
  }
  CHECK(warned);
}

TEST_CASE("compile hides push-only secrets from pull request builds") {
  auto r = request(compile_fixture::readFile(kGoldenDir + "/secrets.yml"));
  r.context.build.event = "pull_request";
  r.context.build.ref = "refs/pull/3/head";
  const auto result = compile(r);
  REQUIRE(result.plan);
  CHECK(result.plan->secrets.at("api_token").empty());
}

TEST_CASE("compile gives netrc only to the clone step when netrcCloneOnly is set") {
  auto r = request(compile_fixture::readFile(kGoldenDir + "/serial.yml"));
  auto hasNetrc = [](const Step& s) {
    return std::any_of(s.secretEnvironment.begin(), s.secretEnvironment.end(),
                       [](const SecretEnv& e) { return e.env == "DRONE_NETRC_PASSWORD"; });
  };
  auto plan = *compile(r).plan;
  CHECK(hasNetrc(stepNamed(plan, "clone")));
  CHECK(hasNetrc(stepNamed(plan, "build")));
  r.options.netrcCloneOnly = true;
  plan = *compile(r).plan;
  CHECK(hasNetrc(stepNamed(plan, "clone")));
  CHECK_FALSE(hasNetrc(stepNamed(plan, "build")));
}

TEST_CASE("compile numbers steps densely, clone first, skipping steps that do not run") {
  const auto plan = *compileText(compile_fixture::readFile(kGoldenDir + "/conditions.yml")).plan;
  std::vector<std::pair<std::string, int>> numbers;
  for (const auto& s : plan.steps) numbers.emplace_back(s.name, s.number);
  CHECK(numbers ==
        std::vector<std::pair<std::string, int>>{
            {"clone", 1}, {"test", 2}, {"deploy", 3}, {"notify-failure", 4}, {"cleanup", 5}});
  CHECK(stepNamed(plan, "notify-failure").runPolicy == RunPolicy::OnFailure);
  CHECK(stepNamed(plan, "cleanup").runPolicy == RunPolicy::Always);
  CHECK(stepNamed(plan, "cleanup").failure == FailureMode::Ignore);
  CHECK(stepNamed(plan, "clone").runPolicy == RunPolicy::Always);
}

TEST_CASE("compile marks a pipeline whose trigger does not match as skipped") {
  auto r = request(compile_fixture::readFile(kGoldenDir + "/conditions.yml"));
  CHECK_FALSE(compile(r).skipped);
  r.context.build.target = "develop";
  const auto result = compile(r);
  CHECK(result.skipped);
  CHECK(result.plan.has_value());
}

TEST_CASE("compile selects the pipeline by name and refuses other types") {
  const std::string text = R"(kind: pipeline
type: docker
name: docker-one
steps: [{name: a, image: alpine}]
---
kind: pipeline
type: kubernetes
name: kube-one
steps: [{name: a, image: alpine}]
)";
  auto r = request(text);
  r.pipelineName = "kube-one";
  auto result = compile(r);
  REQUIRE(result.plan);
  CHECK(result.plan->pipelineName == "kube-one");
  CHECK(result.findings.empty());
  r.pipelineName = "docker-one";
  result = compile(r);
  CHECK_FALSE(result.plan);
  REQUIRE(hasError(result.findings));
  CHECK(result.findings[0].line == 2);
  r.pipelineName = "missing";
  result = compile(r);
  CHECK_FALSE(result.plan);
  CHECK(result.findings.at(0).message.find(
            "no pipeline named 'missing' in the file (it has 'docker-one', 'kube-one')") !=
        std::string::npos);
  r.pipelineName = "";
  result = compile(r);
  CHECK_FALSE(result.plan);
  CHECK(result.findings.at(0).message.find("no pipeline named 'default'") != std::string::npos);
}

TEST_CASE("without a name, a file of one pipeline compiles that pipeline") {
  auto r =
      request("kind: pipeline\ntype: kubernetes\nname: only\nsteps: [{name: a, image: alpine}]\n");
  r.pipelineName = "";
  const auto result = compile(r);
  REQUIRE(result.plan);
  CHECK(result.plan->pipelineName == "only");
}

TEST_CASE("compile stops with findings on a lint error and gives no Plan") {
  const auto result = compileText(
      "kind: pipeline\ntype: kubernetes\nsteps:\n- name: a\n  image: alpine\n  depends_on: [b]\n");
  CHECK_FALSE(result.plan);
  REQUIRE(result.findings.size() == 1);
  CHECK(toString(result.findings[0]) ==
        "test.yml:6:16: error: step 'a': depends_on: no step named 'b'");
}

TEST_CASE("compile rejects privileged steps of untrusted repositories") {
  auto r = request(
      "kind: pipeline\ntype: kubernetes\nsteps:\n- {name: a, image: x, privileged: true}\n");
  r.context.repo.trusted = false;
  CHECK_FALSE(compile(r).plan);
}

TEST_CASE("compile reports a bad substitution at its line") {
  const auto result = compileText("kind: pipeline\ntype: kubernetes\nsteps:\n- name: ${NAME\n");
  REQUIRE(hasError(result.findings));
  CHECK(result.findings[0].line == 4);
}

TEST_CASE("compile applies runner options: defaults, privileged images, runner volumes") {
  auto r = request("kind: pipeline\ntype: kubernetes\nsteps:\n- {name: a, image: my/dind:1}\n");
  r.options.privilegedImages = {"my/dind"};
  r.options.namespaceDefault = "builds";
  r.options.serviceAccountDefault = "runner";
  r.options.nodeSelectorDefault = {{"pool", "ci"}};
  r.options.labelsDefault = {{"owner", "ci"}};
  r.options.runnerVolumes = {{"/var/cache", "/cache:ro"}};
  r.options.cloneImage = "alpine/git:2.45";
  const Plan plan = *compile(r).plan;
  CHECK(plan.namespaceName == "builds");
  CHECK(plan.serviceAccountName == "runner");
  CHECK(plan.placement.nodeSelector.at("pool") == "ci");
  CHECK(plan.labels.at("owner") == "ci");
  CHECK(stepNamed(plan, "a").privileged);
  CHECK(stepNamed(plan, "clone").image == "alpine/git:2.45");
  const auto& mounts = stepNamed(plan, "a").volumes;
  REQUIRE(mounts.size() == 1);
  CHECK(mounts[0].path == "/cache");
  CHECK(mounts[0].readOnly);
}

TEST_CASE("a step environment wins over the pipeline's, DRONE_STEP_NAME is set") {
  const auto plan = *compileText(R"(kind: pipeline
type: kubernetes
environment: {LEVEL: pipeline, ONLY_PIPELINE: p}
steps:
- name: a
  image: alpine
  environment: {LEVEL: step}
)")
                         .plan;
  const Step& a = stepNamed(plan, "a");
  CHECK(a.environment.at("LEVEL") == "step");
  CHECK(a.environment.at("ONLY_PIPELINE") == "p");
  CHECK(a.environment.at("DRONE_STEP_NAME") == "a");
  CHECK(a.environment.at("DRONE_WORKSPACE") == "/drone/src");
}

TEST_CASE("compile resolves from_secret from an encrypted kind: secret document") {
  auto r = request(R"(kind: pipeline
type: kubernetes
steps:
- name: a
  image: alpine
  environment:
    KEY: {from_secret: deploy_key}
---
kind: secret
name: deploy_key
data: Zml4ZWRub25jZTEyfiQb/b7ahXlPYBK/zF7Vm3zLesAwUja4Wqb5VDWScQ==
)");
  r.context.repo.secret = "0123456789abcdef0123456789abcdef";
  const auto result = compile(r);
  REQUIRE(result.plan);
  CHECK(result.plan->secrets.at("deploy_key") == "decrypted-value");
  CHECK(std::count(result.plan->masked.begin(), result.plan->masked.end(), "decrypted-value") == 1);
}
