#pragma once

#include <string>
#include <vector>

#include "pipeline/plan.h"

// The credentials in a Docker config.json (the value of an `image_pull_secrets` secret):
// {"auths": {"<registry>": {"auth": base64("user:pass")} or {"username", "password"}}}.
// A registry given as a URL is reduced to its host. Unreadable input gives no
// credentials, as in Drone.
namespace pipeline {

std::vector<RegistryCredential> parseDockerConfig(const std::string& json);

std::string base64Decode(const std::string& text);

}  // namespace pipeline
