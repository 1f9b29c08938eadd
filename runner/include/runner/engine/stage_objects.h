#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kube/objects.h"
#include "pipeline/plan.h"
#include "runner/config.h"
#include "runner/engine/engine.h"
#include "runner/engine/stage_names.h"

// The Kubernetes objects of one stage, made from its Plan: the stage Secret (the
// anchor every other object is owned by, so the garbage collector removes the stage
// if the runner dies), the registry Secret, the workspace claim and one Pod per step
// or service. Pure: no API calls.
namespace podrunner {

// What changes from one pod to the next while the stage runs.
struct PodContext {
  kube::OwnerReference owner;  // the created anchor Secret
  bool stageFailed = false;    // DRONE_BUILD_STATUS / DRONE_STAGE_STATUS at creation
  std::vector<std::string> failedSteps;
  std::string pinnedNode;       // required node affinity; empty: free
  bool firstPinnedPod = false;  // requests sized for the stage's largest step
  std::vector<kube::HostAlias> serviceAliases;
};

class StageObjects {
 public:
  StageObjects(const pipeline::Plan& plan, const StageIdentity& stage, const Config& config);

  const std::string& namespaceName() const { return namespace_; }
  // DRONE_NAMESPACE_DEFAULT (or metadata.namespace) "drone-" asks for a namespace of the
  // stage's own, created first and deleted at the end: this one.
  std::optional<kube::Namespace> stageNamespace() const;
  static constexpr const char* kPerStageNamespace = "drone-";
  const StageNames& names() const { return names_; }

  // Holds every secret value of the stage; the one object others reference as owner.
  kube::Secret anchorSecret() const;
  static kube::OwnerReference ownerReferenceTo(const kube::Secret& created);

  std::optional<kube::Secret> registrySecret(const kube::OwnerReference& owner) const;
  // The stage's PersistentVolumeClaim, when the workspace is one.
  std::optional<kube::PersistentVolumeClaim> workspaceClaim(
      const kube::OwnerReference& owner) const;
  // Whether pods after the first must run on the first pod's node (ReadWriteOnce, host).
  bool pinsToFirstNode() const;

  kube::Pod stepPod(const pipeline::Step& step, const PodContext& context) const;
  // In host mode, a pod on `node` that removes the stage's workspace directory (in the
  // clone image: it has a shell); nullopt in the other modes. Owned by nothing: it runs
  // after the anchor is gone.
  std::optional<kube::Pod> workspaceRemovalPod(const std::string& node) const;
  kube::Pod servicePod(const pipeline::Step& service, const PodContext& context) const;

  static constexpr const char* kWorkspaceVolume = "podrunner-workspace";
  static constexpr const char* kNodeLabel = "kubernetes.io/hostname";
  static constexpr const char* kWorkspacesMount = "/podrunner-workspaces";

 private:
  enum class WorkspaceKind { None, Claim, Host };
  kube::Pod pod(const pipeline::Step& step, const PodContext& context, bool service) const;
  kube::ObjectMeta meta(const std::string& name, const kube::StringMap& labels,
                        const kube::OwnerReference* owner) const;

  const pipeline::Plan& plan_;
  StageIdentity stage_;
  const Config& config_;
  StageNames names_;
  std::string namespace_;
  WorkspaceKind workspace_ = WorkspaceKind::None;
};

// The dockerconfigjson document for registry credentials: {"auths":{host:{"auth":b64}}}.
std::string dockerConfigJson(const std::vector<pipeline::RegistryCredential>& registries);

}  // namespace podrunner
