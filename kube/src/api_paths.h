#pragma once

#include <string>
#include <utility>
#include <vector>

// URL targets of the core/v1 resources podrunner uses.
namespace kube::paths {

// "/api/v1/namespaces/NS/RESOURCE[/NAME[/SUBRESOURCE]]".
std::string namespaced(const std::string& ns, const std::string& resource,
                       const std::string& name = {}, const std::string& subresource = {});
// "/api/v1/namespaces[/NAME]".
std::string namespaces(const std::string& name = {});

// "/version".
inline std::string version() { return "/version"; }

// "?k=v&..." with the values percent-encoded; empty values are left out.
std::string query(const std::vector<std::pair<std::string, std::string>>& parameters);

}  // namespace kube::paths
