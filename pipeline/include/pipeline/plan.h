#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The Plan: what a stage will run, as pure data. The compiler (compiler.h) makes it
// from a pipeline document and a build context; the engine in runner/ turns it into
// Kubernetes objects. Nothing here knows Kubernetes JSON or Drone's wire format.
namespace pipeline {

using StringMap = std::map<std::string, std::string>;

enum class RunPolicy { OnSuccess, OnFailure, Always, Never };
enum class FailureMode { Fail, Ignore, FailFast };  // FailFast: a failure stops the stage
enum class PullPolicy { IfNotPresent, Always, Never };

// An environment variable whose value is a key of the stage's Secret, never a literal.
struct SecretEnv {
  std::string env;     // variable name in the container
  std::string secret;  // key in Plan::secrets
};

// Quantities in base units: millicores and bytes; 0 means "not set".
struct Resources {
  std::int64_t cpuRequestMillis = 0;
  std::int64_t memoryRequestBytes = 0;
  std::int64_t ephemeralStorageRequestBytes = 0;
  std::int64_t cpuLimitMillis = 0;
  std::int64_t memoryLimitBytes = 0;
  std::int64_t ephemeralStorageLimitBytes = 0;
};

struct Toleration {
  std::string key;
  std::string op;  // Exists or Equal
  std::string value;
  std::string effect;
  std::optional<std::int64_t> seconds;
};

struct HostAlias {
  std::string ip;
  std::vector<std::string> hostnames;
};

struct DnsConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<std::pair<std::string, std::string>> options;
};

struct Volume {
  enum class Kind { Temp, Host, Claim, ConfigMap, Secret };
  std::string name;
  Kind kind = Kind::Temp;
  bool memoryMedium = false;        // Temp
  std::int64_t sizeLimitBytes = 0;  // Temp
  std::string hostPath;             // Host
  std::string source;               // Claim, ConfigMap, Secret: the object's name
  bool readOnly = false;            // Claim
  std::optional<int> defaultMode;   // ConfigMap, Secret
  bool optional = false;            // ConfigMap, Secret
};

struct VolumeMount {
  std::string volume;  // Volume::name; the workspace is mounted by the engine
  std::string path;
  std::string subPath;
  bool readOnly = false;
};

struct Placement {
  StringMap nodeSelector;
  std::vector<Toleration> tolerations;
};

// A step or a service. Services run first, for the whole stage, and are never awaited.
struct Step {
  std::string name;
  int number = 0;  // 1-based, dense over steps that are sent to the server
  std::string image;
  PullPolicy pull = PullPolicy::IfNotPresent;
  std::vector<std::string> entrypoint;  // container command; empty: the image's
  std::vector<std::string> args;        // container args
  std::string script;     // POSIX sh script of `commands` (or the clone); run with the image's
                          // /bin/sh instead of entrypoint/args; empty for plugins
  StringMap environment;  // plain values, DRONE_* included
  std::vector<SecretEnv> secretEnvironment;
  std::string workingDir;
  Resources resources;
  std::vector<VolumeMount> volumes;
  Placement placement;  // per-step additions to the pipeline's placement
  bool privileged = false;
  std::optional<std::int64_t> user;
  std::optional<std::int64_t> group;
  RunPolicy runPolicy = RunPolicy::OnSuccess;
  FailureMode failure = FailureMode::Fail;
  bool detach = false;
  std::vector<std::string> dependsOn;  // names of steps (the graph is complete and acyclic)
  std::vector<int> ports;              // services: TCP ports a dependent step waits for
  bool clone = false;                  // the generated clone step
};

struct Workspace {
  std::string base = "/drone/src";
  std::string path;  // relative to base; the working directory is base/path
};

struct RegistryCredential {
  std::string address;
  std::string username;
  std::string password;
};

struct Plan {
  std::string pipelineName;
  std::string os = "linux";
  std::string arch;  // empty: any
  std::string namespaceName;
  StringMap labels;
  StringMap annotations;
  std::string nodeName;
  Placement placement;
  std::string serviceAccountName;
  std::optional<bool> automountServiceAccountToken;
  std::string priorityClassName;
  std::string runtimeClassName;
  std::optional<DnsConfig> dnsConfig;
  std::vector<HostAlias> hostAliases;
  Workspace workspace;
  std::vector<Volume> volumes;
  std::vector<Step> services;
  std::vector<Step> steps;  // in file order, clone first; skipped steps are left out
  // Values for the stage's Secret, by key. Never printed; referenced by SecretEnv.
  StringMap secrets;
  std::vector<RegistryCredential> registries;
  // Every value that must never appear in a log line sent anywhere.
  std::vector<std::string> masked;
};

}  // namespace pipeline
