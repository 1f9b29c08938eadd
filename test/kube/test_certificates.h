#pragma once

#include <string>

// Certificates made for one test run with the openssl command line, in a fresh
// temporary directory: a CA, a server certificate for 127.0.0.1 and kube.test,
// and a client certificate (CN podrunner-test) signed by the same CA.
namespace kube::test {

struct TestCertificates {
  std::string dir;
  std::string caPem, caFile;
  std::string serverCertFile, serverKeyFile;
  std::string clientCertPem, clientKeyPem, clientCertFile, clientKeyFile;
  std::string otherCaPem;  // a CA that signed nothing the server presents
};

// Made once per process.
const TestCertificates& testCertificates();

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);
// A new empty directory under the system's temporary directory.
std::string makeTempDir();

}  // namespace kube::test
