#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "runner/command.h"
#include "runner/log.h"

extern char** environ;

namespace podrunner {
namespace po = boost::program_options;
namespace {

std::vector<Command> commands() {
  return {daemonCommand(), execCommand(), compileCommand(), lintCommand(), versionCommand()};
}

std::string usageLine(const Command& c) {
  return "usage: podrunner " + c.name + " [OPTIONS]" +
         (c.positionalUsage.empty() ? "" : " " + c.positionalUsage);
}

void printTopHelp(std::ostream& out) {
  out << "podrunner: a Drone CI runner that runs each pipeline step as its own Kubernetes Pod\n\n"
         "usage: podrunner [COMMAND] [OPTIONS]   (COMMAND defaults to daemon)\n\ncommands:\n";
  for (const auto& c : commands()) {
    out << "  " << c.name << std::string(10 - c.name.size(), ' ') << c.summary << "\n";
  }
  out << "\nRun 'podrunner COMMAND --help' for the settings of a command. Every setting can be\n"
         "given as a flag or as its DRONE_* environment variable; a flag wins.\n";
}

po::options_description settingsOptions(const Command& command) {
  po::options_description settings("settings (flag, environment variable, default)");
  for (const auto& s : allSettings()) {
    bool wanted = false;
    for (auto g : command.groups) wanted = wanted || g == s.group;
    if (!wanted) continue;
    std::string text = "[" + s.env + "]";
    if (!s.defaultText.empty()) text += " (default: " + s.defaultText + ")";
    text += " " + s.help;
    settings.add_options()(s.flag.c_str(), po::value<std::string>()->value_name("VALUE"),
                           text.c_str());
  }
  return settings;
}

std::optional<std::string> processEnvironment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

// A DRONE_* variable no setting knows is most often a typo of one that does.
void warnAboutUnknownVariables() {
  std::set<std::string> known;
  for (const auto& s : allSettings()) known.insert(s.env);
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::string name = entry.substr(0, entry.find('='));
    if (name.rfind("DRONE_", 0) == 0 && known.count(name) == 0) {
      log::warn("unknown setting ignored", {{"variable", name}});
    }
  }
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SettingError(path + ": cannot read the dotenv file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int runCommand(const Command& command, const std::vector<std::string>& args) {
  po::options_description own(command.name + " options");
  own.add_options()("help,h", "show this help");
  if (command.addOptions) command.addOptions(own);
  po::options_description settings = settingsOptions(command);
  po::options_description all;
  all.add(own).add(settings);
  po::options_description hidden;
  hidden.add_options()("positional", po::value<std::vector<std::string>>());
  po::options_description parsing;
  parsing.add(all).add(hidden);
  po::positional_options_description positional;
  positional.add("positional", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(parsing).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "podrunner " << command.name << ": " << e.what() << "\n"
              << usageLine(command) << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << usageLine(command) << "\n\n" << command.summary << "\n\n" << all << "\n";
    return kExitOk;
  }

  CommandContext context;
  if (vm.count("positional")) context.positional = vm["positional"].as<std::vector<std::string>>();
  if (context.positional.size() > command.maxPositional) {
    std::cerr << "podrunner " << command.name << ": too many arguments\n"
              << usageLine(command) << "\n";
    return kExitUsage;
  }

  SettingSources sources;
  sources.environment = processEnvironment;
  for (const auto& s : allSettings()) {
    if (vm.count(s.flag)) sources.flags[s.flag] = vm[s.flag].as<std::string>();
  }
  try {
    if (command.positionalIsDotenv && !context.positional.empty()) {
      sources.dotenv = parseDotenv(readFile(context.positional[0]), context.positional[0]);
    }
    context.config = resolveSettings(command.groups, sources);
  } catch (const SettingError& e) {
    std::cerr << "podrunner " << command.name << ": " << e.what() << "\n";
    return kExitUsage;
  }

  const auto& logging = context.config.logging;
  log::setLevel(logging.trace   ? log::Level::Trace
                : logging.debug ? log::Level::Debug
                                : log::Level::Info);
  if (command.name == "daemon" || command.name == "exec") warnAboutUnknownVariables();
  context.args = std::move(vm);
  return command.run(context);
}

}  // namespace

int runCli(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    printTopHelp(std::cout);
    return kExitOk;
  }
  std::string name = "daemon";
  if (!args.empty() && args[0].rfind('-', 0) != 0) {
    name = args[0];
    args.erase(args.begin());
  }
  for (const auto& command : commands()) {
    if (command.name == name) return runCommand(command, args);
  }
  std::cerr << "podrunner: unknown command '" << name << "'\n\n";
  printTopHelp(std::cerr);
  return kExitUsage;
}

}  // namespace podrunner
