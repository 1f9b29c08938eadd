// JSON -> objects (json_codec.h). Lenient about what it does not model, strict
// about the shape of what it does: a field of the wrong type is an error.
#include <rapidjson/document.h>

#include <stdexcept>

#include "base64.h"
#include "kube/json_codec.h"
#include "quantity.h"

namespace kube {
namespace {

using Value = rapidjson::Value;

[[noreturn]] void malformed(const std::string& what) {
  throw ApiError(0, "Decode", "malformed Kubernetes JSON: " + what);
}

const Value* member(const Value& object, const char* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

const Value* objectMember(const Value& object, const char* key) {
  const Value* value = member(object, key);
  if (value && !value->IsObject()) malformed(std::string(key) + " is not an object");
  return value;
}

std::string string(const Value& object, const char* key) {
  const Value* value = member(object, key);
  if (!value) return {};
  if (!value->IsString()) malformed(std::string(key) + " is not a string");
  return {value->GetString(), value->GetStringLength()};
}

std::int64_t integer(const Value& object, const char* key) {
  const Value* value = member(object, key);
  if (!value) return 0;
  if (!value->IsInt64()) malformed(std::string(key) + " is not an integer");
  return value->GetInt64();
}

std::optional<std::int64_t> optionalInteger(const Value& object, const char* key) {
  if (!member(object, key)) return std::nullopt;
  return integer(object, key);
}

std::optional<bool> optionalBool(const Value& object, const char* key) {
  const Value* value = member(object, key);
  if (!value) return std::nullopt;
  if (!value->IsBool()) malformed(std::string(key) + " is not a boolean");
  return value->GetBool();
}

bool boolean(const Value& object, const char* key) {
  return optionalBool(object, key).value_or(false);
}

template <typename Fn>
void forEach(const Value& object, const char* key, Fn fn) {
  const Value* value = member(object, key);
  if (!value) return;
  if (!value->IsArray()) malformed(std::string(key) + " is not an array");
  for (const auto& item : value->GetArray()) fn(item);
}

std::vector<std::string> strings(const Value& object, const char* key) {
  std::vector<std::string> out;
  forEach(object, key, [&](const Value& item) {
    if (!item.IsString()) malformed(std::string(key) + " holds a non-string");
    out.emplace_back(item.GetString(), item.GetStringLength());
  });
  return out;
}

StringMap stringMap(const Value& object, const char* key) {
  StringMap out;
  const Value* value = objectMember(object, key);
  if (!value) return out;
  for (const auto& entry : value->GetObject()) {
    if (!entry.value.IsString()) malformed(std::string(key) + " holds a non-string");
    out.emplace(entry.name.GetString(),
                std::string(entry.value.GetString(), entry.value.GetStringLength()));
  }
  return out;
}

ObjectMeta readMetadata(const Value& object) {
  ObjectMeta meta;
  const Value* m = objectMember(object, "metadata");
  if (!m) return meta;
  meta.name = string(*m, "name");
  meta.namespaceName = string(*m, "namespace");
  meta.labels = stringMap(*m, "labels");
  meta.annotations = stringMap(*m, "annotations");
  forEach(*m, "ownerReferences", [&](const Value& o) {
    meta.ownerReferences.push_back({string(o, "apiVersion"), string(o, "kind"), string(o, "name"),
                                    string(o, "uid"), boolean(o, "controller"),
                                    boolean(o, "blockOwnerDeletion")});
  });
  meta.uid = string(*m, "uid");
  meta.resourceVersion = string(*m, "resourceVersion");
  meta.creationTimestamp = string(*m, "creationTimestamp");
  meta.deletionTimestamp = string(*m, "deletionTimestamp");
  return meta;
}

// Quantities may be strings ("250m") or bare JSON numbers.
std::string quantityText(const Value& object, const char* key) {
  const Value* value = member(object, key);
  if (!value) return {};
  if (value->IsNumber()) return std::to_string(value->GetDouble());
  if (!value->IsString()) malformed(std::string(key) + " is not a quantity");
  return value->GetString();
}

std::int64_t bytesQuantity(const Value& object, const char* key) {
  std::string text = quantityText(object, key);
  if (text.empty()) return 0;
  try {
    return quantity::parseBytes(text);
  } catch (const std::invalid_argument& e) {
    malformed(std::string(key) + ": " + e.what());
  }
}

ResourceList readResourceList(const Value* object) {
  ResourceList list;
  if (!object) return list;
  std::string cpu = quantityText(*object, "cpu");
  try {
    if (!cpu.empty()) list.cpuMillis = quantity::parseMillicores(cpu);
  } catch (const std::invalid_argument& e) {
    malformed(std::string("cpu: ") + e.what());
  }
  list.memoryBytes = bytesQuantity(*object, "memory");
  list.ephemeralStorageBytes = bytesQuantity(*object, "ephemeral-storage");
  return list;
}

Container readContainer(const Value& c) {
  Container out;
  out.name = string(c, "name");
  out.image = string(c, "image");
  out.imagePullPolicy = string(c, "imagePullPolicy");
  out.command = strings(c, "command");
  out.args = strings(c, "args");
  forEach(c, "env", [&](const Value& e) {
    EnvVar env;
    env.name = string(e, "name");
    env.value = string(e, "value");
    if (const Value* from = objectMember(e, "valueFrom")) {
      if (const Value* ref = objectMember(*from, "secretKeyRef")) {
        env.secretName = string(*ref, "name");
        env.secretKey = string(*ref, "key");
      }
      if (const Value* ref = objectMember(*from, "fieldRef"))
        env.fieldPath = string(*ref, "fieldPath");
    }
    out.env.push_back(std::move(env));
  });
  out.workingDir = string(c, "workingDir");
  if (const Value* resources = objectMember(c, "resources")) {
    out.resources.requests = readResourceList(objectMember(*resources, "requests"));
    out.resources.limits = readResourceList(objectMember(*resources, "limits"));
  }
  forEach(c, "volumeMounts", [&](const Value& m) {
    out.volumeMounts.push_back(
        {string(m, "name"), string(m, "mountPath"), string(m, "subPath"), boolean(m, "readOnly")});
  });
  if (const Value* sc = objectMember(c, "securityContext")) {
    out.securityContext =
        SecurityContext{optionalBool(*sc, "privileged"), optionalInteger(*sc, "runAsUser"),
                        optionalInteger(*sc, "runAsGroup")};
  }
  forEach(c, "ports", [&](const Value& p) {
    out.ports.push_back(static_cast<int>(integer(p, "containerPort")));
  });
  return out;
}

Volume readVolume(const Value& v) {
  Volume out;
  out.name = string(v, "name");
  auto readKeyed = [&](const Value& source) {
    auto mode = optionalInteger(source, "defaultMode");
    if (mode) out.defaultMode = static_cast<int>(*mode);
    out.optional = boolean(source, "optional");
  };
  if (const Value* s = objectMember(v, "emptyDir")) {
    out.source = Volume::Source::EmptyDir;
    out.medium = string(*s, "medium");
    out.sizeLimitBytes = bytesQuantity(*s, "sizeLimit");
  } else if (const Value* s = objectMember(v, "hostPath")) {
    out.source = Volume::Source::HostPath;
    out.path = string(*s, "path");
    out.hostPathType = string(*s, "type");
  } else if (const Value* s = objectMember(v, "persistentVolumeClaim")) {
    out.source = Volume::Source::PersistentVolumeClaim;
    out.objectName = string(*s, "claimName");
    out.readOnly = boolean(*s, "readOnly");
  } else if (const Value* s = objectMember(v, "configMap")) {
    out.source = Volume::Source::ConfigMap;
    out.objectName = string(*s, "name");
    readKeyed(*s);
  } else if (const Value* s = objectMember(v, "secret")) {
    out.source = Volume::Source::Secret;
    out.objectName = string(*s, "secretName");
    readKeyed(*s);
  }
  return out;
}

void readAffinity(const Value& spec, PodSpec& out) {
  const Value* affinity = objectMember(spec, "affinity");
  const Value* node = affinity ? objectMember(*affinity, "nodeAffinity") : nullptr;
  const Value* required =
      node ? objectMember(*node, "requiredDuringSchedulingIgnoredDuringExecution") : nullptr;
  if (!required) return;
  forEach(*required, "nodeSelectorTerms", [&](const Value& term) {
    forEach(term, "matchExpressions", [&](const Value& expression) {
      if (string(expression, "operator") != "In" || !out.requiredNodeLabel.empty()) return;
      out.requiredNodeLabel = string(expression, "key");
      out.requiredNodeValues = strings(expression, "values");
    });
  });
}

PodSpec readPodSpec(const Value* spec) {
  PodSpec out;
  if (!spec) return out;
  forEach(*spec, "initContainers",
          [&](const Value& c) { out.initContainers.push_back(readContainer(c)); });
  forEach(*spec, "containers", [&](const Value& c) { out.containers.push_back(readContainer(c)); });
  forEach(*spec, "volumes", [&](const Value& v) { out.volumes.push_back(readVolume(v)); });
  out.restartPolicy = string(*spec, "restartPolicy");
  out.nodeName = string(*spec, "nodeName");
  out.nodeSelector = stringMap(*spec, "nodeSelector");
  readAffinity(*spec, out);
  forEach(*spec, "tolerations", [&](const Value& t) {
    out.tolerations.push_back({string(t, "key"), string(t, "operator"), string(t, "value"),
                               string(t, "effect"), optionalInteger(t, "tolerationSeconds")});
  });
  out.serviceAccountName = string(*spec, "serviceAccountName");
  out.automountServiceAccountToken = optionalBool(*spec, "automountServiceAccountToken");
  forEach(*spec, "imagePullSecrets",
          [&](const Value& s) { out.imagePullSecrets.push_back(string(s, "name")); });
  forEach(*spec, "hostAliases", [&](const Value& a) {
    out.hostAliases.push_back({string(a, "ip"), strings(a, "hostnames")});
  });
  if (const Value* dns = objectMember(*spec, "dnsConfig")) {
    PodDnsConfig config;
    config.nameservers = strings(*dns, "nameservers");
    config.searches = strings(*dns, "searches");
    forEach(*dns, "options", [&](const Value& o) {
      config.options.emplace_back(string(o, "name"), string(o, "value"));
    });
    out.dnsConfig = std::move(config);
  }
  out.priorityClassName = string(*spec, "priorityClassName");
  out.runtimeClassName = string(*spec, "runtimeClassName");
  out.activeDeadlineSeconds = optionalInteger(*spec, "activeDeadlineSeconds");
  out.terminationGracePeriodSeconds = optionalInteger(*spec, "terminationGracePeriodSeconds");
  out.enableServiceLinks = optionalBool(*spec, "enableServiceLinks");
  return out;
}

std::vector<ContainerStatus> readContainerStatuses(const Value& status, const char* key) {
  std::vector<ContainerStatus> out;
  forEach(status, key, [&](const Value& s) {
    ContainerStatus cs;
    cs.name = string(s, "name");
    cs.ready = boolean(s, "ready");
    cs.restartCount = static_cast<int>(integer(s, "restartCount"));
    if (const Value* state = objectMember(s, "state")) {
      if (const Value* t = objectMember(*state, "terminated")) {
        cs.state = ContainerStatus::State::Terminated;
        cs.exitCode = static_cast<int>(integer(*t, "exitCode"));
        cs.reason = string(*t, "reason");
        cs.message = string(*t, "message");
        cs.startedAt = string(*t, "startedAt");
        cs.finishedAt = string(*t, "finishedAt");
      } else if (const Value* r = objectMember(*state, "running")) {
        cs.state = ContainerStatus::State::Running;
        cs.startedAt = string(*r, "startedAt");
      } else if (const Value* w = objectMember(*state, "waiting")) {
        cs.state = ContainerStatus::State::Waiting;
        cs.reason = string(*w, "reason");
        cs.message = string(*w, "message");
      }
    }
    out.push_back(std::move(cs));
  });
  return out;
}

PodStatus readPodStatus(const Value* status) {
  PodStatus out;
  if (!status) return out;
  out.phase = string(*status, "phase");
  out.reason = string(*status, "reason");
  out.message = string(*status, "message");
  out.podIP = string(*status, "podIP");
  forEach(*status, "conditions", [&](const Value& c) {
    out.conditions.push_back(
        {string(c, "type"), string(c, "status"), string(c, "reason"), string(c, "message")});
  });
  out.initContainerStatuses = readContainerStatuses(*status, "initContainerStatuses");
  out.containerStatuses = readContainerStatuses(*status, "containerStatuses");
  return out;
}

Pod readPod(const Value& object) {
  Pod pod;
  pod.metadata = readMetadata(object);
  pod.spec = readPodSpec(objectMember(object, "spec"));
  pod.status = readPodStatus(objectMember(object, "status"));
  return pod;
}

Event readEvent(const Value& e) {
  Event out;
  out.type = string(e, "type");
  out.reason = string(e, "reason");
  out.message = string(e, "message");
  out.count = static_cast<int>(integer(e, "count"));
  out.lastTimestamp = string(e, "lastTimestamp");
  if (out.lastTimestamp.empty()) out.lastTimestamp = string(e, "eventTime");
  if (out.lastTimestamp.empty()) out.lastTimestamp = string(e, "firstTimestamp");
  if (const Value* involved = objectMember(e, "involvedObject")) {
    out.involvedKind = string(*involved, "kind");
    out.involvedName = string(*involved, "name");
  }
  return out;
}

rapidjson::Document parse(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) malformed("not JSON");
  if (!document.IsObject()) malformed("not a JSON object");
  return document;
}

}  // namespace

Pod podFromJson(std::string_view json) { return readPod(parse(json)); }

Secret secretFromJson(std::string_view json) {
  auto document = parse(json);
  Secret secret;
  secret.metadata = readMetadata(document);
  secret.type = string(document, "type");
  for (const auto& [key, value] : stringMap(document, "data")) {
    try {
      secret.data[key] = base64::decode(value);
    } catch (const std::invalid_argument& e) {
      malformed("Secret data " + key + ": " + e.what());
    }
  }
  return secret;
}

PersistentVolumeClaim claimFromJson(std::string_view json) {
  auto document = parse(json);
  PersistentVolumeClaim claim;
  claim.metadata = readMetadata(document);
  if (const Value* spec = objectMember(document, "spec")) {
    claim.accessModes = strings(*spec, "accessModes");
    if (member(*spec, "storageClassName"))
      claim.storageClassName = string(*spec, "storageClassName");
    const Value* resources = objectMember(*spec, "resources");
    const Value* requests = resources ? objectMember(*resources, "requests") : nullptr;
    if (requests) claim.storageBytes = bytesQuantity(*requests, "storage");
  }
  if (const Value* status = objectMember(document, "status"))
    claim.phase = string(*status, "phase");
  return claim;
}

Service serviceFromJson(std::string_view json) {
  auto document = parse(json);
  Service service;
  service.metadata = readMetadata(document);
  if (const Value* spec = objectMember(document, "spec")) {
    service.selector = stringMap(*spec, "selector");
    forEach(*spec, "ports", [&](const Value& p) {
      const Value* target = member(p, "targetPort");
      int targetPort = target && target->IsInt() ? target->GetInt() : 0;
      service.ports.push_back(
          {string(p, "name"), static_cast<int>(integer(p, "port")), targetPort});
    });
    service.clusterIP = string(*spec, "clusterIP");
  }
  return service;
}

Namespace namespaceFromJson(std::string_view json) {
  auto document = parse(json);
  Namespace ns;
  ns.metadata = readMetadata(document);
  if (const Value* status = objectMember(document, "status")) ns.phase = string(*status, "phase");
  return ns;
}

std::vector<Pod> podListFromJson(std::string_view json, std::string* resourceVersion) {
  auto document = parse(json);
  std::vector<Pod> pods;
  forEach(document, "items", [&](const Value& item) { pods.push_back(readPod(item)); });
  if (resourceVersion) *resourceVersion = readMetadata(document).resourceVersion;
  return pods;
}

std::vector<Event> eventListFromJson(std::string_view json) {
  auto document = parse(json);
  std::vector<Event> events;
  forEach(document, "items", [&](const Value& item) { events.push_back(readEvent(item)); });
  return events;
}

std::string versionFromJson(std::string_view json) {
  auto document = parse(json);
  std::string version = string(document, "gitVersion");
  if (version.empty()) malformed("version without gitVersion");
  return version;
}

std::vector<std::string> namesFromListJson(std::string_view json) {
  auto document = parse(json);
  std::vector<std::string> names;
  forEach(document, "items", [&](const Value& item) { names.push_back(readMetadata(item).name); });
  return names;
}

ApiError errorFromStatus(int httpStatus, std::string_view body) {
  rapidjson::Document document;
  document.Parse(body.data(), body.size());
  if (!document.HasParseError() && document.IsObject() && string(document, "kind") == "Status") {
    const Value* code = member(document, "code");
    int statusCode = code && code->IsInt() ? code->GetInt() : httpStatus;
    std::string reason = string(document, "reason");
    std::string message = string(document, "message");
    if (message.empty()) message = "the server answered " + std::to_string(statusCode);
    return ApiError(statusCode, reason, message);
  }
  constexpr std::size_t kExcerpt = 200;
  std::string message = "the server answered " + std::to_string(httpStatus);
  if (!body.empty()) message += ": " + std::string(body.substr(0, kExcerpt));
  return ApiError(httpStatus, {}, message);
}

WatchLine watchLineFromJson(std::string_view json) {
  auto document = parse(json);
  WatchLine line;
  std::string type = string(document, "type");
  const Value* object = objectMember(document, "object");
  if (!object) malformed("watch event without object");
  if (type == "ADDED") {
    line.type = WatchLine::Type::Added;
  } else if (type == "MODIFIED") {
    line.type = WatchLine::Type::Modified;
  } else if (type == "DELETED") {
    line.type = WatchLine::Type::Deleted;
  } else if (type == "BOOKMARK") {
    line.type = WatchLine::Type::Bookmark;
  } else if (type == "ERROR") {
    line.type = WatchLine::Type::Error;
    const Value* code = member(*object, "code");
    line.error = ApiError(code && code->IsInt() ? code->GetInt() : 500, string(*object, "reason"),
                          string(*object, "message"));
    return line;
  } else {
    malformed("watch event of unknown type \"" + type + "\"");
  }
  line.pod = readPod(*object);
  return line;
}

}  // namespace kube
