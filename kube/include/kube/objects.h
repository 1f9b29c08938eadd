#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// Typed models of the Kubernetes objects podrunner creates and reads: only the
// fields it uses. Serialised to and from JSON by json_codec.h. Quantities are kept
// in base units (millicores, bytes) and formatted by the codec.
namespace kube {

using StringMap = std::map<std::string, std::string>;

struct OwnerReference {
  std::string apiVersion;
  std::string kind;
  std::string name;
  std::string uid;
  bool controller = false;
  bool blockOwnerDeletion = false;
};

struct ObjectMeta {
  std::string name;
  std::string namespaceName;
  StringMap labels;
  StringMap annotations;
  std::vector<OwnerReference> ownerReferences;
  // Set by the server.
  std::string uid;
  std::string resourceVersion;
  std::string creationTimestamp;
  std::string deletionTimestamp;
};

struct EnvVar {
  std::string name;
  std::string value;
  // valueFrom: exactly one of these, or none for a literal value.
  std::string secretName;  // secretKeyRef.name
  std::string secretKey;   // secretKeyRef.key
  std::string fieldPath;   // fieldRef.fieldPath, e.g. spec.nodeName
};

struct ResourceList {
  std::int64_t cpuMillis = 0;  // 0: unset
  std::int64_t memoryBytes = 0;
  std::int64_t ephemeralStorageBytes = 0;
};

struct ResourceRequirements {
  ResourceList requests;
  ResourceList limits;
};

struct VolumeMount {
  std::string name;
  std::string mountPath;
  std::string subPath;
  bool readOnly = false;
};

struct SecurityContext {
  std::optional<bool> privileged;
  std::optional<std::int64_t> runAsUser;
  std::optional<std::int64_t> runAsGroup;
};

struct Container {
  std::string name;
  std::string image;
  std::string imagePullPolicy;  // Always, IfNotPresent, Never
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::string workingDir;
  ResourceRequirements resources;
  std::vector<VolumeMount> volumeMounts;
  std::optional<SecurityContext> securityContext;
  std::vector<int> ports;  // containerPort, TCP
  // The pod is Ready once this port accepts TCP, checked by the kubelet inside the
  // cluster network: readinessProbe {tcpSocket: {port: N}, periodSeconds: 1}.
  std::optional<int> readinessTcpPort;
};

struct Volume {
  enum class Source { EmptyDir, HostPath, PersistentVolumeClaim, ConfigMap, Secret };
  std::string name;
  Source source = Source::EmptyDir;
  std::string medium;               // EmptyDir: "" or Memory
  std::int64_t sizeLimitBytes = 0;  // EmptyDir
  std::string path;                 // HostPath
  std::string hostPathType;         // HostPath, e.g. DirectoryOrCreate
  std::string objectName;           // PVC claimName, ConfigMap name, Secret secretName
  bool readOnly = false;            // PVC
  std::optional<int> defaultMode;   // ConfigMap, Secret
  bool optional = false;            // ConfigMap, Secret
};

struct Toleration {
  std::string key;
  std::string op;
  std::string value;
  std::string effect;
  std::optional<std::int64_t> tolerationSeconds;
};

struct HostAlias {
  std::string ip;
  std::vector<std::string> hostnames;
};

struct PodDnsConfig {
  std::vector<std::string> nameservers;
  std::vector<std::string> searches;
  std::vector<std::pair<std::string, std::string>> options;
};

struct PodSpec {
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  std::vector<Volume> volumes;
  std::string restartPolicy = "Never";
  std::string nodeName;
  StringMap nodeSelector;
  // Required node affinity: the pod runs only on a node whose label `key` is one of `values`.
  std::string requiredNodeLabel;
  std::vector<std::string> requiredNodeValues;
  std::vector<Toleration> tolerations;
  std::string serviceAccountName;
  std::optional<bool> automountServiceAccountToken;
  std::vector<std::string> imagePullSecrets;
  std::vector<HostAlias> hostAliases;
  std::optional<PodDnsConfig> dnsConfig;
  std::string priorityClassName;
  std::string runtimeClassName;
  std::optional<std::int64_t> activeDeadlineSeconds;
  std::optional<std::int64_t> terminationGracePeriodSeconds;
  std::optional<bool> enableServiceLinks;
};

struct ContainerStatus {
  std::string name;
  bool ready = false;
  int restartCount = 0;
  enum class State { Unknown, Waiting, Running, Terminated } state = State::Unknown;
  std::string reason;  // Waiting or Terminated reason, e.g. ImagePullBackOff, OOMKilled
  std::string message;
  int exitCode = 0;  // Terminated
  std::string startedAt;
  std::string finishedAt;
};

struct PodCondition {
  std::string type;    // PodScheduled, Ready, ...
  std::string status;  // True, False, Unknown
  std::string reason;  // e.g. Unschedulable
  std::string message;
};

struct PodStatus {
  std::string phase;   // Pending, Running, Succeeded, Failed, Unknown
  std::string reason;  // e.g. Evicted, DeadlineExceeded
  std::string message;
  std::string podIP;
  std::vector<PodCondition> conditions;
  std::vector<ContainerStatus> initContainerStatuses;
  std::vector<ContainerStatus> containerStatuses;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;
};

struct Secret {
  ObjectMeta metadata;
  std::string type = "Opaque";              // or kubernetes.io/dockerconfigjson
  std::map<std::string, std::string> data;  // raw bytes; base64 on the wire
};

struct PersistentVolumeClaim {
  ObjectMeta metadata;
  std::vector<std::string> accessModes;         // ReadWriteOnce, ReadWriteMany
  std::optional<std::string> storageClassName;  // unset: the cluster's default class
  std::int64_t storageBytes = 0;
  std::string phase;  // status.phase: Pending, Bound, Lost
};

struct ServicePort {
  std::string name;
  int port = 0;
  int targetPort = 0;
};

struct Service {
  ObjectMeta metadata;
  StringMap selector;
  std::vector<ServicePort> ports;
  std::string clusterIP;  // "None" for a headless service; set by the server otherwise
};

struct Namespace {
  ObjectMeta metadata;
  std::string phase;
};

struct Event {
  std::string type;  // Normal, Warning
  std::string reason;
  std::string message;
  int count = 0;
  std::string lastTimestamp;
  std::string involvedKind;
  std::string involvedName;
};

}  // namespace kube
