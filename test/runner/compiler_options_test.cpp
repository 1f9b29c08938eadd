#include "runner/compiler_options.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>

#include "runner/settings.h"

using podrunner::compilerOptions;
using podrunner::Config;

namespace {

std::string writeTempFile(const std::string& text) {
  char path[] = "/tmp/podrunner-options-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  ::close(fd);
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("compiler options carry every setting that shapes a Plan") {
  Config c;
  c.runner.environ = {{"GOPROXY", "https://proxy"}};
  c.runner.secrets = {{"token", "t"}};
  c.runner.volumes = {{"/cache", "/cache"}};
  c.runner.privilegedImages = {"my/dind"};
  c.defaults.cloneImage = "alpine/git";
  c.defaults.netrcCloneOnly = true;
  c.defaults.namespaceName = "builds";
  c.defaults.namespaceRules = {{"team-a", "octocat/*"}};
  c.defaults.serviceAccount = "runner";
  c.defaults.automountServiceAccountToken = false;
  c.defaults.nodeSelector = {{"pool", "ci"}};
  c.defaults.labels = {{"l", "1"}};
  c.defaults.annotations = {{"a", "2"}};
  c.defaults.requestCpuMillis = 200;
  c.defaults.requestMemoryBytes = 300;
  c.defaults.minRequestCpuMillis = 5;
  c.defaults.minRequestMemoryBytes = 6;
  c.defaults.limitCpuMillis = 700;
  c.defaults.limitMemoryBytes = 800;
  const auto o = compilerOptions(c);
  CHECK(o.environ.at("GOPROXY") == "https://proxy");
  CHECK(o.runnerSecrets.at("token") == "t");
  CHECK(o.runnerVolumes.at("/cache") == "/cache");
  CHECK(o.privilegedImages == std::vector<std::string>{"my/dind"});
  CHECK(o.cloneImage == "alpine/git");
  CHECK(o.netrcCloneOnly);
  CHECK(o.namespaceDefault == "builds");
  CHECK(o.namespaceRules.at("team-a") == std::vector<std::string>{"octocat/*"});
  CHECK(o.serviceAccountDefault == "runner");
  CHECK_FALSE(o.automountServiceAccountToken);
  CHECK(o.nodeSelectorDefault.at("pool") == "ci");
  CHECK(o.labelsDefault.at("l") == "1");
  CHECK(o.annotationsDefault.at("a") == "2");
  CHECK(o.requestCpuMillis == 200);
  CHECK(o.requestMemoryBytes == 300);
  CHECK(o.minRequestCpuMillis == 5);
  CHECK(o.minRequestMemoryBytes == 6);
  CHECK(o.limitCpuMillis == 700);
  CHECK(o.limitMemoryBytes == 800);
}

TEST_CASE("compiler options read the env file and the namespace rules file") {
  const std::string envFile = writeTempFile("FROM_FILE=https://a,b:c\nSHARED=file\n");
  const std::string rulesFile = writeTempFile("team-b:\n  - other/*\n  - octocat/special\n");
  Config c;
  c.runner.envFile = envFile;
  c.runner.environ = {{"SHARED", "variable"}};
  c.defaults.namespaceRulesFile = rulesFile;
  const auto o = compilerOptions(c);
  CHECK(o.environ.at("FROM_FILE") == "https://a,b:c");
  CHECK(o.environ.at("SHARED") == "variable");
  CHECK(o.namespaceRules.at("team-b") == std::vector<std::string>{"other/*", "octocat/special"});
  std::remove(envFile.c_str());
  std::remove(rulesFile.c_str());
}

TEST_CASE("compiler options name an unreadable file") {
  Config c;
  c.defaults.namespaceRulesFile = "/nonexistent/rules.yml";
  CHECK_THROWS_WITH(compilerOptions(c), Catch::Contains("DRONE_NAMESPACE_RULES_FILE"));
}
