#pragma once

#include <optional>
#include <string>

// The value of a `kind: secret` document's `data`, as Drone encrypts it: base64 of a
// 12-byte nonce followed by AES-GCM ciphertext and tag, keyed with the raw bytes of the
// repository's secret (32 bytes: AES-256). Nothing when it does not decrypt.
namespace pipeline {

std::optional<std::string> decryptSecret(const std::string& data, const std::string& key);

}  // namespace pipeline
