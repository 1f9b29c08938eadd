#include "runner/cluster_client.h"

#include "kube/factory.h"
#include "runner/log.h"

namespace podrunner {

std::unique_ptr<kube::Client> connectToCluster(const Config& config,
                                               kube::RequestObserver observer) {
  kube::ClientSettings settings;
  settings.configPath = config.kube.configPath;
  settings.context = config.kube.context;
  settings.qps = config.kube.qps;
  settings.burst = config.kube.burst;
  settings.observer = std::move(observer);
  auto client = kube::makeClient(settings);
  const kube::Identity who = client->identity();
  log::debug("kubernetes client",
             {{"server", who.server}, {"user", who.user}, {"namespace", who.namespaceName}});
  return client;
}

}  // namespace podrunner
