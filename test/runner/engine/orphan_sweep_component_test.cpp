// The start-up sweep against the fake API server, over HTTPS: what it lists, what it
// deletes by label selector, and what it leaves.
#include <catch2/catch.hpp>
#include <mutex>

#include "runner/engine/orphan_sweep.h"
#include "runner/engine/stage_names.h"
#include "test_client.h"

using namespace podrunner;
using kube::test::FakeApiServer;
using kube::test::FakeRequest;
using kube::test::ResponseWriter;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

struct Object {
  std::string resource;  // pods, secrets, persistentvolumeclaims
  std::string ns;
  std::string name;
  kube::StringMap labels;
  kube::StringMap annotations;
};

// One term of a label selector: "key=value" or "key notin (a,b)".
bool matchesTerm(const kube::StringMap& labels, const std::string& term) {
  const auto notIn = term.find(" notin (");
  if (notIn != std::string::npos) {
    const auto found = labels.find(term.substr(0, notIn));
    if (found == labels.end()) return true;
    const std::string values = "," + term.substr(notIn + 8, term.size() - notIn - 9) + ",";
    return values.find("," + found->second + ",") == std::string::npos;
  }
  const auto equals = term.find('=');
  const auto found = labels.find(term.substr(0, equals));
  return found != labels.end() && found->second == term.substr(equals + 1);
}

// A selector's terms are split by the commas outside parentheses.
bool matches(const kube::StringMap& labels, const std::string& selector) {
  int depth = 0;
  std::string term;
  for (char c : selector + ",") {
    if (c == ',' && depth == 0) {
      if (!matchesTerm(labels, term)) return false;
      term.clear();
      continue;
    }
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    term.push_back(c);
  }
  return true;
}

std::string mapJson(const kube::StringMap& map) {
  std::string out;
  for (const auto& [k, v] : map) out += (out.empty() ? "" : ",") + ("\"" + k + "\":\"" + v + "\"");
  return "{" + out + "}";
}

std::string listJson(const std::vector<Object>& objects) {
  std::string items;
  for (const auto& o : objects) {
    items += (items.empty() ? "" : ",") +
             (R"({"metadata":{"name":")" + o.name + R"(","namespace":")" + o.ns + R"(","labels":)" +
              mapJson(o.labels) + R"(,"annotations":)" + mapJson(o.annotations) + "}}");
  }
  return R"({"kind":"List","metadata":{"resourceVersion":"5"},"items":[)" + items + "]}";
}

// The objects of a cluster, served as the API server does for list and deletecollection
// (which answers with the list of what it deleted). Namespace "broken" answers 500.
class FakeCluster {
 public:
  FakeCluster()
      : server_([this](const FakeRequest& request, ResponseWriter& out) { serve(request, out); }) {}

  // An object of stage `stage` of `runner`, as the engine labels it.
  void add(const std::string& resource, const std::string& ns, const std::string& name,
           const std::string& runner, const std::string& stage,
           const kube::StringMap& annotations = {}) {
    std::lock_guard lock(mutex_);
    objects_.push_back({resource,
                        ns,
                        name,
                        {{"io.drone.runner", labelValue(runner)}, {kStageIdLabel, stage}},
                        annotations});
  }

  std::vector<std::string> names() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& o : objects_) out.push_back(o.ns + "/" + o.resource + "/" + o.name);
    return out;
  }

  std::unique_ptr<kube::Client> client() {
    return kube::makeClient(kube::test::configFor(server_), kube::test::quickSettings());
  }

 private:
  void serve(const FakeRequest& request, ResponseWriter& out) {
    // /api/v1/namespaces/NS/RESOURCE
    const std::string prefix = "/api/v1/namespaces/";
    const auto slash = request.path.find('/', prefix.size());
    const std::string ns = request.path.substr(prefix.size(), slash - prefix.size());
    const std::string resource = request.path.substr(slash + 1);
    if (ns == "broken") {
      out.respond(500, kube::test::statusBody(500, "InternalError", "etcd is away"));
      return;
    }
    const auto selector =
        request.query.count("labelSelector") ? request.query.at("labelSelector") : std::string();
    std::lock_guard lock(mutex_);
    std::vector<Object> selected;
    for (auto it = objects_.begin(); it != objects_.end();) {
      const bool match = it->ns == ns && it->resource == resource && matches(it->labels, selector);
      if (match) selected.push_back(*it);
      it = match && request.method == "DELETE" ? objects_.erase(it) : std::next(it);
    }
    out.respond(200, listJson(selected));
  }

  mutable std::mutex mutex_;
  std::vector<Object> objects_;
  FakeApiServer server_;  // last: it stops before the objects go
};

// The objects of one stage: anchor Secret, claim, one pod per step.
void addStage(FakeCluster& cluster, const std::string& ns, const std::string& runner,
              const std::string& stage, const kube::StringMap& podAnnotations = {}) {
  cluster.add("secrets", ns, "secrets-" + stage, runner, stage);
  cluster.add("persistentvolumeclaims", ns, "workspace-" + stage, runner, stage);
  cluster.add("pods", ns, "build-" + stage, runner, stage, podAnnotations);
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST_CASE(
    "the sweep deletes this runner's objects and keeps other runners' and unexpired kept pods",
    "[component]") {
  FakeCluster cluster;
  addStage(cluster, "ci", "runner-1", "11");  // left by a crash
  addStage(cluster, "ci", "runner-1", "12",
           {{kExpiresAnnotation, std::to_string(kNow + 600)}});  // kept for 10 more minutes
  addStage(cluster, "ci", "runner-1", "13",
           {{kExpiresAnnotation, std::to_string(kNow - 1)}});  // kept, expired
  addStage(cluster, "ci", "runner-2", "14");                   // another runner's
  addStage(cluster, "builds", "runner-1", "15");               // a namespace of the rules
  addStage(cluster, "elsewhere", "runner-1", "16");            // a namespace it may not use
  auto client = cluster.client();

  const auto result = sweepOrphans(*client, "runner-1", {"ci", "builds"}, kNow);

  CHECK(result.deleted == 9);
  CHECK(result.failed.empty());
  REQUIRE(result.kept.size() == 1);
  CHECK(result.kept[0].namespaceName == "ci");
  CHECK(result.kept[0].selector == "io.drone.runner=runner-1,io.drone.stage.id=12");
  CHECK(result.kept[0].expiresUnix == kNow + 600);
  const auto left = cluster.names();
  CHECK(left.size() == 9);
  CHECK(has(left, "ci/pods/build-12"));
  CHECK(has(left, "ci/secrets/secrets-12"));  // owns the kept pod
  CHECK(has(left, "ci/persistentvolumeclaims/workspace-12"));
  CHECK(has(left, "ci/pods/build-14"));
  CHECK(has(left, "ci/secrets/secrets-14"));
  CHECK(has(left, "elsewhere/pods/build-16"));
  CHECK_FALSE(has(left, "ci/pods/build-11"));
  CHECK_FALSE(has(left, "ci/secrets/secrets-13"));
  CHECK_FALSE(has(left, "builds/pods/build-15"));
}

TEST_CASE("an API error in one namespace is reported and the sweep goes on with the next",
          "[component]") {
  FakeCluster cluster;
  addStage(cluster, "ci", "runner-1", "11");
  auto client = cluster.client();

  const auto result = sweepOrphans(*client, "runner-1", {"broken", "ci"}, kNow);

  CHECK(result.failed == std::vector<std::string>{"broken"});
  CHECK(result.deleted == 3);
  CHECK(cluster.names().empty());
}

TEST_CASE("kept pods are deleted with their stage when they expire", "[component]") {
  FakeCluster cluster;
  addStage(cluster, "ci", "runner-1", "12", {{kExpiresAnnotation, "4000000000"}});
  addStage(cluster, "ci", "runner-2", "14");
  auto client = cluster.client();
  {
    DelayedCleanup later;
    const auto result = sweepOrphans(*client, "runner-1", {"ci"}, later);
    CHECK(result.deleted == 0);
    CHECK(later.pending() == 1);
    CHECK(cluster.names().size() == 6);
  }  // a runner that stops does what is pending at once

  CHECK(cluster.names() == std::vector<std::string>{"ci/secrets/secrets-14",
                                                    "ci/persistentvolumeclaims/workspace-14",
                                                    "ci/pods/build-14"});
}

TEST_CASE("the runner's namespaces are the default and those of the rules, each once", "[sweep]") {
  CHECK(stageNamespaces("drone", {}) == std::vector<std::string>{"drone"});
  CHECK(stageNamespaces("drone", {{"builds", {"org/*"}}, {"drone", {"*"}}}) ==
        std::vector<std::string>{"drone", "builds"});
  CHECK(stageNamespaces("drone-", {{"builds", {"*"}}}) == std::vector<std::string>{"builds"});
}
