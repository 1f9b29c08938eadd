#include "pipeline/step_script.h"

#include <catch2/catch.hpp>

#include "pipeline/clone_step.h"

using namespace pipeline;

TEST_CASE("a command script stops at the first failure and echoes each command") {
  const std::string script = commandScript({"go build", "echo 'quoted'"});
  const auto setE = script.find("set -e");
  const auto first = script.find("echo + 'go build'\ngo build\n");
  const auto second = script.find("echo + 'echo '\\''quoted'\\'''\necho 'quoted'\n");
  REQUIRE(setE != std::string::npos);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(setE < first);
  CHECK(first < second);
}

TEST_CASE("a command script writes the netrc and unsets its variables first") {
  const std::string script = commandScript({"make"});
  const auto netrc = script.find("> \"$HOME/.netrc\"");
  const auto unset = script.find("unset DRONE_NETRC_MACHINE");
  REQUIRE(netrc != std::string::npos);
  REQUIRE(unset != std::string::npos);
  CHECK(netrc < unset);
  CHECK(unset < script.find("make"));
}

TEST_CASE("shellQuote makes one sh word of any text") {
  CHECK(shellQuote("plain") == "'plain'");
  CHECK(shellQuote("it's") == "'it'\\''s'");
}

TEST_CASE("the clone script passes depth, tags and retries") {
  const std::string script = cloneScript({50, 3, true, 5});
  CHECK(script.find("FLAGS=\"--depth=50 --tags\"") != std::string::npos);
  CHECK(script.find("RETRIES=3") != std::string::npos);
  CHECK(script.find("git init") != std::string::npos);
  CHECK(script.find("refs/tags/*)") != std::string::npos);
  CHECK(script.find("refs/pull/*") != std::string::npos);
}

TEST_CASE("the clone script fetches full history without depth") {
  const std::string script = cloneScript({});
  CHECK(script.find("FLAGS=\"\"") != std::string::npos);
  CHECK(script.find("RETRIES=0") != std::string::npos);
}
