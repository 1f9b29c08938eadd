#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>

#include "pipeline/compiler.h"
#include "pipeline/manifest_parser.h"

namespace {

// Ignores every event but a document's start, and sees when a document starts where
// the previous one did: yaml-cpp's parser made no progress and would loop.
class StallDetector : public YAML::EventHandler {
 public:
  bool stalled = false;
  void OnDocumentStart(const YAML::Mark& mark) override {
    stalled = started_ && mark.pos == last_.pos && mark.line == last_.line;
    last_ = mark;
    started_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}

 private:
  YAML::Mark last_;
  bool started_ = false;
};

// True when yaml-cpp reads `text` to its end without an error and without looping.
bool yamlCppAccepts(const std::string& text) {
  std::istringstream in(text);
  StallDetector detector;
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(detector)) {
      if (detector.stalled) return false;
    }
  } catch (const YAML::Exception&) {
    return false;
  }
  return true;
}

// The pre-parse guard must refuse nothing that yaml-cpp accepts.
void checkGuard(const std::string& text) {
  for (const auto& f : pipeline::parseManifest(text, "fuzz.yml").findings) {
    if (f.message.rfind("YAML: ',' outside", 0) == 0 && yamlCppAccepts(text)) {
      std::cerr << "the guard refused text that yaml-cpp accepts: " << f.line << ":" << f.column
                << ": " << f.message << "\n";
      std::abort();
    }
  }
}

}  // namespace

// libFuzzer target: any bytes as a pipeline file through substitution, parsing, lint
// and compile of the default pipeline. It must never crash, hang or leak.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  pipeline::CompileRequest request;
  request.text.assign(reinterpret_cast<const char*>(data), size);
  request.context.repo.slug = "octocat/hello";
  request.context.build.target = "main";
  request.context.build.after = "0000000000000000000000000000000000000000";
  request.context.secrets = {{"token", "secret-value", false}};
  checkGuard(request.text);
  pipeline::lintFile(request);
  pipeline::compile(request);
  return 0;
}
