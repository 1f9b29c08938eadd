#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/build_context.h"
#include "pipeline/finding.h"
#include "pipeline/plan.h"

// From pipeline file text to a Plan: substitute, parse, lint, compile. Pure.
namespace pipeline {

struct CompileRequest {
  std::string text;                 // the whole .drone.yml, before substitution
  std::string file = ".drone.yml";  // for findings
  std::string pipelineName;         // the stage's name; "": "default", or the file's only pipeline
  BuildContext context;
  CompilerOptions options;
};

struct CompileResult {
  std::vector<Finding> findings;  // errors and warnings, in file order
  std::optional<Plan> plan;       // set when there is no error finding
  bool skipped = false;           // the pipeline's trigger does not match this build
};

CompileResult compile(const CompileRequest& request);

// Every finding in the whole file: each pipeline document is linted (those of another
// type than kubernetes with their errors reported as warnings); `pipelineName` is unused.
std::vector<Finding> lintFile(const CompileRequest& request);

}  // namespace pipeline
