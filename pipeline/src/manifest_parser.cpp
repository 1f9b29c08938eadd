#include "pipeline/manifest_parser.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "compound_reader.h"
#include "step_key_hints.h"
#include "tab_check.h"
#include "yaml_guard.h"
#include "yaml_node.h"

namespace pipeline {
namespace {

using yaml::entries;
using yaml::positionOf;

// The schema of a pipeline file, read on top of the typed scalar readers.
class Parser : private CompoundReader {
 public:
  explicit Parser(FindingSink& sink) : CompoundReader(sink) {}

  void document(const YAML::Node& doc, Manifest& out) {
    if (!doc.IsDefined() || doc.IsNull()) return;
    if (!doc.IsMap()) {
      sink_.error(positionOf(doc), "a document must be a map with kind: pipeline");
      return;
    }
    std::string kind;
    bool hasLegacyPipeline = false;
    for (const auto& [key, value] : entries(doc)) {
      if (key.Scalar() == "kind" && value.IsScalar()) kind = value.Scalar();
      if (key.Scalar() == "pipeline" && value.IsMap()) hasLegacyPipeline = true;
    }
    if (kind.empty() && hasLegacyPipeline) {
      sink_.error(positionOf(doc),
                  "legacy 0.8 format (a top-level pipeline: map) is not supported; convert it "
                  "with `drone convert` to kind: pipeline documents");
      return;
    }
    if (kind == "secret") {
      out.secrets.push_back(secret(doc));
    } else if (kind == "pipeline" || kind.empty()) {
      out.pipelines.push_back(pipelineDocument(doc));
    }
    // kind: signature, template and others are not the runner's business.
  }

 private:
  std::vector<StepVolumeSpec> stepVolumes(const YAML::Node& node, const std::string& where) {
    std::vector<StepVolumeSpec> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) {
      expected(node, where, "a list of {name, path}");
      return out;
    }
    for (const auto& item : node) {
      StepVolumeSpec v;
      v.pos = positionOf(item);
      if (!item.IsMap()) {
        expected(item, where, "a map with name and path");
        continue;
      }
      for (const auto& [key, value] : entries(item)) {
        const std::string k = key.Scalar();
        if (k == "name") {
          v.name = text(value, where + ".name");
        } else if (k == "path") {
          v.path = text(value, where + ".path");
        } else if (k == "sub_path") {
          v.subPath = text(value, where + ".sub_path");
        } else if (k == "read_only") {
          v.readOnly = flag(value, where + ".read_only");
        } else {
          unknownKey(key, where, "a volume mount has name, path, sub_path and read_only");
        }
      }
      out.push_back(std::move(v));
    }
    return out;
  }

  StepSpec step(const YAML::Node& node, bool service, std::size_t index) {
    StepSpec s;
    s.pos = positionOf(node);
    s.service = service;
    const std::string kind = service ? "service" : "step";
    if (!node.IsMap()) {
      expected(node, (service ? "services[" : "steps[") + std::to_string(index) + "]", "a map");
      return s;
    }
    if (node["name"] && node["name"].IsScalar()) s.name.value = node["name"].Scalar();
    const std::string where = s.name.value.empty() ? kind + " #" + std::to_string(index + 1)
                                                   : kind + " " + quote(s.name.value);
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "name")
        s.name = text(value, where + ": name");
      else if (k == "image")
        s.image = text(value, where + ": image");
      else if (k == "pull")
        s.pull = text(value, where + ": pull");
      else if (k == "failure")
        s.failure = text(value, where + ": failure");
      else if (k == "working_dir")
        s.workingDir = text(value, where + ": working_dir");
      else if (k == "shell")
        s.shell = text(value, where + ": shell");
      else if (k == "commands")
        s.commands = textList(value, where + ": commands");
      else if (k == "entrypoint")
        s.entrypoint = textList(value, where + ": entrypoint", true);
      else if (k == "command")
        s.command = textList(value, where + ": command", true);
      else if (k == "environment")
        s.environment = values(value, where + ": environment", false);
      else if (k == "settings")
        s.settings = values(value, where + ": settings", true);
      else if (k == "detach")
        s.detach = flag(value, where + ": detach");
      else if (k == "privileged")
        s.privileged = flag(value, where + ": privileged");
      else if (k == "user")
        s.user = number(value, where + ": user");
      else if (k == "group")
        s.group = number(value, where + ": group");
      else if (k == "depends_on")
        s.dependsOn = textList(value, where + ": depends_on", true);
      else if (k == "when")
        s.when = conditions(value, where + ": when");
      else if (k == "resources")
        s.resources = resources(value, where + ": resources");
      else if (k == "volumes")
        s.volumes = stepVolumes(value, where + ": volumes");
      else if (k == "node_selector")
        s.nodeSelector = stringMap(value, where + ": node_selector");
      else if (k == "tolerations")
        s.tolerations = tolerations(value, where + ": tolerations");
      else if (k == "ports")
        s.ports = ports(value, where + ": ports");
      else
        stepUnknownKey(key, where);
    }
    return s;
  }

  void stepUnknownKey(const YAML::Node& key, const std::string& where) {
    const std::string k = key.Scalar();
    if (dockerOnlyStepKeys().count(k)) {
      unknownKey(key, where, "it belongs to the docker runner, type: kubernetes has no " + k);
      return;
    }
    auto hint = stepKeyHints().find(k);
    unknownKey(key, where, hint == stepKeyHints().end() ? "" : hint->second);
  }

  std::vector<Number> ports(const YAML::Node& node, const std::string& where) {
    std::vector<Number> out;
    if (node.IsNull()) return out;
    if (!node.IsSequence()) {
      expected(node, where, "a list of port numbers");
      return out;
    }
    for (const auto& item : node) {
      if (item.IsMap() && item["port"]) {
        out.push_back(number(item["port"], where + ".port"));
      } else {
        out.push_back(number(item, where));
      }
    }
    return out;
  }

  std::vector<StepSpec> steps(const YAML::Node& node, bool service) {
    std::vector<StepSpec> out;
    const std::string where = service ? "services" : "steps";
    if (node.IsNull()) return out;
    if (!node.IsSequence()) {
      expected(node, where, "a list of " + where);
      return out;
    }
    for (std::size_t i = 0; i < node.size(); ++i) out.push_back(step(node[i], service, i));
    return out;
  }

  VolumeSpec volume(const YAML::Node& node) {
    VolumeSpec v;
    v.pos = positionOf(node);
    if (!node.IsMap()) {
      expected(node, "volumes", "a map with name and one of temp, host, claim, config_map, secret");
      return v;
    }
    if (node["name"] && node["name"].IsScalar()) v.name.value = node["name"].Scalar();
    const std::string where = "volume " + quote(v.name.value);
    auto setKind = [&](VolumeSpec::Kind kind, const YAML::Node& key) {
      if (v.kind != VolumeSpec::Kind::Unset) {
        sink_.error(positionOf(key),
                    where + ": a volume has exactly one kind; " + key.Scalar() + " is the second");
      }
      v.kind = kind;
      v.kindPos = positionOf(key);
    };
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      const std::string field = where + ": " + k;
      if (k == "name") {
        v.name = text(value, where + ": name");
        continue;
      }
      if (!value.IsNull() && !value.IsMap()) {
        expected(value, field, "a map");
        continue;
      }
      if (k == "temp") {
        setKind(VolumeSpec::Kind::Temp, key);
        for (const auto& [ok, ov] : entries(value)) {
          if (ok.Scalar() == "medium")
            v.medium = text(ov, field + ".medium");
          else if (ok.Scalar() == "size_limit")
            v.sizeLimit = text(ov, field + ".size_limit");
          else
            unknownKey(ok, field, "temp has medium and size_limit");
        }
      } else if (k == "host") {
        setKind(VolumeSpec::Kind::Host, key);
        for (const auto& [ok, ov] : entries(value)) {
          if (ok.Scalar() == "path")
            v.hostPath = text(ov, field + ".path");
          else
            unknownKey(ok, field, "host has path");
        }
      } else if (k == "claim" || k == "config_map" || k == "secret") {
        setKind(k == "claim"        ? VolumeSpec::Kind::Claim
                : k == "config_map" ? VolumeSpec::Kind::ConfigMap
                                    : VolumeSpec::Kind::Secret,
                key);
        for (const auto& [ok, ov] : entries(value)) {
          const std::string o = ok.Scalar();
          if (o == "name")
            v.source = text(ov, field + ".name");
          else if (o == "read_only" && k == "claim")
            v.readOnly = flag(ov, field + ".read_only");
          else if (o == "default_mode" && k != "claim")
            v.defaultMode = number(ov, field + ".default_mode");
          else if (o == "optional" && k != "claim")
            v.optional = flag(ov, field + ".optional");
          else
            unknownKey(ok, field);
        }
      } else {
        unknownKey(key, where, "volume kinds are temp, host, claim, config_map and secret");
      }
    }
    return v;
  }

  SecretSpec secret(const YAML::Node& doc) {
    SecretSpec s;
    s.pos = positionOf(doc);
    for (const auto& [key, value] : entries(doc)) {
      const std::string k = key.Scalar();
      if (k == "name")
        s.name = text(value, "secret: name");
      else if (k == "data")
        s.data = text(value, "secret: data");
      else if (k == "get" && value.IsMap()) {
        if (value["path"]) s.getPath = text(value["path"], "secret: get.path");
        if (value["name"]) s.getName = text(value["name"], "secret: get.name");
      }
    }
    return s;
  }

  PipelineSpec pipelineDocument(const YAML::Node& doc) {
    PipelineSpec p;
    p.pos = positionOf(doc);
    for (const auto& [key, value] : entries(doc)) {
      if (key.Scalar() == "type") p.type = text(value, "type");
      if (key.Scalar() == "kind") p.kind = text(value, "kind");
      if (key.Scalar() == "name") p.name = text(value, "name");
    }
    const bool kubernetes = isKubernetes(p);
    if (!kubernetes) {
      const Position at = p.type.present ? p.type.pos : p.kind.present ? p.kind.pos : p.pos;
      sink_.warning(at,
                    "pipeline " + quote(p.name.value) + ": type " +
                        (p.type.value.empty() ? "docker (the default)" : p.type.value) +
                        " is not run by podrunner, only type: kubernetes; checked as if it were");
    }
    sink_.setDowngrade(!kubernetes);
    for (const auto& [key, value] : entries(doc)) pipelineKey(key, value, p);
    sink_.setDowngrade(false);
    return p;
  }

  void pipelineKey(const YAML::Node& key, const YAML::Node& value, PipelineSpec& p) {
    const std::string k = key.Scalar();
    if (k == "kind" || k == "type" || k == "name" || k == "version" || k == "depends_on" ||
        k == "node" || k == "concurrency" || k == "signature") {
      return;  // read above, or used by the server only
    }
    if (k == "platform") return platform(value, p);
    if (k == "clone") return clone(value, p);
    if (k == "workspace") return workspace(value, p);
    if (k == "environment")
      p.environment = values(value, "environment", false);
    else if (k == "steps")
      p.steps = steps(value, false);
    else if (k == "services")
      p.services = steps(value, true);
    else if (k == "volumes")
      volumes(value, p);
    else if (k == "image_pull_secrets")
      p.imagePullSecrets = textList(value, "image_pull_secrets", true);
    else if (k == "metadata")
      metadata(value, p);
    else if (k == "node_name")
      p.nodeName = text(value, "node_name");
    else if (k == "node_selector")
      p.nodeSelector = stringMap(value, "node_selector");
    else if (k == "service_account_name")
      p.serviceAccountName = text(value, "service_account_name");
    else if (k == "priority_class_name")
      p.priorityClassName = text(value, "priority_class_name");
    else if (k == "runtime_class_name")
      p.runtimeClassName = text(value, "runtime_class_name");
    else if (k == "automount_service_account_token")
      p.automountServiceAccountToken = flag(value, "automount_service_account_token");
    else if (k == "tolerations")
      p.tolerations = tolerations(value, "tolerations");
    else if (k == "dns_config")
      dnsConfig(value, p);
    else if (k == "host_aliases")
      hostAliases(value, p);
    else if (k == "resources")
      p.resources = resources(value, "resources");
    else if (k == "trigger")
      p.trigger = conditions(value, "trigger");
    else if (k == "when")
      unknownKey(key, "pipeline", "a pipeline uses trigger:, a step uses when:");
    else
      unknownKey(key, "pipeline");
  }

  void platform(const YAML::Node& node, PipelineSpec& p) {
    p.platformPos = positionOf(node);
    if (node.IsNull()) return;
    if (!node.IsMap()) return expected(node, "platform", "a map with os and arch");
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "os")
        p.os = text(value, "platform.os");
      else if (k == "arch")
        p.arch = text(value, "platform.arch");
      else if (k == "variant")
        p.variant = text(value, "platform.variant");
      else if (k == "version")
        p.version = text(value, "platform.version");
      else
        unknownKey(key, "platform", "platform has os, arch, variant and version");
    }
  }

  void clone(const YAML::Node& node, PipelineSpec& p) {
    p.clone.pos = positionOf(node);
    if (node.IsNull()) return;
    if (!node.IsMap()) return expected(node, "clone", "a map");
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "disable")
        p.clone.disable = flag(value, "clone.disable");
      else if (k == "depth")
        p.clone.depth = number(value, "clone.depth");
      else if (k == "retries")
        p.clone.retries = number(value, "clone.retries");
      else if (k == "skip_verify")
        p.clone.skipVerify = flag(value, "clone.skip_verify");
      else if (k == "trace")
        p.clone.trace = flag(value, "clone.trace");
      else if (k == "tags")
        p.clone.tags = flag(value, "clone.tags");
      else
        unknownKey(key, "clone", "clone has disable, depth, retries, skip_verify, trace, tags");
    }
  }

  void workspace(const YAML::Node& node, PipelineSpec& p) {
    if (node.IsNull()) return;
    if (!node.IsMap()) return expected(node, "workspace", "a map with path");
    for (const auto& [key, value] : entries(node)) {
      if (key.Scalar() == "path")
        p.workspacePath = text(value, "workspace.path");
      else if (key.Scalar() == "base")
        p.workspaceBase = text(value, "workspace.base");
      else
        unknownKey(key, "workspace", "workspace has base and path");
    }
  }

  void volumes(const YAML::Node& node, PipelineSpec& p) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) return expected(node, "volumes", "a list of volumes");
    for (const auto& item : node) p.volumes.push_back(volume(item));
  }

  void metadata(const YAML::Node& node, PipelineSpec& p) {
    if (node.IsNull()) return;
    if (!node.IsMap()) return expected(node, "metadata", "a map");
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "namespace")
        p.metadataNamespace = text(value, "metadata.namespace");
      else if (k == "labels")
        p.labels = stringMap(value, "metadata.labels");
      else if (k == "annotations")
        p.annotations = stringMap(value, "metadata.annotations");
      else
        unknownKey(key, "metadata", "metadata has namespace, labels and annotations");
    }
  }

  void dnsConfig(const YAML::Node& node, PipelineSpec& p) {
    p.dnsConfig.pos = positionOf(node);
    p.dnsConfig.present = true;
    if (node.IsNull()) return;
    if (!node.IsMap()) return expected(node, "dns_config", "a map");
    for (const auto& [key, value] : entries(node)) {
      const std::string k = key.Scalar();
      if (k == "nameservers") {
        p.dnsConfig.nameservers = textList(value, "dns_config.nameservers");
      } else if (k == "searches") {
        p.dnsConfig.searches = textList(value, "dns_config.searches");
      } else if (k == "options" && value.IsSequence()) {
        for (const auto& option : value) {
          if (!option.IsMap()) {
            expected(option, "dns_config.options", "a map with name and value");
            continue;
          }
          Text name = option["name"] ? text(option["name"], "dns_config.options.name") : Text{};
          Text val = option["value"] ? text(option["value"], "dns_config.options.value") : Text{};
          p.dnsConfig.options.emplace_back(name, val);
        }
      } else {
        unknownKey(key, "dns_config", "dns_config has nameservers, searches and options");
      }
    }
  }

  void hostAliases(const YAML::Node& node, PipelineSpec& p) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) return expected(node, "host_aliases", "a list of {ip, hostnames}");
    for (const auto& item : node) {
      if (!item.IsMap()) {
        expected(item, "host_aliases", "a map with ip and hostnames");
        continue;
      }
      PipelineSpec::HostAliasSpec alias;
      for (const auto& [key, value] : entries(item)) {
        if (key.Scalar() == "ip")
          alias.ip = text(value, "host_aliases.ip");
        else if (key.Scalar() == "hostnames")
          alias.hostnames = textList(value, "host_aliases.hostnames");
        else
          unknownKey(key, "host_aliases", "a host alias has ip and hostnames");
      }
      p.hostAliases.push_back(std::move(alias));
    }
  }
};

}  // namespace

bool isKubernetes(const PipelineSpec& pipeline) { return pipeline.type.value == "kubernetes"; }

ParsedManifest parseManifest(const std::string& text, const std::string& file) {
  ParsedManifest result;
  FindingSink sink(file);
  reportTabs(text, sink);
  const YamlInputCheck check = checkYamlInput(text, sink);
  if (!check.ok) {
    result.findings = std::move(sink.findings());
    return result;
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    sink.error(positionOf(e.mark), "YAML: " + e.msg);
    result.findings = std::move(sink.findings());
    return result;
  }
  // Without an alias no node is shared, so the tree is no larger than the text.
  if (check.mayHaveAliases && reportTooManyValues(documents, sink)) {
    result.findings = std::move(sink.findings());
    return result;
  }
  Parser parser(sink);
  for (const auto& doc : documents) parser.document(doc, result.manifest);
  result.findings = std::move(sink.findings());
  return result;
}

}  // namespace pipeline
