#include "pipeline/compiler.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "pipeline/clone_step.h"
#include "pipeline/conditions.h"
#include "pipeline/environment.h"
#include "pipeline/linter.h"
#include "pipeline/manifest_parser.h"
#include "pipeline/registry_credentials.h"
#include "pipeline/resources.h"
#include "pipeline/secrets.h"
#include "pipeline/step_graph.h"
#include "pipeline/step_script.h"
#include "pipeline/substitution.h"

namespace pipeline {
namespace {

std::string quote(const std::string& s) { return "'" + s + "'"; }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Repository path of an image without registry default, tag or digest: "plugins/docker".
std::string imageRepository(std::string image) {
  image = image.substr(0, image.find('@'));
  const auto slash = image.rfind('/');
  const auto colon = image.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    image = image.substr(0, colon);
  }
  for (const std::string prefix : {"docker.io/", "index.docker.io/"}) {
    if (image.rfind(prefix, 0) == 0) image = image.substr(prefix.size());
  }
  if (image.rfind("library/", 0) == 0) image = image.substr(8);
  return image;
}

std::int64_t cpu(const Text& t) {
  return t.value.empty() ? 0 : parseCpuMillis(t.value).value_or(0);
}
std::int64_t bytes(const Text& t) { return t.value.empty() ? 0 : parseBytes(t.value).value_or(0); }

Resources declaredResources(const ResourcesSpec& spec) {
  Resources r;
  r.cpuRequestMillis = cpu(spec.requests.cpu);
  r.memoryRequestBytes = bytes(spec.requests.memory);
  r.ephemeralStorageRequestBytes = bytes(spec.requests.ephemeralStorage);
  r.cpuLimitMillis = cpu(spec.limits.cpu);
  r.memoryLimitBytes = bytes(spec.limits.memory);
  r.ephemeralStorageLimitBytes = bytes(spec.limits.ephemeralStorage);
  return r;
}

StringMap toMap(const std::vector<std::pair<Text, Text>>& pairs) {
  StringMap out;
  for (const auto& [key, value] : pairs) out[key.value] = value.value;
  return out;
}

std::vector<Toleration> toTolerations(const std::vector<TolerationSpec>& specs) {
  std::vector<Toleration> out;
  for (const auto& t : specs) {
    Toleration tol{t.key.value, t.op.value, t.value.value, t.effect.value, std::nullopt};
    if (t.seconds.present) tol.seconds = t.seconds.value;
    out.push_back(std::move(tol));
  }
  return out;
}

PullPolicy pullPolicy(std::string pull) {
  for (auto& c : pull) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (pull == "always") return PullPolicy::Always;
  if (pull == "never") return PullPolicy::Never;
  return PullPolicy::IfNotPresent;
}

FailureMode failureMode(const std::string& failure) {
  if (failure == "ignore") return FailureMode::Ignore;
  if (failure == "fast" || failure == "fast-fail" || failure == "fail-fast") {
    return FailureMode::FailFast;
  }
  return FailureMode::Fail;
}

// A variable's final form: a plain value or a key of the stage's Secret.
struct EnvEntry {
  bool secret = false;
  std::string value;  // the value, or the secret key
};

std::string pipelineNameOf(const PipelineSpec& p) {
  return p.name.value.empty() ? "default" : p.name.value;
}

class PlanBuilder {
 public:
  PlanBuilder(const PipelineSpec& spec, const Manifest& manifest, const CompileRequest& request,
              FindingSink& sink)
      : spec_(spec),
        context_(request.context),
        options_(request.options),
        sink_(sink),
        secrets_(request.context, request.options, manifest.secrets),
        facts_(matchFacts(request.context)) {}

  Plan build() {
    plan_.pipelineName = pipelineNameOf(spec_);
    plan_.arch = spec_.arch.value;
    workspace();
    placement();
    volumes();
    const bool cloning = !spec_.clone.disable.value;
    stageEnvironment();
    netrc();
    registries();

    int number = 1;
    if (cloning) plan_.steps.push_back(cloneStep(number++));
    for (const auto& s : spec_.services) {
      const RunPolicy policy = runPolicy(s.when, facts_);
      if (policy == RunPolicy::Never) continue;
      plan_.services.push_back(step(s, policy, number++));
    }
    std::vector<GraphStep> graph;
    std::vector<Step> steps;
    for (const auto& s : spec_.steps) {
      const RunPolicy policy = runPolicy(s.when, facts_);
      GraphStep g{s.name.value, {}, policy != RunPolicy::Never};
      for (const auto& d : s.dependsOn) g.dependsOn.push_back(d.value);
      graph.push_back(std::move(g));
      if (policy != RunPolicy::Never) {
        steps.push_back(step(s, policy, number++));
      } else {
        steps.emplace_back();
      }
    }
    const auto deps = resolveDependencies(graph, cloning);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (!graph[i].runs) continue;
      steps[i].dependsOn = deps[i];
      plan_.steps.push_back(std::move(steps[i]));
    }
    std::set<std::string> masked(plan_.masked.begin(), plan_.masked.end());
    plan_.masked.assign(masked.begin(), masked.end());
    return std::move(plan_);
  }

 private:
  const PipelineSpec& spec_;
  const BuildContext& context_;
  const CompilerOptions& options_;
  FindingSink& sink_;
  SecretResolver secrets_;
  MatchFacts facts_;
  Plan plan_;
  std::string workspaceDir_;
  std::map<std::string, EnvEntry> stageEnv_;
  std::map<std::string, EnvEntry> netrcEnv_;
  std::vector<VolumeMount> runnerMounts_;

  void workspace() {
    const std::string path = spec_.workspacePath.value;
    const std::string base = spec_.workspaceBase.value;
    if (!path.empty() && path[0] == '/' && !isRestrictedWorkspace(path)) {
      plan_.workspace.base = path;
    } else if (!path.empty() && path[0] != '/') {
      if (!base.empty() && base[0] == '/' && !isRestrictedWorkspace(base))
        plan_.workspace.base = base;
      plan_.workspace.path = path;
    } else if (path.empty() && !base.empty() && base[0] == '/' && !isRestrictedWorkspace(base)) {
      plan_.workspace.base = base;
    }
    while (plan_.workspace.base.size() > 1 && plan_.workspace.base.back() == '/') {
      plan_.workspace.base.pop_back();
    }
    workspaceDir_ =
        plan_.workspace.base + (plan_.workspace.path.empty() ? "" : "/" + plan_.workspace.path);
  }

  void placement() {
    plan_.namespaceName = spec_.metadataNamespace.value.empty() ? options_.namespaceDefault
                                                                : spec_.metadataNamespace.value;
    plan_.labels = options_.labelsDefault;
    for (const auto& [k, v] : toMap(spec_.labels)) plan_.labels[k] = v;
    plan_.annotations = options_.annotationsDefault;
    for (const auto& [k, v] : toMap(spec_.annotations)) plan_.annotations[k] = v;
    plan_.nodeName = spec_.nodeName.value;
    plan_.placement.nodeSelector =
        spec_.nodeSelector.empty() ? options_.nodeSelectorDefault : toMap(spec_.nodeSelector);
    if (!spec_.arch.value.empty()) {
      plan_.placement.nodeSelector.emplace("kubernetes.io/arch", spec_.arch.value);
    }
    plan_.placement.tolerations = toTolerations(spec_.tolerations);
    plan_.serviceAccountName = spec_.serviceAccountName.value.empty()
                                   ? options_.serviceAccountDefault
                                   : spec_.serviceAccountName.value;
    if (spec_.automountServiceAccountToken.present) {
      plan_.automountServiceAccountToken = spec_.automountServiceAccountToken.value;
    } else {
      plan_.automountServiceAccountToken = options_.automountServiceAccountToken;
    }
    plan_.priorityClassName = spec_.priorityClassName.value;
    plan_.runtimeClassName = spec_.runtimeClassName.value;
    if (spec_.dnsConfig.present) {
      DnsConfig dns;
      for (const auto& t : spec_.dnsConfig.nameservers) dns.nameservers.push_back(t.value);
      for (const auto& t : spec_.dnsConfig.searches) dns.searches.push_back(t.value);
      for (const auto& [n, v] : spec_.dnsConfig.options) dns.options.emplace_back(n.value, v.value);
      plan_.dnsConfig = dns;
    }
    for (const auto& alias : spec_.hostAliases) {
      HostAlias out{alias.ip.value, {}};
      for (const auto& h : alias.hostnames) out.hostnames.push_back(h.value);
      plan_.hostAliases.push_back(std::move(out));
    }
  }

  void volumes() {
    for (const auto& v : spec_.volumes) {
      Volume out;
      out.name = v.name.value;
      switch (v.kind) {
        case VolumeSpec::Kind::Unset:
        case VolumeSpec::Kind::Temp:
          out.kind = Volume::Kind::Temp;
          out.memoryMedium = v.medium.value == "memory";
          out.sizeLimitBytes = bytes(v.sizeLimit);
          break;
        case VolumeSpec::Kind::Host:
          out.kind = Volume::Kind::Host;
          out.hostPath = v.hostPath.value;
          break;
        case VolumeSpec::Kind::Claim:
          out.kind = Volume::Kind::Claim;
          out.readOnly = v.readOnly.value;
          break;
        case VolumeSpec::Kind::ConfigMap:
          out.kind = Volume::Kind::ConfigMap;
          break;
        case VolumeSpec::Kind::Secret:
          out.kind = Volume::Kind::Secret;
          break;
      }
      if (v.kind == VolumeSpec::Kind::Claim || v.kind == VolumeSpec::Kind::ConfigMap ||
          v.kind == VolumeSpec::Kind::Secret) {
        out.source = v.source.value;
      }
      if (v.defaultMode.present) out.defaultMode = static_cast<int>(v.defaultMode.value);
      out.optional = v.optional.value;
      plan_.volumes.push_back(std::move(out));
    }
    int index = 0;
    for (const auto& [host, container] : options_.runnerVolumes) {
      Volume v;
      v.name = "_runner_volume_" + std::to_string(index++);
      v.kind = Volume::Kind::Host;
      v.hostPath = host;
      std::string path = container;
      bool readOnly = false;
      if (path.size() > 3 && path.compare(path.size() - 3, 3, ":ro") == 0) {
        path.resize(path.size() - 3);
        readOnly = true;
      }
      runnerMounts_.push_back({v.name, path, "", readOnly});
      plan_.volumes.push_back(std::move(v));
    }
  }

  std::string useSecret(const std::string& name, Position at, const std::string& who,
                        const std::string& variable, bool warn) {
    const std::string key = secretKey(name);
    const auto value = secrets_.find(name);
    if (value) {
      plan_.secrets[key] = *value;
      plan_.masked.push_back(*value);
    } else {
      plan_.secrets.emplace(key, "");
      if (warn) {
        sink_.warning(at, who + ": secret " + quote(name) + " is not available to this build" +
                              (context_.build.event == "pull_request" ? " (a pull request)" : "") +
                              "; " + variable + " is set to an empty value");
      }
    }
    return key;
  }

  void stageEnvironment() {
    StringMap pipelineEnv;
    for (const auto& v : spec_.environment) {
      if (v.fromSecret.empty()) pipelineEnv[v.name] = v.literal;
    }
    for (const auto& [name, value] :
         pipeline::stageEnvironment(context_, options_, pipelineEnv, workspaceDir_)) {
      stageEnv_[name] = {false, value};
    }
    if (spec_.clone.skipVerify.value) stageEnv_["GIT_SSL_NO_VERIFY"] = {false, "true"};
    if (spec_.clone.trace.value) stageEnv_["GIT_TRACE"] = {false, "true"};
    for (const auto& v : spec_.environment) {
      if (v.fromSecret.empty()) continue;
      stageEnv_[v.name] = {true, useSecret(v.fromSecret, v.secretPos, "environment", v.name, true)};
    }
  }

  void netrc() {
    if (!context_.netrc || context_.netrc->machine.empty()) return;
    const Netrc& n = *context_.netrc;
    const std::pair<const char*, std::string> parts[] = {
        {"DRONE_NETRC_MACHINE", n.machine},
        {"DRONE_NETRC_USERNAME", n.login},
        {"DRONE_NETRC_PASSWORD", n.password},
        {"DRONE_NETRC_FILE",
         "machine " + n.machine + " login " + n.login + " password " + n.password}};
    for (const auto& [name, value] : parts) {
      const std::string key = secretKey(name);
      plan_.secrets[key] = value;
      netrcEnv_[name] = {true, key};
    }
    plan_.masked.push_back(n.login);
    plan_.masked.push_back(n.password);
  }

  void registries() {
    for (const auto& name : spec_.imagePullSecrets) {
      const auto value = secrets_.find(name.value);
      if (!value) {
        sink_.warning(name.pos,
                      "image_pull_secrets: secret " + quote(name.value) +
                          " is not available to this build; images are pulled without it");
        continue;
      }
      for (auto& credential : parseDockerConfig(*value)) {
        plan_.masked.push_back(credential.password);
        plan_.registries.push_back(std::move(credential));
      }
    }
  }

  bool autoPrivileged(const StepSpec& s) const {
    static const std::set<std::string> images{"plugins/docker", "plugins/acr", "plugins/ecr",
                                              "plugins/gcr", "plugins/heroku"};
    const std::string repository = imageRepository(s.image.value);
    bool listed = images.count(repository) > 0;
    for (const auto& image : options_.privilegedImages) {
      listed = listed || imageRepository(image) == repository;
    }
    if (!listed || !s.commands.empty() || !s.entrypoint.empty() || !s.command.empty() ||
        !s.volumes.empty()) {
      return false;
    }
    static const std::set<std::string> restricted{"DOCKER_HOST", "DOCKER_OPTS", "XDG_RUNTIME_DIR",
                                                  "PATH", "HOME"};
    return std::none_of(s.environment.begin(), s.environment.end(),
                        [](const Value& v) { return restricted.count(upper(v.name)) > 0; });
  }

  void finishEnvironment(Step& out, std::map<std::string, EnvEntry> env) {
    for (const auto& [name, entry] : env) {
      if (entry.secret) {
        out.secretEnvironment.push_back({name, entry.value});
      } else {
        out.environment[name] = entry.value;
      }
    }
  }

  Step cloneStep(int number) {
    Step s;
    s.name = "clone";
    s.number = number;
    s.clone = true;
    s.image = options_.cloneImage;
    s.script = cloneScript(
        {spec_.clone.depth.value, spec_.clone.retries.value, spec_.clone.tags.value, 5});
    s.workingDir = workspaceDir_;
    s.runPolicy = RunPolicy::Always;
    s.resources = effectiveResources({}, declaredResources(spec_.resources), options_);
    s.volumes = runnerMounts_;
    auto env = stageEnv_;
    for (const auto& entry : netrcEnv_) env[entry.first] = entry.second;
    finishEnvironment(s, std::move(env));
    return s;
  }

  Step step(const StepSpec& spec, RunPolicy policy, int number) {
    Step s;
    s.name = spec.name.value;
    s.number = number;
    s.image = spec.image.value;
    s.pull = pullPolicy(spec.pull.value);
    for (const auto& t : spec.entrypoint) s.entrypoint.push_back(t.value);
    for (const auto& t : spec.command) s.args.push_back(t.value);
    if (!spec.commands.empty()) {
      std::vector<std::string> commands;
      for (const auto& t : spec.commands) commands.push_back(t.value);
      s.script = commandScript(commands);
    }
    const bool keepImageDir = spec.service && spec.commands.empty();
    s.workingDir = !spec.workingDir.value.empty() ? spec.workingDir.value
                   : keepImageDir                 ? ""
                                                  : workspaceDir_;
    s.resources = effectiveResources(declaredResources(spec.resources),
                                     declaredResources(spec_.resources), options_);
    s.volumes = runnerMounts_;
    for (const auto& v : spec.volumes) {
      s.volumes.push_back({v.name.value, v.path.value, v.subPath.value, v.readOnly.value});
    }
    s.placement.nodeSelector = toMap(spec.nodeSelector);
    s.placement.tolerations = toTolerations(spec.tolerations);
    s.privileged = spec.privileged.value || autoPrivileged(spec);
    if (spec.user.present) s.user = spec.user.value;
    if (spec.group.present) s.group = spec.group.value;
    s.runPolicy = policy;
    s.failure = failureMode(spec.failure.value);
    s.detach = spec.service || spec.detach.value;
    for (const auto& port : spec.ports) s.ports.push_back(static_cast<int>(port.value));

    const std::string who = (spec.service ? "service " : "step ") + quote(s.name);
    auto env = stageEnv_;
    if (!options_.netrcCloneOnly) {
      for (const auto& entry : netrcEnv_) env[entry.first] = entry.second;
    }
    for (const auto& v : spec.environment) {
      env[v.name] = v.fromSecret.empty()
                        ? EnvEntry{false, v.literal}
                        : EnvEntry{true, useSecret(v.fromSecret, v.secretPos, who, v.name, true)};
    }
    for (const auto& v : spec.settings) {
      const std::string name = "PLUGIN_" + upper(v.name);
      env[name] = v.fromSecret.empty()
                      ? EnvEntry{false, v.literal}
                      : EnvEntry{true, useSecret(v.fromSecret, v.secretPos, who, name, true)};
    }
    env["DRONE_STEP_NAME"] = {false, s.name};
    finishEnvironment(s, std::move(env));
    return s;
  }
};

// No name asks for the pipeline named default or, in a file of one pipeline, that one.
const PipelineSpec* selectPipeline(const Manifest& manifest, const std::string& wanted) {
  const std::string name = wanted.empty() ? "default" : wanted;
  for (const auto& p : manifest.pipelines) {
    if (pipelineNameOf(p) == name) return &p;
  }
  if (wanted.empty() && manifest.pipelines.size() == 1) return &manifest.pipelines.front();
  return nullptr;
}

std::string pipelineNames(const Manifest& manifest) {
  std::string names;
  for (const auto& p : manifest.pipelines)
    names += (names.empty() ? "" : ", ") + quote(pipelineNameOf(p));
  return names;
}

// The parser reports on every document; compile reports only on the one it compiles.
bool withinDocument(const Finding& f, const PipelineSpec& selected, const Manifest& manifest) {
  if (f.severity == Finding::Severity::Error && f.line == 0) return true;
  int end = 1 << 30;
  for (const auto& p : manifest.pipelines) {
    if (p.pos.line > selected.pos.line) end = std::min(end, p.pos.line);
  }
  for (const auto& s : manifest.secrets) {
    if (s.pos.line > selected.pos.line) end = std::min(end, s.pos.line);
  }
  return f.line >= selected.pos.line && f.line < end;
}

LintContext lintContext(const CompileRequest& request) {
  LintContext context;
  context.trusted = request.context.repo.trusted;
  context.repo = request.context.repo.slug;
  context.namespaceDefault = request.options.namespaceDefault;
  context.namespaceRules = request.options.namespaceRules;
  return context;
}

void sortByPosition(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
}

ParsedManifest substituteAndParse(const CompileRequest& request, FindingSink& sink) {
  const auto substituted =
      substitute(request.text, substitutionVariables(request.context, request.options));
  for (const auto& e : substituted.errors) sink.error(e.pos, e.message);
  return parseManifest(substituted.text, request.file);
}

}  // namespace

std::vector<Finding> lintFile(const CompileRequest& request) {
  FindingSink sink(request.file);
  const ParsedManifest parsed = substituteAndParse(request, sink);
  for (const auto& f : parsed.findings) sink.findings().push_back(f);
  const bool kubernetes =
      std::any_of(parsed.manifest.pipelines.begin(), parsed.manifest.pipelines.end(), isKubernetes);
  if (!kubernetes && !hasError(sink.findings())) {
    sink.warning({1, 1}, "no type: kubernetes pipeline in the file; podrunner would run nothing");
  }
  for (const auto& p : parsed.manifest.pipelines) lint(p, lintContext(request), sink);
  auto findings = std::move(sink.findings());
  sortByPosition(findings);
  return findings;
}

CompileResult compile(const CompileRequest& request) {
  CompileResult result;
  FindingSink sink(request.file);
  const ParsedManifest parsed = substituteAndParse(request, sink);

  const PipelineSpec* selected = selectPipeline(parsed.manifest, request.pipelineName);
  for (const auto& f : parsed.findings) {
    if (!selected || withinDocument(f, *selected, parsed.manifest)) sink.findings().push_back(f);
  }
  const std::string name = selected                       ? pipelineNameOf(*selected)
                           : request.pipelineName.empty() ? "default"
                                                          : request.pipelineName;
  if (!selected) {
    if (!hasError(sink.findings())) {
      sink.error({1, 1}, "no pipeline named " + quote(name) + " in the file" +
                             (parsed.manifest.pipelines.empty()
                                  ? std::string()
                                  : " (it has " + pipelineNames(parsed.manifest) + ")"));
    }
  } else if (!isKubernetes(*selected)) {
    sink.error(selected->type.present ? selected->type.pos : selected->pos,
               "pipeline " + quote(name) + " has type " +
                   (selected->type.value.empty() ? "docker (the default)" : selected->type.value) +
                   "; podrunner runs only type: kubernetes");
  } else {
    lint(*selected, lintContext(request), sink);
    if (!hasError(sink.findings())) {
      result.skipped = !matches(selected->trigger, matchFacts(request.context));
      result.plan = PlanBuilder(*selected, parsed.manifest, request, sink).build();
    }
  }
  result.findings = std::move(sink.findings());
  sortByPosition(result.findings);
  if (hasError(result.findings)) result.plan.reset();
  return result;
}

}  // namespace pipeline
