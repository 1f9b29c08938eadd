#include "kube/factory.h"

#include <openssl/ssl.h>
#include <pplx/threadpool.h>

#include <cstdlib>
#include <mutex>

#include "client_impl.h"
#include "cpprest_transport.h"

namespace kube {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// cpprestsdk's pool can be sized only before its first use; the first caller wins.
void sizeThreadPool(std::size_t threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    // OpenSSL first: exit then stops the pool's threads (freeing their OpenSSL state)
    // before OpenSSL's own clean-up runs, which is registered earlier and so runs later.
    OPENSSL_init_ssl(0, nullptr);
    try {
      crossplat::threadpool::initialize_with_threads(threads);
    } catch (const std::exception&) {
      // Already in use with its default size: still correct, only larger.
    }
  });
}

}  // namespace

ClusterConfig resolveClusterConfig(const ClientSettings& settings) {
  if (settings.configPath.empty() && !environment("KUBERNETES_SERVICE_HOST").empty()) {
    return loadInClusterConfig(environment("KUBERNETES_SERVICE_HOST"),
                               environment("KUBERNETES_SERVICE_PORT"), kServiceAccountDir);
  }
  return loadKubeconfig(
      kubeconfigPaths(settings.configPath, environment("KUBECONFIG"), environment("HOME")),
      settings.context);
}

std::unique_ptr<Client> makeClient(const ClientSettings& settings) {
  return makeClient(resolveClusterConfig(settings), settings);
}

std::unique_ptr<Client> makeClient(const ClusterConfig& config, const ClientSettings& settings) {
  if (settings.ioThreads > 0) sizeThreadPool(settings.ioThreads);
  TransportTimeouts timeouts{settings.requestTimeout, settings.streamIdleTimeout};
  std::unique_ptr<HttpTransport> transport;
  try {
    transport = makeCpprestTransport(config, timeouts);
  } catch (const ConfigError& e) {
    throw ConfigError(config.origin + ": " + e.what());
  }
  RetryPolicy retry;
  retry.maxAttempts = std::max(1, settings.maxAttempts);
  retry.baseDelay = settings.retryBaseDelay;
  retry.maxDelay = settings.retryMaxDelay;
  auto api = std::make_shared<ApiConnection>(std::move(transport), config, retry, settings.qps,
                                             settings.burst, settings.observer);
  return std::make_unique<ClientImpl>(std::move(api), settings.streamMaxFailures);
}

}  // namespace kube
