#include "pipeline/encrypted_secret.h"

#include <openssl/evp.h>

#include <memory>

#include "pipeline/registry_credentials.h"

namespace pipeline {

std::optional<std::string> decryptSecret(const std::string& data, const std::string& key) {
  constexpr std::size_t kNonce = 12;
  constexpr std::size_t kTag = 16;
  const EVP_CIPHER* cipher = key.size() == 32   ? EVP_aes_256_gcm()
                             : key.size() == 24 ? EVP_aes_192_gcm()
                             : key.size() == 16 ? EVP_aes_128_gcm()
                                                : nullptr;
  const std::string sealed = base64Decode(data);
  if (cipher == nullptr || sealed.size() < kNonce + kTag) return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  const auto* body = nonce + kNonce;
  const int bodySize = static_cast<int>(sealed.size() - kNonce - kTag);
  std::string tag = sealed.substr(sealed.size() - kTag);

  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      EVP_CIPHER_CTX_free);
  std::string plain(static_cast<std::size_t>(bodySize) + 16, '\0');
  int written = 0;
  int finished = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), cipher, nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonce, nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr,
                         reinterpret_cast<const unsigned char*>(key.data()), nonce) == 1 &&
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &written, body,
                        bodySize) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag.data()) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + written,
                          &finished) == 1;
  if (!ok) return std::nullopt;
  plain.resize(static_cast<std::size_t>(written + finished));
  return plain;
}

}  // namespace pipeline
