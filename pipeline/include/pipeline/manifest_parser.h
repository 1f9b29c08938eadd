#pragma once

#include <string>
#include <vector>

#include "pipeline/finding.h"
#include "pipeline/manifest.h"

// YAML text (already substituted) -> Manifest. Reads every document: `kind: pipeline`
// (any type; only `type: kubernetes` is run, the others are checked and reported),
// `kind: secret`; other kinds are ignored. Reports what cannot be read as the schema
// says (a YAML syntax error, a map where a string belongs, the legacy 0.8 format) and
// what will be ignored (unknown keys, with a hint where the key belongs).
namespace pipeline {

struct ParsedManifest {
  Manifest manifest;
  std::vector<Finding> findings;
};

ParsedManifest parseManifest(const std::string& text, const std::string& file);

// Pipelines of any other type are checked against the kubernetes schema but never run.
bool isKubernetes(const PipelineSpec& pipeline);

}  // namespace pipeline
