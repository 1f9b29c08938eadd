#include "tls_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "kube/error.h"

namespace kube {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Bio memoryBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
}

}  // namespace

TlsIdentity::TlsIdentity(const std::string& caPem, const std::string& certificatePem,
                         const std::string& keyPem) {
  auto readCertificates = [](const std::string& pem, const char* what) {
    std::vector<Certificate> certificates;
    if (pem.empty()) return certificates;
    Bio bio = memoryBio(pem);
    while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      certificates.emplace_back(certificate, &X509_free);
    }
    ERR_clear_error();  // the read that ends the loop leaves "no start line"
    if (certificates.empty()) throw ConfigError(std::string(what) + " holds no PEM certificate");
    return certificates;
  };
  authorities_ = readCertificates(caPem, "the certificate authority");
  certificateChain_ = readCertificates(certificatePem, "the client certificate");
  if (keyPem.empty()) return;
  Bio bio = memoryBio(keyPem);
  key_.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (!key_) throw ConfigError("the client key is not a PEM private key");
  if (certificateChain_.empty() ||
      X509_check_private_key(certificateChain_.front().get(), key_.get()) != 1) {
    ERR_clear_error();
    throw ConfigError("the client key does not match the client certificate");
  }
}

void TlsIdentity::install(SSL_CTX* context) const {
  if (!authorities_.empty()) {
    X509_STORE* store = X509_STORE_new();
    for (const auto& authority : authorities_) X509_STORE_add_cert(store, authority.get());
    SSL_CTX_set_cert_store(context, store);
  }
  if (key_) {
    SSL_CTX_use_certificate(context, certificateChain_.front().get());
    for (std::size_t i = 1; i < certificateChain_.size(); ++i) {
      X509_up_ref(certificateChain_[i].get());
      SSL_CTX_add_extra_chain_cert(context, certificateChain_[i].get());
    }
    SSL_CTX_use_PrivateKey(context, key_.get());
  }
}

}  // namespace kube
