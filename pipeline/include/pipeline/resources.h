#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "pipeline/build_context.h"
#include "pipeline/plan.h"

// Resource quantities as Drone pipelines write them, and the requests and limits a step
// gets. Each step is its own pod, so requests are per step (no splitting of a stage
// request as drone-runner-kube does).
namespace pipeline {

// CPU in millicores: a whole number is millicores (Drone: `cpu: 1000` is one core),
// "250m" is millicores, a decimal ("0.5", "1.5") is cores.
std::optional<std::int64_t> parseCpuMillis(const std::string& text);

// Bytes: a whole number, or a number with a unit k, m, g, t, p (optionally followed by
// i and/or b, any case), all powers of 1024 as in Drone (go-units RAMInBytes).
std::optional<std::int64_t> parseBytes(const std::string& text);

// A step's resources: its own values, else the pipeline's, else the runner defaults.
// Requests are raised to the runner minimum; limits are capped by the runner limit
// (the runner limit applies when the pipeline sets none); a request never exceeds its
// limit.
Resources effectiveResources(const Resources& step, const Resources& pipeline,
                             const CompilerOptions& options);

}  // namespace pipeline
