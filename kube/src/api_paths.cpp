#include "api_paths.h"

#include <cpprest/uri.h>

namespace kube::paths {
namespace {

std::string segment(const std::string& value) { return web::uri::encode_data_string(value); }

}  // namespace

std::string namespaced(const std::string& ns, const std::string& resource, const std::string& name,
                       const std::string& subresource) {
  std::string path = "/api/v1/namespaces/" + segment(ns) + "/" + resource;
  if (!name.empty()) path += "/" + segment(name);
  if (!subresource.empty()) path += "/" + subresource;
  return path;
}

std::string namespaces(const std::string& name) {
  return name.empty() ? "/api/v1/namespaces" : "/api/v1/namespaces/" + segment(name);
}

std::string query(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string out;
  for (const auto& [key, value] : parameters) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + key + "=" + segment(value);
  }
  return out;
}

}  // namespace kube::paths
