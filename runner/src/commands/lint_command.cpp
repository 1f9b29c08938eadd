#include "commands/not_implemented.h"
#include "runner/command.h"

namespace podrunner {

Command lintCommand() {
  Command c;
  c.name = "lint";
  c.summary = "report every problem of a pipeline file as file:line:column";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Defaults};
  c.run = [](CommandContext&) { return notImplementedYet("lint", 3); };
  return c;
}

}  // namespace podrunner
