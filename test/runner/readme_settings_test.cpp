#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "runner/settings.h"

using namespace podrunner;
using Catch::Matchers::Contains;

// The README's configuration table is what users read; it must list every setting
// with its flag and default, so it cannot drift from the code.
TEST_CASE("the README lists every setting with its flag and default", "[settings]") {
  std::ifstream file(std::string(PODRUNNER_SOURCE_DIR) + "/README.md");
  REQUIRE(file);
  std::stringstream text;
  text << file.rdbuf();
  const std::string readme = text.str();
  for (const auto& s : allSettings()) {
    const std::string defaultCell = s.defaultText.empty() ? "—" : "`" + s.defaultText + "`";
    INFO(s.env);
    CHECK_THAT(readme, Contains("| `" + s.env + "` | `--" + s.flag + "` | " + defaultCell + " |"));
  }
}
