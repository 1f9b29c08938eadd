#include <catch2/catch.hpp>

#include "compile_fixture.h"

using namespace pipeline;

TEST_CASE("lintFile reports findings of every document in file order") {
  const auto findings = lintFile(compile_fixture::request(R"(kind: pipeline
type: kubernetes
name: one
steps:
- name: a
---
kind: pipeline
type: kubernetes
name: two
steps:
- name: b
  image: alpine
  depends_on: [zzz]
)"));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].line == 5);
  CHECK(findings[1].line == 13);
}

TEST_CASE("lintFile warns when a file has no kubernetes pipeline") {
  const auto findings =
      lintFile(compile_fixture::request("kind: pipeline\nsteps: [{name: a, image: alpine}]\n"));
  CHECK_FALSE(hasError(findings));
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].message.find("no type: kubernetes pipeline") != std::string::npos);
}
