#include "pipeline/finding.h"

#include <algorithm>

namespace pipeline {

std::string toString(const Finding& finding) {
  return finding.file + ":" + std::to_string(finding.line) + ":" + std::to_string(finding.column) +
         ": " + (finding.severity == Finding::Severity::Error ? "error" : "warning") + ": " +
         finding.message;
}

bool hasError(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Finding::Severity::Error; });
}

void FindingSink::error(Position at, const std::string& message) {
  findings_.push_back({downgrade_ ? Finding::Severity::Warning : Finding::Severity::Error, file_,
                       at.line, at.column, message});
}

void FindingSink::warning(Position at, const std::string& message) {
  findings_.push_back({Finding::Severity::Warning, file_, at.line, at.column, message});
}

}  // namespace pipeline
