#include "pipeline/environment.h"

#include <cctype>
#include <regex>

#include "pipeline/substitution.h"

namespace pipeline {
namespace {

std::string boolText(bool b) { return b ? "true" : "false"; }

std::string firstDigits(const std::string& s) {
  const auto begin = s.find_first_of("0123456789");
  if (begin == std::string::npos) return {};
  const auto end = s.find_first_not_of("0123456789", begin);
  return s.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

void addSemver(const std::string& version, StringMap& env) {
  static const std::regex semver(
      R"((0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?)");
  std::smatch m;
  if (!std::regex_match(version, m, semver)) {
    env["DRONE_SEMVER_ERROR"] = "'" + version + "' is not in dotted-tri format";
    return;
  }
  env["DRONE_SEMVER"] = version;
  env["DRONE_SEMVER_MAJOR"] = m[1];
  env["DRONE_SEMVER_MINOR"] = m[2];
  env["DRONE_SEMVER_PATCH"] = m[3];
  env["DRONE_SEMVER_SHORT"] = std::string(m[1]) + "." + std::string(m[2]) + "." + std::string(m[3]);
  if (m[4].matched) env["DRONE_SEMVER_PRERELEASE"] = m[4];
  if (m[5].matched) env["DRONE_SEMVER_BUILD"] = m[5];
}

void addCalver(const std::string& version, StringMap& env) {
  static const std::regex calver(R"((\d+)\.(\d+)\.(\d+)(?:[-+](.+))?)");
  std::smatch m;
  if (!std::regex_match(version, m, calver)) return;
  const std::string major = m[1];
  if (major.size() > 4) return;
  const int year = std::stoi(major);
  const bool isYear = (major.size() == 2 && year >= 19) || (year >= 2019 && year <= 9998);
  if (!isYear) return;
  const std::string shortForm = major + "." + std::string(m[2]) + "." + std::string(m[3]);
  env["DRONE_CALVER"] = version;
  env["DRONE_CALVER_SHORT"] = shortForm;
  env["DRONE_CALVER_MAJOR_MINOR"] = major + "." + std::string(m[2]);
  env["DRONE_CALVER_MAJOR"] = major;
  env["DRONE_CALVER_MINOR"] = m[2];
  env["DRONE_CALVER_MICRO"] = m[3];
  if (m[4].matched) env["DRONE_CALVER_MODIFIER"] = m[4];
}

}  // namespace

StringMap versionVariables(const std::string& tag) {
  StringMap env;
  std::string version = tag;
  if (!version.empty() && version[0] == 'v') version.erase(0, 1);
  addSemver(version, env);
  addCalver(version, env);
  return env;
}

StringMap buildVariables(const BuildContext& c) {
  StringMap env;
  const auto& sys = c.system;
  env["CI"] = "true";
  env["DRONE"] = "true";
  env["DRONE_SYSTEM_PROTO"] = sys.proto;
  env["DRONE_SYSTEM_HOST"] = sys.host;
  env["DRONE_SYSTEM_HOSTNAME"] = sys.host;
  env["DRONE_SYSTEM_VERSION"] = sys.version;

  const auto& r = c.repo;
  env["DRONE_REPO"] = r.slug;
  env["DRONE_REPO_SCM"] = r.scm;
  env["DRONE_REPO_OWNER"] = r.namespaceName;
  env["DRONE_REPO_NAMESPACE"] = r.namespaceName;
  env["DRONE_REPO_NAME"] = r.name;
  env["DRONE_REPO_LINK"] = r.link;
  env["DRONE_REPO_BRANCH"] = r.defaultBranch;
  env["DRONE_REMOTE_URL"] = r.httpUrl;
  env["DRONE_GIT_HTTP_URL"] = r.httpUrl;
  env["DRONE_GIT_SSH_URL"] = r.sshUrl;
  env["DRONE_REPO_VISIBILITY"] = r.visibility;
  env["DRONE_REPO_PRIVATE"] = boolText(r.isPrivate);
  env["CI_REPO"] = r.slug;
  env["CI_REPO_NAME"] = r.slug;
  env["CI_REPO_LINK"] = r.link;
  env["CI_REPO_REMOTE"] = r.httpUrl;
  env["CI_REMOTE_URL"] = r.httpUrl;
  env["CI_REPO_PRIVATE"] = boolText(r.isPrivate);

  const auto& b = c.build;
  env["DRONE_BRANCH"] = b.target;
  env["DRONE_SOURCE_BRANCH"] = b.source;
  env["DRONE_TARGET_BRANCH"] = b.target;
  env["DRONE_COMMIT"] = b.after;
  env["DRONE_COMMIT_SHA"] = b.after;
  env["DRONE_COMMIT_AFTER"] = b.after;
  env["DRONE_COMMIT_BEFORE"] = b.before;
  env["DRONE_COMMIT_REF"] = b.ref;
  env["DRONE_COMMIT_BRANCH"] = b.target;
  env["DRONE_COMMIT_LINK"] = b.link;
  env["DRONE_COMMIT_MESSAGE"] = b.message;
  env["DRONE_COMMIT_AUTHOR"] = b.authorLogin;
  env["DRONE_COMMIT_AUTHOR_EMAIL"] = b.authorEmail;
  env["DRONE_COMMIT_AUTHOR_AVATAR"] = b.authorAvatar;
  env["DRONE_COMMIT_AUTHOR_NAME"] = b.authorName;
  env["DRONE_BUILD_NUMBER"] = std::to_string(b.number);
  env["DRONE_BUILD_PARENT"] = std::to_string(b.parent);
  env["DRONE_BUILD_EVENT"] = b.event;
  env["DRONE_BUILD_ACTION"] = b.action;
  env["DRONE_BUILD_DEBUG"] = boolText(b.debug);
  env["DRONE_BUILD_CREATED"] = std::to_string(b.created);
  env["DRONE_BUILD_STARTED"] = std::to_string(b.started);
  env["DRONE_BUILD_TRIGGER"] = b.trigger;
  env["DRONE_DEPLOY_TO"] = b.deployTo;
  env["DRONE_DEPLOY_ID"] = std::to_string(b.deployId);
  env["CI_BUILD_NUMBER"] = std::to_string(b.number);
  env["CI_PARENT_BUILD_NUMBER"] = std::to_string(b.parent);
  env["CI_BUILD_CREATED"] = std::to_string(b.created);
  env["CI_BUILD_STARTED"] = std::to_string(b.started);
  env["CI_BUILD_EVENT"] = b.event;
  env["CI_BUILD_LINK"] = b.link;
  env["CI_BUILD_TARGET"] = b.deployTo;
  env["CI_COMMIT_SHA"] = b.after;
  env["CI_COMMIT_REF"] = b.ref;
  env["CI_COMMIT_BRANCH"] = b.target;
  env["CI_COMMIT_MESSAGE"] = b.message;
  env["CI_COMMIT_AUTHOR"] = b.authorLogin;
  env["CI_COMMIT_AUTHOR_NAME"] = b.authorName;
  env["CI_COMMIT_AUTHOR_EMAIL"] = b.authorEmail;
  env["CI_COMMIT_AUTHOR_AVATAR"] = b.authorAvatar;
  if (b.event == "pull_request") {
    env["DRONE_PULL_REQUEST"] = firstDigits(b.ref);
    env["DRONE_PULL_REQUEST_TITLE"] = b.title;
  }
  const std::string tagPrefix = "refs/tags/";
  if (b.ref.rfind(tagPrefix, 0) == 0) {
    env["DRONE_TAG"] = b.ref.substr(tagPrefix.size());
    for (const auto& [name, value] : versionVariables(env["DRONE_TAG"])) env[name] = value;
  }

  const auto& s = c.stage;
  env["DRONE_STAGE_KIND"] = s.kind;
  env["DRONE_STAGE_TYPE"] = s.type;
  env["DRONE_STAGE_NAME"] = s.name;
  env["DRONE_STAGE_NUMBER"] = std::to_string(s.number);
  env["DRONE_STAGE_MACHINE"] = s.machine;
  env["DRONE_STAGE_OS"] = s.os;
  env["DRONE_STAGE_ARCH"] = s.arch;
  env["DRONE_STAGE_VARIANT"] = s.variant;
  env["DRONE_STAGE_VERSION"] = s.version;
  env["DRONE_STAGE_STARTED"] = std::to_string(s.started);
  env["DRONE_STAGE_DEPENDS_ON"] = joined(s.dependsOn);
  env["DRONE_CARD_PATH"] = "/dev/stdout";

  env["DRONE_BUILD_LINK"] =
      sys.proto + "://" + sys.host + "/" + r.slug + "/" + std::to_string(b.number);
  return env;
}

StringMap substitutionVariables(const BuildContext& context, const CompilerOptions& options) {
  StringMap vars = options.environ;
  for (const auto& [name, value] : buildVariables(context)) vars[name] = value;
  for (const auto& [name, value] : context.build.params) vars[name] = value;
  for (auto& entry : vars) entry.second = substitutionValue(entry.second);
  return vars;
}

StringMap stageEnvironment(const BuildContext& context, const CompilerOptions& options,
                           const StringMap& pipelineEnvironment, const std::string& workspace) {
  StringMap env = options.environ;
  for (const auto& [name, value] : context.build.params) env[name] = value;
  for (const auto& [name, value] : pipelineEnvironment) env[name] = value;
  for (const auto& [name, value] : buildVariables(context)) env[name] = value;
  const auto& b = context.build;
  env["GIT_AUTHOR_NAME"] = b.authorName.empty() ? "drone" : b.authorName;
  env["GIT_COMMITTER_NAME"] = env["GIT_AUTHOR_NAME"];
  env["GIT_AUTHOR_EMAIL"] = b.authorEmail.empty() ? "noreply@drone" : b.authorEmail;
  env["GIT_COMMITTER_EMAIL"] = env["GIT_AUTHOR_EMAIL"];
  env["GIT_TERMINAL_PROMPT"] = "0";
  env["DRONE_WORKSPACE"] = workspace;
  return env;
}

}  // namespace pipeline
