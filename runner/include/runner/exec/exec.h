#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "kube/client.h"
#include "pipeline/compiler.h"
#include "runner/cancellation.h"
#include "runner/config.h"

// `podrunner exec FILE`: compile one pipeline of a file and run it on the current
// cluster, no Drone server involved, printing its logs and a summary.
namespace podrunner {

struct ExecRequest {
  Config config;
  std::string file;  // for findings
  std::string text;  // the file's content
  std::string pipelineName;
  pipeline::BuildContext context;
  bool colour = false;
};

// What exec needs from the other layers; the command passes the real ones, tests fakes.
struct ExecDependencies {
  std::function<pipeline::CompileResult(const pipeline::CompileRequest&)> compile;
  std::function<std::unique_ptr<kube::Client>(const Config&)> connect;
};

// Returns the process exit status: 0 only when the pipeline succeeded (or its trigger
// skipped it), 1 when it failed or was cancelled, 2 for input the compiler refused.
int runExec(const ExecRequest& request, const ExecDependencies& dependencies,
            const Cancellation& cancellation, std::ostream& out, std::ostream& err);

}  // namespace podrunner
