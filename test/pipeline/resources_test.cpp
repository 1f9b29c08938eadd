#include "pipeline/resources.h"

#include <catch2/catch.hpp>

using namespace pipeline;

TEST_CASE("cpu: whole numbers and m suffix are millicores, decimals are cores") {
  CHECK(parseCpuMillis("1000") == std::optional<std::int64_t>(1000));
  CHECK(parseCpuMillis("250m") == std::optional<std::int64_t>(250));
  CHECK(parseCpuMillis("1.5") == std::optional<std::int64_t>(1500));
  CHECK(parseCpuMillis(".5") == std::optional<std::int64_t>(500));
  CHECK_FALSE(parseCpuMillis("lots").has_value());
  CHECK_FALSE(parseCpuMillis("").has_value());
}

TEST_CASE("memory: bytes or units that are powers of 1024, as Drone reads them") {
  CHECK(parseBytes("1024") == std::optional<std::int64_t>(1024));
  CHECK(parseBytes("1Ki") == std::optional<std::int64_t>(1024));
  CHECK(parseBytes("256Mi") == std::optional<std::int64_t>(256LL << 20));
  CHECK(parseBytes("1Gi") == std::optional<std::int64_t>(1LL << 30));
  CHECK(parseBytes("1GB") == std::optional<std::int64_t>(1LL << 30));
  CHECK(parseBytes("2g") == std::optional<std::int64_t>(2LL << 30));
  CHECK(parseBytes("1.5Mi") == std::optional<std::int64_t>(1572864));
  CHECK(parseBytes("1Ti") == std::optional<std::int64_t>(1LL << 40));
  CHECK_FALSE(parseBytes("huge").has_value());
  CHECK_FALSE(parseBytes("1Xi").has_value());
}

TEST_CASE("a step without resources gets the runner's default requests and no limits") {
  CompilerOptions o;
  const Resources r = effectiveResources({}, {}, o);
  CHECK(r.cpuRequestMillis == 100);
  CHECK(r.memoryRequestBytes == 100 * 1024 * 1024);
  CHECK(r.cpuLimitMillis == 0);
  CHECK(r.memoryLimitBytes == 0);
  CHECK(r.ephemeralStorageRequestBytes == 0);
}

TEST_CASE("step values win over pipeline values over runner defaults") {
  CompilerOptions o;
  Resources pipeline;
  pipeline.cpuRequestMillis = 300;
  pipeline.memoryRequestBytes = 64 << 20;
  pipeline.ephemeralStorageLimitBytes = 1LL << 30;
  Resources step;
  step.cpuRequestMillis = 500;
  step.ephemeralStorageRequestBytes = 512 << 20;
  const Resources r = effectiveResources(step, pipeline, o);
  CHECK(r.cpuRequestMillis == 500);
  CHECK(r.memoryRequestBytes == 64 << 20);
  CHECK(r.ephemeralStorageRequestBytes == 512 << 20);
  CHECK(r.ephemeralStorageLimitBytes == 1LL << 30);
}

TEST_CASE("requests are raised to the runner minimum") {
  CompilerOptions o;
  Resources step;
  step.cpuRequestMillis = 0;
  step.memoryRequestBytes = 1024;
  const Resources r = effectiveResources(step, {}, o);
  CHECK(r.memoryRequestBytes == o.minRequestMemoryBytes);
}

TEST_CASE("the runner limit caps the step limit and applies when none is set") {
  CompilerOptions o;
  o.limitCpuMillis = 1000;
  o.limitMemoryBytes = 1LL << 30;
  Resources step;
  step.cpuLimitMillis = 4000;
  step.memoryLimitBytes = 512 << 20;
  Resources r = effectiveResources(step, {}, o);
  CHECK(r.cpuLimitMillis == 1000);
  CHECK(r.memoryLimitBytes == 512 << 20);
  r = effectiveResources({}, {}, o);
  CHECK(r.cpuLimitMillis == 1000);
  CHECK(r.memoryLimitBytes == 1LL << 30);
}

TEST_CASE("a request never exceeds its limit") {
  CompilerOptions o;
  Resources step;
  step.cpuLimitMillis = 50;
  step.memoryLimitBytes = 32 << 20;
  step.ephemeralStorageRequestBytes = 2LL << 30;
  step.ephemeralStorageLimitBytes = 1LL << 30;
  const Resources r = effectiveResources(step, {}, o);
  CHECK(r.cpuRequestMillis == 50);
  CHECK(r.memoryRequestBytes == 32 << 20);
  CHECK(r.ephemeralStorageRequestBytes == 1LL << 30);
}
