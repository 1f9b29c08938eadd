#include "runner/value_parsers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "runner/settings.h"

namespace podrunner::parse {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

// Reads a non-negative decimal number at the start of `s`; returns characters used (0: none).
size_t readNumber(const std::string& s, double& out) {
  size_t i = 0;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
  }
  if (!digits) return 0;
  out = std::stod(s.substr(0, i));
  return i;
}

}  // namespace

bool boolean(const std::string& value) {
  static const char* truthy[] = {"1", "t", "T", "TRUE", "true", "True"};
  static const char* falsy[] = {"0", "f", "F", "FALSE", "false", "False"};
  for (const char* t : truthy)
    if (value == t) return true;
  for (const char* f : falsy)
    if (value == f) return false;
  throw ValueError("expected true or false");
}

int wholeNumber(const std::string& value, int min) {
  const std::string v = trim(value);
  if (v.empty() || !std::all_of(v.begin(), v.end(),
                                [](unsigned char c) { return std::isdigit(c) || c == '-'; })) {
    throw ValueError("expected a whole number of at least " + std::to_string(min));
  }
  long long n = 0;
  try {
    n = std::stoll(v);
  } catch (const std::exception&) {
    throw ValueError("expected a whole number of at least " + std::to_string(min));
  }
  if (n < min || n > std::numeric_limits<int>::max()) {
    throw ValueError("expected a whole number of at least " + std::to_string(min));
  }
  return static_cast<int>(n);
}

double decimal(const std::string& value, double min) {
  const std::string v = trim(value);
  double n = 0;
  if (readNumber(v, n) != v.size() || v.empty() || n < min) {
    throw ValueError("expected a number of at least " + std::to_string(static_cast<int>(min)));
  }
  return n;
}

std::int64_t byteSize(const std::string& value) {
  static const char* expected =
      "expected a size in bytes such as 104857600, 100MiB, 100MB, 512m or 1Gi";
  const std::string v = lower(trim(value));
  double number = 0;
  size_t used = readNumber(v, number);
  if (used == 0) throw ValueError(expected);
  std::string unit = trim(v.substr(used));
  // As docker/go-units RAMInBytes: k, m, g, t, p, each optionally followed by i
  // and/or b, all binary multiples; "b" alone or nothing means bytes.
  double multiplier = 1;
  if (!unit.empty() && unit != "b") {
    static const std::string prefixes = "kmgtp";
    const auto p = prefixes.find(unit[0]);
    if (p == std::string::npos) throw ValueError(expected);
    std::string rest = unit.substr(1);
    if (!(rest.empty() || rest == "i" || rest == "b" || rest == "ib")) throw ValueError(expected);
    multiplier = std::pow(1024.0, static_cast<double>(p + 1));
  }
  const double bytes = number * multiplier;
  if (bytes > static_cast<double>(std::numeric_limits<std::int64_t>::max())) {
    throw ValueError(expected);
  }
  return static_cast<std::int64_t>(bytes);
}

std::int64_t cpuMillis(const std::string& value) {
  static const char* expected =
      "expected CPU as millicores (100), a quantity with m (250m) or cores with a point (0.5)";
  const std::string v = trim(value);
  double number = 0;
  const size_t used = readNumber(v, number);
  if (used == 0) throw ValueError(expected);
  const std::string unit = v.substr(used);
  if (unit == "m") return static_cast<std::int64_t>(number);
  if (!unit.empty()) throw ValueError(expected);
  if (v.find('.') != std::string::npos)
    return static_cast<std::int64_t>(std::llround(number * 1000));
  return static_cast<std::int64_t>(number);
}

std::chrono::seconds duration(const std::string& value) {
  static const char* expected =
      "expected a duration in seconds (480) or with units (30s, 5m, 1h30m)";
  const std::string v = trim(value);
  if (v.empty()) throw ValueError(expected);
  if (std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::chrono::seconds(std::stoll(v));
  }
  double total = 0;
  size_t i = 0;
  while (i < v.size()) {
    double number = 0;
    const size_t used = readNumber(v.substr(i), number);
    if (used == 0) throw ValueError(expected);
    i += used;
    if (i >= v.size()) throw ValueError(expected);
    switch (v[i]) {
      case 'h':
        total += number * 3600;
        break;
      case 'm':
        total += number * 60;
        break;
      case 's':
        total += number;
        break;
      default:
        throw ValueError(expected);
    }
    ++i;
  }
  return std::chrono::seconds(static_cast<long long>(total));
}

std::vector<std::string> list(const std::string& value) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= value.size()) {
    const auto comma = value.find(',', start);
    const std::string item =
        trim(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

StringMap map(const std::string& value) {
  StringMap result;
  int position = 0;
  for (const auto& item : list(value)) {
    ++position;
    const auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0) {
      // The item itself is not quoted: map settings may hold secrets.
      throw ValueError("expected key:value pairs separated by commas; item " +
                       std::to_string(position) + " has no key before a ':'");
    }
    result[trim(item.substr(0, colon))] = trim(item.substr(colon + 1));
  }
  return result;
}

std::string oneOf(const std::string& value, const std::vector<std::string>& allowed) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
  std::string names;
  for (const auto& a : allowed) names += (names.empty() ? "" : " or ") + a;
  throw ValueError("expected " + names);
}

}  // namespace podrunner::parse
