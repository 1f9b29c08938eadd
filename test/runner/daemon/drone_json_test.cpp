#include <catch2/catch.hpp>

#include "runner/daemon/drone_types.h"

using namespace podrunner;
using Catch::Matchers::Contains;

TEST_CASE("a pending step omits what Go omits when empty and names its stage step_id",
          "[drone_json]") {
  drone::Step step;
  step.stageId = 42;
  step.number = 1;
  step.name = "clone";
  step.status = "pending";
  step.image = "drone/git:latest";
  CHECK(drone::encode(step) ==
        R"({"id":0,"step_id":42,"number":1,"name":"clone","status":"pending","exit_code":0,)"
        R"("version":0,"image":"drone/git:latest"})"
        "\n");
}

TEST_CASE("a stage echoes labels, depends_on and steps, and decodes back to the same fields",
          "[drone_json]") {
  drone::Stage stage;
  stage.id = 42;
  stage.buildId = 7;
  stage.number = 1;
  stage.name = "default";
  stage.kind = "pipeline";
  stage.type = "kubernetes";
  stage.status = "running";
  stage.machine = "runner-1";
  stage.os = "linux";
  stage.arch = "amd64";
  stage.created = 1700000000;
  stage.version = 2;
  stage.onSuccess = true;
  stage.labels = {{"zone", "a"}};
  stage.dependsOn = {"setup"};
  drone::Step step;
  step.stageId = 42;
  step.number = 1;
  step.name = "test";
  step.status = "running";
  step.started = 1700000010;
  step.errignore = true;
  stage.steps = {step};
  const std::string json = drone::encode(stage);
  CHECK_THAT(json, Contains(R"("labels":{"zone":"a"})") && Contains(R"("depends_on":["setup"])"));
  CHECK_THAT(json, !Contains("variant") && !Contains("\"error\""));
  const auto back = drone::decodeStage(json);
  CHECK(back.labels == stage.labels);
  CHECK(back.dependsOn == stage.dependsOn);
  CHECK(back.created == stage.created);
  CHECK(back.machine == "runner-1");
  REQUIRE(back.steps.size() == 1);
  CHECK(back.steps[0].started == 1700000010);
  CHECK(back.steps[0].errignore);
  CHECK(back.steps[0].stageId == 42);
}

TEST_CASE("details decode secrets, netrc and the base64 config; null lists are empty",
          "[drone_json]") {
  const std::string json =
      R"({"repository":{"slug":"octo/hello","namespace":"octo","name":"hello","trusted":true,)"
      R"("timeout":0,"secret":"k"},"build":{"id":7,"number":3,"event":"pull_request",)"
      R"("params":{"A":"1"}},"stage":{"id":42,"name":"default","number":1,"labels":null},)"
      R"("config":{"Data":"a2luZDogcGlwZWxpbmUK","Hash":null},)"
      R"("secrets":[{"name":"token","data":"hunter2","pull_request":true},{"name":"x"}],)"
      R"("system":{"host":"drone.example.com","proto":"https"},)"
      R"("netrc":{"machine":"git.example.com","login":"octo","password":"pw"}})";
  const auto details = drone::decodeDetails(json);
  CHECK(details.config == "kind: pipeline\n");
  CHECK(details.buildId == 7);
  CHECK(details.context.build.event == "pull_request");
  CHECK(details.context.build.params.at("A") == "1");
  REQUIRE(details.context.secrets.size() == 2);
  CHECK(details.context.secrets[0].pullRequest);
  CHECK_FALSE(details.context.secrets[1].pullRequest);
  REQUIRE(details.context.netrc);
  CHECK(details.context.netrc->login == "octo");
  CHECK(details.context.repo.secret == "k");
  CHECK(details.context.instance == "drone.example.com");
  CHECK(details.stage.labels.empty());

  const auto empty = drone::decodeDetails(
      R"({"build":{"id":1},"stage":{"id":2},"config":{"Data":""},"secrets":null,"netrc":null})");
  CHECK(empty.context.secrets.empty());
  CHECK_FALSE(empty.context.netrc);
  CHECK(empty.context.stage.name == "default");
}

TEST_CASE("a field of the wrong type is an error naming the field", "[drone_json]") {
  CHECK_THROWS_WITH(drone::decodeStage(R"({"id":"42"})"), Contains("id"));
  CHECK_THROWS_WITH(drone::decodeStage("not json"), Contains("not JSON"));
}

TEST_CASE("lines encode as a JSON array with pos, out and time; none is []", "[drone_json]") {
  CHECK(drone::encode(std::vector<drone::Line>{}) == "[]\n");
  CHECK(drone::encode(std::vector<drone::Line>{{0, "a \"b\"\n", 3}}) ==
        R"([{"pos":0,"out":"a \"b\"\n","time":3}])"
        "\n");
}
