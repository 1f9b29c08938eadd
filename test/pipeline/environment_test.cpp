#include "pipeline/environment.h"

#include <catch2/catch.hpp>

using namespace pipeline;

namespace {

BuildContext fullContext() {
  BuildContext c;
  c.system = {"https", "drone.example.com", "https://drone.example.com", "2.24.0"};
  c.repo.namespaceName = "octocat";
  c.repo.name = "hello";
  c.repo.slug = "octocat/hello";
  c.repo.scm = "git";
  c.repo.httpUrl = "https://github.com/octocat/hello.git";
  c.repo.sshUrl = "git@github.com:octocat/hello.git";
  c.repo.link = "https://github.com/octocat/hello";
  c.repo.defaultBranch = "main";
  c.repo.visibility = "private";
  c.repo.isPrivate = true;
  auto& b = c.build;
  b.number = 42;
  b.parent = 41;
  b.event = "push";
  b.action = "sync";
  b.trigger = "@hook";
  b.link = "https://github.com/octocat/hello/compare/a...b";
  b.title = "Add feature";
  b.message = "fix: things";
  b.before = "aaaa";
  b.after = "bbbb";
  b.ref = "refs/heads/main";
  b.source = "feature";
  b.target = "main";
  b.authorLogin = "octocat";
  b.authorName = "The Octocat";
  b.authorEmail = "octocat@example.com";
  b.authorAvatar = "https://avatars/octocat";
  b.deployTo = "production";
  b.deployId = 7;
  b.debug = true;
  b.created = 1700000000;
  b.started = 1700000010;
  c.stage.name = "build";
  c.stage.number = 2;
  c.stage.kind = "pipeline";
  c.stage.type = "kubernetes";
  c.stage.machine = "runner-1";
  c.stage.os = "linux";
  c.stage.arch = "arm64";
  c.stage.variant = "v8";
  c.stage.version = "1";
  c.stage.dependsOn = {"lint", "test"};
  c.stage.started = 1700000020;
  return c;
}

}  // namespace

TEST_CASE("build variables include every DRONE_ and CI_ variable with its value") {
  const StringMap env = buildVariables(fullContext());
  const StringMap expected{
      {"CI", "true"},
      {"DRONE", "true"},
      {"DRONE_SYSTEM_PROTO", "https"},
      {"DRONE_SYSTEM_HOST", "drone.example.com"},
      {"DRONE_SYSTEM_HOSTNAME", "drone.example.com"},
      {"DRONE_SYSTEM_VERSION", "2.24.0"},
      {"DRONE_REPO", "octocat/hello"},
      {"DRONE_REPO_SCM", "git"},
      {"DRONE_REPO_OWNER", "octocat"},
      {"DRONE_REPO_NAMESPACE", "octocat"},
      {"DRONE_REPO_NAME", "hello"},
      {"DRONE_REPO_LINK", "https://github.com/octocat/hello"},
      {"DRONE_REPO_BRANCH", "main"},
      {"DRONE_REMOTE_URL", "https://github.com/octocat/hello.git"},
      {"DRONE_GIT_HTTP_URL", "https://github.com/octocat/hello.git"},
      {"DRONE_GIT_SSH_URL", "git@github.com:octocat/hello.git"},
      {"DRONE_REPO_VISIBILITY", "private"},
      {"DRONE_REPO_PRIVATE", "true"},
      {"CI_REPO", "octocat/hello"},
      {"CI_REPO_NAME", "octocat/hello"},
      {"CI_REPO_LINK", "https://github.com/octocat/hello"},
      {"CI_REPO_REMOTE", "https://github.com/octocat/hello.git"},
      {"CI_REMOTE_URL", "https://github.com/octocat/hello.git"},
      {"CI_REPO_PRIVATE", "true"},
      {"DRONE_BRANCH", "main"},
      {"DRONE_SOURCE_BRANCH", "feature"},
      {"DRONE_TARGET_BRANCH", "main"},
      {"DRONE_COMMIT", "bbbb"},
      {"DRONE_COMMIT_SHA", "bbbb"},
      {"DRONE_COMMIT_AFTER", "bbbb"},
      {"DRONE_COMMIT_BEFORE", "aaaa"},
      {"DRONE_COMMIT_REF", "refs/heads/main"},
      {"DRONE_COMMIT_BRANCH", "main"},
      {"DRONE_COMMIT_LINK", "https://github.com/octocat/hello/compare/a...b"},
      {"DRONE_COMMIT_MESSAGE", "fix: things"},
      {"DRONE_COMMIT_AUTHOR", "octocat"},
      {"DRONE_COMMIT_AUTHOR_EMAIL", "octocat@example.com"},
      {"DRONE_COMMIT_AUTHOR_AVATAR", "https://avatars/octocat"},
      {"DRONE_COMMIT_AUTHOR_NAME", "The Octocat"},
      {"DRONE_BUILD_NUMBER", "42"},
      {"DRONE_BUILD_PARENT", "41"},
      {"DRONE_BUILD_EVENT", "push"},
      {"DRONE_BUILD_ACTION", "sync"},
      {"DRONE_BUILD_DEBUG", "true"},
      {"DRONE_BUILD_CREATED", "1700000000"},
      {"DRONE_BUILD_STARTED", "1700000010"},
      {"DRONE_BUILD_TRIGGER", "@hook"},
      {"DRONE_DEPLOY_TO", "production"},
      {"DRONE_DEPLOY_ID", "7"},
      {"CI_BUILD_NUMBER", "42"},
      {"CI_PARENT_BUILD_NUMBER", "41"},
      {"CI_BUILD_CREATED", "1700000000"},
      {"CI_BUILD_STARTED", "1700000010"},
      {"CI_BUILD_EVENT", "push"},
      {"CI_BUILD_LINK", "https://github.com/octocat/hello/compare/a...b"},
      {"CI_BUILD_TARGET", "production"},
      {"CI_COMMIT_SHA", "bbbb"},
      {"CI_COMMIT_REF", "refs/heads/main"},
      {"CI_COMMIT_BRANCH", "main"},
      {"CI_COMMIT_MESSAGE", "fix: things"},
      {"CI_COMMIT_AUTHOR", "octocat"},
      {"CI_COMMIT_AUTHOR_NAME", "The Octocat"},
      {"CI_COMMIT_AUTHOR_EMAIL", "octocat@example.com"},
      {"CI_COMMIT_AUTHOR_AVATAR", "https://avatars/octocat"},
      {"DRONE_STAGE_KIND", "pipeline"},
      {"DRONE_STAGE_TYPE", "kubernetes"},
      {"DRONE_STAGE_NAME", "build"},
      {"DRONE_STAGE_NUMBER", "2"},
      {"DRONE_STAGE_MACHINE", "runner-1"},
      {"DRONE_STAGE_OS", "linux"},
      {"DRONE_STAGE_ARCH", "arm64"},
      {"DRONE_STAGE_VARIANT", "v8"},
      {"DRONE_STAGE_VERSION", "1"},
      {"DRONE_STAGE_STARTED", "1700000020"},
      {"DRONE_STAGE_DEPENDS_ON", "lint,test"},
      {"DRONE_CARD_PATH", "/dev/stdout"},
      {"DRONE_BUILD_LINK", "https://drone.example.com/octocat/hello/42"},
  };
  for (const auto& [name, value] : expected) {
    INFO(name);
    REQUIRE(env.count(name) == 1);
    CHECK(env.at(name) == value);
  }
  CHECK(env.size() == expected.size());
}

TEST_CASE("status variables are left to the engine") {
  const StringMap env = buildVariables(fullContext());
  for (const char* name : {"DRONE_BUILD_STATUS", "DRONE_STAGE_STATUS", "DRONE_BUILD_FINISHED",
                           "DRONE_STAGE_FINISHED", "DRONE_STEP_NUMBER"}) {
    CHECK(env.count(name) == 0);
  }
}

TEST_CASE("a pull request gets its number from the ref and its title") {
  BuildContext c = fullContext();
  c.build.event = "pull_request";
  c.build.ref = "refs/pull/17/head";
  const StringMap env = buildVariables(c);
  CHECK(env.at("DRONE_PULL_REQUEST") == "17");
  CHECK(env.at("DRONE_PULL_REQUEST_TITLE") == "Add feature");
  CHECK(buildVariables(fullContext()).count("DRONE_PULL_REQUEST") == 0);
}

TEST_CASE("a tag gets DRONE_TAG and the semver parts") {
  BuildContext c = fullContext();
  c.build.ref = "refs/tags/v1.2.3-rc.1+build.5";
  const StringMap env = buildVariables(c);
  CHECK(env.at("DRONE_TAG") == "v1.2.3-rc.1+build.5");
  CHECK(env.at("DRONE_SEMVER") == "1.2.3-rc.1+build.5");
  CHECK(env.at("DRONE_SEMVER_MAJOR") == "1");
  CHECK(env.at("DRONE_SEMVER_MINOR") == "2");
  CHECK(env.at("DRONE_SEMVER_PATCH") == "3");
  CHECK(env.at("DRONE_SEMVER_PRERELEASE") == "rc.1");
  CHECK(env.at("DRONE_SEMVER_BUILD") == "build.5");
  CHECK(env.at("DRONE_SEMVER_SHORT") == "1.2.3");
  CHECK(env.count("DRONE_SEMVER_ERROR") == 0);
  CHECK(env.count("DRONE_CALVER") == 0);
}

TEST_CASE("a tag that is not semver gets DRONE_SEMVER_ERROR only") {
  const StringMap env = versionVariables("latest");
  CHECK(env.count("DRONE_SEMVER_ERROR") == 1);
  CHECK(env.count("DRONE_SEMVER") == 0);
}

TEST_CASE("a calendar version tag gets the calver parts") {
  const StringMap env = versionVariables("2024.05.1-beta");
  CHECK(env.at("DRONE_CALVER") == "2024.05.1-beta");
  CHECK(env.at("DRONE_CALVER_SHORT") == "2024.05.1");
  CHECK(env.at("DRONE_CALVER_MAJOR_MINOR") == "2024.05");
  CHECK(env.at("DRONE_CALVER_MAJOR") == "2024");
  CHECK(env.at("DRONE_CALVER_MINOR") == "05");
  CHECK(env.at("DRONE_CALVER_MICRO") == "1");
  CHECK(env.at("DRONE_CALVER_MODIFIER") == "beta");
  CHECK(versionVariables("1.2.3").count("DRONE_CALVER") == 0);
}

TEST_CASE("stage environment precedence: environ < params < pipeline < build < git < workspace") {
  BuildContext c = fullContext();
  c.build.params = {{"FROM_PARAM", "param"}, {"SHARED", "param"}, {"DRONE_BRANCH", "param"}};
  CompilerOptions o;
  o.environ = {{"FROM_ENVIRON", "environ"}, {"SHARED", "environ"}, {"OTHER", "environ"}};
  const StringMap pipelineEnv{{"SHARED", "pipeline"}, {"DRONE_REPO", "pipeline"}};
  const StringMap env = stageEnvironment(c, o, pipelineEnv, "/drone/src");
  CHECK(env.at("FROM_ENVIRON") == "environ");
  CHECK(env.at("OTHER") == "environ");
  CHECK(env.at("FROM_PARAM") == "param");
  CHECK(env.at("SHARED") == "pipeline");
  CHECK(env.at("DRONE_REPO") == "octocat/hello");
  CHECK(env.at("DRONE_BRANCH") == "main");
  CHECK(env.at("GIT_AUTHOR_NAME") == "The Octocat");
  CHECK(env.at("GIT_COMMITTER_NAME") == "The Octocat");
  CHECK(env.at("GIT_AUTHOR_EMAIL") == "octocat@example.com");
  CHECK(env.at("GIT_COMMITTER_EMAIL") == "octocat@example.com");
  CHECK(env.at("GIT_TERMINAL_PROMPT") == "0");
  CHECK(env.at("DRONE_WORKSPACE") == "/drone/src");
}

TEST_CASE("git identity falls back to drone when the author is unknown") {
  const StringMap env = stageEnvironment(BuildContext{}, CompilerOptions{}, {}, "/w");
  CHECK(env.at("GIT_AUTHOR_NAME") == "drone");
  CHECK(env.at("GIT_AUTHOR_EMAIL") == "noreply@drone");
}

TEST_CASE("substitution variables: params win over build variables over environ, quoted") {
  BuildContext c = fullContext();
  c.build.params = {{"DRONE_BRANCH", "from-param"}};
  c.build.message = "line one\nline two";
  CompilerOptions o;
  o.environ = {{"DRONE_REPO", "environ"}, {"EXTRA", "x"}};
  const StringMap vars = substitutionVariables(c, o);
  CHECK(vars.at("DRONE_BRANCH") == "from-param");
  CHECK(vars.at("DRONE_REPO") == "octocat/hello");
  CHECK(vars.at("EXTRA") == "x");
  CHECK(vars.at("DRONE_COMMIT_MESSAGE") == R"("line one\nline two")");
}
