#include "pipeline/manifest_parser.h"

#include <catch2/catch.hpp>

using namespace pipeline;

namespace {

ParsedManifest parse(const std::string& text) { return parseManifest(text, "p.yml"); }

bool hasFinding(const ParsedManifest& m, int line, int column, const std::string& part) {
  for (const auto& f : m.findings) {
    if (f.line == line && f.column == column && f.message.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("parser keeps the line and column of every value") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
name: build
steps:
- name: test
  image: golang:1.22
  commands:
  - go test ./...
  depends_on: [lint]
)");
  REQUIRE(m.manifest.pipelines.size() == 1);
  const auto& p = m.manifest.pipelines[0];
  CHECK(p.name.value == "build");
  CHECK(p.name.pos.line == 3);
  CHECK(p.name.pos.column == 7);
  REQUIRE(p.steps.size() == 1);
  const auto& s = p.steps[0];
  CHECK(s.image.value == "golang:1.22");
  CHECK(s.image.pos.line == 6);
  CHECK(s.image.pos.column == 10);
  REQUIRE(s.commands.size() == 1);
  CHECK(s.commands[0].pos.line == 8);
  REQUIRE(s.dependsOn.size() == 1);
  CHECK(s.dependsOn[0].pos.line == 9);
  CHECK(s.dependsOn[0].pos.column == 16);
}

TEST_CASE("parser reads every document: pipelines of any type and secrets") {
  const auto m = parse(R"(---
kind: pipeline
type: kubernetes
name: a
steps: [{name: s, image: alpine}]
---
kind: pipeline
type: docker
name: b
---
kind: secret
name: token
get: {path: secret/data/ci, name: token}
---
kind: signature
hmac: abc
)");
  REQUIRE(m.manifest.pipelines.size() == 2);
  CHECK(isKubernetes(m.manifest.pipelines[0]));
  CHECK_FALSE(isKubernetes(m.manifest.pipelines[1]));
  REQUIRE(m.manifest.secrets.size() == 1);
  CHECK(m.manifest.secrets[0].getPath.value == "secret/data/ci");
  CHECK(hasFinding(m, 8, 7, "type docker is not run by podrunner"));
}

TEST_CASE("parser applies anchors, aliases and merge keys") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
x-common: &common
  image: alpine:3
  pull: always
steps:
- <<: *common
  name: one
- <<: *common
  name: two
  pull: never
)");
  const auto& steps = m.manifest.pipelines.at(0).steps;
  REQUIRE(steps.size() == 2);
  CHECK(steps[0].image.value == "alpine:3");
  CHECK(steps[0].pull.value == "always");
  CHECK(steps[1].image.value == "alpine:3");
  CHECK(steps[1].pull.value == "never");
}

TEST_CASE("parser takes numbers and booleans where Drone takes strings") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
node_selector: {gpu: true}
steps:
- name: s
  image: alpine
  environment:
    PORT: 8080
    DEBUG: false
  settings:
    tags: [latest, 1.0]
    build_args: {A: 1, B: "x"}
    dry_run: true
)");
  const auto& p = m.manifest.pipelines.at(0);
  CHECK(p.nodeSelector.at(0).second.value == "true");
  const auto& s = p.steps.at(0);
  CHECK(s.environment.at(0).literal == "8080");
  CHECK(s.environment.at(1).literal == "false");
  CHECK(s.settings.at(0).literal == "latest,1.0");
  CHECK(s.settings.at(1).literal == R"({"A":1,"B":"x"})");
  CHECK(s.settings.at(2).literal == "true");
}

TEST_CASE("parser reads from_secret in environment and settings") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
steps:
- name: s
  image: plugins/docker
  environment:
    TOKEN: {from_secret: api_token}
  settings:
    password:
      from_secret: docker_password
)");
  const auto& s = m.manifest.pipelines.at(0).steps.at(0);
  CHECK(s.environment.at(0).fromSecret == "api_token");
  CHECK(s.environment.at(0).secretPos.line == 7);
  CHECK(s.settings.at(0).fromSecret == "docker_password");
}

TEST_CASE("parser warns about form_secret, naming the variable") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
steps:
- name: s
  image: alpine
  environment:
    TOKEN:
      form_secret: api_token
)");
  CHECK(hasFinding(m, 8, 7, "did you mean from_secret"));
  CHECK(hasFinding(m, 8, 7, "TOKEN"));
}

TEST_CASE("parser warns about an unknown step key with a hint where it belongs") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
steps:
- name: s
  image: alpine
  event: [push]
  trigger: {branch: [main]}
  clone: {disable: true}
  network_mode: host
  bogus: 1
)");
  CHECK(hasFinding(m, 6, 3, "conditions go under when:"));
  CHECK(hasFinding(m, 7, 3, "trigger is a pipeline key"));
  CHECK(hasFinding(m, 8, 3, "clone is a pipeline key"));
  CHECK(hasFinding(m, 9, 3, "docker runner"));
  CHECK(hasFinding(m, 10, 3, "unknown key 'bogus'"));
  for (const auto& f : m.findings) CHECK(f.severity == Finding::Severity::Warning);
}

TEST_CASE("parser warns about an unknown condition in when") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
steps:
- name: s
  image: alpine
  when:
    branches: [main]
)");
  CHECK(hasFinding(m, 7, 5, "unknown key 'branches'"));
}

TEST_CASE("parser reads conditions as a list, a string or include/exclude") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
trigger:
  branch: main
  event: [push, tag]
  ref:
    include: [refs/tags/*]
    exclude: refs/tags/old-*
steps: []
)");
  const auto& t = m.manifest.pipelines.at(0).trigger;
  CHECK(t.branch.include.at(0).value == "main");
  CHECK(t.event.include.size() == 2);
  CHECK(t.ref.include.at(0).value == "refs/tags/*");
  CHECK(t.ref.exclude.at(0).value == "refs/tags/old-*");
}

TEST_CASE("parser reports a map where a string belongs as an error at the value") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
steps:
- name: s
  image: {name: alpine}
)");
  CHECK(hasFinding(m, 5, 10, "image: expected a string, found a map"));
  CHECK(hasError(m.findings));
}

TEST_CASE("parser reports the legacy 0.8 format clearly") {
  const auto m = parse("pipeline:\n  build:\n    image: golang\n");
  CHECK(hasFinding(m, 1, 1, "legacy 0.8 format"));
  CHECK(m.manifest.pipelines.empty());
}

TEST_CASE("parser reports a YAML syntax error at its position") {
  const auto m = parse("kind: pipeline\nsteps:\n  - name: [unclosed\n");
  REQUIRE(m.findings.size() == 1);
  CHECK(m.findings[0].severity == Finding::Severity::Error);
  CHECK(m.findings[0].message.rfind("YAML: ", 0) == 0);
  CHECK(m.findings[0].line >= 3);
}

TEST_CASE("parser warns about tab characters at their position") {
  const auto m = parse("kind: pipeline\ntype: kubernetes\nname: x\t\n");
  CHECK(hasFinding(m, 3, 8, "tab character"));
}

TEST_CASE("parser accepts both spellings of toleration seconds") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
tolerations:
- {key: a, operator: Exists, effect: NoExecute, toleration_seconds: 30}
- {key: b, operator: Exists, effect: NoExecute, tolerationseconds: 60}
)");
  const auto& t = m.manifest.pipelines.at(0).tolerations;
  REQUIRE(t.size() == 2);
  CHECK(t[0].seconds.value == 30);
  CHECK(t[1].seconds.value == 60);
}

TEST_CASE("parser reads the whole kubernetes schema") {
  const auto m = parse(R"(kind: pipeline
type: kubernetes
name: full
platform: {os: linux, arch: arm64}
clone: {depth: 5, retries: 2, skip_verify: true, trace: true, tags: true}
workspace: {path: /go/src/app}
metadata:
  namespace: ci
  labels: {team: a}
  annotations: {note: b}
node_name: n1
service_account_name: builder
priority_class_name: high
runtime_class_name: gvisor
automount_service_account_token: false
dns_config:
  nameservers: [1.1.1.1]
  searches: [svc.local]
  options: [{name: ndots, value: "2"}]
host_aliases: [{ip: 10.0.0.1, hostnames: [db]}]
resources: {requests: {cpu: 250, memory: 256Mi}}
image_pull_secrets: [dockerconfig]
volumes:
- {name: cache, temp: {medium: memory, size_limit: 1Gi}}
- {name: docker, host: {path: /var/run/docker.sock}}
- {name: data, claim: {name: pvc-1, read_only: true}}
- {name: conf, config_map: {name: cm, default_mode: 0644, optional: true}}
- {name: keys, secret: {name: s, default_mode: 420}}
services:
- name: db
  image: postgres
  ports: [5432]
steps:
- name: build
  image: golang
  pull: always
  entrypoint: [/bin/sh]
  command: [-c, make]
  detach: true
  failure: ignore
  privileged: true
  user: 1000
  group: 1000
  working_dir: /src
  shell: bash
  resources:
    requests: {cpu: 500m, memory: 1Gi, ephemeral_storage: 2Gi}
    limits: {cpu: 2.5, memory: 2Gi, ephemeral-storage: 4Gi}
  volumes: [{name: cache, path: /cache, sub_path: x}]
  node_selector: {disk: ssd}
  tolerations: [{key: gpu, operator: Exists, effect: NoSchedule}]
)");
  REQUIRE_FALSE(hasError(m.findings));
  const auto& p = m.manifest.pipelines.at(0);
  CHECK(p.arch.value == "arm64");
  CHECK(p.clone.depth.value == 5);
  CHECK(p.clone.retries.value == 2);
  CHECK(p.clone.skipVerify.value);
  CHECK(p.clone.tags.value);
  CHECK(p.workspacePath.value == "/go/src/app");
  CHECK(p.metadataNamespace.value == "ci");
  CHECK(p.priorityClassName.value == "high");
  CHECK(p.runtimeClassName.value == "gvisor");
  CHECK(p.automountServiceAccountToken.present);
  CHECK(p.dnsConfig.options.at(0).second.value == "2");
  CHECK(p.hostAliases.at(0).hostnames.at(0).value == "db");
  CHECK(p.resources.requests.memory.value == "256Mi");
  REQUIRE(p.volumes.size() == 5);
  CHECK(p.volumes[0].kind == VolumeSpec::Kind::Temp);
  CHECK(p.volumes[1].kind == VolumeSpec::Kind::Host);
  CHECK(p.volumes[2].readOnly.value);
  CHECK(p.volumes[3].defaultMode.value == 0644);
  CHECK(p.volumes[4].kind == VolumeSpec::Kind::Secret);
  CHECK(p.services.at(0).ports.at(0).value == 5432);
  const auto& s = p.steps.at(0);
  CHECK(s.command.size() == 2);
  CHECK(s.user.value == 1000);
  CHECK(s.resources.requests.ephemeralStorage.value == "2Gi");
  CHECK(s.resources.limits.ephemeralStorage.value == "4Gi");
  CHECK(s.volumes.at(0).subPath.value == "x");
  CHECK(s.tolerations.at(0).effect.value == "NoSchedule");
}

namespace {

// `levels` anchors x1..xN, each a collection (`open`...`close`) of `fanout` aliases of the
// one before; x0 is `first`.
std::string aliasChain(const std::string& first, int levels, int fanout, const std::string& open,
                       const std::string& close) {
  std::string text = "kind: pipeline\nx0: &x0 " + first + "\n";
  for (int i = 1; i <= levels; ++i) {
    text += "x" + std::to_string(i) + ": &x" + std::to_string(i) + " " + open;
    for (int j = 0; j < fanout; ++j) text += (j ? ", *x" : "*x") + std::to_string(i - 1);
    text += close + "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("aliases that stand for a huge or endless tree are an error, found at once") {
  // Nine levels of nine aliases: 9^9 values written out, in a file of 500 bytes; then the
  // same with merge keys, which the parser follows for every map; then an alias inside
  // its own anchor.
  const std::string laughs = aliasChain("[a, a, a, a, a, a, a, a, a]", 9, 9, "[", "]") +
                             "steps:\n- name: s\n  image: plugins/x\n  settings:\n    v: *x9\n";
  const std::string merges = aliasChain("{k: v}", 11, 8, "{<<: [", "]}") +
                             "steps:\n- name: s\n  image: alpine\n  environment:\n    <<: *x11\n";
  for (const auto& text : {laughs, merges, std::string("a: &a [b, *a]\n")}) {
    const auto m = parse(text);
    REQUIRE(m.findings.size() == 1);
    CHECK(m.findings[0].message.find("with its aliases written out the file has more than") !=
          std::string::npos);
    CHECK(m.manifest.pipelines.empty());
  }
}
