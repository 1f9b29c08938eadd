#include "runner/engine/secret_masker.h"

#include <catch2/catch.hpp>

#include "runner/engine/line_splitter.h"

using namespace podrunner;

TEST_CASE("every occurrence of a secret in a line is masked", "[masking]") {
  SecretMasker masker({"hunter2"});
  CHECK(masker.mask("password=hunter2 again hunter2\n") == "password=****** again ******\n");
  CHECK(masker.mask("nothing here\n") == "nothing here\n");
}

TEST_CASE("a multi-line secret is masked line by line, trimmed", "[masking]") {
  SecretMasker masker({"-----BEGIN KEY-----\n  abcdef  \nx\n-----END KEY-----\n"});
  CHECK(masker.mask("-----BEGIN KEY-----\n") == "******\n");
  CHECK(masker.mask("    abcdef\n") == "    ******\n");
  CHECK(masker.mask("x marks the spot\n") == "x marks the spot\n");  // too short to mask
}

TEST_CASE("overlapping secrets leave no fragment behind", "[masking]") {
  SecretMasker masker({"abcd", "cdef"});
  CHECK(masker.mask("xxabcdefyy") == "xx******yy");
  SecretMasker nested({"secret", "secretvalue"});
  CHECK(nested.mask("a secretvalue b") == "a ****** b");
}

TEST_CASE("a masker without secrets leaves lines alone", "[masking]") {
  SecretMasker masker({"", "a", " \n "});
  CHECK(masker.empty());
  CHECK(masker.mask("a b c") == "a b c");
}

TEST_CASE("a secret split across chunks is masked once the lines are whole", "[masking]") {
  SecretMasker masker({"s3cr3t-t0ken"});
  LineSplitter splitter;
  std::vector<std::string> lines;
  const auto emit = [&](std::string_view line) { lines.push_back(masker.mask(line)); };
  for (std::string_view chunk : {"token: s3c", "r3t-", "t0ken\nnext ", "line s3cr3t-t0", "ken"}) {
    splitter.feed(chunk, emit);
  }
  splitter.finish(emit);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "token: ******\n");
  CHECK(lines[1] == "next line ******");
}

TEST_CASE("lines longer than the runtime's 16 KiB come out whole", "[masking]") {
  const std::string longLine(40 * 1024, 'y');
  LineSplitter splitter;
  std::vector<std::string> lines;
  const auto emit = [&](std::string_view line) { lines.emplace_back(line); };
  const std::string text = longLine + "\nshort\n";
  for (std::size_t at = 0; at < text.size(); at += 16 * 1024) {
    splitter.feed(std::string_view(text).substr(at, 16 * 1024), emit);
  }
  splitter.finish(emit);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == longLine + "\n");
  CHECK(lines[1] == "short\n");
}
