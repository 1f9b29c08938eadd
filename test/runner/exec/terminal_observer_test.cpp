#include "runner/exec/terminal_observer.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace podrunner;

namespace {
pipeline::Step named(const std::string& name) {
  pipeline::Step s;
  s.name = name;
  s.image = "alpine:3";
  return s;
}
}  // namespace

TEST_CASE("every line is prefixed by its step's name, aligned, without colour", "[terminal]") {
  std::ostringstream out;
  TerminalObserver observer(out, false);
  observer.stepStarted(named("build"), 0);
  observer.stepOutput(named("build"), "compiling\n");
  observer.stepOutput(named("build"), "no newline at the end");
  StepState done;
  done.status = StepStatus::Success;
  observer.stepFinished(named("build"), done);
  CHECK(out.str() ==
        "[build] started (alpine:3)\n"
        "[build] compiling\n"
        "[build] no newline at the end\n"
        "[build] success, exit code 0\n");
}

TEST_CASE("on a terminal each step gets its own colour", "[terminal]") {
  std::ostringstream out;
  TerminalObserver observer(out, true);
  observer.stepStarted(named("a"), 0);
  observer.stepStarted(named("b"), 0);
  const auto text = out.str();
  const auto first = text.substr(0, text.find('\n'));
  const auto second = text.substr(text.find('\n') + 1);
  CHECK(first.rfind("\033[36m[a]", 0) == 0);
  CHECK(second.rfind("\033[33m[b]", 0) == 0);
}

TEST_CASE("durations read as milliseconds, seconds or minutes", "[terminal]") {
  using namespace std::chrono;
  CHECK(formatDuration(milliseconds(850)) == "850ms");
  CHECK(formatDuration(milliseconds(12345)) == "12.3s");
  CHECK(formatDuration(seconds(245)) == "4m05s");
}
