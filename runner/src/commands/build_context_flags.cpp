#include "commands/build_context_flags.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "runner/compiler_options.h"

namespace podrunner {
namespace po = boost::program_options;
namespace {

const char* const kPlaceholderCommit = "0000000000000000000000000000000000000000";

std::string flag(const po::variables_map& vm, const char* name, const std::string& fallback = "") {
  return vm.count(name) ? vm[name].as<std::string>() : fallback;
}

std::pair<std::string, std::string> nameValue(const std::string& text,
                                              const std::string& flagName) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw SettingError("--" + flagName + ": expected NAME=VALUE");
  }
  return {text.substr(0, eq), text.substr(eq + 1)};
}

std::string readPipelineFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SettingError(path + ": cannot read the pipeline file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

void addBuildContextOptions(po::options_description& options) {
  options.add_options()(
      "pipeline", po::value<std::string>()->value_name("NAME"),
      "the pipeline to compile (default: the one named default, or the file's only pipeline)")(
      "branch", po::value<std::string>()->value_name("BRANCH"), "the branch built (default: main)")(
      "event", po::value<std::string>()->value_name("EVENT"),
      "push, pull_request, tag, promote, rollback, cron or custom (default: push)")(
      "ref", po::value<std::string>()->value_name("REF"),
      "the git ref (default: refs/heads/BRANCH)")(
      "commit", po::value<std::string>()->value_name("SHA"),
      "the commit sha (default: 40 zeros, so ${DRONE_COMMIT} is never empty)")(
      "repo", po::value<std::string>()->value_name("OWNER/NAME"), "the repository slug")(
      "remote-url", po::value<std::string>()->value_name("URL"), "the repository's clone URL")(
      "source-branch", po::value<std::string>()->value_name("BRANCH"),
      "a pull request's source branch")("action", po::value<std::string>()->value_name("ACTION"),
                                        "the build action")(
      "deploy-to", po::value<std::string>()->value_name("TARGET"), "promote/rollback target")(
      "cron", po::value<std::string>()->value_name("NAME"), "the cron job's name")(
      "instance", po::value<std::string>()->value_name("HOST"), "the Drone server's host")(
      "build-number", po::value<std::string>()->value_name("N"), "the build number (default: 1)")(
      "secret", po::value<std::vector<std::string>>()->value_name("NAME=VALUE")->composing(),
      "a secret of the build, repeatable (not given to pull requests)")(
      "pr-secret", po::value<std::vector<std::string>>()->value_name("NAME=VALUE")->composing(),
      "a secret also given to pull requests, repeatable")(
      "param", po::value<std::vector<std::string>>()->value_name("NAME=VALUE")->composing(),
      "a build parameter, repeatable")(
      "netrc", po::value<std::string>()->value_name("MACHINE:LOGIN:PASSWORD"),
      "git credentials for the clone")(
      "trusted", po::bool_switch(), "the repository is trusted (privileged steps, host volumes)");
}

pipeline::CompileRequest compileRequestFrom(const CommandContext& context) {
  const auto& vm = context.args;
  pipeline::CompileRequest request;
  request.file = context.positional.empty() ? ".drone.yml" : context.positional[0];
  request.text = readPipelineFile(request.file);
  request.pipelineName = flag(vm, "pipeline");
  request.options = compilerOptions(context.config);

  auto& c = request.context;
  c.build.event = flag(vm, "event", "push");
  c.build.target = flag(vm, "branch", "main");
  c.build.source = flag(vm, "source-branch", c.build.target);
  c.build.ref = flag(vm, "ref", c.build.event == "tag" ? "" : "refs/heads/" + c.build.target);
  c.build.after = flag(vm, "commit", kPlaceholderCommit);
  c.build.action = flag(vm, "action");
  c.build.deployTo = flag(vm, "deploy-to");
  c.build.cron = flag(vm, "cron");
  c.build.trigger = "@podrunner";
  try {
    c.build.number = std::stoll(flag(vm, "build-number", "1"));
  } catch (const std::exception&) {
    throw SettingError("--build-number: expected a whole number");
  }
  c.repo.slug = flag(vm, "repo", "local/repository");
  const auto slash = c.repo.slug.find('/');
  c.repo.namespaceName = c.repo.slug.substr(0, slash);
  c.repo.name = slash == std::string::npos ? c.repo.slug : c.repo.slug.substr(slash + 1);
  c.repo.httpUrl = flag(vm, "remote-url");
  c.repo.trusted = vm.count("trusted") && vm["trusted"].as<bool>();
  c.instance = flag(vm, "instance");
  c.system.host = c.instance;
  c.stage.name = request.pipelineName.empty() ? "default" : request.pipelineName;
  for (const char* name : {"secret", "pr-secret"}) {
    if (!vm.count(name)) continue;
    for (const auto& item : vm[name].as<std::vector<std::string>>()) {
      auto [secretName, value] = nameValue(item, name);
      c.secrets.push_back({secretName, value, std::string(name) == "pr-secret"});
    }
  }
  if (vm.count("param")) {
    for (const auto& item : vm["param"].as<std::vector<std::string>>()) {
      c.build.params.insert(nameValue(item, "param"));
    }
  }
  if (vm.count("netrc")) {
    const std::string netrc = vm["netrc"].as<std::string>();
    const auto first = netrc.find(':');
    const auto second = netrc.find(':', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) {
      throw SettingError("--netrc: expected MACHINE:LOGIN:PASSWORD");
    }
    c.netrc = pipeline::Netrc{netrc.substr(0, first), netrc.substr(first + 1, second - first - 1),
                              netrc.substr(second + 1)};
  }
  return request;
}

std::optional<pipeline::CompileRequest> compileRequestOrReport(const CommandContext& context,
                                                               const std::string& command) {
  try {
    return compileRequestFrom(context);
  } catch (const SettingError& e) {
    std::cerr << "podrunner " << command << ": " << e.what() << "\n";
    return std::nullopt;
  }
}

}  // namespace podrunner
