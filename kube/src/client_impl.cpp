#include "client_impl.h"

#include <algorithm>
#include <map>

#include "api_paths.h"
#include "kube/json_codec.h"
#include "log_follow.h"
#include "pod_watch.h"

namespace kube {
namespace {

constexpr const char* kJson = "application/json";

// A request for one Kubernetes verb, sent with the HTTP method that carries it.
HttpRequest request(std::string verb, std::string target, std::string body = {},
                    std::string contentType = kJson) {
  static const std::map<std::string, std::string> methods = {
      {"get", "GET"},     {"list", "GET"},      {"create", "POST"},
      {"patch", "PATCH"}, {"delete", "DELETE"}, {"deletecollection", "DELETE"}};
  HttpRequest out;
  out.method = methods.at(verb);
  out.verb = std::move(verb);
  out.target = std::move(target);
  out.body = std::move(body);
  if (!out.body.empty()) out.contentType = std::move(contentType);
  return out;
}

std::string selector(const std::string& labelSelector) {
  return paths::query({{"labelSelector", labelSelector}});
}

}  // namespace

ClientImpl::ClientImpl(std::shared_ptr<ApiConnection> api, int streamMaxFailures)
    : api_(std::move(api)), streamMaxFailures_(streamMaxFailures) {}

Identity ClientImpl::identity() const {
  const ClusterConfig& config = api_->config();
  return {config.server, config.user, config.namespaceName};
}

std::string ClientImpl::create(const std::string& ns, const std::string& resource,
                               std::string body) {
  return api_
      ->call(request("create", paths::namespaced(ns, resource), std::move(body)),
             Replay::OnlyUnprocessed)
      .body;
}

std::string ClientImpl::remove(const std::string& target, const DeleteOptions& options,
                               const char* verb) {
  return api_->call(request(verb, target, toJson(options)), Replay::Safe).body;
}

// The API server answers a collection delete with the list of the objects it deleted.
std::vector<std::string> ClientImpl::removeCollection(const std::string& ns,
                                                      const std::string& resource,
                                                      const std::string& labelSelector,
                                                      const DeleteOptions& options) {
  const std::string body = remove(paths::namespaced(ns, resource) + selector(labelSelector),
                                  options, "deletecollection");
  try {
    return namesFromListJson(body);
  } catch (const ApiError&) {
    return {};  // deleted all the same; the answer just does not say what
  }
}

std::string ClientImpl::serverVersion() {
  return versionFromJson(api_->call(request("get", paths::version()), Replay::Never).body);
}

Pod ClientImpl::createPod(const Pod& pod) {
  return podFromJson(create(pod.metadata.namespaceName, "pods", toJson(pod)));
}

Pod ClientImpl::getPod(const std::string& ns, const std::string& name) {
  return podFromJson(
      api_->call(request("get", paths::namespaced(ns, "pods", name)), Replay::Safe).body);
}

std::vector<Pod> ClientImpl::listPods(const std::string& ns, const std::string& labelSelector,
                                      std::string* resourceVersion) {
  auto response = api_->call(
      request("list", paths::namespaced(ns, "pods") + selector(labelSelector)), Replay::Safe);
  return podListFromJson(response.body, resourceVersion);
}

Pod ClientImpl::patchPod(const std::string& ns, const std::string& name,
                         const std::string& mergePatchJson) {
  auto response = api_->call(request("patch", paths::namespaced(ns, "pods", name), mergePatchJson,
                                     "application/merge-patch+json"),
                             Replay::Safe);
  return podFromJson(response.body);
}

void ClientImpl::deletePod(const std::string& ns, const std::string& name,
                           const DeleteOptions& options) {
  remove(paths::namespaced(ns, "pods", name), options);
}

std::vector<std::string> ClientImpl::deletePods(const std::string& ns,
                                                const std::string& labelSelector,
                                                const DeleteOptions& options) {
  return removeCollection(ns, "pods", labelSelector, options);
}

Secret ClientImpl::createSecret(const Secret& secret) {
  return secretFromJson(create(secret.metadata.namespaceName, "secrets", toJson(secret)));
}

void ClientImpl::deleteSecret(const std::string& ns, const std::string& name) {
  remove(paths::namespaced(ns, "secrets", name), {});
}

std::vector<std::string> ClientImpl::deleteSecrets(const std::string& ns,
                                                   const std::string& labelSelector) {
  return removeCollection(ns, "secrets", labelSelector, {});
}

PersistentVolumeClaim ClientImpl::createClaim(const PersistentVolumeClaim& claim) {
  return claimFromJson(
      create(claim.metadata.namespaceName, "persistentvolumeclaims", toJson(claim)));
}

PersistentVolumeClaim ClientImpl::getClaim(const std::string& ns, const std::string& name) {
  return claimFromJson(
      api_->call(request("get", paths::namespaced(ns, "persistentvolumeclaims", name)),
                 Replay::Safe)
          .body);
}

void ClientImpl::deleteClaim(const std::string& ns, const std::string& name) {
  remove(paths::namespaced(ns, "persistentvolumeclaims", name), {});
}

std::vector<std::string> ClientImpl::deleteClaims(const std::string& ns,
                                                  const std::string& labelSelector) {
  return removeCollection(ns, "persistentvolumeclaims", labelSelector, {});
}

Service ClientImpl::createService(const Service& service) {
  return serviceFromJson(create(service.metadata.namespaceName, "services", toJson(service)));
}

void ClientImpl::deleteService(const std::string& ns, const std::string& name) {
  remove(paths::namespaced(ns, "services", name), {});
}

// Services have no deletecollection verb: list, then delete one by one.
std::vector<std::string> ClientImpl::deleteServices(const std::string& ns,
                                                    const std::string& labelSelector) {
  auto response = api_->call(
      request("list", paths::namespaced(ns, "services") + selector(labelSelector)), Replay::Safe);
  std::vector<std::string> deleted;
  for (const auto& name : namesFromListJson(response.body)) {
    try {
      deleteService(ns, name);
      deleted.push_back(name);
    } catch (const ApiError& e) {
      if (!e.isNotFound()) throw;
    }
  }
  return deleted;
}

Namespace ClientImpl::createNamespace(const Namespace& ns) {
  return namespaceFromJson(
      api_->call(request("create", paths::namespaces(), toJson(ns)), Replay::OnlyUnprocessed).body);
}

void ClientImpl::deleteNamespace(const std::string& name) { remove(paths::namespaces(name), {}); }

std::vector<Event> ClientImpl::listEvents(const std::string& ns, const std::string& kind,
                                          const std::string& name) {
  std::string fields = "involvedObject.kind=" + kind + ",involvedObject.name=" + name;
  auto response = api_->call(
      request("list", paths::namespaced(ns, "events") + paths::query({{"fieldSelector", fields}})),
      Replay::Safe);
  auto events = eventListFromJson(response.body);
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.lastTimestamp < b.lastTimestamp;
  });
  return events;
}

std::unique_ptr<Stream> ClientImpl::watchPods(const std::string& ns,
                                              const std::string& labelSelector,
                                              const std::string& resourceVersion,
                                              std::function<void(const WatchEvent&)> onEvent,
                                              std::function<void(std::exception_ptr)> onClosed) {
  return startPodWatch(api_, {ns, labelSelector, resourceVersion, streamMaxFailures_},
                       std::move(onEvent), std::move(onClosed));
}

std::unique_ptr<Stream> ClientImpl::followLog(const std::string& ns, const std::string& pod,
                                              const LogOptions& options,
                                              std::function<void(std::string_view)> onData,
                                              std::function<void(std::exception_ptr)> onEnd) {
  return startLogFollow(api_, ns, pod, options, std::move(onData), std::move(onEnd));
}

}  // namespace kube
