#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "runner/config.h"

// Parsers for the value forms of DRONE_* settings. Each throws ValueError
// (runner/settings.h) whose message says which form was expected.
namespace podrunner::parse {

bool boolean(const std::string& value);  // true/false/1/0/t/f, as Go's ParseBool
int wholeNumber(const std::string& value, int min);
double decimal(const std::string& value, double min);
std::int64_t byteSize(const std::string& value);          // 104857600, 100MiB, 100MB, 512m, 1Gi
std::int64_t cpuMillis(const std::string& value);         // 100 (millicores), 250m, 0.5 (cores)
std::chrono::seconds duration(const std::string& value);  // 480 (seconds), 30s, 5m, 1h30m
std::vector<std::string> list(const std::string& value);  // a,b,c
// k1:v1,k2:v2. Unlike drone-runner-kube, a value may contain ':' (split on the first).
StringMap map(const std::string& value);
std::string oneOf(const std::string& value, const std::vector<std::string>& allowed);

}  // namespace podrunner::parse
