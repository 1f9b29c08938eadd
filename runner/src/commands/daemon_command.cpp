#include <iostream>

#include "kube/error.h"
#include "pipeline/compiler.h"
#include "runner/cluster_client.h"
#include "runner/command.h"
#include "runner/daemon/daemon_main.h"
#include "runner/log.h"

namespace podrunner {
namespace {

// Settings the daemon cannot honour are refused at start rather than ignored.
std::vector<std::string> problems(const Config& c) {
  std::vector<std::string> found;
  if (c.rpc.host.empty())
    found.push_back("DRONE_RPC_HOST is required: host[:port] of the Drone server");
  if (c.rpc.secret.empty())
    found.push_back("DRONE_RPC_SECRET is required: the server's shared secret");
  if (!c.unsupported.registryPluginEndpoint.empty())
    found.push_back("DRONE_REGISTRY_PLUGIN_ENDPOINT is not supported: use image_pull_secrets");
  if (!c.unsupported.envPluginEndpoint.empty())
    found.push_back("DRONE_ENV_PLUGIN_ENDPOINT is not supported: use DRONE_RUNNER_ENVIRON");
  if (c.unsupported.tmateEnabled)
    found.push_back("DRONE_TMATE_ENABLED=true is not supported: remote debugging is not available");
  if (!c.unsupported.uiPassword.empty())
    found.push_back("DRONE_UI_PASSWORD is not supported: podrunner has no dashboard");
  if (!c.unsupported.serverAcme.empty())
    found.push_back("DRONE_SERVER_ACME is not supported: terminate TLS in front of the runner");
  if (!c.defaults.policyFile.empty())
    found.push_back("DRONE_POLICY_FILE is not supported yet: the compiler takes no policies");
  if (!c.secretPlugin.endpoint.empty())
    found.push_back("DRONE_SECRET_PLUGIN_ENDPOINT is not supported yet: use server secrets");
  return found;
}

}  // namespace

Command daemonCommand() {
  Command c;
  c.name = "daemon";
  c.summary = "poll the Drone server and run its kubernetes stages (the default)";
  c.positionalUsage = "[ENVFILE]";
  c.maxPositional = 1;
  c.positionalIsDotenv = true;
  c.groups = {SettingGroup::Logging, SettingGroup::Rpc,  SettingGroup::Runner,
              SettingGroup::Limits,  SettingGroup::Kube, SettingGroup::Defaults,
              SettingGroup::Engine,  SettingGroup::Http, SettingGroup::Plugins};
  c.run = [](CommandContext& context) {
    const auto found = problems(context.config);
    for (const auto& p : found) std::cerr << "podrunner daemon: " << p << "\n";
    if (!found.empty()) return kExitUsage;
    log::redact(context.config.rpc.secret);
    for (const auto& [name, value] : context.config.runner.secrets) log::redact(value);
    const CompileFunction compile = pipeline::compile;
    try {
      return runDaemon(context.config, connectToCluster, compile);
    } catch (const kube::ConfigError& e) {
      std::cerr << "podrunner daemon: no Kubernetes configuration: " << e.what() << "\n";
      return kExitUsage;
    } catch (const SettingError& e) {
      std::cerr << "podrunner daemon: " << e.what() << "\n";
      return kExitUsage;
    }
  };
  return c;
}

}  // namespace podrunner
