#include "pipeline/plan_json.h"

#include <catch2/catch.hpp>

using namespace pipeline;

TEST_CASE("plan JSON shows secrets by key and never their values") {
  Plan plan;
  plan.secrets = {{"api_token", "very-secret-value"}};
  plan.masked = {"very-secret-value", "registry-password"};
  plan.registries = {{"registry.example.com", "robot", "registry-password"}};
  Step step;
  step.name = "a";
  step.secretEnvironment = {{"TOKEN", "api_token"}};
  plan.steps.push_back(step);
  const std::string json = toJson(plan);
  CHECK(json.find("very-secret-value") == std::string::npos);
  CHECK(json.find("registry-password") == std::string::npos);
  CHECK(json.find("\"secretKeys\": [\n    \"api_token\"\n  ]") != std::string::npos);
  CHECK(json.find("\"maskedValues\": 2") != std::string::npos);
  CHECK(json.find("\"username\": \"robot\"") != std::string::npos);
}

TEST_CASE("plan JSON escapes strings and keeps a fixed key order") {
  Plan plan;
  plan.pipelineName = "quote\" back\\ line\n tab\t ctl\x01";
  plan.labels = {{"b", "2"}, {"a", "1"}};
  const std::string json = toJson(plan);
  CHECK(json.find(R"("pipeline": "quote\" back\\ line\n tab\t ctl\u0001")") != std::string::npos);
  CHECK(json.find("\"a\": \"1\"") < json.find("\"b\": \"2\""));
  CHECK(json.find("\"pipeline\"") < json.find("\"steps\""));
  CHECK(json.rfind("}\n") == json.size() - 2);
  CHECK(json.find("\"steps\": []") != std::string::npos);
}
