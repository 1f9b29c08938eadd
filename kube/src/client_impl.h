#pragma once

#include <memory>

#include "api_connection.h"
#include "kube/client.h"

namespace kube {

// Client over an ApiConnection: each operation is one typed core/v1 request.
class ClientImpl : public Client {
 public:
  explicit ClientImpl(std::shared_ptr<ApiConnection> api, int streamMaxFailures);

  // Client
  Identity identity() const override;
  std::string serverVersion() override;
  Pod createPod(const Pod& pod) override;
  Pod getPod(const std::string& ns, const std::string& name) override;
  std::vector<Pod> listPods(const std::string& ns, const std::string& labelSelector,
                            std::string* resourceVersion) override;
  Pod patchPod(const std::string& ns, const std::string& name,
               const std::string& mergePatchJson) override;
  void deletePod(const std::string& ns, const std::string& name,
                 const DeleteOptions& options) override;
  std::vector<std::string> deletePods(const std::string& ns, const std::string& labelSelector,
                                      const DeleteOptions& options) override;
  Secret createSecret(const Secret& secret) override;
  void deleteSecret(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteSecrets(const std::string& ns,
                                         const std::string& labelSelector) override;
  PersistentVolumeClaim createClaim(const PersistentVolumeClaim& claim) override;
  PersistentVolumeClaim getClaim(const std::string& ns, const std::string& name) override;
  void deleteClaim(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteClaims(const std::string& ns,
                                        const std::string& labelSelector) override;
  Service createService(const Service& service) override;
  void deleteService(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteServices(const std::string& ns,
                                          const std::string& labelSelector) override;
  Namespace createNamespace(const Namespace& ns) override;
  void deleteNamespace(const std::string& name) override;
  std::vector<Event> listEvents(const std::string& ns, const std::string& kind,
                                const std::string& name) override;
  std::unique_ptr<Stream> watchPods(const std::string& ns, const std::string& labelSelector,
                                    const std::string& resourceVersion,
                                    std::function<void(const WatchEvent&)> onEvent,
                                    std::function<void(std::exception_ptr)> onClosed) override;
  std::unique_ptr<Stream> followLog(const std::string& ns, const std::string& pod,
                                    const LogOptions& options,
                                    std::function<void(std::string_view)> onData,
                                    std::function<void(std::exception_ptr)> onEnd) override;

 private:
  std::string create(const std::string& ns, const std::string& resource, std::string body);
  // The body of the server's answer.
  std::string remove(const std::string& target, const DeleteOptions& options,
                     const char* verb = "delete");
  std::vector<std::string> removeCollection(const std::string& ns, const std::string& resource,
                                            const std::string& labelSelector,
                                            const DeleteOptions& options);

  std::shared_ptr<ApiConnection> api_;
  int streamMaxFailures_;
};

}  // namespace kube
