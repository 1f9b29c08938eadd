#pragma once

#include <map>
#include <string>
#include <vector>

#include "pipeline/finding.h"
#include "pipeline/manifest.h"

// The rules a pipeline must follow before it is compiled: every rule drone-runner-kube
// enforces (names, images, dependencies, reserved volumes and paths, features only for
// trusted repositories, namespace rules) plus warnings for what would otherwise be a
// silent surprise (unknown values, a misspelt ref, an event Drone never sends).
namespace pipeline {

struct LintContext {
  bool trusted = false;
  std::string repo;  // owner/name, for namespace rules
  std::string namespaceDefault = "default";
  std::map<std::string, std::vector<std::string>> namespaceRules;  // namespace -> repo globs
};

void lint(const PipelineSpec& pipeline, const LintContext& context, FindingSink& sink);

// Paths a workspace may not be (Drone resets them to /drone/src).
bool isRestrictedWorkspace(const std::string& path);

}  // namespace pipeline
