#include <iostream>

#include "commands/build_context_flags.h"
#include "pipeline/plan_json.h"
#include "runner/command.h"

namespace podrunner {

Command compileCommand() {
  Command c;
  c.name = "compile";
  c.summary = "print the Plan a pipeline file compiles to, as JSON";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Defaults};
  c.addOptions = addBuildContextOptions;
  c.run = [](CommandContext& context) {
    const auto request = compileRequestOrReport(context, "compile");
    if (!request) return kExitUsage;
    const auto result = pipeline::compile(*request);
    for (const auto& finding : result.findings) std::cerr << pipeline::toString(finding) << "\n";
    if (!result.plan) return kExitFailed;
    if (result.skipped) {
      std::cerr << "podrunner compile: the pipeline's trigger does not match this build; it "
                   "would be skipped\n";
    }
    std::cout << pipeline::toJson(*result.plan);
    return kExitOk;
  };
  return c;
}

}  // namespace podrunner
