#include "pipeline/linter.h"

#include <catch2/catch.hpp>

#include "pipeline/manifest_parser.h"

using namespace pipeline;

namespace {

std::vector<Finding> lintText(const std::string& text, LintContext context = {}) {
  const auto parsed = parseManifest(text, "p.yml");
  REQUIRE_FALSE(hasError(parsed.findings));
  FindingSink sink("p.yml");
  for (const auto& p : parsed.manifest.pipelines) lint(p, context, sink);
  return sink.findings();
}

bool has(const std::vector<Finding>& findings, int line, const std::string& part,
         Finding::Severity severity = Finding::Severity::Error) {
  for (const auto& f : findings) {
    if (f.line == line && f.severity == severity && f.message.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

const std::string kHeader = "kind: pipeline\ntype: kubernetes\nname: p\n";  // lines 1-3

}  // namespace

TEST_CASE("lint accepts a simple pipeline without findings") {
  CHECK(lintText(kHeader + "steps:\n- name: a\n  image: alpine\n").empty());
}

TEST_CASE("lint requires a step name, at most 100 characters, unique") {
  const auto f = lintText(kHeader + R"(steps:
- image: alpine
- name: )" + std::string(101, 'x') +
                          R"(
  image: alpine
- name: dup
  image: alpine
- name: dup
  image: alpine
)");
  CHECK(has(f, 5, "a name is required"));
  CHECK(has(f, 6, "longer than 100 characters"));
  CHECK(has(f, 10, "another step or service has this name"));
}

TEST_CASE("lint rejects a step and a service with the same name") {
  const auto f = lintText(kHeader + R"(services:
- name: db
  image: postgres
steps:
- name: db
  image: alpine
)");
  CHECK(has(f, 8, "another step or service has this name"));
}

TEST_CASE("lint reserves the name clone while cloning is enabled") {
  CHECK(has(lintText(kHeader + "steps:\n- name: clone\n  image: alpine\n"), 5, "reserved"));
  CHECK(lintText(kHeader + "clone: {disable: true}\nsteps:\n- name: clone\n  image: alpine\n")
            .empty());
}

TEST_CASE("lint requires an image") {
  CHECK(has(lintText(kHeader + "steps:\n- name: a\n"), 5, "image is required"));
}

TEST_CASE("lint requires depends_on to name existing steps") {
  const auto f = lintText(kHeader + R"(steps:
- name: a
  image: alpine
  depends_on: [tset]
)");
  CHECK(has(f, 7, "no step named 'tset'"));
}

TEST_CASE("lint accepts depends_on clone and services") {
  const auto f = lintText(kHeader + R"(services:
- name: db
  image: postgres
steps:
- name: a
  image: alpine
  depends_on: [clone, db]
)");
  CHECK(f.empty());
}

TEST_CASE("lint rejects dependency cycles and self dependencies") {
  const auto f = lintText(kHeader + R"(steps:
- name: a
  image: alpine
  depends_on: [c]
- name: b
  image: alpine
  depends_on: [a]
- name: c
  image: alpine
  depends_on: [b]
- name: d
  image: alpine
  depends_on: [d]
)");
  CHECK(has(f, 7, "dependency cycle a -> c -> b -> a"));
  CHECK(has(f, 16, "cannot depend on itself"));
}

TEST_CASE(
    "lint allows privileged steps and host, claim, config_map, secret, memory volumes only "
    "for trusted repositories") {
  const std::string text = kHeader + R"(volumes:
- name: h
  host: {path: /var/run/docker.sock}
- name: c
  claim: {name: pvc}
- name: m
  config_map: {name: cm}
- name: s
  secret: {name: sec}
- name: t
  temp: {medium: memory}
- name: plain
  temp: {}
steps:
- name: a
  image: docker
  privileged: true
)";
  const auto untrusted = lintText(text);
  CHECK(has(untrusted, 6, "a host volume is only allowed for trusted repositories"));
  CHECK(has(untrusted, 8, "a claim volume"));
  CHECK(has(untrusted, 10, "a config_map volume"));
  CHECK(has(untrusted, 12, "a secret volume"));
  CHECK(has(untrusted, 14, "temp.medium memory"));
  CHECK(has(untrusted, 20, "privileged is only allowed"));
  CHECK(untrusted.size() == 6);
  LintContext trusted;
  trusted.trusted = true;
  CHECK(lintText(text, trusted).empty());
}

TEST_CASE("lint rejects reserved volume names, missing names and kinds") {
  const auto f = lintText(kHeader + R"(volumes:
- name: _workspace
  temp: {}
- temp: {}
- name: nokind
steps: []
)");
  CHECK(has(f, 5, "the name is reserved"));
  CHECK(has(f, 7, "a volume needs a name"));
  CHECK(has(f, 8, "needs one of temp, host"));
}

TEST_CASE("lint rejects mounts of undeclared volumes and of /run/drone") {
  const auto f = lintText(kHeader + R"(volumes:
- name: cache
  temp: {}
steps:
- name: a
  image: alpine
  volumes:
  - name: nope
    path: /x
  - name: cache
    path: /run/drone/env
  - name: cache
    path: relative
)");
  CHECK(has(f, 11, "no pipeline volume named 'nope'"));
  CHECK(has(f, 14, "reserved for the runner"));
  CHECK(has(f, 16, "must be an absolute path"));
}

TEST_CASE("lint rejects quantities that do not parse") {
  const auto f = lintText(kHeader + R"(steps:
- name: a
  image: alpine
  resources:
    limits: {cpu: lots, memory: 1Gi}
    requests: {memory: huge}
)");
  CHECK(has(f, 8, "limits.cpu: 'lots' is not a CPU quantity"));
  CHECK(has(f, 9, "requests.memory: 'huge' is not a size"));
}

TEST_CASE("lint checks toleration operators and effects") {
  const auto f = lintText(kHeader + R"(tolerations:
- {key: a, operator: Maybe, effect: Sometimes}
steps: []
)");
  CHECK(has(f, 5, "is not Exists or Equal"));
  CHECK(has(f, 5, "is not NoSchedule"));
}

TEST_CASE("lint rejects a platform other than linux and warns about unknown arches") {
  const auto f = lintText(kHeader + "platform: {os: windows, arch: sparc}\nsteps: []\n");
  CHECK(has(f, 4, "'windows' is not supported"));
  CHECK(has(f, 4, "not a Kubernetes architecture", Finding::Severity::Warning));
}

TEST_CASE("lint warns about a restricted workspace path") {
  CHECK(has(lintText(kHeader + "workspace: {path: /etc}\nsteps: []\n"), 4, "restricted path",
            Finding::Severity::Warning));
}

TEST_CASE("lint warns about unknown pull and failure values, shell and events") {
  const auto f = lintText(kHeader + R"(steps:
- name: a
  image: alpine
  pull: sometimes
  failure: maybe
  shell: bash
  when:
    event: [pushed]
    ref: [refs/head/main]
    status: [done]
)");
  const auto w = Finding::Severity::Warning;
  CHECK(has(f, 7, "pull: 'sometimes'", w));
  CHECK(has(f, 8, "failure: 'maybe'", w));
  CHECK(has(f, 9, "shell is ignored", w));
  CHECK(has(f, 11, "'pushed' is not an event", w));
  CHECK(has(f, 12, "refs/heads/", w));
  CHECK(has(f, 13, "'done' is not success or failure", w));
  CHECK_FALSE(hasError(f));
}

TEST_CASE("lint accepts pull policies in any case") {
  CHECK(lintText(kHeader + "steps:\n- name: a\n  image: alpine\n  pull: Always\n").empty());
}

TEST_CASE("lint enforces namespace rules") {
  LintContext context;
  context.repo = "octocat/hello";
  context.namespaceRules = {{"team-a", {"octocat/*"}}, {"team-b", {"other/*"}}};
  CHECK(lintText(kHeader + "metadata: {namespace: team-a}\nsteps: []\n", context).size() == 1);
  CHECK(has(lintText(kHeader + "metadata: {namespace: team-b}\nsteps: []\n", context), 4,
            "may not use namespace 'team-b'"));
  CHECK(has(lintText(kHeader + "metadata: {namespace: unlisted}\nsteps: []\n", context), 4,
            "may not use namespace"));
}

TEST_CASE("lint reports errors of pipelines of another type as warnings") {
  const auto f = lintText("kind: pipeline\ntype: docker\nsteps:\n- name: a\n");
  CHECK(has(f, 4, "image is required", Finding::Severity::Warning));
  CHECK_FALSE(hasError(f));
}
