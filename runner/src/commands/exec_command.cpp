#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "runner/command.h"
#include "runner/exec.h"

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

// The factories of the other layers. They are not on main yet: until they land, exec
// says so and stops, instead of pretending to run anything.
ExecDependencies clusterDependencies() {
  ExecDependencies d;
  // WIRING: `return pipeline::compile(request);` once branch `pipeline` (issue #3) lands.
  d.compile = [](const pipeline::CompileRequest&) -> pipeline::CompileResult {
    throw std::runtime_error("the pipeline compiler (issue #3) is not part of this build yet");
  };
  // WIRING: once branch `kube` (issue #4) lands:
  //   return kube::makeClient(kube::ClientSettings{config.kube.configPath,
  //                                                config.kube.context, config.kube.qps,
  //                                                config.kube.burst});
  d.connect = [](const Config&) -> std::unique_ptr<kube::Client> {
    throw std::runtime_error("the Kubernetes client (issue #4) is not part of this build yet");
  };
  return d;
}

void addBuildOptions(po::options_description& options) {
  options.add_options()("repo", po::value<std::string>()->default_value("local/exec"),
                        "repository slug owner/name")(
      "branch", po::value<std::string>()->default_value("main"), "branch of the build")(
      "commit", po::value<std::string>()->default_value(""), "commit sha of the build")(
      "ref", po::value<std::string>()->default_value(""), "git ref (default refs/heads/BRANCH)")(
      "event", po::value<std::string>()->default_value("push"), "build event")(
      "build-number", po::value<std::int64_t>()->default_value(1), "build number")(
      "pipeline", po::value<std::string>()->default_value(""), "name of the pipeline to run")(
      "secret", po::value<std::vector<std::string>>()->composing(),
      "NAME=VALUE of a secret the pipeline may use (repeatable)")(
      "trusted", po::bool_switch(), "treat the repository as trusted (privileged, host volumes)")(
      "timeout", po::value<std::int64_t>()->default_value(60), "stage timeout in minutes")(
      "no-color", po::bool_switch(), "never colour the output");
}

pipeline::BuildContext buildContext(const po::variables_map& args) {
  pipeline::BuildContext c;
  const auto text = [&](const char* name) { return args[name].as<std::string>(); };
  c.repo.slug = text("repo");
  const auto slash = c.repo.slug.find('/');
  c.repo.namespaceName = c.repo.slug.substr(0, slash);
  c.repo.name = slash == std::string::npos ? c.repo.slug : c.repo.slug.substr(slash + 1);
  c.repo.trusted = args["trusted"].as<bool>();
  c.repo.timeoutMinutes = args["timeout"].as<std::int64_t>();
  c.build.number = args["build-number"].as<std::int64_t>();
  c.build.event = text("event");
  c.build.after = text("commit");
  c.build.target = c.build.source = text("branch");
  c.build.ref = text("ref").empty() ? "refs/heads/" + text("branch") : text("ref");
  c.stage.name = text("pipeline").empty() ? "default" : text("pipeline");
  if (args.count("secret")) {
    for (const auto& pair : args["secret"].as<std::vector<std::string>>()) {
      const auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw std::runtime_error("--secret " + pair.substr(0, pair.find('=')) +
                                 ": expected NAME=VALUE");
      }
      c.secrets.push_back({pair.substr(0, eq), pair.substr(eq + 1), true});
    }
  }
  return c;
}

int runExecCommand(CommandContext& context) {
  ExecRequest request;
  request.config = context.config;
  request.file = context.positional.empty() ? ".drone.yml" : context.positional[0];
  try {
    std::ifstream in(request.file);
    if (!in) throw std::runtime_error(request.file + ": cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    request.text = text.str();
    request.context = buildContext(context.args);
  } catch (const std::exception& e) {
    std::cerr << "podrunner exec: " << e.what() << "\n";
    return kExitUsage;
  }
  request.pipelineName = context.args["pipeline"].as<std::string>();
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
  c.addOptions = addBuildOptions;
  c.run = runExecCommand;
  return c;
}

}  // namespace podrunner
