#pragma once

#include <string>
#include <vector>

#include "pipeline/manifest.h"

// One problem found in a pipeline file, located at the value it is about.
namespace pipeline {

struct Finding {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;  // names the field, e.g. "step 'test': depends_on: no step named 'tset'"
};

// `file:line:column: error: message`, as compilers print it.
std::string toString(const Finding& finding);

bool hasError(const std::vector<Finding>& findings);

// Collects findings for one file; `downgrade` turns errors into warnings (pipelines
// podrunner will not run are checked, but cannot fail a lint).
class FindingSink {
 public:
  explicit FindingSink(std::string file) : file_(std::move(file)) {}
  void error(Position at, const std::string& message);
  void warning(Position at, const std::string& message);
  void setDowngrade(bool downgrade) { downgrade_ = downgrade; }
  std::vector<Finding>& findings() { return findings_; }

 private:
  std::string file_;
  bool downgrade_ = false;
  std::vector<Finding> findings_;
};

}  // namespace pipeline
