#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "pipeline/compiler.h"

// Benchmark (not a test): compile() and lintFile() of one pipeline file, repeated.
// Prints the mean time of each. Run under /usr/bin/time -v for peak memory.
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

  auto meanMs = [&](auto&& work) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) work();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    return std::chrono::duration<double, std::milli>(elapsed).count() / iterations;
  };
  bool compiled = false;
  std::size_t findings = 0;
  // compile(): substitute, parse, lint the selected pipeline, build its Plan (a stage).
  const double compileMs = meanMs([&] { compiled = pipeline::compile(request).plan.has_value(); });
  // lintFile(): substitute, parse and lint every document (`podrunner lint`).
  const double lintMs = meanMs([&] { findings = pipeline::lintFile(request).size(); });
  std::cout << argv[1] << ": " << request.text.size() << " bytes; compile "
            << (compiled ? "gave a Plan" : "gave no Plan") << " in " << compileMs
            << " ms; lintFile gave " << findings << " findings in " << lintMs << " ms (means of "
            << iterations << ")\n";
  return 0;
}
