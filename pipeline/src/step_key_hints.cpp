#include "step_key_hints.h"

namespace pipeline {

// Where a key that is unknown at some level most likely belongs.
const std::map<std::string, std::string>& stepKeyHints() {
  static const std::map<std::string, std::string> hints{
      {"branch", "conditions go under when:"},
      {"event", "conditions go under when:"},
      {"ref", "conditions go under when:"},
      {"repo", "conditions go under when:"},
      {"instance", "conditions go under when:"},
      {"target", "conditions go under when:"},
      {"cron", "conditions go under when:"},
      {"action", "conditions go under when:"},
      {"status", "conditions go under when:"},
      {"paths", "conditions go under when:"},
      {"trigger", "trigger is a pipeline key; a step uses when:"},
      {"clone", "clone is a pipeline key"},
      {"platform", "platform is a pipeline key"},
      {"workspace", "workspace is a pipeline key"},
      {"image_pull_secrets", "image_pull_secrets is a pipeline key"},
      {"secrets", "secrets: is the 0.8 syntax; use environment: {NAME: {from_secret: name}}"},
      {"form_secret", "did you mean from_secret?"},
      {"from_secret", "from_secret goes under an environment or settings entry"},
      {"command", ""},
  };
  return hints;
}

// Keys of the docker runner that type: kubernetes has no equivalent for.
const std::set<std::string>& dockerOnlyStepKeys() {
  static const std::set<std::string> keys{
      "network_mode", "networks",     "dns",           "dns_search",     "extra_hosts",
      "shm_size",     "devices",      "cpu_period",    "cpu_quota",      "cpu_set",
      "cpu_shares",   "mem_limit",    "memswap_limit", "mem_swappiness", "oom_kill_disable",
      "isolation",    "volumes_from", "network"};
  return keys;
}

}  // namespace pipeline
