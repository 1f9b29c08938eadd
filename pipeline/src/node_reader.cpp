#include "node_reader.h"

#include <set>
#include <stdexcept>

#include "yaml_node.h"

namespace pipeline {
namespace {

using yaml::entries;
using yaml::positionOf;

const char* kindName(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  return "a string";
}

}  // namespace

std::string quote(const std::string& s) { return "'" + s + "'"; }

void NodeReader::unknownKey(const YAML::Node& key, const std::string& where,
                            const std::string& hint) {
  std::string message = where + ": unknown key " + quote(key.Scalar()) + " is ignored";
  if (!hint.empty()) message += "; " + hint;
  sink_.warning(positionOf(key), message);
}

void NodeReader::expected(const YAML::Node& node, const std::string& where,
                          const std::string& what) {
  sink_.error(positionOf(node), where + ": expected " + what + ", found " + kindName(node));
}

Text NodeReader::text(const YAML::Node& node, const std::string& where) {
  Text t;
  t.pos = positionOf(node);
  t.present = true;
  if (node.IsScalar()) {
    t.value = node.Scalar();
  } else if (!node.IsNull()) {
    expected(node, where, "a string");
  }
  return t;
}

Flag NodeReader::flag(const YAML::Node& node, const std::string& where) {
  static const std::set<std::string> yes{"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On"};
  static const std::set<std::string> no{"false", "False", "FALSE", "no", "No", "NO", "off", "Off"};
  Flag f;
  f.pos = positionOf(node);
  f.present = true;
  if (node.IsNull()) return f;
  if (node.IsScalar() && yes.count(node.Scalar())) {
    f.value = true;
  } else if (!node.IsScalar() || !no.count(node.Scalar())) {
    sink_.error(f.pos, where + ": expected true or false");
  }
  return f;
}

Number NodeReader::number(const YAML::Node& node, const std::string& where) {
  Number n;
  n.pos = positionOf(node);
  n.present = true;
  if (node.IsNull()) return n;
  try {
    if (!node.IsScalar()) throw std::invalid_argument("not a scalar");
    std::size_t used = 0;
    n.value = std::stoll(node.Scalar(), &used, 0);
    if (used != node.Scalar().size()) throw std::invalid_argument("trailing text");
  } catch (const std::exception&) {
    sink_.error(n.pos, where + ": expected a whole number");
  }
  return n;
}

std::vector<Text> NodeReader::textList(const YAML::Node& node, const std::string& where,
                                       bool scalarIsList) {
  std::vector<Text> out;
  if (node.IsNull()) return out;
  if (node.IsScalar() && scalarIsList) {
    out.push_back(text(node, where));
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(text(node[i], where));
  } else {
    expected(node, where, "a list of strings");
  }
  return out;
}

std::vector<std::pair<Text, Text>> NodeReader::stringMap(const YAML::Node& node,
                                                         const std::string& where) {
  std::vector<std::pair<Text, Text>> out;
  if (node.IsNull()) return out;
  if (!node.IsMap()) {
    expected(node, where, "a map of strings");
    return out;
  }
  for (const auto& [key, value] : entries(node)) {
    out.emplace_back(text(key, where), text(value, where + "." + key.Scalar()));
  }
  return out;
}

}  // namespace pipeline
