#include "pipeline/substitution.h"

#include <catch2/catch.hpp>

using pipeline::substitute;

namespace {

std::string expand(const std::string& text) {
  const std::map<std::string, std::string> vars{{"NAME", "hello-world"},
                                                {"TAG", "v1.2.3"},
                                                {"PATHV", "a/b/c.tar.gz"},
                                                {"MIXED", "Drone CI"},
                                                {"EMPTY", ""}};
  const auto result = substitute(text, vars);
  REQUIRE(result.errors.empty());
  return result.text;
}

}  // namespace

TEST_CASE("substitution expands ${VAR} and leaves a bare $VAR alone") {
  CHECK(expand("image: x:${NAME}") == "image: x:hello-world");
  CHECK(expand("echo $NAME") == "echo $NAME");
  CHECK(expand("${UNKNOWN}") == "");
}

TEST_CASE("substitution treats $$ as a literal dollar") {
  CHECK(expand("$${NAME}") == "${NAME}");
  CHECK(expand("cost: $$5") == "cost: $5");
}

TEST_CASE("substitution unescapes \\\\ and \\/ anywhere, as envsubst v1.0 does") {
  CHECK(expand(R"(a\\b)") == R"(a\b)");
  CHECK(expand(R"(s\/x\/y)") == "s/x/y");
  CHECK(expand(R"(\n)") == R"(\n)");
}

TEST_CASE("substitution gives the length with ${#VAR}") { CHECK(expand("${#NAME}") == "11"); }

TEST_CASE("substitution changes case with ^ ^^ , ,,") {
  CHECK(expand("${NAME^}") == "Hello-world");
  CHECK(expand("${NAME^^}") == "HELLO-WORLD");
  CHECK(expand("${MIXED,}") == "drone CI");
  CHECK(expand("${MIXED,,}") == "drone ci");
}

TEST_CASE("substitution takes substrings with :offset and :offset:length") {
  CHECK(expand("${NAME:6}") == "world");
  CHECK(expand("${NAME:0:5}") == "hello");
  CHECK(expand("${NAME:0:100}") == "hello-world");
  CHECK(expand("${NAME:50}") == "");
}

TEST_CASE("substitution removes prefixes with # and ##, globs allowed") {
  CHECK(expand("${TAG#v}") == "1.2.3");
  CHECK(expand("${PATHV#*/}") == "b/c.tar.gz");
  CHECK(expand("${NAME##*-}") == "world");
  CHECK(expand("${TAG#x}") == "v1.2.3");
}

TEST_CASE("substitution removes suffixes with % and %%") {
  CHECK(expand("${PATHV%.*}") == "a/b/c.tar");
  CHECK(expand("${MIXED%% *}") == "Drone");
  CHECK(expand("${NAME%-world}") == "hello");
}

TEST_CASE("substitution uses defaults for empty or unset values with =, := and :-") {
  CHECK(expand("${EMPTY=fallback}") == "fallback");
  CHECK(expand("${UNSET:=fallback}") == "fallback");
  CHECK(expand("${UNSET:-fallback}") == "fallback");
  CHECK(expand("${NAME:-fallback}") == "hello-world");
  CHECK(expand("${UNSET:-${NAME}}") == "hello-world");
}

TEST_CASE("substitution replaces with / // /# /%") {
  CHECK(expand("${PATHV/\\//-}") == "a-b/c.tar.gz");
  CHECK(expand("${NAME/o/0}") == "hell0-world");
  CHECK(expand("${NAME//o/0}") == "hell0-w0rld");
  CHECK(expand("${NAME/#hello/bye}") == "bye-world");
  CHECK(expand("${NAME/#world/bye}") == "hello-world");
  CHECK(expand("${NAME/%world/there}") == "hello-there");
}

TEST_CASE("substitution reports an invalid or unclosed expression at its position") {
  auto result = substitute("a: 1\nb: ${{ secrets.X }}\n", {});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].pos.line == 2);
  CHECK(result.errors[0].pos.column == 4);
  result = substitute("x: ${NAME", {});
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].message.find("never closed") != std::string::npos);
}

TEST_CASE("substitution locates each of many errors on its own line and column") {
  std::string text = "a: |\n";
  for (int i = 0; i < 20000; ++i) text += "  ${} ${}\n";
  const auto result = substitute(text, {});
  REQUIRE(result.errors.size() == 40000);
  CHECK(result.errors[0].pos.line == 2);
  CHECK(result.errors[0].pos.column == 3);
  CHECK(result.errors[39999].pos.line == 20001);
  CHECK(result.errors[39999].pos.column == 7);
}

TEST_CASE("substitution values with a newline are Go-quoted so the YAML stays one line") {
  CHECK(pipeline::substitutionValue("plain") == "plain");
  CHECK(pipeline::substitutionValue("two\nlines \"q\"") == R"("two\nlines \"q\"")");
}

TEST_CASE("substitution stops where the text outgrows the largest file podrunner reads") {
  // A long variable (a commit message) repeated, and multiplied by a replacement.
  const std::map<std::string, std::string> vars{{"MSG", std::string(20000, 'm')},
                                                {"A", std::string(10000, 'a')}};
  std::string text = "a: |\n";
  for (int i = 0; i < 100; ++i) text += "  ${MSG}\n";
  for (const auto& input : {text, std::string("a: ${A//a/${MSG}}\nb: ${MSG}\n")}) {
    const auto result = substitute(input, vars);
    REQUIRE(result.errors.size() == 1);
    CHECK(result.errors[0].message.find("grows past 1000000 bytes") != std::string::npos);
    CHECK(result.text.size() < 2 * pipeline::kMaxPipelineFileBytes);
  }
  CHECK(substitute("a: ${MSG}\n", vars).errors.empty());
}
