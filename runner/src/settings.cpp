#include "runner/settings.h"

#include <algorithm>
#include <cctype>

#include "runner/value_parsers.h"

namespace podrunner {
namespace {

using G = SettingGroup;
using Apply = std::function<void(Config&, const std::string&)>;

Setting make(std::string env, std::string defaultText, std::string help, G group, Apply apply,
             bool secret = false) {
  std::string flag = env.substr(std::string("DRONE_").size());
  std::transform(flag.begin(), flag.end(), flag.begin(), [](unsigned char c) {
    return c == '_' ? '-' : static_cast<char>(std::tolower(c));
  });
  return Setting{std::move(env), std::move(flag), std::move(defaultText), std::move(help),
                 group,          secret,          std::move(apply)};
}

std::vector<Setting> buildTable() {
  namespace p = parse;
  using C = Config;
  using S = const std::string&;
  return {
      // RPC: how to reach the Drone server.
      make("DRONE_RPC_PROTO", "http", "protocol of the Drone server (http or https)", G::Rpc,
           [](C& c, S v) {
             c.rpc.proto = p::oneOf(v, {"http", "https"});
           }),
      make("DRONE_RPC_HOST", "", "host[:port] of the Drone server (required by daemon)", G::Rpc,
           [](C& c, S v) { c.rpc.host = v; }),
      make(
          "DRONE_RPC_SECRET", "", "shared secret with the Drone server (required by daemon)",
          G::Rpc, [](C& c, S v) { c.rpc.secret = v; }, true),
      make("DRONE_RPC_SKIP_VERIFY", "false", "skip TLS verification of the Drone server", G::Rpc,
           [](C& c, S v) { c.rpc.skipVerify = p::boolean(v); }),
      make("DRONE_RPC_DUMP_HTTP", "false", "log every RPC request and response line (no secrets)",
           G::Rpc, [](C& c, S v) { c.rpc.dumpHttp = p::boolean(v); }),
      make("DRONE_RPC_DUMP_HTTP_BODY", "false", "also log RPC bodies (secrets masked)", G::Rpc,
           [](C& c, S v) { c.rpc.dumpHttpBody = p::boolean(v); }),

      // Logging.
      make("DRONE_DEBUG", "false", "log at debug level", G::Logging,
           [](C& c, S v) { c.logging.debug = p::boolean(v); }),
      make("DRONE_TRACE", "false", "log at trace level", G::Logging,
           [](C& c, S v) { c.logging.trace = p::boolean(v); }),

      // The runner as Drone sees it.
      make("DRONE_RUNNER_NAME", "host name",
           "runner name sent on accept (DRONE_STAGE_MACHINE) and labelled on its objects; one "
           "name per runner",
           G::Runner, [](C& c, S v) { c.runner.name = v; }),
      make("DRONE_RUNNER_CAPACITY", "100", "stages run at the same time", G::Runner,
           [](C& c, S v) { c.runner.capacity = p::wholeNumber(v, 1); }),
      make("DRONE_RUNNER_MAX_PROCS", "0", "steps run at the same time per stage (0: no limit)",
           G::Runner, [](C& c, S v) { c.runner.maxProcs = p::wholeNumber(v, 0); }),
      make("DRONE_RUNNER_LABELS", "", "key:value,... that a pipeline's node: must equal", G::Runner,
           [](C& c, S v) { c.runner.labels = p::map(v); }),
      make("DRONE_RUNNER_ENVIRON", "", "key:value,... added to every step's environment", G::Runner,
           [](C& c, S v) { c.runner.environ = p::map(v); }),
      make("DRONE_RUNNER_ENV_FILE", "", "dotenv file added to every step's environment", G::Runner,
           [](C& c, S v) { c.runner.envFile = v; }),
      make(
          "DRONE_RUNNER_SECRETS", "", "name:value,... secrets for every build (never for PRs)",
          G::Runner, [](C& c, S v) { c.runner.secrets = p::map(v); }, true),
      make("DRONE_RUNNER_VOLUMES", "", "host-path:container-path,... mounted into every step",
           G::Runner, [](C& c, S v) { c.runner.volumes = p::map(v); }),
      make("DRONE_RUNNER_PRIVILEGED_IMAGES", "",
           "images run privileged, added to plugins/docker,"
           " plugins/acr, plugins/ecr, plugins/gcr, plugins/heroku",
           G::Runner, [](C& c, S v) { c.runner.privilegedImages = p::list(v); }),

      // Which stages to take.
      make("DRONE_LIMIT_REPOS", "", "repository slug globs this runner accepts", G::Limits,
           [](C& c, S v) { c.limits.repos = p::list(v); }),
      make("DRONE_LIMIT_EVENTS", "", "build event globs this runner accepts", G::Limits,
           [](C& c, S v) { c.limits.events = p::list(v); }),
      make("DRONE_LIMIT_TRUSTED", "false", "accept trusted repositories only", G::Limits,
           [](C& c, S v) { c.limits.trusted = p::boolean(v); }),

      // The Kubernetes API.
      make("DRONE_KUBERNETES_CONFIG", "",
           "kubeconfig file (default: in-cluster, then KUBECONFIG,"
           " then ~/.kube/config)",
           G::Kube, [](C& c, S v) { c.kube.configPath = v; }),
      make("DRONE_KUBERNETES_CONTEXT", "", "kubeconfig context (default: current-context)", G::Kube,
           [](C& c, S v) { c.kube.context = v; }),
      make("DRONE_KUBE_CLIENT_QPS", "5", "Kubernetes API requests per second", G::Kube,
           [](C& c, S v) { c.kube.qps = p::decimal(v, 0); }),
      make("DRONE_KUBE_CLIENT_BURST", "10", "Kubernetes API request burst", G::Kube,
           [](C& c, S v) { c.kube.burst = p::wholeNumber(v, 1); }),

      // What pods get by default.
      make("DRONE_NAMESPACE_DEFAULT", "default",
           "namespace of a stage's pods when the pipeline"
           " names none",
           G::Defaults, [](C& c, S v) { c.defaults.namespaceName = v; }),
      make("DRONE_NAMESPACE_RULES", "", "namespace:repo-glob,... which repos may use a namespace",
           G::Defaults, [](C& c, S v) { c.defaults.namespaceRules = p::map(v); }),
      make("DRONE_NAMESPACE_RULES_FILE", "", "YAML file mapping namespace -> [repo globs]",
           G::Defaults, [](C& c, S v) { c.defaults.namespaceRulesFile = v; }),
      make("DRONE_SERVICE_ACCOUNT_DEFAULT", "",
           "service account of pods when the pipeline names"
           " none",
           G::Defaults, [](C& c, S v) { c.defaults.serviceAccount = v; }),
      make("DRONE_AUTOMOUNT_SERVICE_ACCOUNT_TOKEN", "true",
           "mount the service account token"
           " into step pods",
           G::Defaults, [](C& c, S v) { c.defaults.automountServiceAccountToken = p::boolean(v); }),
      make("DRONE_NODE_SELECTOR_DEFAULT", "", "key:value,... node selector of every pod",
           G::Defaults, [](C& c, S v) { c.defaults.nodeSelector = p::map(v); }),
      make("DRONE_LABELS_DEFAULT", "", "key:value,... labels of every pod", G::Defaults,
           [](C& c, S v) { c.defaults.labels = p::map(v); }),
      make("DRONE_ANNOTATIONS_DEFAULT", "", "key:value,... annotations of every pod", G::Defaults,
           [](C& c, S v) { c.defaults.annotations = p::map(v); }),
      make("DRONE_RESOURCE_REQUEST_CPU", "100", "CPU request of a step without one (millicores)",
           G::Defaults, [](C& c, S v) { c.defaults.requestCpuMillis = p::cpuMillis(v); }),
      make("DRONE_RESOURCE_REQUEST_MEMORY", "100MiB", "memory request of a step without one",
           G::Defaults, [](C& c, S v) { c.defaults.requestMemoryBytes = p::byteSize(v); }),
      make("DRONE_RESOURCE_MIN_REQUEST_CPU", "1", "smallest CPU request of a step (millicores)",
           G::Defaults, [](C& c, S v) { c.defaults.minRequestCpuMillis = p::cpuMillis(v); }),
      make("DRONE_RESOURCE_MIN_REQUEST_MEMORY", "4MiB", "smallest memory request of a step",
           G::Defaults, [](C& c, S v) { c.defaults.minRequestMemoryBytes = p::byteSize(v); }),
      make("DRONE_RESOURCE_LIMIT_CPU", "0", "largest CPU limit of a step (millicores; 0: none)",
           G::Defaults, [](C& c, S v) { c.defaults.limitCpuMillis = p::cpuMillis(v); }),
      make("DRONE_RESOURCE_LIMIT_MEMORY", "0", "largest memory limit of a step (0: none)",
           G::Defaults, [](C& c, S v) { c.defaults.limitMemoryBytes = p::byteSize(v); }),
      make("DRONE_POLICY_FILE", "", "YAML policies overriding pipeline settings by match",
           G::Defaults, [](C& c, S v) { c.defaults.policyFile = v; }),
      make("DRONE_IMAGE_CLONE", "drone/git:latest", "image of the clone step (needs sh and git)",
           G::Defaults, [](C& c, S v) { c.defaults.cloneImage = v; }),
      make("DRONE_IMAGE_PLACEHOLDER", "drone/placeholder:1",
           "accepted for compatibility; podrunner"
           " starts each pod with its real image, so no placeholder is used",
           G::Defaults, [](C& c, S v) { c.defaults.placeholderImage = v; }),
      make("DRONE_NETRC_CLONE_ONLY", "false", "give the netrc to the clone step only", G::Defaults,
           [](C& c, S v) { c.defaults.netrcCloneOnly = p::boolean(v); }),
      make("DRONE_DOCKER_CONFIG", "", "docker config.json whose auths are used for image pulls",
           G::Defaults, [](C& c, S v) { c.defaults.dockerConfig = v; }),

      // How stages run.
      make("DRONE_ENGINE_CONTAINER_START_TIMEOUT", "480", "seconds a step pod may take to start",
           G::Engine, [](C& c, S v) { c.engine.containerStartTimeout = p::duration(v); }),
      make("DRONE_ENGINE_IMAGE_PULL_GRACE", "30",
           "seconds an image pull may keep failing before"
           " the step fails",
           G::Engine, [](C& c, S v) { c.engine.imagePullGrace = p::duration(v); }),
      make("DRONE_ENGINE_UNSCHEDULABLE_GRACE", "120",
           "seconds a pod may stay unschedulable before"
           " the step fails",
           G::Engine, [](C& c, S v) { c.engine.unschedulableGrace = p::duration(v); }),
      make("DRONE_ENGINE_CONTAINER_TIME_TO_WAIT_FOR_LOGS", "0",
           "accepted for compatibility;"
           " podrunner reads each log to its end without waiting",
           G::Engine, [](C& c, S v) { c.engine.timeToWaitForLogs = p::duration(v); }),
      make("DRONE_ENGINE_CANCEL_GRACE", "10", "seconds a cancelled step pod gets to stop",
           G::Engine, [](C& c, S v) { c.engine.cancelGrace = p::duration(v); }),
      make("DRONE_ENGINE_KEEP_FAILED_PODS", "0", "seconds failed step pods are kept for debugging",
           G::Engine, [](C& c, S v) { c.engine.keepFailedPods = p::duration(v); }),
      make("DRONE_WORKSPACE_MODE", "pvc", "workspace volume of a stage: pvc or host", G::Engine,
           [](C& c, S v) {
             c.engine.workspaceMode = p::oneOf(v, {"pvc", "host"});
           }),
      make("DRONE_WORKSPACE_STORAGE_CLASS", "",
           "storage class of workspace claims (empty: the"
           " cluster default)",
           G::Engine, [](C& c, S v) { c.engine.workspaceStorageClass = v; }),
      make("DRONE_WORKSPACE_SIZE", "1GiB", "size of a workspace claim", G::Engine,
           [](C& c, S v) { c.engine.workspaceSizeBytes = p::byteSize(v); }),
      make("DRONE_WORKSPACE_ACCESS_MODE", "ReadWriteOnce",
           "access mode of workspace claims"
           " (ReadWriteOnce pins a stage's pods to one node)",
           G::Engine,
           [](C& c, S v) {
             c.engine.workspaceAccessMode = p::oneOf(v, {"ReadWriteOnce", "ReadWriteMany"});
           }),
      make("DRONE_WORKSPACE_HOST_PATH", "/var/lib/podrunner",
           "node directory holding stage"
           " workspaces in host mode",
           G::Engine, [](C& c, S v) { c.engine.workspaceHostPath = v; }),
      make("DRONE_STEP_LOG_LIMIT", "5MiB", "log bytes kept per step", G::Engine,
           [](C& c, S v) { c.engine.stepLogLimitBytes = p::byteSize(v); }),

      // The runner's own HTTP endpoint.
      make("DRONE_SERVER_PORT", ":3000", "address of /healthz, /readyz and /metrics", G::Http,
           [](C& c, S v) { c.http.port = v; }),
      make("DRONE_SERVER_PROTO", "", "accepted for compatibility (the endpoint speaks http)",
           G::Http, [](C& c, S v) { c.http.proto = v; }),
      make("DRONE_SERVER_HOST", "", "accepted for compatibility", G::Http,
           [](C& c, S v) { c.http.host = v; }),
      make("DRONE_SERVER_ACME", "false", "not supported: terminate TLS in front of the runner",
           G::Http, [](C& c, S v) { c.unsupported.serverAcme = p::boolean(v) ? "true" : ""; }),
      make("DRONE_SHUTDOWN_GRACE", "600", "seconds running stages may finish after SIGTERM",
           G::Http, [](C& c, S v) { c.http.shutdownGrace = p::duration(v); }),

      // Extensions.
      make("DRONE_SECRET_PLUGIN_ENDPOINT", "", "secret extension URL", G::Plugins,
           [](C& c, S v) { c.secretPlugin.endpoint = v; }),
      make(
          "DRONE_SECRET_PLUGIN_TOKEN", "", "secret extension shared token", G::Plugins,
          [](C& c, S v) { c.secretPlugin.token = v; }, true),
      make("DRONE_SECRET_PLUGIN_SKIP_VERIFY", "false", "skip TLS verification of the extension",
           G::Plugins, [](C& c, S v) { c.secretPlugin.skipVerify = p::boolean(v); }),
      make("DRONE_REGISTRY_PLUGIN_ENDPOINT", "", "not supported: use image_pull_secrets",
           G::Plugins, [](C& c, S v) { c.unsupported.registryPluginEndpoint = v; }),
      make("DRONE_ENV_PLUGIN_ENDPOINT", "", "not supported: use DRONE_RUNNER_ENVIRON", G::Plugins,
           [](C& c, S v) { c.unsupported.envPluginEndpoint = v; }),
      make("DRONE_TMATE_ENABLED", "false", "not supported (remote debugging); true is refused",
           G::Plugins, [](C& c, S v) { c.unsupported.tmateEnabled = p::boolean(v); }),
      make(
          "DRONE_UI_PASSWORD", "", "not supported (no dashboard); a value is refused", G::Plugins,
          [](C& c, S v) { c.unsupported.uiPassword = v; }, true),
  };
}

std::string strip(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

}  // namespace

const std::vector<Setting>& allSettings() {
  static const std::vector<Setting> table = buildTable();
  return table;
}

Config resolveSettings(const std::vector<SettingGroup>& groups, const SettingSources& sources) {
  Config config;
  for (const auto& setting : allSettings()) {
    if (std::find(groups.begin(), groups.end(), setting.group) == groups.end()) continue;
    std::optional<std::string> value;
    std::string origin;
    if (auto f = sources.flags.find(setting.flag); f != sources.flags.end()) {
      value = f->second;
      origin = "--" + setting.flag;
    } else if (auto e = sources.environment ? sources.environment(setting.env) : std::nullopt) {
      value = e;
      origin = setting.env;
    } else if (auto d = sources.dotenv.find(setting.env); d != sources.dotenv.end()) {
      value = d->second;
      origin = setting.env + " (from the dotenv file)";
    }
    if (!value) continue;
    try {
      setting.apply(config, *value);
    } catch (const ValueError& e) {
      const std::string shown = setting.secret ? "(hidden)" : "'" + *value + "'";
      throw SettingError(origin + "=" + shown + ": " + e.what());
    }
  }
  return config;
}

std::map<std::string, std::string> parseDotenv(const std::string& text, const std::string& file) {
  std::map<std::string, std::string> values;
  size_t lineNumber = 0;
  size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = strip(text.substr(start, end - start));
    start = end + 1;
    ++lineNumber;
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = strip(line.substr(7));
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw SettingError(file + ":" + std::to_string(lineNumber) + ": expected KEY=VALUE");
    }
    std::string key = strip(line.substr(0, eq));
    std::string value = strip(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[key] = value;
  }
  return values;
}

}  // namespace podrunner
