#include "commands/not_implemented.h"
#include "runner/command.h"

namespace podrunner {

Command execCommand() {
  Command c;
  c.name = "exec";
  c.summary = "run a pipeline file on the current cluster without a Drone server";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Kube,
              SettingGroup::Defaults, SettingGroup::Engine};
  c.run = [](CommandContext&) { return notImplementedYet("exec", 5); };
  return c;
}

}  // namespace podrunner
