#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/build_context.h"
#include "pipeline/plan.h"

// From pipeline file text to a Plan: substitute, parse, lint, compile. Pure.
namespace pipeline {

struct Finding {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;  // names the field, e.g. "steps[2].depends_on: no step named 'tset'"
};

// `file:line:column: error: message`, as compilers print it.
std::string toString(const Finding& finding);

struct CompileRequest {
  std::string text;                 // the whole .drone.yml, before substitution
  std::string file = ".drone.yml";  // for findings
  std::string pipelineName;         // the stage's name; "" means "default"
  BuildContext context;
  CompilerOptions options;
};

struct CompileResult {
  std::vector<Finding> findings;  // errors and warnings, in file order
  std::optional<Plan> plan;       // set when there is no error finding
  bool skipped = false;           // the pipeline's trigger does not match this build
};

CompileResult compile(const CompileRequest& request);

}  // namespace pipeline
