#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "pipeline/clone_step.h"

// Runs the generated clone script with the system's sh and git against a local
// repository, as the clone step's container would.
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "podrunner-clone-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { fs::remove_all(path); }
};

int run(const std::string& command) { return std::system(command.c_str()); }

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

// A repository with two commits on main and a tag v1 on the first.
std::string makeOrigin(const fs::path& origin) {
  const std::string git = "git -C '" + origin.string() + "' ";
  REQUIRE(run("git init -q -b main '" + origin.string() + "'") == 0);
  REQUIRE(run(git + "config user.email t@example.com && " + git + "config user.name t") == 0);
  std::ofstream(origin / "file.txt") << "one\n";
  REQUIRE(run(git + "add file.txt && " + git + "commit -qm one && " + git + "tag v1") == 0);
  std::ofstream(origin / "file.txt") << "two\n";
  REQUIRE(run(git + "commit -qam two && " + git + "rev-parse HEAD > '" +
              (origin / "head").string() + "'") == 0);
  std::string sha = readFile(origin / "head");
  sha.erase(sha.find_last_not_of("\n") + 1);
  return sha;
}

int runClone(const fs::path& root, const std::string& env, const pipeline::CloneSettings& s) {
  std::ofstream(root / "clone.sh") << pipeline::cloneScript(s);
  return run("cd '" + root.string() + "' && env -i PATH=\"$PATH\" HOME='" + root.string() +
             "' DRONE_WORKSPACE='" + (root / "ws").string() + "' DRONE_REMOTE_URL='" +
             (root / "origin").string() + "' " + env + " sh clone.sh > '" +
             (root / "log").string() + "' 2>&1");
}

}  // namespace

TEST_CASE("the clone script checks out a pushed commit on its branch", "[component]") {
  TempDir dir;
  const std::string sha = makeOrigin(dir.path / "origin");
  const int status = runClone(
      dir.path,
      "DRONE_COMMIT_SHA=" + sha + " DRONE_COMMIT_BRANCH=main DRONE_COMMIT_REF=refs/heads/main",
      {1, 0, false, 0});
  INFO(readFile(dir.path / "log"));
  REQUIRE(status == 0);
  CHECK(readFile(dir.path / "ws" / "file.txt") == "two\n");
}

TEST_CASE("the clone script checks out a tag", "[component]") {
  TempDir dir;
  makeOrigin(dir.path / "origin");
  const int status = runClone(dir.path, "DRONE_COMMIT_REF=refs/tags/v1 DRONE_TAG=v1", {});
  INFO(readFile(dir.path / "log"));
  REQUIRE(status == 0);
  CHECK(readFile(dir.path / "ws" / "file.txt") == "one\n");
}

TEST_CASE("the clone script retries and then fails on a missing remote", "[component]") {
  TempDir dir;
  const int status = runClone(dir.path, "DRONE_COMMIT_BRANCH=main", {0, 1, false, 0});
  CHECK(status != 0);
  CHECK(readFile(dir.path / "log").find("retry 1 of 1") != std::string::npos);
}
