#include "pipeline/secrets.h"

#include <catch2/catch.hpp>

#include "pipeline/registry_credentials.h"

using namespace pipeline;

TEST_CASE("from_secret finds a server secret without regard to case") {
  BuildContext c;
  c.secrets = {{"Docker_Password", "s3cret", false}};
  CompilerOptions o;
  SecretResolver resolver(c, o);
  CHECK(resolver.find("docker_password") == std::optional<std::string>("s3cret"));
  CHECK_FALSE(resolver.find("other").has_value());
}

TEST_CASE("a secret not allowed for pull requests is hidden from pull request builds") {
  BuildContext c;
  c.build.event = "pull_request";
  c.secrets = {{"push_only", "a", false}, {"pr_ok", "b", true}};
  CompilerOptions o;
  SecretResolver resolver(c, o);
  CHECK_FALSE(resolver.find("push_only").has_value());
  CHECK(resolver.find("pr_ok") == std::optional<std::string>("b"));
}

TEST_CASE("runner secrets are used after server secrets and never for pull requests") {
  BuildContext c;
  c.secrets = {{"shared", "server", false}};
  CompilerOptions o;
  o.runnerSecrets = {{"SHARED", "runner"}, {"RUNNER_ONLY", "r"}};
  CHECK(SecretResolver(c, o).find("shared") == std::optional<std::string>("server"));
  CHECK(SecretResolver(c, o).find("runner_only") == std::optional<std::string>("r"));
  c.build.event = "pull_request";
  CHECK_FALSE(SecretResolver(c, o).find("runner_only").has_value());
}

TEST_CASE("an empty secret value counts as missing, so the next source is asked") {
  BuildContext c;
  c.secrets = {{"token", "", false}};
  CompilerOptions o;
  o.runnerSecrets = {{"token", "fallback"}};
  CHECK(SecretResolver(c, o).find("token") == std::optional<std::string>("fallback"));
}

TEST_CASE("secret keys are lower case and safe for a Kubernetes Secret") {
  CHECK(secretKey("Docker_Password") == "docker_password");
  CHECK(secretKey("a b/c") == "a_b_c");
  CHECK(secretKey("") == "_");
}

TEST_CASE("docker config auths are read from auth or from username and password") {
  const auto creds = parseDockerConfig(
      R"({"auths": {"https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
                   "quay.io": {"username": "robot", "password": "tok"}}})");
  REQUIRE(creds.size() == 2);
  CHECK(creds[0].address == "index.docker.io");
  CHECK(creds[0].username == "user");
  CHECK(creds[0].password == "pa:ss");
  CHECK(creds[1].address == "quay.io");
  CHECK(creds[1].username == "robot");
  CHECK(creds[1].password == "tok");
}

TEST_CASE("an unreadable docker config gives no credentials") {
  CHECK(parseDockerConfig("not json {").empty());
  CHECK(parseDockerConfig(R"({"auths": []})").empty());
  CHECK(parseDockerConfig(R"({"auths": {"r": {"auth": "bm9jb2xvbg=="}}})").empty());
}
