#include "file_reading.h"
#include "kube/config.h"

namespace kube {
namespace {

std::string trimmed(std::string text) {
  auto end = text.find_last_not_of(" \t\r\n");
  text.erase(end == std::string::npos ? 0 : end + 1);
  return text;
}

}  // namespace

ClusterConfig loadInClusterConfig(const std::string& serviceHost, const std::string& servicePort,
                                  const std::string& serviceAccountDir) {
  if (serviceHost.empty() || servicePort.empty()) {
    throw ConfigError(
        "in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must both be set");
  }
  ClusterConfig config;
  config.origin = "in-cluster";
  config.user = "serviceaccount";
  bool ipv6 = serviceHost.find(':') != std::string::npos;
  config.server = "https://" + (ipv6 ? "[" + serviceHost + "]" : serviceHost) + ":" + servicePort;

  config.tokenFile = serviceAccountDir + "/token";
  auto token = readWholeFile(config.tokenFile);
  if (!token || trimmed(*token).empty()) {
    throw ConfigError("in-cluster: cannot read the ServiceAccount token " + config.tokenFile);
  }
  config.token = trimmed(*token);

  std::string caFile = serviceAccountDir + "/ca.crt";
  auto ca = readWholeFile(caFile);
  if (!ca) throw ConfigError("in-cluster: cannot read the cluster CA " + caFile);
  config.caPem = *ca;

  if (auto ns = readWholeFile(serviceAccountDir + "/namespace"); ns && !trimmed(*ns).empty()) {
    config.namespaceName = trimmed(*ns);
  }
  return config;
}

}  // namespace kube
