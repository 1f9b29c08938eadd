#pragma once

#include <functional>
#include <memory>

#include "kube/client.h"
#include "kube/factory.h"
#include "runner/config.h"
#include "runner/daemon/daemon.h"
#include "runner/daemon/stage_runner.h"

// The composition root of `podrunner daemon`: builds the agent's parts from the
// configuration and runs it until SIGTERM or SIGINT.
namespace podrunner {

// The Kubernetes client for the configuration, telling the observer of each API request
// (connectToCluster in the binary).
using ClusterConnector =
    std::function<std::unique_ptr<kube::Client>(const Config&, kube::RequestObserver)>;

// Every DRONE_* setting the daemon itself uses, mapped onto its parts.
DaemonOptions daemonOptions(const Config& config);

// Connects to the cluster, sweeps the runner's orphans (orphan_sweep.h), runs stages on
// a KubeEngine; blocks SIGTERM and SIGINT and turns them into a graceful stop; returns
// the exit status.
int runDaemon(const Config& config, const ClusterConnector& connect,
              const CompileFunction& compile);

}  // namespace podrunner
