#pragma once

#include "pipeline/build_context.h"
#include "pipeline/plan.h"

// The DRONE_* and CI_* variables Drone gives every step (drone-protocol.md 5.1), and
// the maps built from them. DRONE_BUILD_STATUS, DRONE_STAGE_STATUS and the *_FINISHED
// times are not here: they change while the stage runs, so the engine sets them when it
// creates a step's pod. *_STARTED are the context's values (0 when not started yet).
namespace pipeline {

// System, repo, build (with pull request, tag, semver and calver), stage and link.
StringMap buildVariables(const BuildContext& context);

// What `${...}` in the pipeline text expands from: runner environ < build variables <
// build params (later wins); values with newlines Go-quoted.
StringMap substitutionVariables(const BuildContext& context, const CompilerOptions& options);

// The environment every step starts from, later wins: runner environ < build params <
// pipeline `environment` (plain values) < build variables < git identity < workspace.
StringMap stageEnvironment(const BuildContext& context, const CompilerOptions& options,
                           const StringMap& pipelineEnvironment, const std::string& workspace);

// DRONE_SEMVER* for a tag, or DRONE_SEMVER_ERROR; DRONE_CALVER* when the tag is one.
StringMap versionVariables(const std::string& tag);

}  // namespace pipeline
