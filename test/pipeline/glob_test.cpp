#include "pipeline/glob.h"

#include <catch2/catch.hpp>

using pipeline::globMatch;

TEST_CASE("glob star matches within one path segment only") {
  CHECK(globMatch("feature/*", "feature/login"));
  CHECK_FALSE(globMatch("feature/*", "feature/a/b"));
  CHECK(globMatch("*", "main"));
  CHECK_FALSE(globMatch("*", "a/b"));
  CHECK(globMatch("refs/tags/*", "refs/tags/v1.0"));
  CHECK(globMatch("*/*", "octocat/hello"));
}

TEST_CASE("glob question mark, classes and escapes") {
  CHECK(globMatch("v?", "v1"));
  CHECK_FALSE(globMatch("v?", "v10"));
  CHECK(globMatch("release-[0-9]", "release-7"));
  CHECK_FALSE(globMatch("release-[^0-9]", "release-7"));
  CHECK(globMatch(R"(a\*b)", "a*b"));
  CHECK_FALSE(globMatch(R"(a\*b)", "axb"));
}

TEST_CASE("glob malformed pattern matches nothing") {
  CHECK_FALSE(globMatch("[a-", "a"));
  CHECK_FALSE(globMatch("abc\\", "abc"));
}

TEST_CASE("glob literal text must match exactly") {
  CHECK(globMatch("main", "main"));
  CHECK_FALSE(globMatch("main", "mainline"));
  CHECK(globMatch("", ""));
}
