#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "kube/client.h"
#include "pipeline/plan.h"

namespace podrunner::testing {

// What a simulated container does, decided from its pod when the pod is created.
struct ContainerScript {
  std::vector<std::string> output;  // written to the log, in order
  int exitCode = 0;
  std::string terminatedReason;  // e.g. OOMKilled; empty: Completed or Error
  std::string waitingReason;     // e.g. ErrImagePull: the container never starts
  std::string waitingMessage;
  bool unschedulable = false;
  bool runsUntilDeleted = false;  // a service, or a step a test cancels
  bool neverReady = false;        // a service whose port never accepts connections
  bool evicted = false;           // the kubelet evicts the pod while it runs
  bool vanishes = false;          // someone else deletes the pod while it runs
};

// An in-memory Kubernetes API that plays the scheduler and the kubelet: pods are
// scheduled (to node-1, node-2, ... in turn unless an affinity pins them), their
// containers wait, run and write logs, and terminate; every change reaches the
// watches, in order, on their own threads; logs are served in small chunks with
// timestamps like the real API.
class FakeKubeClient : public kube::Client {
 public:
  using Script = std::function<ContainerScript(const kube::Pod&, FakeKubeClient&)>;

  FakeKubeClient();
  ~FakeKubeClient() override;

  // How containers of `image` behave; unknown images exit 0 with no output.
  void onImage(const std::string& image, Script script);
  void breakLogStreamsOnce(std::size_t afterBytes);  // next log stream fails midway
  // The next following log stream ends cleanly `afterBytes` in, mid-line: a kubelet that saw
  // the container exit before the runtime wrote the log's tail.
  void endFollowShortOnce(std::size_t afterBytes);
  void failWatchOnce();

  // A shared folder per claim or hostPath, for scripts that pass files between steps.
  std::map<std::string, std::string>& files(const std::string& volume);

  // Inspection by tests.
  std::vector<kube::Pod> createdPods() const;  // as created, in order
  std::vector<kube::Secret> createdSecrets() const;
  std::vector<kube::PersistentVolumeClaim> createdClaims() const;
  std::size_t objectsLeft() const;                     // pods, secrets and claims that still exist
  std::vector<std::string> createdNamespaces() const;  // in order
  std::vector<std::string> namespacesLeft() const;     // created and not deleted
  std::vector<std::string> deletedWithGrace() const;   // "pod:grace" of deletePod calls

  // kube::Client
  kube::Identity identity() const override;
  std::string serverVersion() override;
  kube::Pod createPod(const kube::Pod& pod) override;
  kube::Pod getPod(const std::string& ns, const std::string& name) override;
  std::vector<kube::Pod> listPods(const std::string& ns, const std::string& labelSelector,
                                  std::string* resourceVersion) override;
  kube::Pod patchPod(const std::string& ns, const std::string& name,
                     const std::string& mergePatchJson) override;
  void deletePod(const std::string& ns, const std::string& name,
                 const kube::DeleteOptions& options) override;
  std::vector<std::string> deletePods(const std::string& ns, const std::string& labelSelector,
                                      const kube::DeleteOptions& options) override;
  kube::Secret createSecret(const kube::Secret& secret) override;
  void deleteSecret(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteSecrets(const std::string& ns,
                                         const std::string& labelSelector) override;
  kube::PersistentVolumeClaim createClaim(const kube::PersistentVolumeClaim& claim) override;
  kube::PersistentVolumeClaim getClaim(const std::string& ns, const std::string& name) override;
  void deleteClaim(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteClaims(const std::string& ns,
                                        const std::string& labelSelector) override;
  kube::Service createService(const kube::Service& service) override;
  void deleteService(const std::string& ns, const std::string& name) override;
  std::vector<std::string> deleteServices(const std::string& ns,
                                          const std::string& labelSelector) override;
  kube::Namespace createNamespace(const kube::Namespace& ns) override;
  void deleteNamespace(const std::string& name) override;
  std::vector<kube::Event> listEvents(const std::string& ns, const std::string& kind,
                                      const std::string& name) override;
  std::unique_ptr<kube::Stream> watchPods(
      const std::string& ns, const std::string& labelSelector, const std::string& resourceVersion,
      std::function<void(const kube::WatchEvent&)> onEvent,
      std::function<void(std::exception_ptr)> onClosed) override;
  std::unique_ptr<kube::Stream> followLog(const std::string& ns, const std::string& pod,
                                          const kube::LogOptions& options,
                                          std::function<void(std::string_view)> onData,
                                          std::function<void(std::exception_ptr)> onEnd) override;

  struct Watcher;
  struct LogLine {
    std::string timestamp;
    std::string text;
  };
  struct PodRecord {
    kube::Pod pod;
    ContainerScript script;
    std::vector<LogLine> log;
    bool exists = true;
  };

 private:
  void publish(kube::WatchEvent::Type type, const kube::Pod& pod);  // with mutex_ held
  void simulate(const std::string& key);
  void terminate(PodRecord& record, int exitCode, const std::string& reason);
  std::string nextTimestamp();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Script> scripts_;
  std::map<std::string, PodRecord> pods_;  // by namespace/name
  std::vector<kube::Pod> createdPods_;
  std::map<std::string, kube::Secret> secrets_;
  std::vector<kube::Secret> createdSecrets_;
  std::map<std::string, kube::PersistentVolumeClaim> claims_;
  std::vector<kube::PersistentVolumeClaim> createdClaims_;
  std::vector<std::string> createdNamespaces_;
  std::set<std::string> namespaces_;
  std::map<std::string, std::vector<kube::Event>> events_;
  std::map<std::string, std::map<std::string, std::string>> files_;
  std::vector<std::shared_ptr<Watcher>> watchers_;
  std::vector<std::string> deletedWithGrace_;
  std::vector<std::thread> threads_;
  int nextNode_ = 0;
  int nextIp_ = 10;
  long long uid_ = 0;
  long long clockTenths_ = 0;
  std::size_t breakLogAfter_ = 0;
  std::size_t endFollowAfter_ = 0;
  bool failWatch_ = false;
  bool stopping_ = false;
};

bool matchesSelector(const kube::StringMap& labels, const std::string& selector);

// A container that prints `lines` and exits with `exitCode`.
ContainerScript prints(std::vector<std::string> lines, int exitCode = 0);

// A step running `echo NAME` in `image`, after `dependsOn`.
pipeline::Step echoStep(const std::string& name, const std::string& image,
                        std::vector<std::string> dependsOn = {});

}  // namespace podrunner::testing
