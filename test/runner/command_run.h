#pragma once

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

// Runs a shell command line with an empty environment (PATH only), as a user would run
// podrunner, and returns its exit status and its output (stdout and stderr together).
struct CommandRun {
  int status;
  std::string output;
};

inline CommandRun runCommand(const std::string& commandLine) {
  const std::string command = "env -i PATH=/usr/bin:/bin " + commandLine + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}
