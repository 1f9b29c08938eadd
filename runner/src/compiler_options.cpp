#include "runner/compiler_options.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "runner/settings.h"

namespace podrunner {
namespace {

std::string readFile(const std::string& path, const std::string& setting) {
  std::ifstream in(path);
  if (!in) throw SettingError(setting + "=" + path + ": cannot read the file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// A YAML map: namespace -> list of repository globs (or one glob).
std::map<std::string, std::vector<std::string>> namespaceRulesFile(const std::string& path) {
  const std::string setting = "DRONE_NAMESPACE_RULES_FILE";
  std::map<std::string, std::vector<std::string>> rules;
  try {
    const YAML::Node root = YAML::Load(readFile(path, setting));
    if (root.IsNull()) return rules;
    if (!root.IsMap()) throw SettingError(setting + "=" + path + ": expected a map");
    for (const auto& entry : root) {
      auto& globs = rules[entry.first.as<std::string>()];
      if (entry.second.IsSequence()) {
        for (const auto& glob : entry.second) globs.push_back(glob.as<std::string>());
      } else if (entry.second.IsScalar()) {
        globs.push_back(entry.second.Scalar());
      }
    }
  } catch (const YAML::Exception& e) {
    throw SettingError(setting + "=" + path + ": " + e.what());
  }
  return rules;
}

}  // namespace

pipeline::CompilerOptions compilerOptions(const Config& config) {
  pipeline::CompilerOptions o;
  const auto& runner = config.runner;
  const auto& d = config.defaults;
  if (!runner.envFile.empty()) {
    o.environ = parseDotenv(readFile(runner.envFile, "DRONE_RUNNER_ENV_FILE"), runner.envFile);
  }
  for (const auto& [name, value] : runner.environ) o.environ[name] = value;
  o.runnerSecrets = runner.secrets;
  o.runnerVolumes = runner.volumes;
  o.privilegedImages = runner.privilegedImages;
  o.cloneImage = d.cloneImage;
  o.netrcCloneOnly = d.netrcCloneOnly;
  o.namespaceDefault = d.namespaceName;
  if (!d.namespaceRulesFile.empty()) o.namespaceRules = namespaceRulesFile(d.namespaceRulesFile);
  for (const auto& [ns, glob] : d.namespaceRules) o.namespaceRules[ns].push_back(glob);
  o.serviceAccountDefault = d.serviceAccount;
  o.automountServiceAccountToken = d.automountServiceAccountToken;
  o.nodeSelectorDefault = d.nodeSelector;
  o.labelsDefault = d.labels;
  o.annotationsDefault = d.annotations;
  o.requestCpuMillis = d.requestCpuMillis;
  o.requestMemoryBytes = d.requestMemoryBytes;
  o.minRequestCpuMillis = d.minRequestCpuMillis;
  o.minRequestMemoryBytes = d.minRequestMemoryBytes;
  o.limitCpuMillis = d.limitCpuMillis;
  o.limitMemoryBytes = d.limitMemoryBytes;
  return o;
}

}  // namespace podrunner
