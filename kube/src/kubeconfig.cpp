// kubeconfig files as kubectl reads them (see config.h for the merge rules).
#include <yaml-cpp/yaml.h>

#include <map>
#include <sstream>

#include "base64.h"
#include "file_reading.h"
#include "kube/config.h"

namespace kube {
namespace {

// One named entry (cluster, user or context) with the file it came from, so that
// relative paths resolve against that file and errors can name it.
struct Entry {
  YAML::Node fields;
  std::string file;
};

struct MergedKubeconfig {
  std::map<std::string, Entry> clusters, users, contexts;
  std::string currentContext;
  std::string currentContextFile;
  std::vector<std::string> files;
};

std::string directoryOf(const std::string& file) {
  auto slash = file.find_last_of('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

std::string resolve(const std::string& path, const std::string& file) {
  if (path.empty() || path.front() == '/') return path;
  return directoryOf(file) + "/" + path;
}

std::string scalar(const YAML::Node& node, const char* key, const std::string& where) {
  YAML::Node value = node[key];
  if (!value || value.IsNull()) return {};
  if (!value.IsScalar()) throw ConfigError(where + ": " + key + " must be a string");
  return value.Scalar();
}

void mergeNamed(const YAML::Node& list, const char* kind, const char* body, const std::string& file,
                std::map<std::string, Entry>& into) {
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) throw ConfigError("kubeconfig " + file + ": " + kind + " must be a list");
  for (const auto& item : list) {
    std::string name = item.IsMap() ? scalar(item, "name", "kubeconfig " + file) : "";
    if (name.empty())
      throw ConfigError("kubeconfig " + file + ": an entry of " + kind + " has no name");
    YAML::Node fields = item[body];
    if (fields && !fields.IsNull() && !fields.IsMap()) {
      throw ConfigError("kubeconfig " + file + ": " + kind + " " + name + ": " + body +
                        " must be a mapping");
    }
    into.emplace(name, Entry{fields ? fields : YAML::Node(YAML::NodeType::Map), file});
  }
}

MergedKubeconfig readAll(const std::vector<std::string>& paths) {
  MergedKubeconfig merged;
  for (const auto& path : paths) {
    auto text = readWholeFile(path);
    if (!text) {
      if (paths.size() == 1) throw ConfigError("kubeconfig " + path + ": cannot read the file");
      continue;
    }
    YAML::Node root;
    try {
      root = YAML::Load(*text);
    } catch (const YAML::Exception& e) {
      throw ConfigError("kubeconfig " + path + ": not valid YAML: " + e.what());
    }
    merged.files.push_back(path);
    if (!root || root.IsNull()) continue;
    if (!root.IsMap()) throw ConfigError("kubeconfig " + path + ": not a YAML mapping");
    mergeNamed(root["clusters"], "clusters", "cluster", path, merged.clusters);
    mergeNamed(root["users"], "users", "user", path, merged.users);
    mergeNamed(root["contexts"], "contexts", "context", path, merged.contexts);
    std::string current = scalar(root, "current-context", "kubeconfig " + path);
    if (merged.currentContext.empty() && !current.empty()) {
      merged.currentContext = current;
      merged.currentContextFile = path;
    }
  }
  if (merged.files.empty()) {
    std::ostringstream list;
    for (std::size_t i = 0; i < paths.size(); ++i) list << (i ? ":" : "") << paths[i];
    throw ConfigError("kubeconfig: none of the files exists (" + list.str() + ")");
  }
  return merged;
}

// A value given inline (base64 "-data") or as a file; the inline value wins.
std::string inlineOrFile(const Entry& entry, const char* dataKey, const char* fileKey,
                         const std::string& where) {
  std::string data = scalar(entry.fields, dataKey, where);
  if (!data.empty()) {
    try {
      return base64::decode(data);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(where + ": " + dataKey + " is not valid base64");
    }
  }
  std::string file = scalar(entry.fields, fileKey, where);
  if (file.empty()) return {};
  std::string path = resolve(file, entry.file);
  auto content = readWholeFile(path);
  if (!content) throw ConfigError(where + ": cannot read " + fileKey + " " + path);
  return *content;
}

bool flag(const Entry& entry, const char* key, const std::string& where) {
  std::string value = scalar(entry.fields, key, where);
  if (value.empty() || value == "false") return false;
  if (value == "true") return true;
  throw ConfigError(where + ": " + key + " must be true or false, not \"" + value + "\"");
}

}  // namespace

std::vector<std::string> kubeconfigPaths(const std::string& explicitPath,
                                         const std::string& kubeconfigVariable,
                                         const std::string& home) {
  if (!explicitPath.empty()) return {explicitPath};
  std::vector<std::string> paths;
  std::istringstream list(kubeconfigVariable);
  for (std::string path; std::getline(list, path, ':');) {
    if (!path.empty()) paths.push_back(path);
  }
  if (paths.empty()) paths.push_back(home + "/.kube/config");
  return paths;
}

ClusterConfig loadKubeconfig(const std::vector<std::string>& paths, const std::string& context) {
  MergedKubeconfig merged = readAll(paths);
  const std::string& files = merged.files.front();
  std::string contextName = context.empty() ? merged.currentContext : context;
  if (contextName.empty()) {
    throw ConfigError("kubeconfig " + files + ": no current-context is set and none was chosen");
  }
  auto contextIt = merged.contexts.find(contextName);
  if (contextIt == merged.contexts.end()) {
    throw ConfigError("kubeconfig " + files + ": context " + contextName + " is not defined");
  }
  const Entry& ctx = contextIt->second;
  std::string where = "kubeconfig " + ctx.file + " context " + contextName;

  ClusterConfig config;
  config.origin = where;
  std::string clusterName = scalar(ctx.fields, "cluster", where);
  if (clusterName.empty()) throw ConfigError(where + ": the context names no cluster");
  auto clusterIt = merged.clusters.find(clusterName);
  if (clusterIt == merged.clusters.end()) {
    throw ConfigError(where + ": cluster " + clusterName + " is not defined");
  }
  const Entry& cluster = clusterIt->second;
  std::string clusterWhere = where + " cluster " + clusterName;
  config.server = scalar(cluster.fields, "server", clusterWhere);
  if (config.server.empty()) throw ConfigError(clusterWhere + ": server is missing");
  config.caPem =
      inlineOrFile(cluster, "certificate-authority-data", "certificate-authority", clusterWhere);
  config.insecureSkipTlsVerify = flag(cluster, "insecure-skip-tls-verify", clusterWhere);
  config.tlsServerName = scalar(cluster.fields, "tls-server-name", clusterWhere);

  config.user = scalar(ctx.fields, "user", where);
  if (!config.user.empty()) {
    auto userIt = merged.users.find(config.user);
    if (userIt == merged.users.end()) {
      throw ConfigError(where + ": user " + config.user + " is not defined");
    }
    const Entry& user = userIt->second;
    std::string userWhere = where + " user " + config.user;
    if (user.fields["exec"]) {
      throw ConfigError(userWhere +
                        ": exec credential plugins are not supported; use a token, a "
                        "tokenFile or a client certificate");
    }
    if (user.fields["auth-provider"]) {
      throw ConfigError(userWhere + ": auth-provider plugins are not supported");
    }
    config.token = scalar(user.fields, "token", userWhere);
    std::string tokenFile = scalar(user.fields, "tokenFile", userWhere);
    if (config.token.empty() && !tokenFile.empty()) {
      config.tokenFile = resolve(tokenFile, user.file);
      auto token = readWholeFile(config.tokenFile);
      if (!token) throw ConfigError(userWhere + ": cannot read tokenFile " + config.tokenFile);
    }
    config.clientCertificatePem =
        inlineOrFile(user, "client-certificate-data", "client-certificate", userWhere);
    config.clientKeyPem = inlineOrFile(user, "client-key-data", "client-key", userWhere);
    if (config.clientCertificatePem.empty() != config.clientKeyPem.empty()) {
      const char* missing = config.clientKeyPem.empty() ? "client-key" : "client-certificate";
      throw ConfigError(userWhere + ": " + missing +
                        " is missing (client-certificate and client-key go together)");
    }
  }
  std::string ns = scalar(ctx.fields, "namespace", where);
  if (!ns.empty()) config.namespaceName = ns;
  return config;
}

}  // namespace kube
