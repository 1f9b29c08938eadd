#include <catch2/catch.hpp>
#include <string>

#include "command_run.h"

// `podrunner lint` and `podrunner compile` run as a user runs them.
using Catch::Matchers::Contains;

namespace {

using Run = CommandRun;

Run run(const std::string& arguments) {
  return runCommand(std::string(PODRUNNER_BINARY) + " " + arguments);
}

const std::string kSamples = std::string(PODRUNNER_SOURCE_DIR) + "/samples/golden/";

}  // namespace

TEST_CASE("lint prints findings as file:line:column and fails on an error", "[cli]") {
  const std::string file = std::string(PODRUNNER_SOURCE_DIR) + "/test/runner/testdata/broken.yml";
  const Run r = run("lint " + file);
  CHECK(r.status == 1);
  CHECK_THAT(r.output,
             Contains(file + ":9:16: error: step 'test': depends_on: no step named 'biuld'"));
  CHECK_THAT(r.output, Contains(file + ":10:3: warning: step 'test': unknown key 'event'"));
}

TEST_CASE("lint of a clean file prints nothing and succeeds", "[cli]") {
  const Run r = run("lint " + kSamples + "serial.yml");
  CHECK(r.status == 0);
  CHECK(r.output.empty());
}

TEST_CASE("lint refuses privileged steps unless --trusted", "[cli]") {
  CHECK(run("lint " + kSamples + "volumes.yml").status == 1);
  CHECK(run("lint --trusted " + kSamples + "volumes.yml").status == 0);
}

TEST_CASE("compile prints the Plan as JSON with secrets as references only", "[cli]") {
  const Run r = run("compile --secret api_token=hunter2-secret --branch main --commit abc123 " +
                    kSamples + "secrets.yml");
  CHECK(r.status == 0);
  CHECK_THAT(r.output,
             Contains("\"secret\": \"api_token\"") && Contains("\"DRONE_COMMIT\": \"abc123\""));
  CHECK_THAT(r.output, !Contains("hunter2-secret"));
}

TEST_CASE("compile selects a pipeline by name and takes the build's event", "[cli]") {
  const Run r = run("compile --pipeline default --event tag --ref refs/tags/v1.2.0 " + kSamples +
                    "graph.yml");
  CHECK(r.status == 0);
  CHECK_THAT(r.output,
             Contains("\"name\": \"only-on-tags\"") && Contains("\"DRONE_SEMVER\": \"1.2.0\""));
  const Run missing = run("compile --pipeline nope " + kSamples + "graph.yml");
  CHECK(missing.status == 1);
  CHECK_THAT(missing.output, Contains("no pipeline named 'nope'"));
}

TEST_CASE("compile fails with the findings on an error", "[cli]") {
  const Run r =
      run("compile " + std::string(PODRUNNER_SOURCE_DIR) + "/test/runner/testdata/broken.yml");
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Contains("no step named 'biuld'"));
  CHECK_THAT(r.output, !Contains("\"steps\""));
}

TEST_CASE("lint and compile report bad flags and missing files as usage errors", "[cli]") {
  CHECK(run("compile --secret novalue " + kSamples + "serial.yml").status == 2);
  const Run missing = run("lint /nonexistent/.drone.yml");
  CHECK(missing.status == 2);
  CHECK_THAT(missing.output, Contains("cannot read the pipeline file"));
}
