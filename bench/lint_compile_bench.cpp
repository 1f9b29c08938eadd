#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "pipeline/compiler.h"

// Benchmark (not a test): lint and compile of one pipeline file, repeated. Prints the
// mean time of one lint+compile. Run under /usr/bin/time -v for peak memory.
// usage: lint_compile_bench FILE [PIPELINE] [ITERATIONS]
int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: lint_compile_bench FILE [PIPELINE] [ITERATIONS]\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  std::ostringstream text;
  text << in.rdbuf();
  pipeline::CompileRequest request;
  request.text = text.str();
  request.file = argv[1];
  request.pipelineName = argc > 2 ? argv[2] : "";
  request.context.repo.slug = "octocat/hello";
  request.context.repo.trusted = true;
  request.context.build.target = "main";
  request.context.build.after = "0000000000000000000000000000000000000000";
  const int iterations = argc > 3 ? std::stoi(argv[3]) : 100;

  std::size_t findings = 0;
  bool compiled = false;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) {
    findings = pipeline::lintFile(request).size();
    compiled = pipeline::compile(request).plan.has_value();
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count() / iterations;
  std::cout << argv[1] << ": " << request.text.size() << " bytes, " << findings
            << " lint findings, plan " << (compiled ? "compiled" : "not compiled") << "; " << ms
            << " ms per lint+compile (mean of " << iterations << ")\n";
  return 0;
}
