#include "runner/settings.h"

#include <catch2/catch.hpp>
#include <set>

using namespace podrunner;
using Catch::Matchers::Contains;

namespace {

const std::vector<SettingGroup> kAllGroups = {
    SettingGroup::Logging, SettingGroup::Rpc,  SettingGroup::Runner,
    SettingGroup::Limits,  SettingGroup::Kube, SettingGroup::Defaults,
    SettingGroup::Engine,  SettingGroup::Http, SettingGroup::Plugins};

SettingSources fromEnvironment(std::map<std::string, std::string> env) {
  SettingSources sources;
  sources.environment = [env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  return sources;
}

Config resolve(std::map<std::string, std::string> env) {
  return resolveSettings(kAllGroups, fromEnvironment(std::move(env)));
}

}  // namespace

TEST_CASE("defaults match drone-runner-kube", "[settings]") {
  const Config c = resolve({});
  CHECK(c.rpc.proto == "http");
  CHECK(c.runner.capacity == 100);
  CHECK(c.runner.maxProcs == 0);
  CHECK(c.defaults.namespaceName == "default");
  CHECK(c.defaults.requestCpuMillis == 100);
  CHECK(c.defaults.requestMemoryBytes == 104857600);
  CHECK(c.defaults.minRequestCpuMillis == 1);
  CHECK(c.defaults.minRequestMemoryBytes == 4194304);
  CHECK(c.defaults.limitCpuMillis == 0);
  CHECK(c.defaults.cloneImage == "drone/git:latest");
  CHECK(c.engine.containerStartTimeout == std::chrono::seconds(480));
  CHECK(c.http.port == ":3000");
  CHECK(c.engine.stepLogLimitBytes == 5 * 1024 * 1024);
}

TEST_CASE("every setting is named DRONE_* with a flag of its own", "[settings]") {
  std::set<std::string> envs;
  std::set<std::string> flags;
  for (const auto& s : allSettings()) {
    CHECK(s.env.rfind("DRONE_", 0) == 0);
    CHECK_FALSE(s.help.empty());
    CHECK(envs.insert(s.env).second);
    CHECK(flags.insert(s.flag).second);
  }
  CHECK(flags.count("rpc-host") == 1);
  CHECK(flags.count("runner-capacity") == 1);
}

TEST_CASE("every setting reads its variable", "[settings]") {
  const Config c = resolve({
      {"DRONE_RPC_PROTO", "https"},
      {"DRONE_RPC_HOST", "drone.example.com"},
      {"DRONE_RPC_SECRET", "s3cr3t"},
      {"DRONE_RPC_SKIP_VERIFY", "true"},
      {"DRONE_RPC_DUMP_HTTP", "true"},
      {"DRONE_RPC_DUMP_HTTP_BODY", "1"},
      {"DRONE_DEBUG", "true"},
      {"DRONE_TRACE", "t"},
      {"DRONE_RUNNER_NAME", "pi-4"},
      {"DRONE_RUNNER_CAPACITY", "2"},
      {"DRONE_RUNNER_MAX_PROCS", "3"},
      {"DRONE_RUNNER_LABELS", "zone:a"},
      {"DRONE_RUNNER_ENVIRON", "GOPROXY:http://proxy:3000,CI:yes"},
      {"DRONE_RUNNER_ENV_FILE", "/etc/runner.env"},
      {"DRONE_RUNNER_SECRETS", "token:abc"},
      {"DRONE_RUNNER_VOLUMES", "/cache:/cache"},
      {"DRONE_RUNNER_PRIVILEGED_IMAGES", "plugins/kaniko,my/dind"},
      {"DRONE_LIMIT_REPOS", "octo/*"},
      {"DRONE_LIMIT_EVENTS", "push,tag"},
      {"DRONE_LIMIT_TRUSTED", "true"},
      {"DRONE_KUBERNETES_CONFIG", "/kube/config"},
      {"DRONE_KUBERNETES_CONTEXT", "pi"},
      {"DRONE_KUBE_CLIENT_QPS", "20"},
      {"DRONE_KUBE_CLIENT_BURST", "40"},
      {"DRONE_NAMESPACE_DEFAULT", "ci"},
      {"DRONE_NAMESPACE_RULES", "ci:octo/*"},
      {"DRONE_NAMESPACE_RULES_FILE", "/rules.yml"},
      {"DRONE_SERVICE_ACCOUNT_DEFAULT", "builder"},
      {"DRONE_AUTOMOUNT_SERVICE_ACCOUNT_TOKEN", "false"},
      {"DRONE_NODE_SELECTOR_DEFAULT", "kubernetes.io/arch:arm64"},
      {"DRONE_LABELS_DEFAULT", "team:a"},
      {"DRONE_ANNOTATIONS_DEFAULT", "note:x"},
      {"DRONE_RESOURCE_REQUEST_CPU", "250"},
      {"DRONE_RESOURCE_REQUEST_MEMORY", "256MiB"},
      {"DRONE_RESOURCE_MIN_REQUEST_CPU", "10m"},
      {"DRONE_RESOURCE_MIN_REQUEST_MEMORY", "8MiB"},
      {"DRONE_RESOURCE_LIMIT_CPU", "2.0"},
      {"DRONE_RESOURCE_LIMIT_MEMORY", "1g"},
      {"DRONE_POLICY_FILE", "/policy.yml"},
      {"DRONE_IMAGE_CLONE", "alpine/git:2"},
      {"DRONE_IMAGE_PLACEHOLDER", "x/placeholder:2"},
      {"DRONE_NETRC_CLONE_ONLY", "true"},
      {"DRONE_DOCKER_CONFIG", "/docker.json"},
      {"DRONE_ENGINE_CONTAINER_START_TIMEOUT", "5m"},
      {"DRONE_ENGINE_IMAGE_PULL_GRACE", "20"},
      {"DRONE_ENGINE_UNSCHEDULABLE_GRACE", "1m"},
      {"DRONE_ENGINE_CONTAINER_TIME_TO_WAIT_FOR_LOGS", "2"},
      {"DRONE_ENGINE_CANCEL_GRACE", "3"},
      {"DRONE_ENGINE_KEEP_FAILED_PODS", "10m"},
      {"DRONE_WORKSPACE_MODE", "host"},
      {"DRONE_WORKSPACE_STORAGE_CLASS", "local-path"},
      {"DRONE_WORKSPACE_SIZE", "2Gi"},
      {"DRONE_WORKSPACE_ACCESS_MODE", "ReadWriteMany"},
      {"DRONE_WORKSPACE_HOST_PATH", "/srv/ws"},
      {"DRONE_STEP_LOG_LIMIT", "1MiB"},
      {"DRONE_SERVER_PORT", ":8080"},
      {"DRONE_SERVER_PROTO", "http"},
      {"DRONE_SERVER_HOST", "runner.local"},
      {"DRONE_SERVER_ACME", "false"},
      {"DRONE_SHUTDOWN_GRACE", "90"},
      {"DRONE_SECRET_PLUGIN_ENDPOINT", "http://secrets:3000"},
      {"DRONE_SECRET_PLUGIN_TOKEN", "tok"},
      {"DRONE_SECRET_PLUGIN_SKIP_VERIFY", "true"},
      {"DRONE_REGISTRY_PLUGIN_ENDPOINT", "http://reg"},
      {"DRONE_ENV_PLUGIN_ENDPOINT", "http://env"},
      {"DRONE_TMATE_ENABLED", "false"},
      {"DRONE_UI_PASSWORD", "pw"},
  });
  CHECK(c.rpc.proto == "https");
  CHECK(c.rpc.host == "drone.example.com");
  CHECK(c.rpc.secret == "s3cr3t");
  CHECK(c.rpc.skipVerify);
  CHECK(c.rpc.dumpHttp);
  CHECK(c.rpc.dumpHttpBody);
  CHECK(c.logging.debug);
  CHECK(c.logging.trace);
  CHECK(c.runner.name == "pi-4");
  CHECK(c.runner.capacity == 2);
  CHECK(c.runner.maxProcs == 3);
  CHECK(c.runner.labels == StringMap{{"zone", "a"}});
  CHECK(c.runner.environ.at("GOPROXY") == "http://proxy:3000");
  CHECK(c.runner.envFile == "/etc/runner.env");
  CHECK(c.runner.secrets.at("token") == "abc");
  CHECK(c.runner.volumes.at("/cache") == "/cache");
  CHECK(c.runner.privilegedImages == std::vector<std::string>{"plugins/kaniko", "my/dind"});
  CHECK(c.limits.repos == std::vector<std::string>{"octo/*"});
  CHECK(c.limits.events == std::vector<std::string>{"push", "tag"});
  CHECK(c.limits.trusted);
  CHECK(c.kube.configPath == "/kube/config");
  CHECK(c.kube.context == "pi");
  CHECK(c.kube.qps == 20);
  CHECK(c.kube.burst == 40);
  CHECK(c.defaults.namespaceName == "ci");
  CHECK(c.defaults.namespaceRules.at("ci") == "octo/*");
  CHECK(c.defaults.namespaceRulesFile == "/rules.yml");
  CHECK(c.defaults.serviceAccount == "builder");
  CHECK_FALSE(c.defaults.automountServiceAccountToken);
  CHECK(c.defaults.nodeSelector.at("kubernetes.io/arch") == "arm64");
  CHECK(c.defaults.labels.at("team") == "a");
  CHECK(c.defaults.annotations.at("note") == "x");
  CHECK(c.defaults.requestCpuMillis == 250);
  CHECK(c.defaults.requestMemoryBytes == 256LL * 1024 * 1024);
  CHECK(c.defaults.minRequestCpuMillis == 10);
  CHECK(c.defaults.minRequestMemoryBytes == 8LL * 1024 * 1024);
  CHECK(c.defaults.limitCpuMillis == 2000);
  CHECK(c.defaults.limitMemoryBytes == 1024LL * 1024 * 1024);
  CHECK(c.defaults.policyFile == "/policy.yml");
  CHECK(c.defaults.cloneImage == "alpine/git:2");
  CHECK(c.defaults.placeholderImage == "x/placeholder:2");
  CHECK(c.defaults.netrcCloneOnly);
  CHECK(c.defaults.dockerConfig == "/docker.json");
  CHECK(c.engine.containerStartTimeout == std::chrono::seconds(300));
  CHECK(c.engine.imagePullGrace == std::chrono::seconds(20));
  CHECK(c.engine.unschedulableGrace == std::chrono::seconds(60));
  CHECK(c.engine.timeToWaitForLogs == std::chrono::seconds(2));
  CHECK(c.engine.cancelGrace == std::chrono::seconds(3));
  CHECK(c.engine.keepFailedPods == std::chrono::seconds(600));
  CHECK(c.engine.workspaceMode == "host");
  CHECK(c.engine.workspaceStorageClass == "local-path");
  CHECK(c.engine.workspaceSizeBytes == 2LL * 1024 * 1024 * 1024);
  CHECK(c.engine.workspaceAccessMode == "ReadWriteMany");
  CHECK(c.engine.workspaceHostPath == "/srv/ws");
  CHECK(c.engine.stepLogLimitBytes == 1024 * 1024);
  CHECK(c.http.port == ":8080");
  CHECK(c.http.proto == "http");
  CHECK(c.http.host == "runner.local");
  CHECK(c.unsupported.serverAcme.empty());
  CHECK(c.http.shutdownGrace == std::chrono::seconds(90));
  CHECK(c.secretPlugin.endpoint == "http://secrets:3000");
  CHECK(c.secretPlugin.token == "tok");
  CHECK(c.secretPlugin.skipVerify);
  CHECK(c.unsupported.registryPluginEndpoint == "http://reg");
  CHECK(c.unsupported.envPluginEndpoint == "http://env");
  CHECK_FALSE(c.unsupported.tmateEnabled);
  CHECK(c.unsupported.uiPassword == "pw");
}

TEST_CASE("a malformed value names the variable and what was expected", "[settings]") {
  CHECK_THROWS_WITH(resolve({{"DRONE_RUNNER_CAPACITY", "abc"}}),
                    Contains("DRONE_RUNNER_CAPACITY='abc'") && Contains("whole number"));
  CHECK_THROWS_WITH(resolve({{"DRONE_RESOURCE_REQUEST_MEMORY", "lots"}}),
                    Contains("DRONE_RESOURCE_REQUEST_MEMORY='lots'") && Contains("size in bytes"));
  CHECK_THROWS_WITH(resolve({{"DRONE_RPC_PROTO", "ftp"}}),
                    Contains("DRONE_RPC_PROTO='ftp'") && Contains("http or https"));
  CHECK_THROWS_WITH(resolve({{"DRONE_WORKSPACE_MODE", "nfs"}}), Contains("pvc or host"));
  CHECK_THROWS_WITH(resolve({{"DRONE_RUNNER_LABELS", "zone"}}), Contains("key:value"));
  CHECK_THROWS_WITH(resolve({{"DRONE_DEBUG", "yes"}}), Contains("DRONE_DEBUG"));
}

TEST_CASE("a malformed secret is reported without its value", "[settings]") {
  try {
    resolve({{"DRONE_RUNNER_SECRETS", "hunter2"}});
    FAIL("expected an error");
  } catch (const SettingError& e) {
    const std::string message = e.what();
    CHECK_THAT(message, Contains("DRONE_RUNNER_SECRETS=(hidden)"));
    CHECK_THAT(message, !Contains("hunter2"));
  }
}

TEST_CASE("a flag wins over the environment, which wins over the dotenv file", "[settings]") {
  SettingSources sources =
      fromEnvironment({{"DRONE_RUNNER_CAPACITY", "5"}, {"DRONE_RUNNER_NAME", "from-env"}});
  sources.flags["runner-capacity"] = "7";
  sources.dotenv = {{"DRONE_RUNNER_NAME", "from-file"}, {"DRONE_NAMESPACE_DEFAULT", "ci"}};
  const Config c = resolveSettings(kAllGroups, sources);
  CHECK(c.runner.capacity == 7);
  CHECK(c.runner.name == "from-env");
  CHECK(c.defaults.namespaceName == "ci");
}

TEST_CASE("a bad flag is named as a flag", "[settings]") {
  SettingSources sources = fromEnvironment({});
  sources.flags["runner-capacity"] = "many";
  CHECK_THROWS_WITH(resolveSettings(kAllGroups, sources), Contains("--runner-capacity='many'"));
}

TEST_CASE("settings outside a command's groups are not read", "[settings]") {
  const Config c =
      resolveSettings({SettingGroup::Logging}, fromEnvironment({{"DRONE_RUNNER_CAPACITY", "abc"}}));
  CHECK(c.runner.capacity == 100);
}

TEST_CASE("dotenv files take comments, export and quotes", "[settings]") {
  const auto values = parseDotenv(
      "# runner\nexport DRONE_RPC_HOST=drone.local\n\nDRONE_RUNNER_NAME=\"pi 4\"\n"
      "DRONE_DEBUG='true'\n",
      "runner.env");
  CHECK(values.at("DRONE_RPC_HOST") == "drone.local");
  CHECK(values.at("DRONE_RUNNER_NAME") == "pi 4");
  CHECK(values.at("DRONE_DEBUG") == "true");
  CHECK_THROWS_WITH(parseDotenv("A=1\nnonsense\n", "runner.env"),
                    Contains("runner.env:2") && Contains("KEY=VALUE"));
}
