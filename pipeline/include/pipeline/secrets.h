#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pipeline/build_context.h"
#include "pipeline/manifest.h"

// `from_secret` resolution as Drone does it. Sources in order, the first with a
// non-empty value wins: the server's secrets for the stage (name matched without regard
// to case; one not allowed for pull requests is hidden from pull_request builds), then
// `kind: secret` documents with encrypted data (name matched exactly; given to a pull
// request from a fork only when the repository is private), then the runner's
// DRONE_RUNNER_SECRETS (matched without regard to case; never given to pull requests).
// A `kind: secret` document with `get` (an external secret store) is not fetched: podrunner
// has no secret extension client (the daemon refuses DRONE_SECRET_PLUGIN_ENDPOINT), so a
// from_secret naming it is found among the stage's secrets under the document's name, as
// any name is; its get.path and get.name are not used.
namespace pipeline {

class SecretResolver {
 public:
  SecretResolver(const BuildContext& context, const CompilerOptions& options,
                 std::vector<SecretSpec> documents = {})
      : context_(context), options_(options), documents_(std::move(documents)) {}

  std::optional<std::string> find(const std::string& name) const;

 private:
  const BuildContext& context_;
  const CompilerOptions& options_;
  std::vector<SecretSpec> documents_;
};

// The key a secret is stored under in the stage's Secret: its name in lower case with
// every character Kubernetes does not allow in a key replaced by '_'.
std::string secretKey(const std::string& name);

}  // namespace pipeline
