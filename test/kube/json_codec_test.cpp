#include "kube/json_codec.h"

#include <catch2/catch.hpp>

using Catch::Matchers::Contains;

TEST_CASE("a container's TCP readiness port becomes a tcpSocket readiness probe", "[codec]") {
  kube::Pod pod;
  pod.metadata.name = "service";
  kube::Container c;
  c.name = "redis";
  c.image = "redis:7";
  c.readinessTcpPort = 6379;
  pod.spec.containers.push_back(c);
  const std::string json = kube::toJson(pod);
  CHECK_THAT(json, Contains(R"("readinessProbe":{"tcpSocket":{"port":6379},"periodSeconds":1})"));
}

TEST_CASE("a container without a readiness port gets no probe", "[codec]") {
  kube::Pod pod;
  pod.metadata.name = "step";
  kube::Container c;
  c.name = "build";
  c.image = "busybox";
  pod.spec.containers.push_back(c);
  CHECK_THAT(kube::toJson(pod), !Contains("readinessProbe"));
}
