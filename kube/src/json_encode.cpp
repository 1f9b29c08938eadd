// Objects -> JSON (json_codec.h). Only fields that are set are written, so the
// server applies its defaults to the rest.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "base64.h"
#include "kube/json_codec.h"
#include "quantity.h"

namespace kube {
namespace {

class JsonWriter {
 public:
  JsonWriter() : writer_(buffer_) {}

  std::string str() const { return {buffer_.GetString(), buffer_.GetSize()}; }

  void beginObject(std::string_view key = {}) {
    if (!key.empty()) name(key);
    writer_.StartObject();
  }
  void endObject() { writer_.EndObject(); }
  void beginArray(std::string_view key) {
    name(key);
    writer_.StartArray();
  }
  void endArray() { writer_.EndArray(); }

  void string(std::string_view value) {
    writer_.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  void field(std::string_view key, std::string_view value) {
    name(key);
    string(value);
  }
  void fieldIfSet(std::string_view key, std::string_view value) {
    if (!value.empty()) field(key, value);
  }
  // Without this overload a string literal would convert to bool.
  void field(std::string_view key, const char* value) { field(key, std::string_view(value)); }
  void field(std::string_view key, std::int64_t value) {
    name(key);
    writer_.Int64(value);
  }
  void field(std::string_view key, bool value) {
    name(key);
    writer_.Bool(value);
  }
  template <typename T>
  void fieldIfSet(std::string_view key, const std::optional<T>& value) {
    if (value)
      field(key,
            static_cast<std::conditional_t<std::is_same_v<T, bool>, bool, std::int64_t>>(*value));
  }
  void stringArrayIfSet(std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    beginArray(key);
    for (const auto& value : values) string(value);
    endArray();
  }
  void mapIfSet(std::string_view key, const StringMap& values) {
    if (values.empty()) return;
    beginObject(key);
    for (const auto& [k, v] : values) field(k, v);
    endObject();
  }
  void name(std::string_view key) {
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

void writeHeader(JsonWriter& w, std::string_view kind) {
  w.field("apiVersion", "v1");
  w.field("kind", kind);
}

void writeMetadata(JsonWriter& w, const ObjectMeta& meta) {
  w.beginObject("metadata");
  w.fieldIfSet("name", meta.name);
  w.fieldIfSet("namespace", meta.namespaceName);
  w.mapIfSet("labels", meta.labels);
  w.mapIfSet("annotations", meta.annotations);
  if (!meta.ownerReferences.empty()) {
    w.beginArray("ownerReferences");
    for (const auto& owner : meta.ownerReferences) {
      w.beginObject();
      w.field("apiVersion", owner.apiVersion);
      w.field("kind", owner.kind);
      w.field("name", owner.name);
      w.field("uid", owner.uid);
      w.field("controller", owner.controller);
      w.field("blockOwnerDeletion", owner.blockOwnerDeletion);
      w.endObject();
    }
    w.endArray();
  }
  w.fieldIfSet("uid", meta.uid);
  w.fieldIfSet("resourceVersion", meta.resourceVersion);
  w.fieldIfSet("creationTimestamp", meta.creationTimestamp);
  w.fieldIfSet("deletionTimestamp", meta.deletionTimestamp);
  w.endObject();
}

void writeResourceList(JsonWriter& w, std::string_view key, const ResourceList& list) {
  if (list.cpuMillis == 0 && list.memoryBytes == 0 && list.ephemeralStorageBytes == 0) return;
  w.beginObject(key);
  if (list.cpuMillis != 0) w.field("cpu", quantity::formatMillicores(list.cpuMillis));
  if (list.memoryBytes != 0) w.field("memory", quantity::formatBytes(list.memoryBytes));
  if (list.ephemeralStorageBytes != 0) {
    w.field("ephemeral-storage", quantity::formatBytes(list.ephemeralStorageBytes));
  }
  w.endObject();
}

void writeEnvVar(JsonWriter& w, const EnvVar& env) {
  w.beginObject();
  w.field("name", env.name);
  if (!env.secretName.empty()) {
    w.beginObject("valueFrom");
    w.beginObject("secretKeyRef");
    w.field("name", env.secretName);
    w.field("key", env.secretKey);
    w.endObject();
    w.endObject();
  } else if (!env.fieldPath.empty()) {
    w.beginObject("valueFrom");
    w.beginObject("fieldRef");
    w.field("fieldPath", env.fieldPath);
    w.endObject();
    w.endObject();
  } else {
    w.field("value", env.value);
  }
  w.endObject();
}

void writeContainer(JsonWriter& w, const Container& c) {
  w.beginObject();
  w.field("name", c.name);
  w.field("image", c.image);
  w.fieldIfSet("imagePullPolicy", c.imagePullPolicy);
  w.stringArrayIfSet("command", c.command);
  w.stringArrayIfSet("args", c.args);
  if (!c.env.empty()) {
    w.beginArray("env");
    for (const auto& env : c.env) writeEnvVar(w, env);
    w.endArray();
  }
  w.fieldIfSet("workingDir", c.workingDir);
  w.beginObject("resources");
  writeResourceList(w, "requests", c.resources.requests);
  writeResourceList(w, "limits", c.resources.limits);
  w.endObject();
  if (!c.volumeMounts.empty()) {
    w.beginArray("volumeMounts");
    for (const auto& mount : c.volumeMounts) {
      w.beginObject();
      w.field("name", mount.name);
      w.field("mountPath", mount.mountPath);
      w.fieldIfSet("subPath", mount.subPath);
      if (mount.readOnly) w.field("readOnly", true);
      w.endObject();
    }
    w.endArray();
  }
  if (c.securityContext) {
    w.beginObject("securityContext");
    w.fieldIfSet("privileged", c.securityContext->privileged);
    w.fieldIfSet("runAsUser", c.securityContext->runAsUser);
    w.fieldIfSet("runAsGroup", c.securityContext->runAsGroup);
    w.endObject();
  }
  if (!c.ports.empty()) {
    w.beginArray("ports");
    for (int port : c.ports) {
      w.beginObject();
      w.field("containerPort", std::int64_t{port});
      w.field("protocol", "TCP");
      w.endObject();
    }
    w.endArray();
  }
  if (c.readinessTcpPort) {
    w.beginObject("readinessProbe");
    w.beginObject("tcpSocket");
    w.field("port", std::int64_t{*c.readinessTcpPort});
    w.endObject();
    w.field("periodSeconds", std::int64_t{1});
    w.endObject();
  }
  w.endObject();
}

void writeVolume(JsonWriter& w, const Volume& v) {
  w.beginObject();
  w.field("name", v.name);
  switch (v.source) {
    case Volume::Source::EmptyDir:
      w.beginObject("emptyDir");
      w.fieldIfSet("medium", v.medium);
      if (v.sizeLimitBytes != 0) w.field("sizeLimit", quantity::formatBytes(v.sizeLimitBytes));
      w.endObject();
      break;
    case Volume::Source::HostPath:
      w.beginObject("hostPath");
      w.field("path", v.path);
      w.fieldIfSet("type", v.hostPathType);
      w.endObject();
      break;
    case Volume::Source::PersistentVolumeClaim:
      w.beginObject("persistentVolumeClaim");
      w.field("claimName", v.objectName);
      if (v.readOnly) w.field("readOnly", true);
      w.endObject();
      break;
    case Volume::Source::ConfigMap:
    case Volume::Source::Secret:
      if (v.source == Volume::Source::ConfigMap) {
        w.beginObject("configMap");
        w.field("name", v.objectName);
      } else {
        w.beginObject("secret");
        w.field("secretName", v.objectName);
      }
      w.fieldIfSet("defaultMode", v.defaultMode);
      if (v.optional) w.field("optional", true);
      w.endObject();
      break;
  }
  w.endObject();
}

void writeContainers(JsonWriter& w, std::string_view key, const std::vector<Container>& list) {
  if (list.empty()) return;
  w.beginArray(key);
  for (const auto& c : list) writeContainer(w, c);
  w.endArray();
}

void writePodSpec(JsonWriter& w, const PodSpec& spec) {
  w.beginObject("spec");
  writeContainers(w, "initContainers", spec.initContainers);
  writeContainers(w, "containers", spec.containers);
  if (!spec.volumes.empty()) {
    w.beginArray("volumes");
    for (const auto& v : spec.volumes) writeVolume(w, v);
    w.endArray();
  }
  w.fieldIfSet("restartPolicy", spec.restartPolicy);
  w.fieldIfSet("nodeName", spec.nodeName);
  w.mapIfSet("nodeSelector", spec.nodeSelector);
  if (!spec.requiredNodeLabel.empty()) {
    w.beginObject("affinity");
    w.beginObject("nodeAffinity");
    w.beginObject("requiredDuringSchedulingIgnoredDuringExecution");
    w.beginArray("nodeSelectorTerms");
    w.beginObject();
    w.beginArray("matchExpressions");
    w.beginObject();
    w.field("key", spec.requiredNodeLabel);
    w.field("operator", "In");
    w.beginArray("values");
    for (const auto& value : spec.requiredNodeValues) w.string(value);
    w.endArray();
    w.endObject();
    w.endArray();
    w.endObject();
    w.endArray();
    w.endObject();
    w.endObject();
    w.endObject();
  }
  if (!spec.tolerations.empty()) {
    w.beginArray("tolerations");
    for (const auto& t : spec.tolerations) {
      w.beginObject();
      w.fieldIfSet("key", t.key);
      w.fieldIfSet("operator", t.op);
      w.fieldIfSet("value", t.value);
      w.fieldIfSet("effect", t.effect);
      w.fieldIfSet("tolerationSeconds", t.tolerationSeconds);
      w.endObject();
    }
    w.endArray();
  }
  w.fieldIfSet("serviceAccountName", spec.serviceAccountName);
  w.fieldIfSet("automountServiceAccountToken", spec.automountServiceAccountToken);
  if (!spec.imagePullSecrets.empty()) {
    w.beginArray("imagePullSecrets");
    for (const auto& name : spec.imagePullSecrets) {
      w.beginObject();
      w.field("name", name);
      w.endObject();
    }
    w.endArray();
  }
  if (!spec.hostAliases.empty()) {
    w.beginArray("hostAliases");
    for (const auto& alias : spec.hostAliases) {
      w.beginObject();
      w.field("ip", alias.ip);
      w.stringArrayIfSet("hostnames", alias.hostnames);
      w.endObject();
    }
    w.endArray();
  }
  if (spec.dnsConfig) {
    w.beginObject("dnsConfig");
    w.stringArrayIfSet("nameservers", spec.dnsConfig->nameservers);
    w.stringArrayIfSet("searches", spec.dnsConfig->searches);
    if (!spec.dnsConfig->options.empty()) {
      w.beginArray("options");
      for (const auto& [name, value] : spec.dnsConfig->options) {
        w.beginObject();
        w.field("name", name);
        w.fieldIfSet("value", value);
        w.endObject();
      }
      w.endArray();
    }
    w.endObject();
  }
  w.fieldIfSet("priorityClassName", spec.priorityClassName);
  w.fieldIfSet("runtimeClassName", spec.runtimeClassName);
  w.fieldIfSet("activeDeadlineSeconds", spec.activeDeadlineSeconds);
  w.fieldIfSet("terminationGracePeriodSeconds", spec.terminationGracePeriodSeconds);
  w.fieldIfSet("enableServiceLinks", spec.enableServiceLinks);
  w.endObject();
}

void writeContainerStatuses(JsonWriter& w, std::string_view key,
                            const std::vector<ContainerStatus>& statuses) {
  if (statuses.empty()) return;
  w.beginArray(key);
  for (const auto& s : statuses) {
    w.beginObject();
    w.field("name", s.name);
    w.field("ready", s.ready);
    w.field("restartCount", std::int64_t{s.restartCount});
    w.beginObject("state");
    switch (s.state) {
      case ContainerStatus::State::Unknown:
        break;
      case ContainerStatus::State::Waiting:
        w.beginObject("waiting");
        w.fieldIfSet("reason", s.reason);
        w.fieldIfSet("message", s.message);
        w.endObject();
        break;
      case ContainerStatus::State::Running:
        w.beginObject("running");
        w.fieldIfSet("startedAt", s.startedAt);
        w.endObject();
        break;
      case ContainerStatus::State::Terminated:
        w.beginObject("terminated");
        w.field("exitCode", std::int64_t{s.exitCode});
        w.fieldIfSet("reason", s.reason);
        w.fieldIfSet("message", s.message);
        w.fieldIfSet("startedAt", s.startedAt);
        w.fieldIfSet("finishedAt", s.finishedAt);
        w.endObject();
        break;
    }
    w.endObject();
    w.endObject();
  }
  w.endArray();
}

void writePodStatus(JsonWriter& w, const PodStatus& status) {
  if (status.phase.empty() && status.containerStatuses.empty() && status.conditions.empty()) return;
  w.beginObject("status");
  w.fieldIfSet("phase", status.phase);
  w.fieldIfSet("reason", status.reason);
  w.fieldIfSet("message", status.message);
  w.fieldIfSet("podIP", status.podIP);
  if (!status.conditions.empty()) {
    w.beginArray("conditions");
    for (const auto& c : status.conditions) {
      w.beginObject();
      w.field("type", c.type);
      w.field("status", c.status);
      w.fieldIfSet("reason", c.reason);
      w.fieldIfSet("message", c.message);
      w.endObject();
    }
    w.endArray();
  }
  writeContainerStatuses(w, "initContainerStatuses", status.initContainerStatuses);
  writeContainerStatuses(w, "containerStatuses", status.containerStatuses);
  w.endObject();
}

}  // namespace

std::string toJson(const Pod& pod) {
  JsonWriter w;
  w.beginObject();
  writeHeader(w, "Pod");
  writeMetadata(w, pod.metadata);
  writePodSpec(w, pod.spec);
  writePodStatus(w, pod.status);
  w.endObject();
  return w.str();
}

std::string toJson(const Secret& secret) {
  JsonWriter w;
  w.beginObject();
  writeHeader(w, "Secret");
  writeMetadata(w, secret.metadata);
  w.field("type", secret.type);
  w.beginObject("data");
  for (const auto& [key, value] : secret.data) w.field(key, base64::encode(value));
  w.endObject();
  w.endObject();
  return w.str();
}

std::string toJson(const PersistentVolumeClaim& claim) {
  JsonWriter w;
  w.beginObject();
  writeHeader(w, "PersistentVolumeClaim");
  writeMetadata(w, claim.metadata);
  w.beginObject("spec");
  w.stringArrayIfSet("accessModes", claim.accessModes);
  if (claim.storageClassName) w.field("storageClassName", *claim.storageClassName);
  w.beginObject("resources");
  w.beginObject("requests");
  w.field("storage", quantity::formatBytes(claim.storageBytes));
  w.endObject();
  w.endObject();
  w.endObject();
  if (!claim.phase.empty()) {
    w.beginObject("status");
    w.field("phase", claim.phase);
    w.endObject();
  }
  w.endObject();
  return w.str();
}

std::string toJson(const Service& service) {
  JsonWriter w;
  w.beginObject();
  writeHeader(w, "Service");
  writeMetadata(w, service.metadata);
  w.beginObject("spec");
  w.mapIfSet("selector", service.selector);
  if (!service.ports.empty()) {
    w.beginArray("ports");
    for (const auto& port : service.ports) {
      w.beginObject();
      w.fieldIfSet("name", port.name);
      w.field("port", std::int64_t{port.port});
      if (port.targetPort != 0) w.field("targetPort", std::int64_t{port.targetPort});
      w.endObject();
    }
    w.endArray();
  }
  w.fieldIfSet("clusterIP", service.clusterIP);
  w.endObject();
  w.endObject();
  return w.str();
}

std::string toJson(const Namespace& ns) {
  JsonWriter w;
  w.beginObject();
  writeHeader(w, "Namespace");
  writeMetadata(w, ns.metadata);
  if (!ns.phase.empty()) {
    w.beginObject("status");
    w.field("phase", ns.phase);
    w.endObject();
  }
  w.endObject();
  return w.str();
}

std::string toJson(const DeleteOptions& options) {
  JsonWriter w;
  w.beginObject();
  w.field("apiVersion", "v1");
  w.field("kind", "DeleteOptions");
  w.fieldIfSet("gracePeriodSeconds", options.gracePeriodSeconds);
  w.fieldIfSet("propagationPolicy", options.propagationPolicy);
  w.endObject();
  return w.str();
}

}  // namespace kube
