#pragma once

#include <string>

#include "pipeline/build_context.h"
#include "pipeline/manifest.h"
#include "pipeline/plan.h"

// `when` (steps) and `trigger` (pipelines), matched as Drone matches them: a value
// matches a condition when it matches no exclude pattern and either matches an
// include pattern or there are no include patterns. Patterns are globs (glob.h).
// `paths` needs the changed files, which only the server knows: it is not evaluated.
namespace pipeline {

// The facts of a build conditions are matched against.
struct MatchFacts {
  std::string branch;  // build target (the branch pushed to, or a PR's target)
  std::string event;
  std::string ref;
  std::string repo;      // owner/name
  std::string instance;  // the server's host
  std::string target;    // deploy target of promote/rollback
  std::string cron;      // the cron job's name
  std::string action;
};

MatchFacts matchFacts(const BuildContext& context);

bool matches(const Condition& condition, const std::string& value);

// Every condition except status and paths.
bool matches(const Conditions& conditions, const MatchFacts& facts);

// RunNever when the conditions do not match; else from `status`: none or success only
// -> OnSuccess, failure only -> OnFailure, both -> Always.
RunPolicy runPolicy(const Conditions& when, const MatchFacts& facts);

}  // namespace pipeline
