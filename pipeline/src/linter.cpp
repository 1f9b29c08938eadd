#include "pipeline/linter.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/glob.h"
#include "pipeline/manifest_parser.h"
#include "pipeline/resources.h"
#include "pipeline/step_graph.h"

namespace pipeline {
namespace {

constexpr std::size_t kMaxNameLength = 100;

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string stepLabel(const StepSpec& step) {
  return (step.service ? "service " : "step ") + quote(step.name.value);
}

class Linter {
 public:
  Linter(const PipelineSpec& p, const LintContext& c, FindingSink& sink)
      : p_(p), context_(c), sink_(sink) {}

  void run() {
    if (p_.name.value.size() > kMaxNameLength) {
      sink_.error(p_.name.pos, "name: longer than 100 characters");
    }
    platform();
    workspace();
    namespaceRules();
    resources(p_.resources, "resources");
    tolerations(p_.tolerations, "tolerations");
    conditions(p_.trigger, "trigger");
    volumes();
    if (p_.steps.empty())
      sink_.warning(p_.pos, "pipeline " + quote(p_.name.value) + " has no steps");
    std::set<std::string> names;
    for (const auto& s : p_.services) step(s, names);
    for (const auto& s : p_.steps) step(s, names);
    dependencies(names);
  }

 private:
  const PipelineSpec& p_;
  const LintContext& context_;
  FindingSink& sink_;

  bool cloning() const { return !p_.clone.disable.value; }

  void requireTrust(Position at, const std::string& what) {
    if (!context_.trusted) {
      sink_.error(at, what + " is only allowed for trusted repositories");
    }
  }

  void platform() {
    if (p_.os.present && !p_.os.value.empty() && p_.os.value != "linux") {
      sink_.error(p_.os.pos, "platform.os: " + quote(p_.os.value) +
                                 " is not supported; podrunner runs linux pods");
    }
    static const std::set<std::string> arches{"amd64", "arm64", "arm", "386", "ppc64le", "s390x"};
    if (p_.arch.present && !p_.arch.value.empty() && !arches.count(p_.arch.value)) {
      sink_.warning(p_.arch.pos, "platform.arch: " + quote(p_.arch.value) +
                                     " is not a Kubernetes architecture; no node may match");
    }
  }

  void workspace() {
    const Text& path = p_.workspacePath;
    if (path.present && isRestrictedWorkspace(path.value)) {
      sink_.warning(path.pos, "workspace.path: " + quote(path.value) +
                                  " is a restricted path; /drone/src is used instead");
    }
  }

  void namespaceRules() {
    const std::string ns =
        p_.metadataNamespace.value.empty() ? context_.namespaceDefault : p_.metadataNamespace.value;
    if (context_.namespaceRules.empty() || !p_.metadataNamespace.present) return;
    auto rule = context_.namespaceRules.find(ns);
    const bool allowed =
        rule != context_.namespaceRules.end() &&
        std::any_of(rule->second.begin(), rule->second.end(),
                    [&](const std::string& glob) { return globMatch(glob, context_.repo); });
    if (!allowed) {
      sink_.error(p_.metadataNamespace.pos, "metadata.namespace: repository " +
                                                quote(context_.repo) + " may not use namespace " +
                                                quote(ns) + " (DRONE_NAMESPACE_RULES)");
    }
  }

  void quantity(const Text& t, const std::string& field, bool cpu) {
    if (!t.present || t.value.empty()) return;
    const bool ok = cpu ? parseCpuMillis(t.value).has_value() : parseBytes(t.value).has_value();
    if (!ok) {
      sink_.error(t.pos, field + ": " + quote(t.value) +
                             (cpu ? " is not a CPU quantity (1000 or 1000m: millicores; 1.5: cores)"
                                  : " is not a size (bytes, or a number with Ki, Mi, Gi...)"));
    }
  }

  void resources(const ResourcesSpec& r, const std::string& where) {
    quantity(r.requests.cpu, where + ".requests.cpu", true);
    quantity(r.requests.memory, where + ".requests.memory", false);
    quantity(r.requests.ephemeralStorage, where + ".requests.ephemeral_storage", false);
    quantity(r.limits.cpu, where + ".limits.cpu", true);
    quantity(r.limits.memory, where + ".limits.memory", false);
    quantity(r.limits.ephemeralStorage, where + ".limits.ephemeral_storage", false);
  }

  void tolerations(const std::vector<TolerationSpec>& list, const std::string& where) {
    static const std::set<std::string> ops{"", "Exists", "Equal"};
    static const std::set<std::string> effects{"", "NoSchedule", "PreferNoSchedule", "NoExecute"};
    for (const auto& t : list) {
      if (!ops.count(t.op.value)) {
        sink_.error(t.op.pos,
                    where + ".operator: " + quote(t.op.value) + " is not Exists or Equal");
      }
      if (!effects.count(t.effect.value)) {
        sink_.error(t.effect.pos, where + ".effect: " + quote(t.effect.value) +
                                      " is not NoSchedule, PreferNoSchedule or NoExecute");
      }
      if (t.op.value == "Exists" && !t.value.value.empty()) {
        sink_.error(t.value.pos, where + ".value: must be empty with operator Exists");
      }
    }
  }

  void conditions(const Conditions& c, const std::string& where) {
    static const std::set<std::string> events{"push",     "pull_request", "tag",   "promote",
                                              "rollback", "cron",         "custom"};
    auto each = [](const Condition& cond, auto&& check) {
      for (const auto& t : cond.include) check(t);
      for (const auto& t : cond.exclude) check(t);
    };
    each(c.event, [&](const Text& t) {
      if (!events.count(t.value) && t.value.find_first_of("*?[") == std::string::npos) {
        sink_.warning(t.pos, where + ".event: " + quote(t.value) +
                                 " is not an event Drone sends (push, pull_request, tag, promote, "
                                 "rollback, cron, custom)");
      }
    });
    each(c.ref, [&](const Text& t) {
      if (t.value.rfind("refs/head/", 0) == 0) {
        sink_.warning(t.pos, where + ".ref: " + quote(t.value) +
                                 " never matches; branch refs start with refs/heads/");
      }
    });
    each(c.status, [&](const Text& t) {
      if (t.value != "success" && t.value != "failure") {
        sink_.warning(t.pos, where + ".status: " + quote(t.value) + " is not success or failure");
      }
    });
  }

  static bool reservedVolumeName(const std::string& name) {
    static const std::set<std::string> reserved{"workspace", "_workspace", "_docker_socket",
                                                "_status", "_addons"};
    return reserved.count(name) > 0;
  }

  void volumes() {
    std::set<std::string> seen;
    for (const auto& v : p_.volumes) {
      const std::string where = "volume " + quote(v.name.value);
      if (v.name.value.empty()) {
        sink_.error(v.pos, "volumes: a volume needs a name");
      } else if (reservedVolumeName(v.name.value)) {
        sink_.error(v.name.pos, where + ": the name is reserved");
      } else if (!seen.insert(v.name.value).second) {
        sink_.error(v.name.pos, where + ": a volume with this name is already declared");
      }
      switch (v.kind) {
        case VolumeSpec::Kind::Unset:
          sink_.error(v.pos, where + ": needs one of temp, host, claim, config_map, secret");
          break;
        case VolumeSpec::Kind::Temp:
          if (v.medium.present && !v.medium.value.empty() && v.medium.value != "memory") {
            sink_.warning(v.medium.pos, where + ": temp.medium: " + quote(v.medium.value) +
                                            " is not memory; the node's disk is used");
          }
          if (v.medium.value == "memory")
            requireTrust(v.medium.pos, where + ": temp.medium memory");
          quantity(v.sizeLimit, where + ": temp.size_limit", false);
          break;
        case VolumeSpec::Kind::Host:
          requireTrust(v.kindPos, where + ": a host volume");
          if (v.hostPath.value.empty() || v.hostPath.value[0] != '/') {
            sink_.error(v.kindPos, where + ": host.path must be an absolute path");
          }
          break;
        case VolumeSpec::Kind::Claim:
        case VolumeSpec::Kind::ConfigMap:
        case VolumeSpec::Kind::Secret: {
          const std::string kind = v.kind == VolumeSpec::Kind::Claim       ? "claim"
                                   : v.kind == VolumeSpec::Kind::ConfigMap ? "config_map"
                                                                           : "secret";
          requireTrust(v.kindPos, where + ": a " + kind + " volume");
          if (v.source.value.empty())
            sink_.error(v.kindPos, where + ": " + kind + ".name is required");
          break;
        }
      }
    }
  }

  bool declaredVolume(const std::string& name) const {
    return std::any_of(p_.volumes.begin(), p_.volumes.end(),
                       [&](const VolumeSpec& v) { return v.name.value == name; });
  }

  void step(const StepSpec& s, std::set<std::string>& names) {
    const std::string where = stepLabel(s);
    if (s.name.value.empty()) {
      sink_.error(s.name.present ? s.name.pos : s.pos,
                  (s.service ? "service" : "step") + std::string(": a name is required"));
    } else {
      if (s.name.value.size() > kMaxNameLength) {
        sink_.error(s.name.pos, where + ": name: longer than 100 characters");
      }
      if (s.name.value == "clone" && cloning()) {
        sink_.error(s.name.pos, where +
                                    ": name: 'clone' is reserved for the clone step (set "
                                    "clone.disable: true to use it)");
      } else if (!names.insert(s.name.value).second) {
        sink_.error(s.name.pos, where + ": name: another step or service has this name");
      }
    }
    if (s.image.value.empty()) {
      sink_.error(s.image.present ? s.image.pos : s.pos, where + ": image is required");
    }
    static const std::set<std::string> pulls{"", "always", "if-not-exists", "never", "default"};
    if (!pulls.count(lower(s.pull.value))) {
      sink_.warning(s.pull.pos,
                    where + ": pull: " + quote(s.pull.value) +
                        " is not always, if-not-exists or never; if-not-exists is used");
    }
    static const std::set<std::string> failures{"",          "ignore",    "fail",  "fast",
                                                "fast-fail", "fail-fast", "always"};
    if (!failures.count(s.failure.value)) {
      sink_.warning(s.failure.pos, where + ": failure: " + quote(s.failure.value) +
                                       " is not ignore, fast or fail; the stage fails with it");
    }
    if (s.privileged.value) requireTrust(s.privileged.pos, where + ": privileged");
    if (s.shell.present) {
      sink_.warning(s.shell.pos, where + ": shell is ignored; commands run with /bin/sh");
    }
    resources(s.resources, where + ": resources");
    tolerations(s.tolerations, where + ": tolerations");
    conditions(s.when, where + ": when");
    for (const auto& v : s.volumes) {
      if (v.name.value.empty()) {
        sink_.error(v.pos, where + ": volumes: a mount needs the name of a pipeline volume");
      } else if (!declaredVolume(v.name.value)) {
        sink_.error(v.name.pos,
                    where + ": volumes: no pipeline volume named " + quote(v.name.value));
      }
      if (v.path.value.empty() || v.path.value[0] != '/') {
        sink_.error(v.path.present ? v.path.pos : v.pos,
                    where + ": volumes: path must be an absolute path");
      } else if (v.path.value == "/run/drone" || v.path.value.rfind("/run/drone/", 0) == 0) {
        sink_.error(v.path.pos, where + ": volumes: " + quote(v.path.value) +
                                    " is reserved for the runner (/run/drone)");
      }
    }
  }

  void dependencies(const std::set<std::string>& names) {
    std::vector<GraphStep> graph;
    for (const auto& s : p_.steps) {
      GraphStep g{s.name.value, {}, true};
      for (const auto& d : s.dependsOn) {
        g.dependsOn.push_back(d.value);
        const bool known = names.count(d.value) || d.value == "clone";
        if (!known) {
          sink_.error(d.pos, stepLabel(s) + ": depends_on: no step named " + quote(d.value));
        } else if (d.value == s.name.value) {
          sink_.error(d.pos, stepLabel(s) + ": depends_on: a step cannot depend on itself");
        }
      }
      graph.push_back(std::move(g));
    }
    const auto cycle = findCycle(graph);
    if (cycle.size() > 2) {
      std::string path;
      for (const auto& name : cycle) path += (path.empty() ? "" : " -> ") + name;
      const auto first = std::find_if(p_.steps.begin(), p_.steps.end(),
                                      [&](const StepSpec& s) { return s.name.value == cycle[0]; });
      const Position at = first->dependsOn.empty() ? first->pos : first->dependsOn.front().pos;
      sink_.error(at, stepLabel(*first) + ": depends_on: dependency cycle " + path);
    }
  }
};

}  // namespace

bool isRestrictedWorkspace(const std::string& path) {
  static const std::set<std::string> restricted{
      "/",          "/bin",           "/boot",    "/dev",     "/etc",      "/home", "/lib",
      "/lib64",     "/media",         "/mnt",     "/opt",     "/proc",     "/root", "/run",
      "/sbin",      "/srv",           "/sys",     "/tmp",     "/usr",      "/var",  "/usr/bin",
      "/usr/local", "/usr/local/bin", "/var/run", "/var/lib", "/run/drone"};
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return restricted.count(p) > 0;
}

void lint(const PipelineSpec& pipeline, const LintContext& context, FindingSink& sink) {
  sink.setDowngrade(!isKubernetes(pipeline));
  Linter(pipeline, context, sink).run();
  sink.setDowngrade(false);
}

}  // namespace pipeline
