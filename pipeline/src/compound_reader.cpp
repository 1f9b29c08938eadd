#include "compound_reader.h"

#include "yaml_node.h"

namespace pipeline {

using yaml::entries;
using yaml::positionOf;

namespace {

// Drone passes a list of scalars as a comma-joined string, anything deeper as JSON.
std::string listSetting(const YAML::Node& list) {
  std::string joined;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].IsScalar() && !list[i].IsNull()) return yaml::toJson(list);
    joined += (i ? "," : "") + (list[i].IsScalar() ? list[i].Scalar() : std::string());
  }
  return joined;
}

}  // namespace

Condition CompoundReader::condition(const YAML::Node& node, const std::string& where) {
  Condition c;
  c.pos = positionOf(node);
  c.present = true;
  if (node.IsMap()) {
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "include") {
        c.include = textList(value, where + ".include", true);
      } else if (k == "exclude") {
        c.exclude = textList(value, where + ".exclude", true);
      } else {
        unknownKey(key, where, "a condition has include: and exclude:");
      }
    }
  } else {
    c.include = textList(node, where, true);
  }
  return c;
}

Conditions CompoundReader::conditions(const YAML::Node& node, const std::string& where) {
  Conditions c;
  c.pos = positionOf(node);
  c.present = true;
  if (node.IsNull()) return c;
  if (!node.IsMap()) {
    expected(node, where, "a map of conditions");
    return c;
  }
  const std::map<std::string, Condition Conditions::*> fields{
      {"branch", &Conditions::branch},     {"event", &Conditions::event},
      {"ref", &Conditions::ref},           {"repo", &Conditions::repo},
      {"instance", &Conditions::instance}, {"target", &Conditions::target},
      {"cron", &Conditions::cron},         {"action", &Conditions::action},
      {"status", &Conditions::status},     {"paths", &Conditions::paths}};
  for (const auto& [key, value] : entries(node)) {
    auto field = fields.find(key.Scalar());
    if (field == fields.end()) {
      unknownKey(key, where,
                 "conditions are branch, event, ref, repo, instance, target, cron, action, "
                 "status and paths");
      continue;
    }
    c.*(field->second) = condition(value, where + "." + key.Scalar());
  }
  return c;
}

// `environment` (settings == false) or `settings` values.
std::vector<Value> CompoundReader::values(const YAML::Node& node, const std::string& where,
                                          bool settings) {
  std::vector<Value> out;
  if (node.IsNull()) return out;
  if (!node.IsMap()) {
    expected(node, where, "a map");
    return out;
  }
  for (const auto& [key, value] : entries(node)) {
    Value v;
    v.name = key.Scalar();
    v.pos = positionOf(key);
    const std::string field = where + "." + v.name;
    if (value.IsMap() && value["from_secret"]) {
      const auto secret = value["from_secret"];
      v.fromSecret = text(secret, field + ".from_secret").value;
      v.secretPos = positionOf(secret);
      if (v.fromSecret.empty()) sink_.error(v.secretPos, field + ".from_secret: names no secret");
      for (const auto& [k, unused] : entries(value)) {
        if (k.Scalar() != "from_secret") unknownKey(k, field);
      }
    } else if (value.IsMap() && !settings) {
      const auto typo = value["form_secret"];
      if (typo) {
        sink_.warning(positionOf(value),
                      field +
                          ": 'form_secret' is not a key; did you mean from_secret? The "
                          "variable is set to an empty value");
      } else {
        sink_.warning(positionOf(value),
                      field +
                          ": a map is not a value; expected a string or from_secret; the "
                          "variable is set to an empty value");
      }
    } else if (value.IsMap() && value["form_secret"]) {
      sink_.warning(positionOf(value),
                    field +
                        ": 'form_secret' is not a key; did you mean from_secret? The map "
                        "is passed to the plugin as JSON");
      v.literal = yaml::toJson(value);
    } else if (value.IsSequence() && settings) {
      v.literal = listSetting(value);
    } else if (value.IsSequence()) {
      expected(value, field, "a string");
    } else if (value.IsMap()) {
      v.literal = yaml::toJson(value);
    } else if (value.IsScalar()) {
      v.literal = value.Scalar();
    }
    out.push_back(std::move(v));
  }
  return out;
}

Quantities CompoundReader::quantities(const YAML::Node& node, const std::string& where) {
  Quantities q;
  if (node.IsNull()) return q;
  if (!node.IsMap()) {
    expected(node, where, "a map of cpu, memory and ephemeral_storage");
    return q;
  }
  for (const auto& [key, value] : entries(node)) {
    const std::string k = key.Scalar();
    if (k == "cpu") {
      q.cpu = text(value, where + ".cpu");
    } else if (k == "memory") {
      q.memory = text(value, where + ".memory");
    } else if (k == "ephemeral_storage" || k == "ephemeral-storage") {
      q.ephemeralStorage = text(value, where + "." + k);
    } else {
      unknownKey(key, where, "resources are cpu, memory and ephemeral_storage");
    }
  }
  return q;
}

ResourcesSpec CompoundReader::resources(const YAML::Node& node, const std::string& where) {
  ResourcesSpec r;
  r.pos = positionOf(node);
  r.present = true;
  if (node.IsNull()) return r;
  if (!node.IsMap()) {
    expected(node, where, "a map with requests and limits");
    return r;
  }
  for (const auto& [key, value] : entries(node)) {
    const std::string k = key.Scalar();
    if (k == "requests" || k == "request") {
      r.requests = quantities(value, where + "." + k);
    } else if (k == "limits" || k == "limit") {
      r.limits = quantities(value, where + "." + k);
    } else {
      unknownKey(key, where, "resources has requests: and limits:");
    }
  }
  return r;
}

std::vector<TolerationSpec> CompoundReader::tolerations(const YAML::Node& node,
                                                        const std::string& where) {
  std::vector<TolerationSpec> out;
  if (node.IsNull()) return out;
  if (!node.IsSequence()) {
    expected(node, where, "a list of tolerations");
    return out;
  }
  for (const auto& item : node) {
    TolerationSpec t;
    t.pos = positionOf(item);
    if (!item.IsMap()) {
      expected(item, where, "a map");
      continue;
    }
    for (const auto& [key, value] : entries(item)) {
      const std::string k = key.Scalar();
      if (k == "key") {
        t.key = text(value, where + ".key");
      } else if (k == "operator") {
        t.op = text(value, where + ".operator");
      } else if (k == "value") {
        t.value = text(value, where + ".value");
      } else if (k == "effect") {
        t.effect = text(value, where + ".effect");
      } else if (k == "toleration_seconds" || k == "tolerationseconds") {
        t.seconds = number(value, where + "." + k);
      } else {
        unknownKey(key, where);
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace pipeline
