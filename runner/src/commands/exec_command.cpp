#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <thread>

#include "commands/build_context_flags.h"
#include "pipeline/compiler.h"
#include "runner/cluster_client.h"
#include "runner/command.h"
#include "runner/exec/exec.h"

namespace podrunner {
namespace {

namespace po = boost::program_options;

// Ctrl-C (or SIGTERM) cancels the run, which then cleans up; a second one quits at
// once. Signals are taken by one thread with sigwait, so nothing runs in a handler.
class InterruptWatcher {
 public:
  explicit InterruptWatcher(Cancellation& cancellation) {
    sigemptyset(&signals_);
    sigaddset(&signals_, SIGINT);
    sigaddset(&signals_, SIGTERM);
    sigaddset(&signals_, SIGUSR2);  // from the destructor: stop watching
    // Blocked before any other thread starts, so every thread inherits the mask.
    pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
    thread_ = std::thread([this, &cancellation] {
      for (int interrupts = 0;;) {
        int signal = 0;
        if (sigwait(&signals_, &signal) != 0 || signal == SIGUSR2) return;
        if (++interrupts > 1) std::_Exit(130);
        std::cerr << "\npodrunner exec: cancelling, deleting the pods (again to quit at once)\n";
        cancellation.cancel("interrupted");
      }
    });
  }
  ~InterruptWatcher() {
    pthread_kill(thread_.native_handle(), SIGUSR2);
    thread_.join();
  }

 private:
  sigset_t signals_;
  std::thread thread_;
};

ExecDependencies clusterDependencies() {
  ExecDependencies d;
  d.compile = pipeline::compile;
  d.connect = [](const Config& config) { return connectToCluster(config); };
  return d;
}

// The build flags of compile and lint, plus what only exec takes.
void addExecOptions(po::options_description& options) {
  addBuildContextOptions(options);
  options.add_options()("timeout", po::value<std::int64_t>()->default_value(60),
                        "stage timeout in minutes")("no-color", po::bool_switch(),
                                                    "never colour the output");
}

int runExecCommand(CommandContext& context) {
  ExecRequest request;
  request.config = context.config;
  try {
    const pipeline::CompileRequest compile = compileRequestFrom(context);
    request.file = compile.file;
    request.text = compile.text;
    request.pipelineName = compile.pipelineName;
    request.context = compile.context;
    request.context.repo.timeoutMinutes = context.args["timeout"].as<std::int64_t>();
  } catch (const std::exception& e) {
    std::cerr << "podrunner exec: " << e.what() << "\n";
    return kExitUsage;
  }
  request.colour = !context.args["no-color"].as<bool>() && isatty(STDOUT_FILENO) &&
                   std::getenv("NO_COLOR") == nullptr;
  Cancellation cancellation;
  InterruptWatcher interrupts(cancellation);
  try {
    return runExec(request, clusterDependencies(), cancellation, std::cout, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "podrunner exec: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace

Command execCommand() {
  Command c;
  c.name = "exec";
  c.summary = "run a pipeline file on the current cluster without a Drone server";
  c.positionalUsage = "[FILE]";
  c.maxPositional = 1;
  c.groups = {SettingGroup::Logging, SettingGroup::Runner, SettingGroup::Kube,
              SettingGroup::Defaults, SettingGroup::Engine};
  c.addOptions = addExecOptions;
  c.run = runExecCommand;
  return c;
}

}  // namespace podrunner
