#include "runner/cancellation.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

using namespace podrunner;

TEST_CASE("cancel runs callbacks once and keeps the first reason", "[cancellation]") {
  Cancellation c;
  int calls = 0;
  c.onCancel([&] { ++calls; });
  CHECK_FALSE(c.cancelled());
  c.cancel("server cancelled the build");
  c.cancel("again");
  CHECK(c.cancelled());
  CHECK(calls == 1);
  CHECK(c.reason() == "server cancelled the build");
  bool late = false;
  c.onCancel([&] { late = true; });
  CHECK(late);
}

TEST_CASE("waitFor wakes when another thread cancels", "[cancellation]") {
  Cancellation c;
  CHECK_FALSE(c.waitFor(std::chrono::milliseconds(1)));
  std::thread canceller([&] { c.cancel("ctrl-c"); });
  CHECK(c.waitFor(std::chrono::seconds(30)));
  canceller.join();
}
