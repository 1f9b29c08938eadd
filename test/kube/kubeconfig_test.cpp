// kubeconfig and in-cluster configuration: every field, every error.
#include <catch2/catch.hpp>

#include "kube/config.h"
#include "test_certificates.h"

using namespace kube;
using namespace kube::test;
using Catch::Matchers::Contains;

namespace {

std::string base64Of(const std::string& text) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < text.size(); i += 3) {
    unsigned n =
        (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8 | (unsigned char)text[i + 2];
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (i < text.size()) {
    unsigned n =
        (unsigned char)text[i] << 16 | (i + 1 < text.size() ? (unsigned char)text[i + 1] << 8 : 0);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < text.size() ? alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

struct Files {
  std::string dir = makeTempDir();
  std::string write(const std::string& name, const std::string& content) {
    writeFile(dir + "/" + name, content);
    return dir + "/" + name;
  }
};

}  // namespace

TEST_CASE("kubeconfigPaths prefers the explicit path, then KUBECONFIG, then ~/.kube/config") {
  CHECK(kubeconfigPaths("/etc/kube.yaml", "/a:/b", "/home/u") ==
        std::vector<std::string>{"/etc/kube.yaml"});
  CHECK(kubeconfigPaths("", "/a::/b", "/home/u") == std::vector<std::string>{"/a", "/b"});
  CHECK(kubeconfigPaths("", "", "/home/u") == std::vector<std::string>{"/home/u/.kube/config"});
}

TEST_CASE("a kubeconfig with inline data yields every field of the current context") {
  Files files;
  std::string path = files.write("config", R"(apiVersion: v1
kind: Config
current-context: ci
clusters:
- name: k3s
  cluster:
    server: https://10.0.0.1:6443
    certificate-authority-data: )" + base64Of("CA PEM") +
                                               R"(
    tls-server-name: kubernetes.default
users:
- name: runner
  user:
    token: abc123
    client-certificate-data: )" + base64Of("CERT PEM") +
                                               R"(
    client-key-data: )" + base64Of("KEY PEM") + R"(
contexts:
- name: ci
  context:
    cluster: k3s
    user: runner
    namespace: drone
)");

  ClusterConfig config = loadKubeconfig({path}, "");

  CHECK(config.server == "https://10.0.0.1:6443");
  CHECK(config.caPem == "CA PEM");
  CHECK(config.tlsServerName == "kubernetes.default");
  CHECK_FALSE(config.insecureSkipTlsVerify);
  CHECK(config.token == "abc123");
  CHECK(config.clientCertificatePem == "CERT PEM");
  CHECK(config.clientKeyPem == "KEY PEM");
  CHECK(config.namespaceName == "drone");
  CHECK(config.user == "runner");
  CHECK_THAT(config.origin, Contains(path) && Contains("context ci"));
}

TEST_CASE("file references resolve against the kubeconfig's folder; tokenFile stays a path") {
  Files files;
  files.write("ca.crt", "CA FILE");
  files.write("client.crt", "CERT FILE");
  files.write("client.key", "KEY FILE");
  files.write("token", "file-token\n");
  std::string path = files.write("config", R"(current-context: dev
clusters:
- name: dev
  cluster: {server: "https://dev:6443", certificate-authority: ca.crt, insecure-skip-tls-verify: true}
users:
- name: dev
  user: {client-certificate: client.crt, client-key: client.key, tokenFile: token}
contexts:
- name: dev
  context: {cluster: dev, user: dev}
)");

  ClusterConfig config = loadKubeconfig({path}, "");

  CHECK(config.caPem == "CA FILE");
  CHECK(config.insecureSkipTlsVerify);
  CHECK(config.clientCertificatePem == "CERT FILE");
  CHECK(config.clientKeyPem == "KEY FILE");
  CHECK(config.tokenFile == files.dir + "/token");
  CHECK(config.token.empty());
  CHECK(config.namespaceName == "default");
}

TEST_CASE("several kubeconfigs merge: the first file to name an entry or a current context wins") {
  Files files;
  std::string first = files.write("first", R"(current-context: a
clusters:
- {name: shared, cluster: {server: "https://first:6443"}}
contexts:
- {name: a, context: {cluster: shared}}
)");
  std::string second = files.write("second", R"(current-context: b
clusters:
- {name: shared, cluster: {server: "https://second:6443"}}
- {name: other, cluster: {server: "https://other:6443"}}
contexts:
- {name: b, context: {cluster: other}}
)");

  CHECK(loadKubeconfig({first, second}, "").server == "https://first:6443");
  CHECK(loadKubeconfig({first, second}, "b").server == "https://other:6443");
  CHECK(loadKubeconfig({files.dir + "/missing", second}, "").server == "https://other:6443");
}

TEST_CASE("kubeconfig errors name the file, the context and what is missing") {
  Files files;
  auto errorOf = [&](const std::string& content, const std::string& context = "") {
    std::string path = files.write("config", content);
    try {
      loadKubeconfig({path}, context);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string cluster = "clusters:\n- {name: c, cluster: {server: \"https://s\"}}\n";

  CHECK_THAT(errorOf("clusters: []\n"), Contains("no current-context"));
  CHECK_THAT(errorOf("current-context: x\n"), Contains("context x is not defined"));
  CHECK_THAT(errorOf(cluster + "contexts:\n- {name: x, context: {cluster: nope}}\n", "x"),
             Contains("context x") && Contains("cluster nope is not defined"));
  CHECK_THAT(
      errorOf(
          "clusters:\n- {name: c, cluster: {}}\ncontexts:\n- {name: x, context: {cluster: c}}\n",
          "x"),
      Contains("cluster c: server is missing"));
  CHECK_THAT(errorOf(cluster + "contexts:\n- {name: x, context: {cluster: c, user: u}}\n", "x"),
             Contains("user u is not defined"));
  CHECK_THAT(errorOf(cluster + "users:\n- {name: u, user: {exec: {command: aws}}}\n"
                               "contexts:\n- {name: x, context: {cluster: c, user: u}}\n",
                     "x"),
             Contains("user u") && Contains("exec credential plugins are not supported"));
  CHECK_THAT(
      errorOf(cluster + "users:\n- {name: u, user: {client-certificate-data: " + base64Of("C") +
                  "}}\n"
                  "contexts:\n- {name: x, context: {cluster: c, user: u}}\n",
              "x"),
      Contains("client-key is missing"));
  CHECK_THAT(errorOf(cluster + "users:\n- {name: u, user: {client-key: absent.key, "
                               "client-certificate: absent.crt}}\n"
                               "contexts:\n- {name: x, context: {cluster: c, user: u}}\n",
                     "x"),
             Contains("cannot read client-certificate"));
  CHECK_THAT(
      errorOf("clusters:\n- {name: c, cluster: {server: s, certificate-authority-data: \"%%\"}}\n"
              "contexts:\n- {name: x, context: {cluster: c}}\n",
              "x"),
      Contains("certificate-authority-data is not valid base64"));
  CHECK_THAT(errorOf("clusters: [unclosed\n"), Contains("not valid YAML"));
  CHECK_THAT(errorOf("current-context: x\n"), Contains(files.dir + "/config"));
  CHECK_THROWS_WITH(loadKubeconfig({files.dir + "/absent"}, ""), Contains("cannot read the file"));
}

TEST_CASE("in-cluster configuration reads the ServiceAccount files") {
  Files files;
  files.write("token", "sa-token\n");
  files.write("ca.crt", "CLUSTER CA");
  files.write("namespace", "drone-ci");

  ClusterConfig config = loadInClusterConfig("10.43.0.1", "443", files.dir);

  CHECK(config.server == "https://10.43.0.1:443");
  CHECK(config.token == "sa-token");
  CHECK(config.tokenFile == files.dir + "/token");
  CHECK(config.caPem == "CLUSTER CA");
  CHECK(config.namespaceName == "drone-ci");
  CHECK(config.user == "serviceaccount");
  CHECK(loadInClusterConfig("fd00::1", "443", files.dir).server == "https://[fd00::1]:443");
}

TEST_CASE("in-cluster configuration says which file or variable is missing") {
  Files files;
  CHECK_THROWS_WITH(loadInClusterConfig("", "443", files.dir), Contains("KUBERNETES_SERVICE_HOST"));
  CHECK_THROWS_WITH(loadInClusterConfig("10.43.0.1", "443", files.dir),
                    Contains(files.dir + "/token"));
  files.write("token", "t");
  CHECK_THROWS_WITH(loadInClusterConfig("10.43.0.1", "443", files.dir),
                    Contains(files.dir + "/ca.crt"));
}
