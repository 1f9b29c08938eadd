#pragma once

#include <string>
#include <vector>

#include "kube/error.h"

// Where the API server is and how to authenticate, from a kubeconfig or from the
// ServiceAccount files of a pod. Every loader throws ConfigError naming the file,
// the context and what is missing.
namespace kube {

struct ClusterConfig {
  std::string server;  // https://host:port[/prefix]
  std::string caPem;   // trusted CAs; empty: the system's
  bool insecureSkipTlsVerify = false;
  std::string tlsServerName;  // name to verify and send as SNI instead of the server's host
  std::string token;          // bearer token; tokenFile is re-read when it changes
  std::string tokenFile;
  std::string clientCertificatePem;  // kept in memory only
  std::string clientKeyPem;
  std::string namespaceName = "default";
  std::string user;    // for logs: the kubeconfig user, or "serviceaccount"
  std::string origin;  // for errors: "kubeconfig FILE context NAME" or "in-cluster"
};

// The files kubectl would read: the explicit path alone when given, else the
// entries of the KUBECONFIG value (colon list), else HOME/.kube/config.
std::vector<std::string> kubeconfigPaths(const std::string& explicitPath,
                                         const std::string& kubeconfigVariable,
                                         const std::string& home);

// Merges the files as kubectl does (the first file to set a name or the current
// context wins; missing files of a list are skipped, a lone explicit file must exist)
// and resolves `context`, or the current context when empty. File references are
// read now, relative to the file that names them; tokenFile stays a path.
ClusterConfig loadKubeconfig(const std::vector<std::string>& paths, const std::string& context);

// In a pod: the server from KUBERNETES_SERVICE_HOST/PORT and the token, ca.crt
// and namespace files in serviceAccountDir.
ClusterConfig loadInClusterConfig(const std::string& serviceHost, const std::string& servicePort,
                                  const std::string& serviceAccountDir);

inline constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";

}  // namespace kube
