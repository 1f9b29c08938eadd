#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

// The agent's log: one logfmt line per event on stderr, e.g.
//   time=2026-12-01T04:00:00Z level=info msg="stage accepted" stage=42 repo=octo/hello
// Values registered with redact() are replaced by ****** in every line, as a last
// guard against a secret reaching the log.
namespace podrunner::log {

enum class Level { Error = 0, Warn = 1, Info = 2, Debug = 3, Trace = 4 };

using Field = std::pair<std::string_view, std::string>;
using Fields = std::initializer_list<Field>;

void setLevel(Level level);
bool enabled(Level level);
void redact(const std::string& secret);

// Formats one line without writing it (used by tests and by write()).
std::string format(Level level, std::string_view message, Fields fields);
void write(Level level, std::string_view message, Fields fields = {});

inline void error(std::string_view m, Fields f = {}) { write(Level::Error, m, f); }
inline void warn(std::string_view m, Fields f = {}) { write(Level::Warn, m, f); }
inline void info(std::string_view m, Fields f = {}) { write(Level::Info, m, f); }
inline void debug(std::string_view m, Fields f = {}) { write(Level::Debug, m, f); }
inline void trace(std::string_view m, Fields f = {}) { write(Level::Trace, m, f); }

}  // namespace podrunner::log
