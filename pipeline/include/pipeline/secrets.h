#pragma once

#include <optional>
#include <string>

#include "pipeline/build_context.h"

// `from_secret` resolution as Drone does it. Sources in order, the first with a
// non-empty value wins: the server's secrets for the stage (name matched without regard
// to case; one not allowed for pull requests is hidden from pull_request builds), then
// the runner's DRONE_RUNNER_SECRETS (same matching; never given to pull requests).
// Encrypted `kind: secret` documents are not decrypted yet: they resolve to nothing.
namespace pipeline {

class SecretResolver {
 public:
  SecretResolver(const BuildContext& context, const CompilerOptions& options)
      : context_(context), options_(options) {}

  std::optional<std::string> find(const std::string& name) const;

 private:
  const BuildContext& context_;
  const CompilerOptions& options_;
};

// The key a secret is stored under in the stage's Secret: its name in lower case with
// every character Kubernetes does not allow in a key replaced by '_'.
std::string secretKey(const std::string& name);

}  // namespace pipeline
