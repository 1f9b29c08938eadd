#include "runner/engine/stage_objects.h"

#include <algorithm>

namespace podrunner {
namespace {

std::string base64(std::string_view bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(alphabet[(n >> shift) & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    out.push_back(alphabet[(n >> 18) & 63]);
    out.push_back(alphabet[(n >> 12) & 63]);
    out.push_back(rest == 2 ? alphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out.push_back(c);
    }
  }
  return out + "\"";
}

// "https://index.docker.io/v1/" -> "index.docker.io"; a bare host stays as it is.
std::string registryHost(std::string address) {
  const auto scheme = address.find("://");
  if (scheme != std::string::npos) {
    address.erase(0, scheme + 3);
    address = address.substr(0, address.find('/'));
  }
  return address;
}

std::string pullPolicy(pipeline::PullPolicy pull) {
  switch (pull) {
    case pipeline::PullPolicy::Always:
      return "Always";
    case pipeline::PullPolicy::Never:
      return "Never";
    case pipeline::PullPolicy::IfNotPresent:
      break;
  }
  return "IfNotPresent";
}

kube::Volume toKube(const pipeline::Volume& v) {
  kube::Volume out;
  out.name = v.name;
  switch (v.kind) {
    case pipeline::Volume::Kind::Temp:
      out.source = kube::Volume::Source::EmptyDir;
      out.medium = v.memoryMedium ? "Memory" : "";
      out.sizeLimitBytes = v.sizeLimitBytes;
      break;
    case pipeline::Volume::Kind::Host:
      out.source = kube::Volume::Source::HostPath;
      out.path = v.hostPath;
      break;
    case pipeline::Volume::Kind::Claim:
      out.source = kube::Volume::Source::PersistentVolumeClaim;
      out.objectName = v.source;
      out.readOnly = v.readOnly;
      break;
    case pipeline::Volume::Kind::ConfigMap:
    case pipeline::Volume::Kind::Secret:
      out.source = v.kind == pipeline::Volume::Kind::ConfigMap ? kube::Volume::Source::ConfigMap
                                                               : kube::Volume::Source::Secret;
      out.objectName = v.source;
      out.defaultMode = v.defaultMode;
      out.optional = v.optional;
      break;
  }
  return out;
}

kube::Toleration toKube(const pipeline::Toleration& t) {
  return {t.key, t.op, t.value, t.effect, t.seconds};
}

std::string joinPath(const std::string& base, const std::string& path) {
  if (path.empty()) return base;
  if (!base.empty() && base.back() == '/') return base + path;
  return base + "/" + path;
}

}  // namespace

std::string dockerConfigJson(const std::vector<pipeline::RegistryCredential>& registries) {
  std::string out = "{\"auths\":{";
  bool first = true;
  for (const auto& r : registries) {
    if (!first) out += ",";
    first = false;
    out += jsonString(registryHost(r.address)) +
           ":{\"auth\":" + jsonString(base64(r.username + ":" + r.password)) + "}";
  }
  return out + "}}";
}

StageObjects::StageObjects(const pipeline::Plan& plan, const StageIdentity& stage,
                           const Config& config)
    : plan_(plan),
      stage_(stage),
      config_(config),
      names_(stage),
      namespace_(plan.namespaceName.empty() ? config.defaults.namespaceName : plan.namespaceName) {
  if (namespace_ == kPerStageNamespace) namespace_ = names_.objectName("namespace");
  // A stage of one step and no service shares nothing: a pod-local emptyDir will do.
  if (plan.steps.size() > 1 || !plan.services.empty()) {
    workspace_ = config.engine.workspaceMode == "host" ? WorkspaceKind::Host : WorkspaceKind::Claim;
  }
}

std::optional<kube::Namespace> StageObjects::stageNamespace() const {
  const std::string asked =
      plan_.namespaceName.empty() ? config_.defaults.namespaceName : plan_.namespaceName;
  if (asked != kPerStageNamespace) return std::nullopt;
  kube::Namespace ns;
  ns.metadata.name = namespace_;
  ns.metadata.labels = names_.stageLabels();
  return ns;
}

kube::ObjectMeta StageObjects::meta(const std::string& name, const kube::StringMap& labels,
                                    const kube::OwnerReference* owner) const {
  kube::ObjectMeta m;
  m.name = name;
  m.namespaceName = namespace_;
  m.labels = labels;
  if (owner) m.ownerReferences.push_back(*owner);
  return m;
}

kube::Secret StageObjects::anchorSecret() const {
  kube::Secret s;
  s.metadata = meta(names_.objectName("secrets"), names_.stageLabels(), nullptr);
  s.data = plan_.secrets;
  return s;
}

kube::OwnerReference StageObjects::ownerReferenceTo(const kube::Secret& created) {
  kube::OwnerReference ref;
  ref.apiVersion = "v1";
  ref.kind = "Secret";
  ref.name = created.metadata.name;
  ref.uid = created.metadata.uid;
  return ref;
}

std::optional<kube::Secret> StageObjects::registrySecret(const kube::OwnerReference& owner) const {
  if (plan_.registries.empty()) return std::nullopt;
  kube::Secret s;
  s.metadata = meta(names_.objectName("registry"), names_.stageLabels(), &owner);
  s.type = "kubernetes.io/dockerconfigjson";
  s.data[".dockerconfigjson"] = dockerConfigJson(plan_.registries);
  return s;
}

std::optional<kube::PersistentVolumeClaim> StageObjects::workspaceClaim(
    const kube::OwnerReference& owner) const {
  if (workspace_ != WorkspaceKind::Claim) return std::nullopt;
  kube::PersistentVolumeClaim c;
  c.metadata = meta(names_.objectName("workspace"), names_.stageLabels(), &owner);
  c.accessModes = {config_.engine.workspaceAccessMode};
  if (!config_.engine.workspaceStorageClass.empty()) {
    c.storageClassName = config_.engine.workspaceStorageClass;
  }
  c.storageBytes = config_.engine.workspaceSizeBytes;
  return c;
}

bool StageObjects::pinsToFirstNode() const {
  if (!plan_.nodeName.empty()) return false;  // every pod goes to that node anyway
  return workspace_ == WorkspaceKind::Host ||
         (workspace_ == WorkspaceKind::Claim &&
          config_.engine.workspaceAccessMode != "ReadWriteMany");
}

kube::Pod StageObjects::stepPod(const pipeline::Step& step, const PodContext& context) const {
  return pod(step, context, false);
}

std::optional<kube::Pod> StageObjects::workspaceRemovalPod(const std::string& node) const {
  if (workspace_ != WorkspaceKind::Host) return std::nullopt;
  kube::Pod p;
  p.metadata = meta(names_.objectName("remove-workspace"), names_.stageLabels(), nullptr);
  kube::Container c;
  c.name = "remove-workspace";
  c.image = config_.defaults.cloneImage;
  c.imagePullPolicy = "IfNotPresent";
  c.command = {"rm", "-rf", "--", joinPath(kWorkspacesMount, names_.objectName("workspace"))};
  c.volumeMounts.push_back({kWorkspaceVolume, kWorkspacesMount, "", false});
  p.spec.containers.push_back(std::move(c));
  kube::Volume parent;
  parent.name = kWorkspaceVolume;
  parent.source = kube::Volume::Source::HostPath;
  parent.path = config_.engine.workspaceHostPath;
  parent.hostPathType = "Directory";
  p.spec.volumes.push_back(parent);
  p.spec.nodeName = node;
  for (const auto& t : plan_.placement.tolerations) p.spec.tolerations.push_back(toKube(t));
  p.spec.restartPolicy = "Never";
  p.spec.automountServiceAccountToken = false;
  p.spec.terminationGracePeriodSeconds = 0;
  return p;
}

kube::Pod StageObjects::servicePod(const pipeline::Step& service, const PodContext& context) const {
  return pod(service, context, true);
}

kube::Pod StageObjects::pod(const pipeline::Step& step, const PodContext& context,
                            bool service) const {
  kube::Pod p;
  const std::string secretName = names_.objectName("secrets");
  p.metadata = meta(names_.objectName(step.name), names_.stepLabels(step.name), &context.owner);
  p.metadata.labels.insert(plan_.labels.begin(), plan_.labels.end());
  p.metadata.annotations = plan_.annotations;

  kube::Container c;
  c.name = dns1123Label(step.name);
  c.image = step.image;
  c.imagePullPolicy = pullPolicy(step.pull);
  if (!step.script.empty()) {
    c.command =
        step.entrypoint.empty() ? std::vector<std::string>{"/bin/sh", "-c"} : step.entrypoint;
    c.args = {step.script};
  } else {
    c.command = step.entrypoint;
    c.args = step.args;
  }
  auto environment = step.environment;
  const char* status = context.stageFailed ? "failure" : "success";
  environment["DRONE_BUILD_STATUS"] = status;
  environment["DRONE_STAGE_STATUS"] = status;
  if (!context.failedSteps.empty()) {
    std::string failed;
    for (const auto& name : context.failedSteps) failed += (failed.empty() ? "" : ",") + name;
    environment["DRONE_FAILED_STEPS"] = failed;
  }
  for (const auto& [name, value] : environment) c.env.push_back({name, value, "", "", ""});
  for (const auto& secret : step.secretEnvironment) {
    c.env.push_back({secret.env, "", secretName, secret.secret, ""});
  }
  const std::string workspaceDir = joinPath(plan_.workspace.base, plan_.workspace.path);
  c.workingDir = step.workingDir.empty() ? workspaceDir : step.workingDir;

  const auto& r = step.resources;
  c.resources.requests = {r.cpuRequestMillis, r.memoryRequestBytes, r.ephemeralStorageRequestBytes};
  c.resources.limits = {r.cpuLimitMillis, r.memoryLimitBytes, r.ephemeralStorageLimitBytes};
  if (context.firstPinnedPod) {
    // The node this pod lands on hosts every later pod of the stage: make sure it can.
    auto& requests = c.resources.requests;
    for (const auto* all : {&plan_.steps, &plan_.services}) {
      for (const auto& other : *all) {
        requests.cpuMillis = std::max(requests.cpuMillis, other.resources.cpuRequestMillis);
        requests.memoryBytes = std::max(requests.memoryBytes, other.resources.memoryRequestBytes);
      }
    }
    auto& limits = c.resources.limits;
    if (limits.cpuMillis) limits.cpuMillis = std::max(limits.cpuMillis, requests.cpuMillis);
    if (limits.memoryBytes) limits.memoryBytes = std::max(limits.memoryBytes, requests.memoryBytes);
  }

  c.volumeMounts.push_back({kWorkspaceVolume, plan_.workspace.base, "", false});
  for (const auto& m : step.volumes)
    c.volumeMounts.push_back({m.volume, m.path, m.subPath, m.readOnly});
  if (step.privileged || step.user || step.group) {
    kube::SecurityContext sc;
    if (step.privileged) sc.privileged = true;
    sc.runAsUser = step.user;
    sc.runAsGroup = step.group;
    c.securityContext = sc;
  }
  if (service) {
    c.ports = step.ports;
    if (!step.ports.empty()) c.readinessTcpPort = step.ports.front();
  }

  auto& spec = p.spec;
  spec.containers.push_back(std::move(c));
  spec.restartPolicy = "Never";
  kube::Volume workspace;
  workspace.name = kWorkspaceVolume;
  if (workspace_ == WorkspaceKind::Claim) {
    workspace.source = kube::Volume::Source::PersistentVolumeClaim;
    workspace.objectName = names_.objectName("workspace");
  } else if (workspace_ == WorkspaceKind::Host) {
    workspace.source = kube::Volume::Source::HostPath;
    workspace.path = joinPath(config_.engine.workspaceHostPath, names_.objectName("workspace"));
    workspace.hostPathType = "DirectoryOrCreate";
  }
  spec.volumes.push_back(workspace);
  for (const auto& v : plan_.volumes) spec.volumes.push_back(toKube(v));

  spec.nodeName = plan_.nodeName;
  spec.nodeSelector = plan_.placement.nodeSelector;
  for (const auto& [k, v] : step.placement.nodeSelector) spec.nodeSelector[k] = v;
  if (!plan_.arch.empty()) spec.nodeSelector.emplace("kubernetes.io/arch", plan_.arch);
  if (!plan_.os.empty()) spec.nodeSelector.emplace("kubernetes.io/os", plan_.os);
  for (const auto* tolerations : {&plan_.placement.tolerations, &step.placement.tolerations}) {
    for (const auto& t : *tolerations) spec.tolerations.push_back(toKube(t));
  }
  if (!context.pinnedNode.empty()) {
    spec.requiredNodeLabel = kNodeLabel;
    spec.requiredNodeValues = {context.pinnedNode};
  }
  spec.serviceAccountName =
      plan_.serviceAccountName.empty() ? config_.defaults.serviceAccount : plan_.serviceAccountName;
  spec.automountServiceAccountToken =
      plan_.automountServiceAccountToken.value_or(config_.defaults.automountServiceAccountToken);
  if (!plan_.registries.empty()) spec.imagePullSecrets = {names_.objectName("registry")};
  for (const auto& a : plan_.hostAliases) spec.hostAliases.push_back({a.ip, a.hostnames});
  for (const auto& a : context.serviceAliases) spec.hostAliases.push_back(a);
  if (plan_.dnsConfig) {
    spec.dnsConfig = kube::PodDnsConfig{plan_.dnsConfig->nameservers, plan_.dnsConfig->searches,
                                        plan_.dnsConfig->options};
  }
  spec.priorityClassName = plan_.priorityClassName;
  spec.runtimeClassName = plan_.runtimeClassName;
  // A backstop for a runner that dies: the kubelet ends the pod at the stage timeout.
  spec.activeDeadlineSeconds = stage_.timeout.count();
  spec.terminationGracePeriodSeconds = config_.engine.cancelGrace.count();
  spec.enableServiceLinks = false;
  return p;
}

}  // namespace podrunner
