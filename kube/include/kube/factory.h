#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kube/client.h"
#include "kube/config.h"

// Building a Client from the runner's settings. kube reads no DRONE_* variable: the
// runner passes them in here.
namespace kube {

// Told of every request sent to the API server: its Kubernetes verb (get, list, watch,
// create, patch, delete, deletecollection) and the HTTP status of the answer, 0 when none
// came. Each attempt of a retried call counts once; a watch or log stream counts when it
// ends (a stream cancelled before any answer does not count). Runs on the calling thread
// or a client thread, so it must be quick and thread-safe.
using RequestObserver = std::function<void(const std::string& verb, int status)>;

struct ClientSettings {
  std::string configPath;  // a kubeconfig to use instead of in-cluster or KUBECONFIG
  std::string context;     // empty: the kubeconfig's current context
  double qps = 5;          // client-side rate limit; <= 0: none
  int burst = 10;
  std::chrono::milliseconds requestTimeout{std::chrono::seconds(30)};
  // A watch or log stream silent this long is treated as broken (watches resume).
  std::chrono::milliseconds streamIdleTimeout{std::chrono::minutes(5)};
  int maxAttempts = 5;  // of one idempotent call, the first included
  std::chrono::milliseconds retryBaseDelay{250};
  std::chrono::milliseconds retryMaxDelay{std::chrono::seconds(10)};
  int streamMaxFailures = 30;  // consecutive failed reconnects before a watch gives up
  // Threads of cpprestsdk's shared pool, set once per process (0: leave as is).
  std::size_t ioThreads = 4;
  RequestObserver observer;  // empty: none
};

// Where the configuration comes from, as drone-runner-kube resolves it: the explicit
// path when set, else in-cluster when KUBERNETES_SERVICE_HOST is set, else KUBECONFIG
// or ~/.kube/config. Throws ConfigError.
ClusterConfig resolveClusterConfig(const ClientSettings& settings);

std::unique_ptr<Client> makeClient(const ClientSettings& settings);
std::unique_ptr<Client> makeClient(const ClusterConfig& config, const ClientSettings& settings);

}  // namespace kube
