#include "pipeline/secrets.h"

#include <cctype>

#include "pipeline/encrypted_secret.h"

namespace pipeline {
namespace {

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> SecretResolver::find(const std::string& name) const {
  const bool pullRequest = context_.build.event == "pull_request";
  for (const auto& secret : context_.secrets) {
    if (!equalsIgnoringCase(secret.name, name)) continue;
    if (pullRequest && !secret.pullRequest) continue;
    if (!secret.data.empty()) return secret.data;
  }
  const bool fromFork = pullRequest && !context_.build.sourceRepo.empty() &&
                        context_.build.sourceRepo != context_.repo.slug;
  for (const auto& document : documents_) {
    if (document.name.value != name || document.data.value.empty()) continue;
    if (fromFork && !context_.repo.isPrivate) continue;
    const auto value = decryptSecret(document.data.value, context_.repo.secret);
    if (value && !value->empty()) return value;
  }
  if (pullRequest) return std::nullopt;
  for (const auto& [secretName, value] : options_.runnerSecrets) {
    if (equalsIgnoringCase(secretName, name) && !value.empty()) return value;
  }
  return std::nullopt;
}

std::string secretKey(const std::string& name) {
  std::string key;
  for (unsigned char c : name) {
    const bool allowed = std::isalnum(c) || c == '-' || c == '_' || c == '.';
    key += allowed ? static_cast<char>(std::tolower(c)) : '_';
  }
  return key.empty() ? "_" : key;
}

}  // namespace pipeline
