#include "runner/log.h"

#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>
#include <vector>

namespace podrunner::log {
namespace {

std::atomic<int> currentLevel{static_cast<int>(Level::Info)};
std::mutex mutex;  // guards secrets and the output stream
std::vector<std::string> secrets;

const char* name(Level level) {
  switch (level) {
    case Level::Error:
      return "error";
    case Level::Warn:
      return "warn";
    case Level::Info:
      return "info";
    case Level::Debug:
      return "debug";
    case Level::Trace:
      return "trace";
  }
  return "info";
}

bool needsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '"' || c == '=' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

void appendValue(std::string& out, std::string_view v) {
  if (!needsQuotes(v)) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
}

std::string timestamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buf;
}

void maskSecrets(std::string& line) {
  for (const auto& s : secrets) {
    for (auto pos = line.find(s); pos != std::string::npos; pos = line.find(s, pos + 6)) {
      line.replace(pos, s.size(), "******");
    }
  }
}

}  // namespace

void setLevel(Level level) { currentLevel = static_cast<int>(level); }

bool enabled(Level level) { return static_cast<int>(level) <= currentLevel.load(); }

void redact(const std::string& secret) {
  if (secret.size() < 2) return;  // masking single characters would garble every line
  std::lock_guard<std::mutex> lock(mutex);
  secrets.push_back(secret);
}

std::string format(Level level, std::string_view message, Fields fields) {
  std::string line = "time=" + timestamp() + " level=" + name(level) + " msg=";
  appendValue(line, message);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    appendValue(line, value);
  }
  std::lock_guard<std::mutex> lock(mutex);
  maskSecrets(line);
  return line;
}

void write(Level level, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  const std::string line = format(level, message, fields) + '\n';
  std::lock_guard<std::mutex> lock(mutex);
  std::cerr << line << std::flush;
}

}  // namespace podrunner::log
