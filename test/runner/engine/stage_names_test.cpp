#include "runner/engine/stage_names.h"

#include <catch2/catch.hpp>
#include <regex>

using namespace podrunner;

namespace {
StageIdentity identity() {
  StageIdentity s;
  s.runnerName = "runner-1";
  s.stageId = 4242;
  s.buildNumber = 17;
  s.stageNumber = 2;
  s.repoSlug = "octo/hello-world";
  return s;
}
const std::regex kDns1123("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
}  // namespace

TEST_CASE("object names read as build, stage and step, and are valid DNS-1123", "[names]") {
  StageNames names(identity());
  const auto name = names.objectName("Build & Test");
  CHECK(name.rfind("drone-17-2-build-test-", 0) == 0);
  CHECK(std::regex_match(name, kDns1123));
  CHECK(name.size() <= 63);
}

TEST_CASE("long step names are cut to 63 characters and stay unique", "[names]") {
  StageNames names(identity());
  const std::string base(100, 'a');
  const auto one = names.objectName(base + "1");
  const auto two = names.objectName(base + "2");
  CHECK(one.size() == 63);
  CHECK(two.size() == 63);
  CHECK(one != two);
  CHECK(std::regex_match(one, kDns1123));
}

TEST_CASE("the same step of another stage or runner gets another name", "[names]") {
  auto other = identity();
  other.stageId = 4243;
  auto otherRunner = identity();
  otherRunner.runnerName = "runner-2";
  const auto name = StageNames(identity()).objectName("build");
  CHECK(StageNames(other).objectName("build") != name);
  CHECK(StageNames(otherRunner).objectName("build") != name);
  CHECK(StageNames(identity()).objectName("build") == name);
}

TEST_CASE("labels name runner, repo, build, stage and step in valid label values", "[names]") {
  StageNames names(identity());
  const auto labels = names.stepLabels("go test ./...");
  CHECK(labels.at("io.drone.runner") == "runner-1");
  CHECK(labels.at("io.drone.repo") == "octo.hello-world");
  CHECK(labels.at("io.drone.build") == "17");
  CHECK(labels.at("io.drone.stage.id") == "4242");
  CHECK(labels.at("io.drone.step") == "go.test");
  CHECK(names.stageSelector() == "io.drone.runner=runner-1,io.drone.stage.id=4242");
}

TEST_CASE("dns1123Label never returns an empty or dash-edged label", "[names]") {
  CHECK(dns1123Label("--") == "x");
  CHECK(dns1123Label("_Hello__World_") == "hello-world");
  CHECK(dns1123Label("abc-def", 4) == "abc");
}
