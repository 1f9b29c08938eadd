#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

// The certificates and key a TLS connection needs, parsed once from PEM held in
// memory and installed into each new OpenSSL context (nothing touches the disk).
namespace kube {

class TlsIdentity {
 public:
  // Throws ConfigError when a PEM block cannot be parsed or the key does not match.
  TlsIdentity(const std::string& caPem, const std::string& certificatePem,
              const std::string& keyPem);

  // Trusts only the configured CAs (when there are any) and presents the client
  // certificate (when there is one).
  void install(SSL_CTX* context) const;

 private:
  using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
  std::vector<Certificate> authorities_;
  std::vector<Certificate> certificateChain_;  // leaf first
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key_{nullptr, &EVP_PKEY_free};
};

}  // namespace kube
