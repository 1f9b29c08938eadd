#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "pipeline/compiler.h"

// The build every compile test and golden sample is compiled against.
namespace compile_fixture {

inline pipeline::CompileRequest request(const std::string& text) {
  pipeline::CompileRequest r;
  r.text = text;
  r.file = "test.yml";
  auto& c = r.context;
  c.repo.namespaceName = "octocat";
  c.repo.name = "hello-world";
  c.repo.slug = "octocat/hello-world";
  c.repo.httpUrl = "https://github.com/octocat/hello-world.git";
  c.repo.link = "https://github.com/octocat/hello-world";
  c.repo.trusted = true;
  c.build.number = 7;
  c.build.event = "push";
  c.build.ref = "refs/heads/main";
  c.build.target = "main";
  c.build.source = "main";
  c.build.after = "7fd1a60b01f91b314f59955a4e4d4e80d8edf11d";
  c.build.authorLogin = "octocat";
  c.build.authorName = "The Octocat";
  c.build.authorEmail = "octocat@example.com";
  c.build.message = "Update README";
  c.system.proto = "https";
  c.system.host = "drone.example.com";
  c.secrets = {
      {"api_token", "token-abc123", false},
      {"docker_username", "docker-user-bot", false},
      {"docker_password", "docker-pass-xyz", false},
      {"dockerconfig",
       R"({"auths":{"registry.example.com":{"auth":"cm9ib3Q6cmVnaXN0cnktcGFzcw=="}}})", false}};
  c.netrc = pipeline::Netrc{"github.com", "ghp-netrc-login-token", "netrc-pass-123"};
  return r;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace compile_fixture
