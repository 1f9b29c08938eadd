#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The pipeline file as the user wrote it: every value the compiler reads, each with
// the line and column it came from, before any meaning is given to it. Filled by
// manifest_parser.h, checked by linter.h, turned into a Plan by compiler.h.
namespace pipeline {

struct Position {
  int line = 0;    // 1-based; 0: not in the file
  int column = 0;  // 1-based
};

// A scalar as written, with where it was written. `present` tells an empty value from
// an absent key.
struct Text {
  std::string value;
  Position pos;
  bool present = false;
};

struct Flag {
  bool value = false;
  Position pos;
  bool present = false;
};

struct Number {
  std::int64_t value = 0;
  Position pos;
  bool present = false;
};

// An include/exclude pattern list of `when` or `trigger`.
struct Condition {
  std::vector<Text> include;
  std::vector<Text> exclude;
  Position pos;
  bool present = false;
};

struct Conditions {
  Condition branch, event, ref, repo, instance, target, cron, action, status, paths;
  Position pos;
  bool present = false;
};

// `environment` and `settings` values: a literal or a `from_secret` reference.
struct Value {
  std::string name;
  Position pos;
  std::string literal;     // environment: the scalar; settings: encoded as Drone does
  std::string fromSecret;  // non-empty: the secret's name
  Position secretPos;
};

struct Quantities {
  Text cpu, memory, ephemeralStorage;
};

struct ResourcesSpec {
  Quantities requests, limits;
  Position pos;
  bool present = false;
};

struct TolerationSpec {
  Text key, op, value, effect;
  Number seconds;
  Position pos;
};

struct StepVolumeSpec {
  Text name, path, subPath;
  Flag readOnly;
  Position pos;
};

struct StepSpec {
  Position pos;
  Text name, image, pull, failure, workingDir, shell;
  std::vector<Text> commands, entrypoint, command;
  std::vector<Value> environment;  // in file order
  std::vector<Value> settings;     // in file order
  Flag detach, privileged;
  Number user, group;
  std::vector<Text> dependsOn;
  Conditions when;
  ResourcesSpec resources;
  std::vector<StepVolumeSpec> volumes;
  std::vector<std::pair<Text, Text>> nodeSelector;
  std::vector<TolerationSpec> tolerations;
  std::vector<Number> ports;
  bool service = false;
};

struct VolumeSpec {
  Position pos;
  Text name;
  enum class Kind { Unset, Temp, Host, Claim, ConfigMap, Secret } kind = Kind::Unset;
  Position kindPos;
  Text medium, sizeLimit;  // temp
  Text hostPath;           // host
  Text source;             // claim, config_map, secret: the object's name
  Flag readOnly;           // claim
  Number defaultMode;      // config_map, secret
  Flag optional;           // config_map, secret
};

struct PipelineSpec {
  Position pos;
  Text kind, type, name;
  Text os, arch, variant, version;  // platform
  Position platformPos;
  struct {
    Flag disable, skipVerify, trace, tags;
    Number depth, retries;
    Position pos;
  } clone;
  Text workspaceBase, workspacePath;
  std::vector<Value> environment;
  std::vector<StepSpec> steps, services;
  std::vector<VolumeSpec> volumes;
  std::vector<Text> imagePullSecrets;
  Text metadataNamespace;
  std::vector<std::pair<Text, Text>> labels, annotations;
  Text nodeName, serviceAccountName, priorityClassName, runtimeClassName;
  Flag automountServiceAccountToken;
  std::vector<std::pair<Text, Text>> nodeSelector;
  std::vector<TolerationSpec> tolerations;
  struct {
    std::vector<Text> nameservers, searches;
    std::vector<std::pair<Text, Text>> options;
    Position pos;
    bool present = false;
  } dnsConfig;
  struct HostAliasSpec {
    Text ip;
    std::vector<Text> hostnames;
  };
  std::vector<HostAliasSpec> hostAliases;
  ResourcesSpec resources;
  Conditions trigger;
};

// A `kind: secret` document: encrypted `data`, or `get` from an external secret store.
struct SecretSpec {
  Position pos;
  Text name, data, getPath, getName;
};

struct Manifest {
  std::vector<PipelineSpec> pipelines;
  std::vector<SecretSpec> secrets;
};

}  // namespace pipeline
