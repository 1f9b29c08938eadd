#include "runner/compiler_options.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "runner/settings.h"

namespace podrunner {

pipeline::CompilerOptions compilerOptionsFrom(const Config& config) {
  pipeline::CompilerOptions o;
  o.environ = config.runner.environ;
  if (!config.runner.envFile.empty()) {
    std::ifstream in(config.runner.envFile);
    if (!in) throw std::runtime_error(config.runner.envFile + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& [k, v] : parseDotenv(text.str(), config.runner.envFile)) o.environ[k] = v;
  }
  o.runnerSecrets = config.runner.secrets;
  o.runnerVolumes = config.runner.volumes;
  o.privilegedImages = config.runner.privilegedImages;
  o.cloneImage = config.defaults.cloneImage;
  o.netrcCloneOnly = config.defaults.netrcCloneOnly;
  o.namespaceDefault = config.defaults.namespaceName;
  for (const auto& [ns, repos] : config.defaults.namespaceRules) o.namespaceRules[ns] = {repos};
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
