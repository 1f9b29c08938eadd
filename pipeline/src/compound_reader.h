#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "node_reader.h"
#include "pipeline/manifest.h"

// Reading the compound fields that steps, services and pipelines share: `when` and
// `trigger` conditions, `environment` and `settings` values, `resources` and
// `tolerations`. The manifest parser reads the rest of its schema on top of these.
namespace pipeline {

class CompoundReader : protected NodeReader {
 protected:
  explicit CompoundReader(FindingSink& sink) : NodeReader(sink) {}

  Condition condition(const YAML::Node& node, const std::string& where);
  Conditions conditions(const YAML::Node& node, const std::string& where);
  // `environment` (settings == false) or `settings` values.
  std::vector<Value> values(const YAML::Node& node, const std::string& where, bool settings);
  ResourcesSpec resources(const YAML::Node& node, const std::string& where);
  std::vector<TolerationSpec> tolerations(const YAML::Node& node, const std::string& where);

 private:
  Quantities quantities(const YAML::Node& node, const std::string& where);
};

}  // namespace pipeline
