#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

// The facts of one build that a pipeline is compiled against: what the Drone server
// sends with a stage (or what `podrunner compile`/`exec` take as flags), plus the
// runner's own settings that shape the Plan. Plain data, filled by runner/.
namespace pipeline {

struct Repo {
  std::string namespaceName;  // owner
  std::string name;
  std::string slug;  // owner/name
  std::string scm = "git";
  std::string httpUrl;
  std::string sshUrl;
  std::string link;
  std::string defaultBranch = "main";
  std::string visibility = "public";
  bool isPrivate = false;
  bool trusted = false;
  std::string secret;  // the key of `kind: secret` encrypted values
  std::int64_t timeoutMinutes = 60;
};

struct Build {
  std::int64_t number = 0;
  std::int64_t parent = 0;
  std::string event = "push";  // push, pull_request, tag, promote, rollback, cron, custom
  std::string action;
  std::string trigger;
  std::string link;
  std::string title;
  std::string message;
  std::string before;
  std::string after;  // the commit sha
  std::string ref;    // refs/heads/main, refs/tags/v1.0.0, refs/pull/7/head
  std::string sourceRepo;
  std::string source;  // source branch
  std::string target;  // target branch
  std::string authorLogin;
  std::string authorName;
  std::string authorEmail;
  std::string authorAvatar;
  std::string sender;
  std::string deployTo;
  std::int64_t deployId = 0;
  std::string cron;
  bool debug = false;
  std::map<std::string, std::string> params;
  std::int64_t created = 0;
  std::int64_t started = 0;
  std::int64_t finished = 0;
};

struct Stage {
  std::int64_t id = 0;
  std::string name = "default";
  int number = 1;
  std::string kind = "pipeline";
  std::string type = "kubernetes";
  std::string machine;
  std::string os = "linux";
  std::string arch = "amd64";
  std::string variant;
  std::string version;
  std::vector<std::string> dependsOn;
  std::int64_t started = 0;
};

struct System {
  std::string proto = "http";
  std::string host;
  std::string link;
  std::string version;
};

struct Secret {
  std::string name;
  std::string data;
  bool pullRequest = false;  // may be given to pull request builds
};

struct Netrc {
  std::string machine;
  std::string login;
  std::string password;
};

struct BuildContext {
  Repo repo;
  Build build;
  Stage stage;
  System system;
  std::vector<Secret> secrets;  // from the server; matched case-insensitively
  std::optional<Netrc> netrc;
  std::string instance;  // the server's host, for `when: instance`
};

// The runner's settings that shape a Plan (DRONE_* variables in runner/).
struct CompilerOptions {
  std::map<std::string, std::string> environ;        // DRONE_RUNNER_ENVIRON and env file
  std::map<std::string, std::string> runnerSecrets;  // DRONE_RUNNER_SECRETS
  std::map<std::string, std::string> runnerVolumes;  // DRONE_RUNNER_VOLUMES host:container
  std::vector<std::string> privilegedImages;         // added to the built-in list
  std::string cloneImage = "drone/git:latest";
  bool netrcCloneOnly = false;
  std::string namespaceDefault = "default";
  std::map<std::string, std::vector<std::string>> namespaceRules;  // namespace -> repo globs
  std::string serviceAccountDefault;
  std::map<std::string, std::string> nodeSelectorDefault;
  std::map<std::string, std::string> labelsDefault;
  std::map<std::string, std::string> annotationsDefault;
  std::int64_t requestCpuMillis = 100;
  std::int64_t requestMemoryBytes = 100 * 1024 * 1024;
  std::int64_t minRequestCpuMillis = 1;
  std::int64_t minRequestMemoryBytes = 4 * 1024 * 1024;
  std::int64_t limitCpuMillis = 0;
  std::int64_t limitMemoryBytes = 0;
};

}  // namespace pipeline
