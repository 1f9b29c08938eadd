#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <utility>
#include <vector>

#include "pipeline/finding.h"
#include "pipeline/manifest.h"

// Reading one YAML node as the value a pipeline field expects (a string, a flag, a whole
// number, a list or map of strings), keeping its position, and reporting what does not
// fit as a finding naming the field (`where`). The manifest parser reads its schema
// with these.
namespace pipeline {

// "'name'", for messages.
std::string quote(const std::string& s);

class NodeReader {
 protected:
  explicit NodeReader(FindingSink& sink) : sink_(sink) {}

  void unknownKey(const YAML::Node& key, const std::string& where, const std::string& hint = "");
  void expected(const YAML::Node& node, const std::string& where, const std::string& what);
  Text text(const YAML::Node& node, const std::string& where);
  Flag flag(const YAML::Node& node, const std::string& where);
  Number number(const YAML::Node& node, const std::string& where);
  // A scalar counts as a one-item list when scalarIsList is set.
  std::vector<Text> textList(const YAML::Node& node, const std::string& where,
                             bool scalarIsList = false);
  std::vector<std::pair<Text, Text>> stringMap(const YAML::Node& node, const std::string& where);

  FindingSink& sink_;
};

}  // namespace pipeline
