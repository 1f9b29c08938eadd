#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/compiler.h"

// libFuzzer target: any bytes as a pipeline file through substitution, parsing, lint
// and compile of the default pipeline. It must never crash, hang or leak.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pipeline::CompileRequest request;
  request.text.assign(reinterpret_cast<const char*>(data), size);
  request.context.repo.slug = "octocat/hello";
  request.context.build.target = "main";
  request.context.build.after = "0000000000000000000000000000000000000000";
  request.context.secrets = {{"token", "secret-value", false}};
  pipeline::lintFile(request);
  pipeline::compile(request);
  return 0;
}
