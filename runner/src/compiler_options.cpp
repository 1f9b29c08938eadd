#include "runner/compiler_options.h"

#include <fstream>
#include <sstream>

#include "runner/settings.h"

namespace podrunner {

pipeline::CompilerOptions compilerOptions(const Config& config) {
  pipeline::CompilerOptions o;
  if (!config.runner.envFile.empty()) {
    std::ifstream in(config.runner.envFile);
    if (!in) throw SettingError("DRONE_RUNNER_ENV_FILE: cannot read " + config.runner.envFile);
    std::stringstream text;
    text << in.rdbuf();
    o.environ = parseDotenv(text.str(), config.runner.envFile);
  }
  for (const auto& [name, value] : config.runner.environ) o.environ[name] = value;
  o.runnerSecrets = config.runner.secrets;
  o.runnerVolumes = config.runner.volumes;
  o.privilegedImages = config.runner.privilegedImages;
  o.cloneImage = config.defaults.cloneImage;
  o.netrcCloneOnly = config.defaults.netrcCloneOnly;
  o.namespaceDefault = config.defaults.namespaceName;
  for (const auto& [namespaceName, glob] : config.defaults.namespaceRules)
    o.namespaceRules[namespaceName].push_back(glob);
  o.serviceAccountDefault = config.defaults.serviceAccount;
  o.nodeSelectorDefault = config.defaults.nodeSelector;
  o.labelsDefault = config.defaults.labels;
  o.annotationsDefault = config.defaults.annotations;
  o.requestCpuMillis = config.defaults.requestCpuMillis;
  o.requestMemoryBytes = config.defaults.requestMemoryBytes;
  o.minRequestCpuMillis = config.defaults.minRequestCpuMillis;
  o.minRequestMemoryBytes = config.defaults.minRequestMemoryBytes;
  o.limitCpuMillis = config.defaults.limitCpuMillis;
  o.limitMemoryBytes = config.defaults.limitMemoryBytes;
  return o;
}

}  // namespace podrunner
