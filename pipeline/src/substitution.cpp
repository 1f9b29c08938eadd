#include "pipeline/substitution.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "pipeline/glob.h"
#include "quoted_string.h"

namespace pipeline {
namespace {

bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trimPrefix(const std::string& s, const std::string& pattern, bool longest) {
  std::size_t best = std::string::npos;
  for (std::size_t n = 0; n <= s.size(); ++n) {
    if (globMatch(pattern, s.substr(0, n))) {
      best = n;
      if (!longest) break;
    }
  }
  return best == std::string::npos ? s : s.substr(best);
}

std::string trimSuffix(const std::string& s, const std::string& pattern, bool longest) {
  std::size_t best = std::string::npos;
  for (std::size_t n = 0; n <= s.size(); ++n) {
    if (globMatch(pattern, s.substr(s.size() - n))) {
      best = n;
      if (!longest) break;
    }
  }
  return best == std::string::npos ? s : s.substr(0, s.size() - best);
}

std::string replace(const std::string& s, const std::string& from, const std::string& to,
                    bool all) {
  if (from.empty()) return s;
  std::string out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(from, start);
    if (at == std::string::npos) break;
    out += s.substr(start, at - start) + to;
    start = at + from.size();
    if (!all) break;
    // Each match may grow the text; past the limit the caller stops with an error.
    if (out.size() > kMaxPipelineFileBytes) return out;
  }
  return out + s.substr(start);
}

bool parseInt(const std::string& s, long long& out) {
  if (s.empty()) return false;
  std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (std::size_t k = i; k < s.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(s[k])) || k - i > 15) return false;
  }
  out = std::stoll(s);
  return true;
}

std::string substring(const std::string& s, const std::string& args, bool& ok) {
  long long offset = 0;
  long long length = static_cast<long long>(s.size());
  const auto colon = args.find(':');
  std::string offsetText = args.substr(0, colon);
  offsetText.erase(0, offsetText.find_first_not_of(' '));
  ok = parseInt(offsetText, offset);
  if (ok && colon != std::string::npos) ok = parseInt(args.substr(colon + 1), length);
  if (!ok) return {};
  const long long size = static_cast<long long>(s.size());
  if (offset < 0) offset = std::max(0LL, size + offset);
  if (offset > size) return {};
  if (length < 0) length = std::max(0LL, size - offset + length);
  return s.substr(static_cast<std::size_t>(offset),
                  static_cast<std::size_t>(std::min(length, size - offset)));
}

class Substituter {
 public:
  Substituter(const std::string& text, const std::map<std::string, std::string>& vars)
      : text_(text), vars_(vars) {}

  SubstitutionResult run() {
    SubstitutionResult result;
    result.text = expand(0, text_.size(), result.errors, 0);
    return result;
  }

 private:
  const std::string& text_;
  const std::map<std::string, std::string>& vars_;
  std::vector<std::size_t> lineStarts_;  // offsets of every line's first byte, once needed
  bool tooLarge_ = false;                // the text outgrew kMaxPipelineFileBytes: stop

  // Errors may be many (one per `${}`), so lines are found by binary search, not by
  // counting from the start each time.
  Position positionAt(std::size_t offset) {
    if (lineStarts_.empty()) {
      lineStarts_.push_back(0);
      for (std::size_t i = 0; i < text_.size(); ++i) {
        if (text_[i] == '\n') lineStarts_.push_back(i + 1);
      }
    }
    const auto next = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    const auto line = static_cast<int>(next - lineStarts_.begin());
    return {line, static_cast<int>(offset - *(next - 1)) + 1};
  }

  // The index of the first `c` in [from, end) that is neither escaped nor nested in a
  // `${...}`, or `end`.
  std::size_t unescaped(char c, std::size_t from, std::size_t end) const {
    for (std::size_t i = from; i < end; ++i) {
      if (text_[i] == '\\' && i + 1 < end) {
        ++i;
      } else if (text_[i] == '$' && i + 1 < end && text_[i + 1] == '{') {
        const std::size_t close = closing(i + 2, end);
        if (close == std::string::npos) return end;
        i = close;
      } else if (text_[i] == c) {
        return i;
      }
    }
    return end;
  }

  // The index of the `}` closing the `${` whose body starts at `from`, or npos.
  std::size_t closing(std::size_t from, std::size_t end) const {
    int depth = 1;
    for (std::size_t i = from; i < end; ++i) {
      if (text_[i] == '\\' && i + 1 < end) {
        ++i;
      } else if (text_[i] == '$' && i + 1 < end && text_[i + 1] == '{') {
        ++depth;
        ++i;
      } else if (text_[i] == '}' && --depth == 0) {
        return i;
      }
    }
    return std::string::npos;
  }

  std::string expand(std::size_t begin, std::size_t end, std::vector<SubstitutionError>& errors,
                     int depth) {
    std::string out;
    out.reserve(end - begin);
    for (std::size_t i = begin; i < end && !tooLarge_; ++i) {
      if (out.size() > kMaxPipelineFileBytes) {
        tooLarge_ = true;
        errors.push_back({positionAt(i), "substitution: the text grows past " +
                                             std::to_string(kMaxPipelineFileBytes) +
                                             " bytes here; podrunner reads no larger file"});
        break;
      }
      const char c = text_[i];
      if (c == '\\' && i + 1 < end && (text_[i + 1] == '\\' || text_[i + 1] == '/')) {
        out += text_[++i];
      } else if (c == '$' && i + 1 < end && text_[i + 1] == '$') {
        out += '$';
        ++i;
      } else if (c == '$' && i + 1 < end && text_[i + 1] == '{') {
        const std::size_t close = closing(i + 2, end);
        if (close == std::string::npos) {
          errors.push_back({positionAt(i), "substitution: ${ is never closed by }"});
          out += text_.substr(i, end - i);
          break;
        }
        out += expression(i, i + 2, close, errors, depth);
        i = close;
      } else {
        out += c;
      }
    }
    return out;
  }

  std::string expression(std::size_t dollar, std::size_t begin, std::size_t end,
                         std::vector<SubstitutionError>& errors, int depth) {
    if (depth > 16) {
      errors.push_back({positionAt(dollar), "substitution: nested too deeply"});
      return {};
    }
    std::size_t i = begin;
    const bool length = i < end && text_[i] == '#';
    if (length) ++i;
    const std::size_t nameStart = i;
    while (i < end && isNameChar(text_[i])) ++i;
    const std::string name = text_.substr(nameStart, i - nameStart);
    const std::string body = text_.substr(begin, end - begin);
    if (name.empty() || (length && i != end)) {
      errors.push_back({positionAt(dollar), "substitution: ${" + body + "} is not a valid form"});
      return {};
    }
    const auto found = vars_.find(name);
    const std::string value = found == vars_.end() ? std::string() : found->second;
    if (length) return std::to_string(value.size());
    if (i == end) return value;

    const std::string op = text_.substr(i, std::min<std::size_t>(2, end - i));
    auto argument = [&](std::size_t skip) { return expand(i + skip, end, errors, depth + 1); };
    if (op == "^^") return upper(value);
    if (op == ",,") return lower(value);
    if (op[0] == '^' && i + 1 == end)
      return value.empty() ? value : upper(value.substr(0, 1)) + value.substr(1);
    if (op[0] == ',' && i + 1 == end)
      return value.empty() ? value : lower(value.substr(0, 1)) + value.substr(1);
    if (op == ":-" || op == ":=") return value.empty() ? argument(2) : value;
    if (op[0] == '=') return value.empty() ? argument(1) : value;
    if (op == "##") return trimPrefix(value, argument(2), true);
    if (op[0] == '#') return trimPrefix(value, argument(1), false);
    if (op == "%%") return trimSuffix(value, argument(2), true);
    if (op[0] == '%') return trimSuffix(value, argument(1), false);
    if (op[0] == '/') {
      std::size_t skip = 1;
      char anchor = 0;
      if (op == "//" || op == "/#" || op == "/%") {
        anchor = op[1];
        skip = 2;
      }
      const std::size_t separator = unescaped('/', i + skip, end);
      const std::string from = expand(i + skip, std::min(separator, end), errors, depth + 1);
      const std::string to =
          separator >= end ? std::string() : expand(separator + 1, end, errors, depth + 1);
      if (anchor == '#') {
        return !from.empty() && value.rfind(from, 0) == 0 ? to + value.substr(from.size()) : value;
      }
      if (anchor == '%') {
        const bool ends = !from.empty() && value.size() >= from.size() &&
                          value.compare(value.size() - from.size(), from.size(), from) == 0;
        return ends ? value.substr(0, value.size() - from.size()) + to : value;
      }
      return replace(value, from, to, anchor == '/');
    }
    if (op[0] == ':') {
      bool ok = false;
      std::string out = substring(value, argument(1), ok);
      if (ok) return out;
    }
    errors.push_back({positionAt(dollar), "substitution: ${" + body + "} is not a valid form"});
    return {};
  }
};

}  // namespace

SubstitutionResult substitute(const std::string& text,
                              const std::map<std::string, std::string>& variables) {
  return Substituter(text, variables).run();
}

std::string substitutionValue(const std::string& value) {
  return value.find('\n') == std::string::npos ? value : quotedString(value);
}

}  // namespace pipeline
