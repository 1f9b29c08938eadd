#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace podrunner {

using StringMap = std::map<std::string, std::string>;

// Every setting of the runner, filled from flags, the environment (DRONE_*), an
// optional dotenv file and defaults, in that order of precedence (see settings.h).
// Defaults match drone-runner-kube where the setting exists there.
struct Config {
  struct Rpc {
    std::string proto = "http";
    std::string host;
    std::string secret;
    bool skipVerify = false;
    bool dumpHttp = false;
    bool dumpHttpBody = false;
  } rpc;

  struct Logging {
    bool debug = false;
    bool trace = false;
  } logging;

  struct Runner {
    std::string name;  // empty means the host name
    int capacity = 100;
    int maxProcs = 0;  // 0: no limit on concurrent steps
    StringMap labels;
    StringMap environ;
    std::string envFile;
    StringMap secrets;
    StringMap volumes;
    std::vector<std::string> privilegedImages;
  } runner;

  struct Limits {
    std::vector<std::string> repos;
    std::vector<std::string> events;
    bool trusted = false;
  } limits;

  struct Kube {
    std::string configPath;
    std::string context;
    double qps = 5;
    int burst = 10;
  } kube;

  // What the compiler puts into pods by default.
  struct Defaults {
    std::string namespaceName = "default";
    StringMap namespaceRules;
    std::string namespaceRulesFile;
    std::string serviceAccount;
    bool automountServiceAccountToken = true;
    StringMap nodeSelector;
    StringMap labels;
    StringMap annotations;
    std::int64_t requestCpuMillis = 100;
    std::int64_t requestMemoryBytes = 100 * 1024 * 1024;
    std::int64_t minRequestCpuMillis = 1;
    std::int64_t minRequestMemoryBytes = 4 * 1024 * 1024;
    std::int64_t limitCpuMillis = 0;
    std::int64_t limitMemoryBytes = 0;
    std::string policyFile;
    std::string cloneImage = "drone/git:latest";
    std::string placeholderImage = "drone/placeholder:1";
    bool netrcCloneOnly = false;
    std::string dockerConfig;
  } defaults;

  struct Engine {
    std::chrono::seconds containerStartTimeout{480};
    std::chrono::seconds imagePullGrace{30};
    std::chrono::seconds unschedulableGrace{120};
    std::chrono::seconds timeToWaitForLogs{0};
    std::chrono::seconds cancelGrace{10};
    std::chrono::seconds keepFailedPods{0};
    std::string workspaceMode = "pvc";  // pvc | host
    std::string workspaceStorageClass;  // empty: the cluster's default class
    std::int64_t workspaceSizeBytes = 1024LL * 1024 * 1024;
    std::string workspaceAccessMode = "ReadWriteOnce";
    std::string workspaceHostPath = "/var/lib/podrunner";
    std::int64_t stepLogLimitBytes = 5 * 1024 * 1024;
  } engine;

  struct Http {
    std::string port = ":3000";
    std::string proto;
    std::string host;
    std::chrono::seconds shutdownGrace{600};
  } http;

  struct SecretPlugin {
    std::string endpoint;
    std::string token;
    bool skipVerify = false;
  } secretPlugin;

  // Settings drone-runner-kube has that podrunner does not support; kept so a
  // copied configuration is refused or warned about, never silently dropped.
  struct Unsupported {
    std::string registryPluginEndpoint;
    std::string envPluginEndpoint;
    bool tmateEnabled = false;
    std::string uiPassword;
    std::string serverAcme;
  } unsupported;
};

}  // namespace podrunner
