#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <sstream>

#include "compile_fixture.h"

// The real-world corpus (../shared/testdata/drone-yml-corpus, never edited) goes
// through the linter whole: nothing crashes, the defects its README lists are found at
// their lines, and every type: kubernetes file is accepted.
using namespace pipeline;

namespace {

const std::filesystem::path kCorpus = PODRUNNER_CORPUS_DIR;

std::vector<Finding> lintCorpusFile(const std::string& name, bool trusted = true) {
  auto request = compile_fixture::request(compile_fixture::readFile((kCorpus / name).string()));
  request.file = name;
  request.context.repo.trusted = trusted;
  return lintFile(request);
}

bool has(const std::vector<Finding>& findings, int line, int column, const std::string& part) {
  for (const auto& f : findings) {
    if (f.line == line && f.column == column && f.message.find(part) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::string unquoted(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

// file -> type column of SOURCES.tsv
std::map<std::string, std::string> corpusTypes() {
  std::map<std::string, std::string> types;
  std::istringstream tsv(compile_fixture::readFile((kCorpus / "SOURCES.tsv").string()));
  std::string line;
  std::getline(tsv, line);
  while (std::getline(tsv, line)) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    std::string cell;
    while (std::getline(row, cell, '\t')) cells.push_back(cell);
    if (cells.size() >= 5) types[cells[0]] = cells[4];
  }
  return types;
}

}  // namespace

TEST_CASE("corpus: every file goes through lint, kubernetes files without errors", "[component]") {
  REQUIRE(std::filesystem::exists(kCorpus / "SOURCES.tsv"));
  const auto types = corpusTypes();
  REQUIRE(types.size() == 83);
  int kubernetes = 0;
  for (const auto& [file, type] : types) {
    INFO(file);
    const auto findings = lintCorpusFile(file);
    for (const auto& f : findings) UNSCOPED_INFO(toString(f));
    const bool legacy = file >= "081" && file < "085";
    if (type == "kubernetes") ++kubernetes;
    if (legacy) {
      CHECK(hasError(findings));
    } else {
      CHECK_FALSE(hasError(findings));
    }
  }
  CHECK(kubernetes == 34);
}

TEST_CASE("corpus: privileged kubernetes pipelines are refused for untrusted repositories",
          "[component]") {
  const auto findings = lintCorpusFile("001-v0l-snort.yml", false);
  CHECK(hasError(findings));
  bool privileged = false;
  for (const auto& f : findings) {
    privileged = privileged || f.message.find("privileged is only allowed") != std::string::npos;
  }
  CHECK(privileged);
}

TEST_CASE("corpus: a trigger misplaced inside a step is found at its line", "[component]") {
  CHECK(has(lintCorpusFile("010-kradalby-gso.yml"), 15, 9, "unknown key 'trigger'"));
}

TEST_CASE("corpus: conditions misindented to step level are found at their lines", "[component]") {
  const auto findings = lintCorpusFile("044-rancher-wins.yml");
  CHECK(has(findings, 213, 3, "unknown key 'ref'"));
  CHECK(has(findings, 218, 3, "unknown key 'event'"));
  CHECK(has(findings, 232, 3, "unknown key 'ref'"));
  CHECK(has(findings, 237, 3, "unknown key 'event'"));
  CHECK(has(findings, 57, 9, "refs/heads/"));
}

TEST_CASE("corpus: tab characters are found at their lines", "[component]") {
  const auto findings = lintCorpusFile("053-go-xorm-xorm.yml");
  for (int line : {217, 218, 430, 431, 642, 643}) {
    INFO(line);
    bool found = false;
    for (const auto& f : findings) {
      found = found || (f.line == line && f.message.find("tab character") != std::string::npos);
    }
    CHECK(found);
  }
}

TEST_CASE("corpus: clone misplaced inside steps is found at each step", "[component]") {
  const auto findings = lintCorpusFile("064-1069080359-janice-pro.yml");
  for (int line : {32, 50, 72, 95, 118}) {
    INFO(line);
    CHECK(has(findings, line, 5, "clone is a pipeline key"));
  }
}

TEST_CASE("corpus: an event misplaced at step level is found at its line", "[component]") {
  CHECK(
      has(lintCorpusFile("069-the-common-drone-ci-integration.yml"), 72, 5, "unknown key 'event'"));
}

TEST_CASE("corpus: the form_secret typo is found at its lines", "[component]") {
  const auto findings = lintCorpusFile("071-1898andCo-HAOS.yml");
  CHECK(has(findings, 146, 9, "did you mean from_secret"));
  CHECK(has(findings, 148, 9, "did you mean from_secret"));
}

TEST_CASE("corpus: the legacy 0.8 format gets a clear error", "[component]") {
  for (const char* file : {"081-go-gitea-tea.yml", "082-UKHomeOffice-lightweight-kube-etl.yml",
                           "083-CodeDepotTech-infrastructure.yml", "084-127labs-charts.yml"}) {
    INFO(file);
    const auto findings = lintCorpusFile(file);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].message.find("legacy 0.8 format") != std::string::npos);
  }
}

TEST_CASE("corpus: every kubernetes pipeline compiles to a Plan", "[component]") {
  int compiled = 0;
  for (const auto& [file, type] : corpusTypes()) {
    if (type != "kubernetes") continue;
    auto request = compile_fixture::request(compile_fixture::readFile((kCorpus / file).string()));
    request.file = file;
    // The names of the file's block-style kubernetes documents.
    std::istringstream text(request.text);
    std::string line;
    std::vector<std::string> names;
    bool kubernetesDocument = false;
    std::string documentName;
    auto finish = [&] {
      if (kubernetesDocument) names.push_back(documentName.empty() ? "default" : documentName);
      kubernetesDocument = false;
      documentName.clear();
    };
    while (std::getline(text, line)) {
      if (line.rfind("---", 0) == 0) finish();
      if (line.rfind("type: kubernetes", 0) == 0) kubernetesDocument = true;
      if (line.rfind("name: ", 0) == 0) documentName = unquoted(line.substr(6));
    }
    finish();
    for (const auto& name : names) {
      INFO(file << " pipeline " << name);
      request.pipelineName = name;
      const auto result = compile(request);
      for (const auto& f : result.findings) UNSCOPED_INFO(toString(f));
      CHECK(result.plan.has_value());
      compiled += result.plan ? 1 : 0;
    }
  }
  CHECK(compiled >= 60);
}
