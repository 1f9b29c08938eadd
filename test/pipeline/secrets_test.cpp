#include "pipeline/secrets.h"

#include <catch2/catch.hpp>

#include "compile_fixture.h"
#include "pipeline/encrypted_secret.h"
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

namespace {

// "decrypted-value" sealed with AES-256-GCM, key kRepoSecret, nonce "fixednonce12".
const std::string kSealed = "Zml4ZWRub25jZTEyfiQb/b7ahXlPYBK/zF7Vm3zLesAwUja4Wqb5VDWScQ==";
const std::string kRepoSecret = "0123456789abcdef0123456789abcdef";

SecretSpec document(const std::string& name, const std::string& data) {
  SecretSpec s;
  s.name = {name, {}, true};
  s.data = {data, {}, true};
  return s;
}

}  // namespace

TEST_CASE("an encrypted kind: secret decrypts with the repository's secret") {
  CHECK(decryptSecret(kSealed, kRepoSecret) == std::optional<std::string>("decrypted-value"));
  CHECK_FALSE(decryptSecret(kSealed, "a-different-32-byte-key-01234567").has_value());
  CHECK_FALSE(decryptSecret(kSealed, "short").has_value());
  CHECK_FALSE(decryptSecret("AAAA", kRepoSecret).has_value());
}

TEST_CASE("from_secret finds an encrypted document by its exact name") {
  BuildContext c;
  c.repo.secret = kRepoSecret;
  CompilerOptions o;
  SecretResolver resolver(c, o, {document("deploy_key", kSealed)});
  CHECK(resolver.find("deploy_key") == std::optional<std::string>("decrypted-value"));
  CHECK_FALSE(resolver.find("DEPLOY_KEY").has_value());
}

TEST_CASE("encrypted secrets reach pull requests from forks only for private repositories") {
  BuildContext c;
  c.repo.secret = kRepoSecret;
  c.repo.slug = "octocat/hello";
  c.build.event = "pull_request";
  c.build.sourceRepo = "someone/hello";
  CompilerOptions o;
  CHECK_FALSE(SecretResolver(c, o, {document("k", kSealed)}).find("k").has_value());
  c.repo.isPrivate = true;
  CHECK(SecretResolver(c, o, {document("k", kSealed)}).find("k").has_value());
  c.repo.isPrivate = false;
  c.build.sourceRepo = "octocat/hello";
  CHECK(SecretResolver(c, o, {document("k", kSealed)}).find("k").has_value());
}

TEST_CASE("from_secret naming a kind: secret document with get: is a stage secret of that name") {
  // An external secret (get: path and name) is fetched by whoever resolves the stage's
  // secrets; podrunner asks no extension itself, so the value must come with the stage,
  // under the document's name (as drone-runner-kube's static provider would find it).
  auto request = compile_fixture::request(R"(kind: pipeline
type: kubernetes
name: default
steps:
- name: push
  image: alpine
  commands: [echo]
  environment:
    PASSWORD:
      from_secret: registry_password
---
kind: secret
name: registry_password
get:
  path: secret/data/registry
  name: password
)");
  request.context.secrets = {{"password", "the-get-name-is-not-a-secret-name", false},
                             {"Registry_Password", "from-the-stage", false}};
  auto result = compile(request);
  REQUIRE(result.plan.has_value());
  CHECK(result.plan->secrets.at(secretKey("registry_password")) == "from-the-stage");
  CHECK(result.findings.empty());

  request.context.secrets = {{"password", "the-get-name-is-not-a-secret-name", false}};
  result = compile(request);
  REQUIRE(result.plan.has_value());
  CHECK(result.plan->secrets.at(secretKey("registry_password")).empty());
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].message.find("secret 'registry_password' is not available") !=
        std::string::npos);
}
