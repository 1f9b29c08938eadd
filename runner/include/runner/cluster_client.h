#pragma once

#include <memory>

#include "kube/client.h"
#include "kube/factory.h"
#include "runner/config.h"

namespace podrunner {

// The Kubernetes client for the runner's settings (DRONE_KUBERNETES_CONFIG and context,
// else in-cluster, else KUBECONFIG or ~/.kube/config; QPS and burst). Logs at debug
// level which server, user and namespace it talks to. Throws kube::ConfigError with a
// one-line reason when there is no usable configuration. `observer` hears of every API
// request the client sends (the daemon counts them in its metrics).
std::unique_ptr<kube::Client> connectToCluster(const Config& config,
                                               kube::RequestObserver observer = {});

}  // namespace podrunner
