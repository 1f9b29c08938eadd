#include "yaml_node.h"

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include "quoted_string.h"

namespace pipeline::yaml {
namespace {

bool isBoolean(const std::string& s) {
  static const std::set<std::string> words{"true", "True", "TRUE", "false", "False", "FALSE"};
  return words.count(s) > 0;
}

bool isNumber(const std::string& s) {
  static const std::regex number(R"([-+]?(\d+|\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?)");
  return std::regex_match(s, number);
}

void mergeInto(const YAML::Node& source, std::vector<std::pair<YAML::Node, YAML::Node>>& out,
               std::set<std::string>& seen, int depth) {
  if (depth > 32 || !source.IsMap()) return;
  std::vector<YAML::Node> merges;
  for (auto it = source.begin(); it != source.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (key == "<<" && it->first.Tag() != "!") {
      merges.push_back(it->second);
      continue;
    }
    if (seen.insert(key).second) out.emplace_back(it->first, it->second);
  }
  for (const auto& merge : merges) {
    if (merge.IsMap()) mergeInto(merge, out, seen, depth + 1);
    if (merge.IsSequence()) {
      for (const auto& item : merge) mergeInto(item, out, seen, depth + 1);
    }
  }
}

}  // namespace

Position positionOf(const YAML::Mark& mark) {
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

Position positionOf(const YAML::Node& node) { return positionOf(node.Mark()); }

std::vector<std::pair<YAML::Node, YAML::Node>> entries(const YAML::Node& map) {
  std::vector<std::pair<YAML::Node, YAML::Node>> out;
  std::set<std::string> seen;
  mergeInto(map, out, seen, 0);
  return out;
}

std::size_t expandedSize(const YAML::Node& node, std::size_t limit) {
  // A stack, not recursion, since the tree may be endless; nodes are counted as they are
  // pushed, so the work stops near the limit even below a node of many aliases.
  std::size_t count = 1;
  std::vector<YAML::Node> pending{node};
  auto push = [&](const YAML::Node& child) {
    if (count <= limit) {
      ++count;
      pending.push_back(child);
    }
  };
  while (!pending.empty() && count <= limit) {
    const YAML::Node next = pending.back();
    pending.pop_back();
    if (next.IsSequence()) {
      for (auto it = next.begin(); it != next.end() && count <= limit; ++it) push(*it);
    } else if (next.IsMap()) {
      for (auto it = next.begin(); it != next.end() && count <= limit; ++it) {
        push(it->first);
        push(it->second);
      }
    }
  }
  return std::min(count, limit + 1);
}

bool isPlainTyped(const YAML::Node& scalar) {
  if (!scalar.IsScalar() || scalar.Tag() == "!") return false;
  const std::string& s = scalar.Scalar();
  return isBoolean(s) || isNumber(s);
}

namespace {

bool isJsonNumber(const std::string& s) {
  static const std::regex number(R"(-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?)");
  return std::regex_match(s, number);
}

// Aliases can make a node its own descendant; a bounded depth keeps that finite.
std::string toJsonAt(const YAML::Node& node, int depth) {
  if (!node.IsDefined() || node.IsNull() || depth > 64) return "null";
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (isPlainTyped(node) && isBoolean(s)) return s[0] == 't' || s[0] == 'T' ? "true" : "false";
    if (isPlainTyped(node) && isJsonNumber(s)) return s;
    return quotedString(s);
  }
  if (node.IsSequence()) {
    std::string out = "[";
    for (std::size_t i = 0; i < node.size(); ++i) {
      out += (i ? "," : "") + toJsonAt(node[i], depth + 1);
    }
    return out + "]";
  }
  std::map<std::string, std::string> members;
  for (const auto& [key, value] : entries(node)) {
    members[key.IsScalar() ? key.Scalar() : toJsonAt(key, depth + 1)] = toJsonAt(value, depth + 1);
  }
  std::string out = "{";
  bool first = true;
  for (const auto& [key, value] : members) {
    out += (first ? "" : ",") + quotedString(key) + ":" + value;
    first = false;
  }
  return out + "}";
}

}  // namespace

std::string toJson(const YAML::Node& node) { return toJsonAt(node, 0); }

}  // namespace pipeline::yaml
