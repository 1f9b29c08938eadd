#include "runner/exec/exec.h"

#include <random>

#include "runner/command.h"
#include "runner/compiler_options.h"
#include "runner/engine/kube_engine.h"
#include "runner/exec/terminal_observer.h"

namespace podrunner {
namespace {

// Stage ids come from the server; without one, a random id keeps concurrent runs of
// exec in one namespace apart.
std::int64_t randomStageId() {
  std::random_device random;
  std::uniform_int_distribution<std::int64_t> id(1, (std::int64_t{1} << 40));
  return id(random);
}

}  // namespace

int runExec(const ExecRequest& request, const ExecDependencies& dependencies,
            const Cancellation& cancellation, std::ostream& out, std::ostream& err) {
  pipeline::CompileRequest compile;
  compile.text = request.text;
  compile.file = request.file;
  compile.pipelineName = request.pipelineName;
  compile.context = request.context;
  compile.options = compilerOptions(request.config);
  const auto compiled = dependencies.compile(compile);
  for (const auto& finding : compiled.findings) err << pipeline::toString(finding) << "\n";
  if (compiled.skipped) {
    out << "pipeline skipped: its trigger does not match this build\n";
    return kExitOk;
  }
  if (!compiled.plan) return kExitUsage;

  auto client = dependencies.connect(request.config);
  const auto who = client->identity();
  err << "running pipeline " << compiled.plan->pipelineName << " on " << who.server << "\n";

  StageIdentity stage;
  stage.runnerName =
      request.config.runner.name.empty() ? "podrunner-exec" : request.config.runner.name;
  stage.stageId = request.context.stage.id ? request.context.stage.id : randomStageId();
  stage.buildNumber = request.context.build.number;
  stage.stageNumber = request.context.stage.number;
  stage.repoSlug = request.context.repo.slug;
  stage.timeout = std::chrono::minutes(request.context.repo.timeoutMinutes);

  KubeEngine engine(*client, request.config);
  std::vector<std::string> names;
  for (const auto* steps : {&compiled.plan->services, &compiled.plan->steps}) {
    for (const auto& s : *steps) names.push_back(s.name);
  }
  TerminalObserver observer(out, request.colour, names);
  const auto result = engine.run(*compiled.plan, stage, observer, cancellation);
  observer.printSummary(result);
  if (engine.keptPodCleanups() > 0 && !cancellation.cancelled()) {
    err << "keeping the failed pods for " << request.config.engine.keepFailedPods.count()
        << "s for debugging (label io.drone.build=" << stage.buildNumber
        << "); Ctrl-C removes them now\n";
    cancellation.waitFor(request.config.engine.keepFailedPods);
  }
  return result.status == StepStatus::Success ? kExitOk : kExitFailed;
}

}  // namespace podrunner
