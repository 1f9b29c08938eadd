#include "pipeline/glob.h"

namespace pipeline {
namespace {

// Matches one class `[...]` starting after '['; sets `next` past ']'. Returns nullopt
// semantics through `valid`.
bool matchClass(const std::string& p, std::size_t& i, char c, bool& valid) {
  bool negated = false;
  if (i < p.size() && (p[i] == '^' || p[i] == '!')) {
    negated = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (true) {
    if (i >= p.size()) {
      valid = false;
      return false;
    }
    if (p[i] == ']' && !first) {
      ++i;
      break;
    }
    first = false;
    char lo = p[i];
    if (lo == '\\') {
      if (++i >= p.size()) {
        valid = false;
        return false;
      }
      lo = p[i];
    }
    ++i;
    char hi = lo;
    if (i + 1 < p.size() && p[i] == '-' && p[i + 1] != ']') {
      hi = p[i + 1];
      i += 2;
      if (hi == '\\') {
        if (i >= p.size()) {
          valid = false;
          return false;
        }
        hi = p[i++];
      }
    }
    if (lo <= c && c <= hi) matched = true;
  }
  return matched != negated;
}

bool matchFrom(const std::string& p, std::size_t pi, const std::string& s, std::size_t si,
               bool& valid, int depth) {
  if (depth > 256) return false;  // bounds the backtracking of many stars
  while (pi < p.size()) {
    const char c = p[pi];
    if (c == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      for (std::size_t k = si;; ++k) {
        if (matchFrom(p, pi, s, k, valid, depth + 1)) return true;
        if (!valid || k >= s.size() || s[k] == '/') return false;
      }
    }
    if (si >= s.size()) return false;
    if (c == '?') {
      if (s[si] == '/') return false;
      ++pi;
    } else if (c == '[') {
      ++pi;
      if (s[si] == '/' || !matchClass(p, pi, s[si], valid)) return false;
    } else {
      char literal = c;
      if (c == '\\') {
        if (++pi >= p.size()) {
          valid = false;
          return false;
        }
        literal = p[pi];
      }
      if (literal != s[si]) return false;
      ++pi;
    }
    ++si;
  }
  return si == s.size();
}

}  // namespace

bool globMatch(const std::string& pattern, const std::string& text) {
  bool valid = true;
  const bool matched = matchFrom(pattern, 0, text, 0, valid, 0);
  return valid && matched;
}

}  // namespace pipeline
