#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/client.h"
#include "kube/error.h"
#include "kube/objects.h"

// JSON for the objects of objects.h, both ways, as the Kubernetes API writes them.
// Encoding writes apiVersion and kind and only the fields that are set; decoding
// ignores fields it does not model and throws ApiError (code 0, reason "Decode")
// on a body that is not a JSON object of the expected shape.
namespace kube {

std::string toJson(const Pod& pod);
std::string toJson(const Secret& secret);
std::string toJson(const PersistentVolumeClaim& claim);
std::string toJson(const Service& service);
std::string toJson(const Namespace& ns);
std::string toJson(const DeleteOptions& options);

Pod podFromJson(std::string_view json);
Secret secretFromJson(std::string_view json);
PersistentVolumeClaim claimFromJson(std::string_view json);
Service serviceFromJson(std::string_view json);
Namespace namespaceFromJson(std::string_view json);

// A PodList; *resourceVersion receives the list's metadata.resourceVersion when given.
std::vector<Pod> podListFromJson(std::string_view json, std::string* resourceVersion = nullptr);
std::vector<Event> eventListFromJson(std::string_view json);
// gitVersion of a /version answer.
std::string versionFromJson(std::string_view json);
// metadata.name of each item of any list.
std::vector<std::string> namesFromListJson(std::string_view json);

// One line of a watch stream: {"type": ..., "object": ...}. For ERROR the object is
// a Status, returned as `error`; for BOOKMARK only pod.metadata.resourceVersion is set.
struct WatchLine {
  enum class Type { Added, Modified, Deleted, Bookmark, Error } type = Type::Added;
  Pod pod;
  std::optional<ApiError> error;
};
WatchLine watchLineFromJson(std::string_view json);

// The ApiError for an error response: the Kubernetes Status body when there is one
// (code, reason, message), else the HTTP status and the start of the body.
ApiError errorFromStatus(int httpStatus, std::string_view body);

}  // namespace kube
