#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/objects.h"

// What podrunner asks of a Kubernetes API server. One implementation talks HTTPS to a
// real server (http_client.h, client_impl.h); tests may implement it in memory.
//
// Errors: every call throws kube::ApiError (error.h) on failure. Idempotent calls are
// retried inside the client (connection errors, 429 honouring Retry-After, 5xx) before
// they throw; AlreadyExists, NotFound, Conflict and Gone are never retried.
// All calls are safe to make from several threads at once.
namespace kube {

// A running watch or log stream. Destroying the handle cancels the stream and waits
// until no callback of it runs any more.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void cancel() = 0;
};

struct WatchEvent {
  enum class Type { Added, Modified, Deleted };
  Type type = Type::Added;
  Pod pod;
};

struct LogOptions {
  std::string container;  // empty: the pod's only container
  bool follow = true;
  bool timestamps = false;
  std::string sinceTime;  // RFC 3339; empty: from the first line
};

struct DeleteOptions {
  std::optional<std::int64_t> gracePeriodSeconds;
  std::string propagationPolicy = "Background";  // Background, Foreground, Orphan
};

// Who the client is talking to, for logs and error messages.
struct Identity {
  std::string server;
  std::string user;           // the kubeconfig user, or "serviceaccount" in a cluster
  std::string namespaceName;  // the default namespace of the configuration
};

class Client {
 public:
  virtual ~Client() = default;

  virtual Identity identity() const = 0;

  // The server's version (GET /version, gitVersion such as "v1.34.0"), which any
  // authenticated user may read: a cheap check that the server answers and takes the
  // credentials. Unlike other calls it is not retried (but for one resend with a rotated
  // token after a 401): a health check asks again.
  virtual std::string serverVersion() = 0;

  virtual Pod createPod(const Pod& pod) = 0;  // namespace from pod.metadata
  virtual Pod getPod(const std::string& ns, const std::string& name) = 0;
  // Sets *resourceVersion to the list's resourceVersion when given (to start a watch).
  virtual std::vector<Pod> listPods(const std::string& ns, const std::string& labelSelector,
                                    std::string* resourceVersion = nullptr) = 0;
  virtual Pod patchPod(const std::string& ns, const std::string& name,
                       const std::string& mergePatchJson) = 0;
  virtual void deletePod(const std::string& ns, const std::string& name,
                         const DeleteOptions& options = {}) = 0;
  // Deleting by label selector returns the names of the objects deleted, as the server
  // lists them in its answer (empty when it lists none).
  virtual std::vector<std::string> deletePods(const std::string& ns,
                                              const std::string& labelSelector,
                                              const DeleteOptions& options = {}) = 0;

  virtual Secret createSecret(const Secret& secret) = 0;
  virtual void deleteSecret(const std::string& ns, const std::string& name) = 0;
  virtual std::vector<std::string> deleteSecrets(const std::string& ns,
                                                 const std::string& labelSelector) = 0;

  virtual PersistentVolumeClaim createClaim(const PersistentVolumeClaim& claim) = 0;
  virtual PersistentVolumeClaim getClaim(const std::string& ns, const std::string& name) = 0;
  virtual void deleteClaim(const std::string& ns, const std::string& name) = 0;
  virtual std::vector<std::string> deleteClaims(const std::string& ns,
                                                const std::string& labelSelector) = 0;

  virtual Service createService(const Service& service) = 0;
  virtual void deleteService(const std::string& ns, const std::string& name) = 0;
  virtual std::vector<std::string> deleteServices(const std::string& ns,
                                                  const std::string& labelSelector) = 0;

  virtual Namespace createNamespace(const Namespace& ns) = 0;
  virtual void deleteNamespace(const std::string& name) = 0;

  // Events whose involvedObject is the named object of that kind, oldest first.
  virtual std::vector<Event> listEvents(const std::string& ns, const std::string& kind,
                                        const std::string& name) = 0;

  // Watches pods matching labelSelector from resourceVersion (empty: lists first and
  // reports every existing pod as Added). The stream resumes by itself after a dropped
  // connection and re-lists on 410 Gone, so that each change is reported once, in order.
  // onEvent runs on a client thread, one event at a time; onClosed runs once, after
  // cancel() (with nullptr) or when the watch cannot go on (with the error).
  virtual std::unique_ptr<Stream> watchPods(const std::string& ns, const std::string& labelSelector,
                                            const std::string& resourceVersion,
                                            std::function<void(const WatchEvent&)> onEvent,
                                            std::function<void(std::exception_ptr)> onClosed) = 0;

  // Streams a container's log as it is read, chunk by chunk (a chunk may end mid-line).
  // onEnd runs once: with nullptr when the log ended (the container stopped and its
  // log was read to the end) or the stream was cancelled, else with the error.
  virtual std::unique_ptr<Stream> followLog(const std::string& ns, const std::string& pod,
                                            const LogOptions& options,
                                            std::function<void(std::string_view)> onData,
                                            std::function<void(std::exception_ptr)> onEnd) = 0;
};

}  // namespace kube
