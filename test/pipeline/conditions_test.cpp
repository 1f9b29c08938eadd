#include "pipeline/conditions.h"

#include <catch2/catch.hpp>

using namespace pipeline;

namespace {

Condition include(std::vector<std::string> patterns) {
  Condition c;
  for (auto& p : patterns) c.include.push_back({p, {}, true});
  return c;
}

Condition exclude(std::vector<std::string> patterns) {
  Condition c;
  for (auto& p : patterns) c.exclude.push_back({p, {}, true});
  return c;
}

MatchFacts pushToMain() {
  MatchFacts f;
  f.branch = "main";
  f.event = "push";
  f.ref = "refs/heads/main";
  f.repo = "octocat/hello";
  f.instance = "drone.example.com";
  return f;
}

}  // namespace

TEST_CASE("an empty condition matches everything") { CHECK(matches(Condition{}, "anything")); }

TEST_CASE("include matches listed values and globs only") {
  CHECK(matches(include({"main", "release/*"}), "release/1.0"));
  CHECK_FALSE(matches(include({"main"}), "develop"));
}

TEST_CASE("exclude wins over include") {
  Condition c = include({"*"});
  c.exclude = exclude({"main"}).exclude;
  CHECK_FALSE(matches(c, "main"));
  CHECK(matches(c, "develop"));
  CHECK(matches(exclude({"promote"}), "push"));
}

TEST_CASE("conditions match branch, event, ref, repo, instance, target, cron and action") {
  const MatchFacts facts = pushToMain();
  Conditions c;
  CHECK(matches(c, facts));
  c.branch = include({"main"});
  c.event = include({"push", "tag"});
  c.ref = include({"refs/heads/*"});
  c.repo = include({"octocat/*"});
  c.instance = include({"drone.example.com"});
  CHECK(matches(c, facts));
  for (Condition Conditions::*field :
       {&Conditions::branch, &Conditions::event, &Conditions::ref, &Conditions::repo,
        &Conditions::instance, &Conditions::target, &Conditions::cron, &Conditions::action}) {
    Conditions one;
    one.*field = include({"no-such-value"});
    CHECK_FALSE(matches(one, facts));
  }
  MatchFacts promote = facts;
  promote.event = "promote";
  promote.target = "production";
  promote.cron = "nightly";
  promote.action = "opened";
  Conditions deploy;
  deploy.target = include({"prod*"});
  deploy.cron = include({"nightly"});
  deploy.action = include({"opened"});
  CHECK(matches(deploy, promote));
}

TEST_CASE("match facts come from the build: branch is the target branch") {
  BuildContext context;
  context.build.target = "main";
  context.build.source = "feature";
  context.build.event = "pull_request";
  context.build.deployTo = "staging";
  context.repo.slug = "octocat/hello";
  context.system.host = "drone.local";
  const MatchFacts facts = matchFacts(context);
  CHECK(facts.branch == "main");
  CHECK(facts.target == "staging");
  CHECK(facts.instance == "drone.local");
  context.instance = "ci.example.com";
  CHECK(matchFacts(context).instance == "ci.example.com");
}

TEST_CASE("run policy: unmatched when is never; status picks success, failure or always") {
  const MatchFacts facts = pushToMain();
  Conditions when;
  CHECK(runPolicy(when, facts) == RunPolicy::OnSuccess);
  when.status = include({"failure"});
  CHECK(runPolicy(when, facts) == RunPolicy::OnFailure);
  when.status = include({"success", "failure"});
  CHECK(runPolicy(when, facts) == RunPolicy::Always);
  when.status = include({"success"});
  CHECK(runPolicy(when, facts) == RunPolicy::OnSuccess);
  when.status = exclude({"success"});
  CHECK(runPolicy(when, facts) == RunPolicy::OnFailure);
  when.branch = include({"develop"});
  CHECK(runPolicy(when, facts) == RunPolicy::Never);
}
