#include "commands/not_implemented.h"
#include "runner/command.h"

namespace podrunner {

Command compileCommand() {
  Command c;
  c.name = "compile";
  c.summary = "print the Plan a pipeline file compiles to, as JSON";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Defaults};
  c.run = [](CommandContext&) { return notImplementedYet("compile", 3); };
  return c;
}

}  // namespace podrunner
