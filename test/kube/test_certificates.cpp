#include "test_certificates.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace kube::test {
namespace {

void run(const std::string& command) {
  if (std::system((command + " >/dev/null 2>&1").c_str()) != 0) {
    throw std::runtime_error("test certificate command failed: " + command);
  }
}

void makeKeyAndRequest(const std::string& dir, const std::string& name, const std::string& cn) {
  run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + dir +
      "/" + name + ".key -out " + dir + "/" + name + ".csr -subj /CN=" + cn);
}

void sign(const std::string& dir, const std::string& name, const std::string& extensions) {
  writeFile(dir + "/" + name + ".ext", extensions + "\n");
  run("openssl x509 -req -in " + dir + "/" + name + ".csr -CA " + dir + "/ca.crt -CAkey " + dir +
      "/ca.key -CAcreateserial -days 2 -out " + dir + "/" + name + ".crt -extfile " + dir + "/" +
      name + ".ext");
}

void makeCa(const std::string& dir, const std::string& name) {
  run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -keyout " +
      dir + "/" + name + ".key -out " + dir + "/" + name + ".crt -subj /CN=" + name);
}

TestCertificates make() {
  TestCertificates c;
  c.dir = makeTempDir();
  makeCa(c.dir, "ca");
  makeCa(c.dir, "other-ca");
  makeKeyAndRequest(c.dir, "server", "kube.test");
  sign(c.dir, "server", "subjectAltName=IP:127.0.0.1,DNS:kube.test\nextendedKeyUsage=serverAuth");
  makeKeyAndRequest(c.dir, "client", "podrunner-test");
  sign(c.dir, "client", "extendedKeyUsage=clientAuth");
  c.caFile = c.dir + "/ca.crt";
  c.caPem = readFile(c.caFile);
  c.otherCaPem = readFile(c.dir + "/other-ca.crt");
  c.serverCertFile = c.dir + "/server.crt";
  c.serverKeyFile = c.dir + "/server.key";
  c.clientCertFile = c.dir + "/client.crt";
  c.clientKeyFile = c.dir + "/client.key";
  c.clientCertPem = readFile(c.clientCertFile);
  c.clientKeyPem = readFile(c.clientKeyFile);
  return c;
}

}  // namespace

const TestCertificates& testCertificates() {
  struct Owned {
    TestCertificates certificates = make();
    ~Owned() {
      std::error_code ignored;
      std::filesystem::remove_all(certificates.dir, ignored);
    }
  };
  static const Owned owned;
  return owned.certificates;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string makeTempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "podrunner-kube-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

}  // namespace kube::test
