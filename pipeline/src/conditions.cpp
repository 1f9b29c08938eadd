#include "pipeline/conditions.h"

#include "pipeline/glob.h"

namespace pipeline {
namespace {

bool anyMatches(const std::vector<Text>& patterns, const std::string& value) {
  for (const auto& pattern : patterns) {
    if (pattern.value == value || globMatch(pattern.value, value)) return true;
  }
  return false;
}

}  // namespace

MatchFacts matchFacts(const BuildContext& context) {
  MatchFacts facts;
  facts.branch = context.build.target;
  facts.event = context.build.event;
  facts.ref = context.build.ref;
  facts.repo = context.repo.slug;
  facts.instance = context.instance.empty() ? context.system.host : context.instance;
  facts.target = context.build.deployTo;
  facts.cron = context.build.cron;
  facts.action = context.build.action;
  return facts;
}

bool matches(const Condition& condition, const std::string& value) {
  if (anyMatches(condition.exclude, value)) return false;
  return condition.include.empty() || anyMatches(condition.include, value);
}

bool matches(const Conditions& c, const MatchFacts& facts) {
  return matches(c.branch, facts.branch) && matches(c.event, facts.event) &&
         matches(c.ref, facts.ref) && matches(c.repo, facts.repo) &&
         matches(c.instance, facts.instance) && matches(c.target, facts.target) &&
         matches(c.cron, facts.cron) && matches(c.action, facts.action);
}

RunPolicy runPolicy(const Conditions& when, const MatchFacts& facts) {
  if (!matches(when, facts)) return RunPolicy::Never;
  const Condition& status = when.status;
  if (status.include.empty() && status.exclude.empty()) return RunPolicy::OnSuccess;
  const bool onFailure = matches(status, "failure");
  const bool onSuccess = matches(status, "success");
  if (onFailure && onSuccess) return RunPolicy::Always;
  if (onFailure) return RunPolicy::OnFailure;
  return onSuccess ? RunPolicy::OnSuccess : RunPolicy::Never;
}

}  // namespace pipeline
