#include "runner/daemon/daemon_main.h"

#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <thread>

#include "runner/compiler_options.h"
#include "runner/daemon/cluster_probe.h"
#include "runner/engine/kube_engine.h"
#include "runner/engine/orphan_sweep.h"
#include "runner/log.h"

namespace podrunner {
namespace {

std::string hostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "podrunner";
  return name;
}

}  // namespace

DaemonOptions daemonOptions(const Config& config) {
  DaemonOptions o;
  o.client.address = config.rpc.proto + "://" + config.rpc.host;
  o.client.secret = config.rpc.secret;
  o.client.skipVerify = config.rpc.skipVerify;
  o.client.dumpHttp = config.rpc.dumpHttp || config.rpc.dumpHttpBody;
  o.client.dumpBody = config.rpc.dumpHttpBody;
  const std::string machine = config.runner.name.empty() ? hostName() : config.runner.name;
  o.poller.filter.kind = "pipeline";
  o.poller.filter.type = "kubernetes";
  o.poller.filter.labels = config.runner.labels;
  o.poller.machine = machine;
  o.poller.capacity = config.runner.capacity;
  o.stage.machine = machine;
  o.stage.limitRepos = config.limits.repos;
  o.stage.limitEvents = config.limits.events;
  o.stage.limitTrusted = config.limits.trusted;
  o.stage.compilerOptions = compilerOptions(config);
  o.stage.stepLogLimitBytes = config.engine.stepLogLimitBytes;
  o.listen = config.http.port;
  o.shutdownGrace = config.http.shutdownGrace;
  return o;
}

int runDaemon(const Config& config, const ClusterConnector& connect,
              const CompileFunction& compile) {
  const DaemonOptions options = daemonOptions(config);
  // Blocked here, before any thread starts, so only the waiter below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Metrics metrics;
  // Every API request of the engine, the sweep and /readyz, by verb and status. Before the
  // waiter starts: a configuration error leaves here with no thread of ours to join.
  const auto cluster = connect(config, [&metrics](const std::string& verb, int status) {
    metrics.kubeRequest(verb, status);
  });

  Cancellation stop;
  std::thread waiter([&] {
    int received = 0;
    sigwait(&signals, &received);
    if (!stop.cancelled())
      log::info("signal received: stopping", {{"signal", strsignal(received)}});
    stop.cancel(strsignal(received));
  });
  KubeEngine engine(*cluster, config);
  DelayedCleanup keptPods;  // declared after `cluster`, so its last work still has the client
  const auto sweep = [&] {
    const auto& compiler = options.stage.compilerOptions;
    sweepOrphans(*cluster, options.poller.machine,
                 stageNamespaces(compiler.namespaceDefault, compiler.namespaceRules), keptPods);
  };
  ClusterProbe probe(*cluster);
  Daemon daemon(
      options, engine, compile, metrics, [&probe] { return probe.notReady(); }, sweep);
  const int status = daemon.run(stop);

  stop.cancel("stopped");
  pthread_kill(waiter.native_handle(), SIGTERM);  // ends its sigwait
  waiter.join();
  return status;
}

}  // namespace podrunner
