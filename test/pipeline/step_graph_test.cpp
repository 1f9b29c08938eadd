#include "pipeline/step_graph.h"

#include <catch2/catch.hpp>

using namespace pipeline;
using Deps = std::vector<std::vector<std::string>>;

TEST_CASE("without depends_on, steps run serially after clone") {
  const std::vector<GraphStep> steps{{"a", {}, true}, {"b", {}, true}, {"c", {}, true}};
  CHECK(resolveDependencies(steps, true) == Deps{{"clone"}, {"a"}, {"b"}});
  CHECK(resolveDependencies(steps, false) == Deps{{}, {"a"}, {"b"}});
}

TEST_CASE("serial steps skip a step that does not run") {
  const std::vector<GraphStep> steps{{"a", {}, true}, {"b", {}, false}, {"c", {}, true}};
  CHECK(resolveDependencies(steps, true) == Deps{{"clone"}, {}, {"a"}});
}

TEST_CASE("with depends_on, steps without it depend on clone") {
  const std::vector<GraphStep> steps{{"a", {}, true}, {"b", {"a"}, true}, {"c", {}, true}};
  CHECK(resolveDependencies(steps, true) == Deps{{"clone"}, {"a"}, {"clone"}});
  CHECK(resolveDependencies(steps, false) == Deps{{}, {"a"}, {}});
}

TEST_CASE("a dependency on clone is dropped when cloning is disabled") {
  const std::vector<GraphStep> steps{{"a", {"clone"}, true}};
  CHECK(resolveDependencies(steps, false) == Deps{{}});
}

TEST_CASE("dependents of a step that does not run inherit its dependencies") {
  const std::vector<GraphStep> steps{
      {"a", {}, true}, {"b", {"a"}, false}, {"c", {"b"}, true}, {"d", {"b", "a"}, true}};
  CHECK(resolveDependencies(steps, true) == Deps{{"clone"}, {}, {"a"}, {"a"}});
}

TEST_CASE("names that are not steps, such as services, are kept") {
  const std::vector<GraphStep> steps{{"a", {"db"}, true}};
  CHECK(resolveDependencies(steps, true) == Deps{{"db"}});
}

TEST_CASE("findCycle returns the names along a cycle") {
  CHECK(findCycle({{"a", {}, true}, {"b", {"a"}, true}}).empty());
  CHECK(findCycle({{"a", {"b"}, true}, {"b", {"a"}, true}}) ==
        std::vector<std::string>{"a", "b", "a"});
  CHECK(findCycle({{"a", {"a"}, true}}) == std::vector<std::string>{"a", "a"});
  CHECK(findCycle({{"a", {"missing"}, true}}).empty());
}
