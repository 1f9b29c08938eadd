#include <iostream>

#include "commands/build_context_flags.h"
#include "runner/command.h"

namespace podrunner {

Command lintCommand() {
  Command c;
  c.name = "lint";
  c.summary = "report every problem of a pipeline file as file:line:column";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Defaults};
  c.addOptions = addBuildContextOptions;
  c.run = [](CommandContext& context) {
    const auto request = compileRequestOrReport(context, "lint");
    if (!request) return kExitUsage;
    const auto findings = pipeline::lintFile(*request);
    for (const auto& finding : findings) std::cout << pipeline::toString(finding) << "\n";
    return pipeline::hasError(findings) ? kExitFailed : kExitOk;
  };
  return c;
}

}  // namespace podrunner
