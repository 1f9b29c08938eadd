#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "compile_fixture.h"
#include "pipeline/manifest_parser.h"

// The check before yaml-cpp (pipeline/src/yaml_guard.cpp): texts on which yaml-cpp
// 0.7.0's LoadAll never returns get an error finding instead, and nothing valid is refused.
using namespace pipeline;

namespace {

const std::string kStrayComma = "YAML: ',' outside [ ] and { }";

// The findings of the guard alone (the parser adds others once yaml-cpp has read the text).
std::vector<Finding> guardFindings(const std::string& text) {
  std::vector<Finding> out;
  for (const auto& f : parseManifest(text, "p.yml").findings) {
    const bool guard =
        f.message.rfind(kStrayComma, 0) == 0 ||
        f.message.find("control character") != std::string::npos ||
        f.message.find("byte order mark") != std::string::npos ||
        f.message.find("podrunner reads pipeline files of at most") != std::string::npos;
    if (guard) out.push_back(f);
  }
  return out;
}

void requireOneError(const std::string& text, int line, int column, const std::string& part) {
  INFO(text);
  const auto findings = guardFindings(text);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].severity == Finding::Severity::Error);
  CHECK(findings[0].line == line);
  CHECK(findings[0].column == column);
  CHECK(findings[0].message.find(part) != std::string::npos);
}

}  // namespace

TEST_CASE("the inputs on which yaml-cpp 0.7.0 looped give an error at their stray comma") {
  const std::filesystem::path dir =
      std::filesystem::path(PODRUNNER_SOURCE_DIR) / "test/pipeline/fuzz/known_hangs";
  const std::vector<std::tuple<std::string, int, int>> cases{{"yaml-cpp-hang-1.yml", 58, 8},
                                                             {"yaml-cpp-hang-2.yml", 82, 6},
                                                             {"yaml-cpp-hang-3.yml", 31, 8}};
  for (const auto& [name, line, column] : cases) {
    SECTION(name) {
      const auto parsed = parseManifest(compile_fixture::readFile((dir / name).string()), name);
      REQUIRE(parsed.findings.size() == 1);
      CHECK(parsed.findings[0].line == line);
      CHECK(parsed.findings[0].column == column);
      CHECK(parsed.findings[0].message.rfind(kStrayComma, 0) == 0);
      CHECK(parsed.manifest.pipelines.empty());
    }
  }
}

TEST_CASE("a comma token outside flow collections is an error before yaml-cpp runs") {
  requireOneError("{},", 1, 3, kStrayComma);
  requireOneError("\"a\", \"b\"\n", 1, 4, kStrayComma);
  requireOneError(",", 1, 1, kStrayComma);
  requireOneError("kind: pipeline\nsteps:\n- a\n, b\n", 4, 1, kStrayComma);
  requireOneError("- a\n,\n", 2, 1, kStrayComma);
  requireOneError("!tag ,", 1, 6, kStrayComma);
  requireOneError("[a] , b", 1, 5, kStrayComma);
  requireOneError("&x [a],", 1, 7, kStrayComma);
  requireOneError("key: \"a\", b\n", 1, 9, kStrayComma);  // yaml-cpp fails here, not loops
  requireOneError("---\n'a',\n", 2, 4, kStrayComma);
}

TEST_CASE("commas inside scalars, comments and flow collections are left to yaml-cpp") {
  const std::vector<std::string> texts{
      "a: b, c\n",
      "a: [b, c]\nd: {e: 1, f: [2, 3]}\n",
      "a: \"x, y\"\nb: 'it''s, fine'\n",
      "# a, b\na: 1 # c, d\n",
      "a: |\n  , first\n  , second\nb: >-\n  ,\n",
      "a: b\n  , c continues the plain scalar\n",
      "- [a, b]\n- {c: d}\n- e, f\n",
      "a: !!str x,y\n",
      "a:\n  - \"x\"\n  - 'y'\n",
      "[\"a\", \"b\"]\n",
      "{\"a\": 1, \"b\": [true, null]}\n",
      "a: \"multi\n  line, quoted\"\n",
      "\xEF\xBB\xBF"
      "a: b, c\n",
      "a: b\r\nc: [d, e]\r\n",
      "kind: pipeline\n---\nkind: secret\nname: x\nget: {path: p, name: n}\n",
  };
  for (const auto& text : texts) {
    INFO(text);
    CHECK(guardFindings(text).empty());
    for (const auto& f : parseManifest(text, "p.yml").findings) {
      CHECK(f.message.rfind("YAML: ", 0) != 0);  // yaml-cpp read it without an error
    }
  }
}

TEST_CASE("control characters, UTF-16 and UTF-32 text and oversized files are refused") {
  requireOneError(std::string("a: b\x04\n"), 1, 5, "control character U+0004");
  requireOneError(std::string("a: b\nc: \0", 9), 2, 4, "control character U+0000");
  requireOneError(
      "\xFF\xFE"
      "a\0:\0",
      1, 1, "byte order mark");
  requireOneError("\xFE\xFF\0a", 1, 1, "byte order mark");
  requireOneError("a: \"" + std::string(1000000, 'x') + "\"\n", 1, 1,
                  "podrunner reads pipeline files of at most 1000000 bytes");
  CHECK(guardFindings("a: \"" + std::string(999000, 'x') + "\"\n\t\r\n").empty());
}

TEST_CASE("no file of the corpus or of samples/ trips the guard") {
  std::vector<std::filesystem::path> files;
  for (const auto& dir : {std::filesystem::path(PODRUNNER_CORPUS_DIR),
                          std::filesystem::path(PODRUNNER_SOURCE_DIR) / "samples"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
      if (entry.path().extension() == ".yml" || entry.path().extension() == ".yaml") {
        files.push_back(entry.path());
      }
    }
  }
  REQUIRE(files.size() > 80);
  for (const auto& file : files) {
    INFO(file.string());
    CHECK(guardFindings(compile_fixture::readFile(file.string())).empty());
  }
}
