#include "runner/log.h"

#include <catch2/catch.hpp>

using namespace podrunner;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("a log line is logfmt with time, level and message first", "[log]") {
  const std::string line =
      log::format(log::Level::Info, "stage accepted", {{"stage", "42"}, {"repo", "octo/hello"}});
  CHECK_THAT(line, StartsWith("time="));
  CHECK_THAT(line, Contains(" level=info msg=\"stage accepted\" stage=42 repo=octo/hello"));
}

TEST_CASE("values with spaces, quotes or newlines are quoted and escaped", "[log]") {
  const std::string line =
      log::format(log::Level::Warn, "x", {{"error", "said \"no\"\nagain"}, {"empty", ""}});
  CHECK_THAT(line, Contains("error=\"said \\\"no\\\"\\nagain\""));
  CHECK_THAT(line, Contains("empty=\"\""));
}

TEST_CASE("registered secrets never reach a log line", "[log]") {
  log::redact("tok3n-value");
  const std::string line =
      log::format(log::Level::Error, "request failed", {{"header", "X-Drone-Token: tok3n-value"}});
  CHECK_THAT(line, !Contains("tok3n-value"));
  CHECK_THAT(line, Contains("******"));
}

TEST_CASE("levels filter what is written", "[log]") {
  log::setLevel(log::Level::Info);
  CHECK(log::enabled(log::Level::Warn));
  CHECK_FALSE(log::enabled(log::Level::Debug));
  log::setLevel(log::Level::Trace);
  CHECK(log::enabled(log::Level::Trace));
  log::setLevel(log::Level::Info);
}
