#include "runner/value_parsers.h"

#include <catch2/catch.hpp>

#include "runner/settings.h"

using namespace podrunner;
using Catch::Matchers::Contains;

TEST_CASE("booleans are read as Go's ParseBool reads them", "[settings]") {
  for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) CHECK(parse::boolean(t));
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) CHECK_FALSE(parse::boolean(f));
  CHECK_THROWS_WITH(parse::boolean("yes"), Contains("true or false"));
  CHECK_THROWS_AS(parse::boolean(""), ValueError);
}

TEST_CASE("whole numbers have a lower bound", "[settings]") {
  CHECK(parse::wholeNumber("100", 1) == 100);
  CHECK(parse::wholeNumber("0", 0) == 0);
  CHECK_THROWS_WITH(parse::wholeNumber("abc", 1), Contains("whole number of at least 1"));
  CHECK_THROWS_AS(parse::wholeNumber("0", 1), ValueError);
  CHECK_THROWS_AS(parse::wholeNumber("-3", 0), ValueError);
  CHECK_THROWS_AS(parse::wholeNumber("1.5", 0), ValueError);
  CHECK_THROWS_AS(parse::wholeNumber("99999999999", 0), ValueError);
}

TEST_CASE("byte sizes take go-units and Kubernetes spellings", "[settings]") {
  CHECK(parse::byteSize("104857600") == 104857600);
  CHECK(parse::byteSize("100MiB") == 100LL * 1024 * 1024);
  CHECK(parse::byteSize("100MB") == 100LL * 1024 * 1024);
  CHECK(parse::byteSize("100mb") == 100LL * 1024 * 1024);
  CHECK(parse::byteSize("512m") == 512LL * 1024 * 1024);
  CHECK(parse::byteSize("1Gi") == 1024LL * 1024 * 1024);
  CHECK(parse::byteSize("1.5k") == 1536);
  CHECK(parse::byteSize("4 KiB") == 4096);
  CHECK(parse::byteSize("7b") == 7);
  CHECK_THROWS_WITH(parse::byteSize("lots"), Contains("size in bytes"));
  CHECK_THROWS_AS(parse::byteSize("10x"), ValueError);
  CHECK_THROWS_AS(parse::byteSize("10MiBs"), ValueError);
  CHECK_THROWS_AS(parse::byteSize(""), ValueError);
}

TEST_CASE("CPU is millicores, a quantity with m, or cores with a point", "[settings]") {
  CHECK(parse::cpuMillis("100") == 100);
  CHECK(parse::cpuMillis("250m") == 250);
  CHECK(parse::cpuMillis("0.5") == 500);
  CHECK(parse::cpuMillis("2.0") == 2000);
  CHECK_THROWS_WITH(parse::cpuMillis("two"), Contains("millicores"));
  CHECK_THROWS_AS(parse::cpuMillis("2 cores"), ValueError);
}

TEST_CASE("durations are seconds or have units", "[settings]") {
  CHECK(parse::duration("480") == std::chrono::seconds(480));
  CHECK(parse::duration("30s") == std::chrono::seconds(30));
  CHECK(parse::duration("5m") == std::chrono::seconds(300));
  CHECK(parse::duration("1h30m") == std::chrono::seconds(5400));
  CHECK_THROWS_WITH(parse::duration("soon"), Contains("duration"));
  CHECK_THROWS_AS(parse::duration("5d"), ValueError);
  CHECK_THROWS_AS(parse::duration("5m3"), ValueError);
}

TEST_CASE("lists split on commas and drop blanks", "[settings]") {
  CHECK(parse::list("a, b,,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(parse::list("").empty());
}

TEST_CASE("maps are key:value pairs and values may hold colons", "[settings]") {
  const auto m = parse::map("zone:a, proxy:http://10.0.0.1:3128");
  CHECK(m.at("zone") == "a");
  CHECK(m.at("proxy") == "http://10.0.0.1:3128");
  CHECK_THROWS_WITH(parse::map("zone"), Contains("key:value"));
  CHECK_THROWS_AS(parse::map(":a"), ValueError);
}

TEST_CASE("a choice names the allowed values", "[settings]") {
  CHECK(parse::oneOf("https", {"http", "https"}) == "https");
  CHECK_THROWS_WITH(parse::oneOf("ftp", {"http", "https"}), Contains("expected http or https"));
}
