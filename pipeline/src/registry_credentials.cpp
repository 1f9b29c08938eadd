#include "pipeline/registry_credentials.h"

#include <yaml-cpp/yaml.h>

namespace pipeline {
namespace {

std::string registryHost(const std::string& registry) {
  const auto scheme = registry.find("://");
  if (scheme == std::string::npos) return registry;
  const std::string rest = registry.substr(scheme + 3);
  const std::string host = rest.substr(0, rest.find('/'));
  return host.empty() ? registry : host;
}

std::string scalarAt(const YAML::Node& map, const char* key) {
  const YAML::Node value = map[key];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

}  // namespace

std::string base64Decode(const std::string& text) {
  std::string out;
  int bits = 0;
  unsigned buffer = 0;
  for (unsigned char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a' + 26;
    else if (c >= '0' && c <= '9')
      v = c - '0' + 52;
    else if (c == '+' || c == '-')
      v = 62;
    else if (c == '/' || c == '_')
      v = 63;
    else
      continue;  // padding and line breaks
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::vector<RegistryCredential> parseDockerConfig(const std::string& json) {
  std::vector<RegistryCredential> out;
  try {
    const YAML::Node config = YAML::Load(json);
    if (!config.IsMap()) return out;
    const YAML::Node auths = config["auths"];
    if (!auths || !auths.IsMap()) return out;
    for (auto it = auths.begin(); it != auths.end(); ++it) {
      if (!it->second.IsMap()) continue;
      RegistryCredential credential;
      credential.address = registryHost(it->first.Scalar());
      const std::string auth = scalarAt(it->second, "auth");
      if (!auth.empty()) {
        const std::string pair = base64Decode(auth);
        const auto colon = pair.find(':');
        if (colon == std::string::npos) continue;
        credential.username = pair.substr(0, colon);
        credential.password = pair.substr(colon + 1);
      } else {
        credential.username = scalarAt(it->second, "username");
        credential.password = scalarAt(it->second, "password");
      }
      out.push_back(std::move(credential));
    }
  } catch (const YAML::Exception&) {
    return {};
  }
  return out;
}

}  // namespace pipeline
