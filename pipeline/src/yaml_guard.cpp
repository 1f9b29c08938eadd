#include "yaml_guard.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include "yaml_node.h"

namespace pipeline {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isHex(char c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isWordChar(char c) {
  return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool isOneOf(char c, const char* set) { return c != '\0' && std::strchr(set, c) != nullptr; }

// Walks the token starts of a text the way yaml-cpp 0.7.0's scanner does, keeping only
// what decides where a token starts: the flow level, the indentation stack, the pending
// simple keys and whether a simple key may start. Stops at the first ',' token outside
// a flow collection, or where yaml-cpp itself throws (it then reports its own error and
// cannot loop: a loop needs such a comma before that point). Columns and lines count
// from 0, as yaml-cpp's marks do. The text holds no NUL (checked before), so '\0' from
// at() means the end of the text.
class TokenWalk {
 public:
  explicit TokenWalk(const std::string& text) : text_(text) {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) i_ = 3;  // yaml-cpp drops a UTF-8 BOM
    indents_.push_back({-1, Indent::None, Status::Valid});
    stack_.push_back(0);
  }

  // After strayComma(): false when no alias token was met on the way to the end of the
  // text. After a stop where yaml-cpp throws, the rest was not seen: true then.
  bool mayHaveAliases() const { return sawAlias_ || !walkedToEnd_; }

  // The line and column (from 1) of the first ',' token outside [ ] and { }, if any.
  std::optional<Position> strayComma() {
    for (;;) {
      skipToToken();
      popIndentsToHere();
      if (atEnd()) {
        walkedToEnd_ = true;
        return std::nullopt;
      }
      const char c = at(i_);
      if (column_ == 0 && c == '%') {
        directive();
      } else if (column_ == 0 && documentMarkerAt(i_)) {
        documentMarker();
      } else if (c == '[' || c == '{') {
        flowStart(c);
      } else if (c == ']' || c == '}') {
        if (!flowEnd(c)) return std::nullopt;
      } else if (c == ',') {
        if (flows_.empty()) return Position{line_ + 1, column_ + 1};
        flowEntry();
      } else if (c == '-' && blankBreakOrEnd(i_ + 1)) {
        if (!blockEntry()) return std::nullopt;
      } else if (c == '?' && (isBlank(at(i_ + 1)) || breakAt(i_ + 1))) {
        if (!mapIndicator()) return std::nullopt;
      } else if (valueAt(i_)) {
        if (!value()) return std::nullopt;
      } else if (c == '*' || c == '&') {
        if (!anchorOrAlias()) return std::nullopt;
      } else if (c == '!') {
        if (!tag()) return std::nullopt;
      } else if (flows_.empty() && (c == '|' || c == '>')) {
        if (!blockScalar()) return std::nullopt;
      } else if (c == '\'' || c == '"') {
        if (!quotedScalar(c)) return std::nullopt;
      } else if (plainStartAt(i_)) {
        if (!plainScalar()) return std::nullopt;
      } else {
        return std::nullopt;  // yaml-cpp: unknown token
      }
    }
  }

 private:
  enum class Indent { None, Seq, Map };
  enum class Status { Valid, Unknown, Invalid };
  struct IndentMark {
    int column;
    Indent type;
    Status status;
  };
  struct SimpleKey {
    int line;
    std::size_t offset;
    std::size_t flowLevel;
    int indent;  // index into indents_, or -1
  };

  const std::string& text_;
  std::size_t i_ = 0;
  int line_ = 0;
  int column_ = 0;
  std::vector<char> flows_;            // '[' or '{' for each open flow collection
  std::vector<IndentMark> indents_;    // every indentation ever pushed
  std::vector<int> stack_;             // the open ones, as indexes into indents_
  std::vector<SimpleKey> simpleKeys_;  // pending potential simple keys
  bool simpleKeyAllowed_ = true;
  bool jsonFlow_ = false;  // after a quoted scalar or a flow end, ':' alone is a value
  bool sawAlias_ = false;
  bool walkedToEnd_ = false;

  // Reading the text.
  bool atEnd() const { return i_ >= text_.size(); }
  char at(std::size_t k) const { return k < text_.size() ? text_[k] : '\0'; }
  bool breakAt(std::size_t k) const {
    return at(k) == '\n' || (at(k) == '\r' && at(k + 1) == '\n');
  }
  std::size_t breakLength(std::size_t k) const { return at(k) == '\r' ? 2 : 1; }
  bool blankOrBreak(std::size_t k) const { return isBlank(at(k)) || breakAt(k); }
  bool blankBreakOrEnd(std::size_t k) const { return blankOrBreak(k) || k >= text_.size(); }
  bool documentMarkerAt(std::size_t k) const {
    return (text_.compare(k, 3, "---") == 0 || text_.compare(k, 3, "...") == 0) &&
           blankBreakOrEnd(k + 3);
  }
  void advance(std::size_t n = 1) {
    for (; n > 0 && !atEnd(); --n, ++i_) {
      if (text_[i_] == '\n') {
        ++line_;
        column_ = 0;
      } else {
        ++column_;
      }
    }
  }
  bool inFlow() const { return !flows_.empty(); }

  // Fast paths over the text of scalars and comments, which is most of a file: they move
  // along the current line only, so the column grows and the line stays.
  void skipToBreak() {
    const std::size_t start = i_;
    while (i_ < text_.size() && text_[i_] != '\n' && !(text_[i_] == '\r' && at(i_ + 1) == '\n')) {
      ++i_;
    }
    column_ += static_cast<int>(i_ - start);
  }
  // Over characters that cannot end a plain scalar: past column 0 (where a document
  // marker may start), none of blank, break, ':' and, in flow, ",?[]{}".
  void skipPlainRun() {
    if (column_ == 0) return;
    const bool flow = inFlow();
    const std::size_t start = i_;
    for (; i_ < text_.size(); ++i_) {
      const char c = text_[i_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ':') break;
      if (flow && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')) break;
    }
    column_ += static_cast<int>(i_ - start);
  }
  // Over characters of a quoted scalar that are neither its quote, a backslash nor a break.
  void skipQuotedRun(char quote) {
    if (column_ == 0) return;
    const std::size_t start = i_;
    for (; i_ < text_.size(); ++i_) {
      const char c = text_[i_];
      if (c == quote || c == '\\' || c == '\r' || c == '\n') break;
    }
    column_ += static_cast<int>(i_ - start);
  }
  bool valueAt(std::size_t k) const {
    if (at(k) != ':') return false;
    if (!inFlow()) return blankBreakOrEnd(k + 1);
    return jsonFlow_ || blankOrBreak(k + 1) || isOneOf(at(k + 1), ",]}");
  }
  bool plainStartAt(std::size_t k) const {
    const char c = at(k);
    if (blankOrBreak(k) || isOneOf(c, ",[]{}#&*!|>'\"%@`")) return false;
    if (!inFlow()) return !(isOneOf(c, "-?:") && blankBreakOrEnd(k + 1));
    if (c == '?') return false;
    return !(isOneOf(c, "-:") && (isBlank(at(k + 1)) || k + 1 >= text_.size()));
  }
  // Where a plain scalar stops: before ": " (in flow also before ":," and the like and
  // before any of ,?[]{}) and before a comment.
  bool plainEndAt(std::size_t k) const {
    if (blankOrBreak(k) && at(k + breakLengthOrOne(k)) == '#') return true;
    if (!inFlow()) return at(k) == ':' && blankBreakOrEnd(k + 1);
    if (at(k) == ':' && (blankBreakOrEnd(k + 1) || isOneOf(at(k + 1), ",]}"))) return true;
    return isOneOf(at(k), ",?[]{}");
  }
  std::size_t breakLengthOrOne(std::size_t k) const { return breakAt(k) ? breakLength(k) : 1; }

  // Indentation and simple keys, as yaml-cpp keeps them in block context.
  int topIndent() const { return indents_[stack_.back()].column; }
  int pushIndent(int column, Indent type) {
    if (inFlow()) return -1;
    const IndentMark& top = indents_[stack_.back()];
    if (column < top.column) return -1;
    if (column == top.column && !(type == Indent::Seq && top.type == Indent::Map)) return -1;
    indents_.push_back({column, type, Status::Valid});
    stack_.push_back(static_cast<int>(indents_.size() - 1));
    return stack_.back();
  }
  void popIndent() {
    const Status status = indents_[stack_.back()].status;
    stack_.pop_back();
    if (status != Status::Valid) invalidateSimpleKey();
  }
  void popIndentsToHere() {
    if (inFlow()) return;
    const bool blockEntry = at(i_) == '-' && blankBreakOrEnd(i_ + 1);
    while (stack_.size() > 1) {
      const IndentMark& top = indents_[stack_.back()];
      if (top.column < column_) break;
      if (top.column == column_ && !(top.type == Indent::Seq && !blockEntry)) break;
      popIndent();
    }
    while (stack_.size() > 1 && indents_[stack_.back()].status == Status::Invalid) popIndent();
  }
  void popAllIndents() {
    if (inFlow()) return;
    while (stack_.size() > 1) popIndent();
  }
  void insertSimpleKey() {
    if (!simpleKeyAllowed_) return;
    if (!simpleKeys_.empty() && simpleKeys_.back().flowLevel == flows_.size()) return;
    SimpleKey key{line_, i_, flows_.size(), -1};
    if (!inFlow()) {
      key.indent = pushIndent(column_, Indent::Map);
      if (key.indent >= 0) indents_[key.indent].status = Status::Unknown;
    }
    simpleKeys_.push_back(key);
  }
  void invalidateSimpleKey() {
    if (simpleKeys_.empty() || simpleKeys_.back().flowLevel != flows_.size()) return;
    if (simpleKeys_.back().indent >= 0)
      indents_[simpleKeys_.back().indent].status = Status::Invalid;
    simpleKeys_.pop_back();
  }
  bool verifySimpleKey() {
    if (simpleKeys_.empty() || simpleKeys_.back().flowLevel != flows_.size()) return false;
    const SimpleKey key = simpleKeys_.back();
    simpleKeys_.pop_back();
    const bool valid = key.line == line_ && i_ - key.offset <= 1024;
    if (key.indent >= 0) indents_[key.indent].status = valid ? Status::Valid : Status::Invalid;
    return valid;
  }

  // Whitespace, comments and line breaks between tokens.
  void skipToToken() {
    for (;;) {
      while (isBlank(at(i_))) {
        if (!inFlow() && at(i_) == '\t') simpleKeyAllowed_ = false;
        advance();
      }
      if (at(i_) == '#') skipToBreak();
      if (!breakAt(i_)) return;
      advance(breakLength(i_));
      invalidateSimpleKey();
      if (!inFlow()) simpleKeyAllowed_ = true;
    }
  }

  // The tokens. Each returns false where yaml-cpp throws.
  void directive() {
    popAllIndents();
    simpleKeys_.clear();
    simpleKeyAllowed_ = false;
    jsonFlow_ = false;
    skipToBreak();
  }
  void documentMarker() {
    popAllIndents();
    simpleKeys_.clear();
    simpleKeyAllowed_ = false;
    jsonFlow_ = false;
    advance(3);
  }
  void flowStart(char c) {
    insertSimpleKey();
    simpleKeyAllowed_ = true;
    jsonFlow_ = false;
    flows_.push_back(c);
    advance();
  }
  bool flowEnd(char c) {
    if (!inFlow()) return false;
    settleSimpleKeyInFlow();
    simpleKeyAllowed_ = false;
    jsonFlow_ = true;
    if ((c == ']') != (flows_.back() == '[')) return false;
    advance();
    flows_.pop_back();
    return true;
  }
  // A ',' or the end of a flow collection settles its pending simple key: in a map it
  // may have been a key (a solo entry), in a sequence it was not.
  void settleSimpleKeyInFlow() {
    if (flows_.back() == '{') {
      verifySimpleKey();
    } else {
      invalidateSimpleKey();
    }
  }
  void flowEntry() {
    settleSimpleKeyInFlow();
    simpleKeyAllowed_ = true;
    jsonFlow_ = false;
    advance();
  }
  bool blockEntry() {
    if (inFlow() || !simpleKeyAllowed_) return false;
    pushIndent(column_, Indent::Seq);
    simpleKeyAllowed_ = true;
    jsonFlow_ = false;
    advance();
    return true;
  }
  // '?' and a ':' that ends no simple key both open a block map at their column.
  bool mapIndicator() {
    if (!inFlow()) {
      if (!simpleKeyAllowed_) return false;
      pushIndent(column_, Indent::Map);
    }
    simpleKeyAllowed_ = !inFlow();
    advance();
    return true;
  }
  bool value() {
    jsonFlow_ = false;
    if (!verifySimpleKey()) return mapIndicator();
    simpleKeyAllowed_ = false;
    advance();
    return true;
  }
  bool anchorOrAlias() {
    insertSimpleKey();
    simpleKeyAllowed_ = false;
    jsonFlow_ = false;
    sawAlias_ = sawAlias_ || at(i_) == '*';
    advance();
    const std::size_t start = i_;
    while (!atEnd() && !blankOrBreak(i_) && !isOneOf(at(i_), "[]{},")) advance();
    if (i_ == start) return false;
    return atEnd() || blankOrBreak(i_) || isOneOf(at(i_), "?:,]}%@`");
  }
  // One character (or a %HH escape) of a tag, in its handle or suffix; 0 when none.
  std::size_t tagCharAt(std::size_t k) const {
    if (isWordChar(at(k)) || isOneOf(at(k), "#;/?:@&=+$_.~*'()")) return 1;
    return at(k) == '%' && isHex(at(k + 1)) && isHex(at(k + 2)) ? 3 : 0;
  }
  bool tag() {
    insertSimpleKey();
    simpleKeyAllowed_ = false;
    jsonFlow_ = false;
    advance();
    if (at(i_) == '<') {  // verbatim: !<uri>
      advance();
      while (!atEnd()) {
        if (at(i_) == '>') {
          advance();
          return true;
        }
        std::size_t n = tagCharAt(i_);
        if (n == 0 && isOneOf(at(i_), ",![]")) n = 1;
        if (n == 0) return false;
        advance(n);
      }
      return false;
    }
    bool canBeHandle = true;
    while (!atEnd()) {
      if (at(i_) == '!') {
        if (!canBeHandle) return false;
        break;
      }
      std::size_t n = 0;
      if (canBeHandle) {
        n = isWordChar(at(i_)) ? 1 : 0;
        if (n == 0) canBeHandle = false;
      }
      if (!canBeHandle) n = tagCharAt(i_);
      if (n == 0) break;
      advance(n);
    }
    if (canBeHandle && at(i_) == '!') {
      advance();
      const std::size_t start = i_;
      while (!atEnd() && tagCharAt(i_) > 0) advance(tagCharAt(i_));
      if (i_ == start) return false;
    }
    return true;
  }
  // The escape of a double-quoted scalar at i_ (a backslash); false where yaml-cpp
  // rejects it.
  bool escape() {
    advance();
    const char c = at(i_);
    advance();
    int digits = 0;
    if (c == 'x') digits = 2;
    if (c == 'u') digits = 4;
    if (c == 'U') digits = 8;
    if (digits == 0) return isOneOf(c, "0abt\tnvfre \"'\\/N_LP");
    unsigned long code = 0;
    for (int d = 0; d < digits; ++d) {
      const char h = at(i_);
      if (!isHex(h)) return false;
      code = code * 16 + static_cast<unsigned long>(isDigit(h) ? h - '0' : (h | 0x20) - 'a' + 10);
      advance();
    }
    return !((code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF);
  }
  bool quotedScalar(char quote) {
    insertSimpleKey();
    advance();
    const bool single = quote == '\'';
    for (;;) {
      // The rest of the line.
      for (;;) {
        skipQuotedRun(quote);
        if (atEnd()) return false;  // yaml-cpp: EOF in a quoted scalar
        if (at(i_) == quote && !(single && at(i_ + 1) == '\'')) {
          advance();
          simpleKeyAllowed_ = false;
          jsonFlow_ = true;
          return true;
        }
        if (breakAt(i_)) break;
        if (column_ == 0 && documentMarkerAt(i_)) return false;
        if (!single && at(i_) == '\\' && breakAt(i_ + 1)) {
          advance();
          break;
        }
        if (single && at(i_) == '\'') {
          advance(2);
        } else if (!single && at(i_) == '\\') {
          if (!escape()) return false;
        } else {
          advance();
        }
      }
      if (atEnd()) return false;
      advance(breakLength(i_));
      while (isBlank(at(i_))) advance();
      if (atEnd()) {  // yaml-cpp accepts a quoted scalar cut by the end after a break
        simpleKeyAllowed_ = false;
        jsonFlow_ = true;
        return true;
      }
    }
  }
  bool plainScalar() {
    const int indent = inFlow() ? 0 : topIndent() + 1;
    insertSimpleKey();
    bool endedByIndentation = false;
    while (!atEnd()) {
      for (;;) {
        skipPlainRun();
        if (atEnd() || plainEndAt(i_) || breakAt(i_)) break;
        if (column_ == 0 && documentMarkerAt(i_)) break;
        advance();
      }
      if (atEnd() || (column_ == 0 && documentMarkerAt(i_)) || plainEndAt(i_)) break;
      advance(breakLength(i_));
      while (at(i_) == ' ' && column_ < indent && !plainEndAt(i_)) advance();
      while (isBlank(at(i_))) {
        if (at(i_) == '\t' && column_ < indent) return false;  // yaml-cpp: tab in indentation
        if (plainEndAt(i_)) break;
        advance();
      }
      if (!breakAt(i_) && column_ < indent) {
        endedByIndentation = true;
        break;
      }
    }
    simpleKeyAllowed_ = endedByIndentation;
    jsonFlow_ = false;
    return true;
  }
  bool blockScalar() {
    advance();  // '|' or '>'
    int indent = 1;
    bool detect = true;
    const bool twoIndicators = (isOneOf(at(i_), "+-") && isDigit(at(i_ + 1))) ||
                               (isDigit(at(i_)) && isOneOf(at(i_ + 1), "+-"));
    const int indicators = twoIndicators ? 2 : (isOneOf(at(i_), "+-") || isDigit(at(i_))) ? 1 : 0;
    for (int n = 0; n < indicators; ++n) {
      if (at(i_) == '0') return false;  // yaml-cpp: zero indentation
      if (isDigit(at(i_))) {
        indent = at(i_) - '0';
        detect = false;
      }
      advance();
    }
    while (isBlank(at(i_))) advance();
    if (at(i_) == '#') skipToBreak();
    if (!atEnd() && !breakAt(i_)) return false;  // yaml-cpp: text after the indicator
    if (topIndent() >= 0) indent += topIndent();
    bool foundText = false;
    while (!atEnd()) {
      if (!atEnd() && !breakAt(i_)) {
        foundText = true;
        skipToBreak();
      }
      if (atEnd()) break;
      advance(breakLength(i_));
      while (at(i_) == ' ' && (column_ < indent || (detect && !foundText))) advance();
      if (detect && !foundText) indent = std::max(indent, column_);
      if (at(i_) == '\t' && column_ < indent) return false;  // yaml-cpp: tab in indentation
      if (!breakAt(i_) && column_ < indent) break;
    }
    simpleKeyAllowed_ = true;
    jsonFlow_ = false;
    return true;
  }
};

bool isControl(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r'); }

}  // namespace

YamlInputCheck checkYamlInput(const std::string& text, FindingSink& sink) {
  if (text.size() > kMaxPipelineFileBytes) {
    sink.error({1, 1}, "the file has " + std::to_string(text.size()) +
                           " bytes; podrunner reads pipeline files of at most " +
                           std::to_string(kMaxPipelineFileBytes) + " bytes");
    return {};
  }
  if (text.compare(0, 2, "\xFE\xFF") == 0 || text.compare(0, 2, "\xFF\xFE") == 0) {
    sink.error({1, 1}, "the file starts with a UTF-16 or UTF-32 byte order mark; save it as UTF-8");
    return {};
  }
  Position at{1, 1};
  for (char c : text) {
    if (isControl(static_cast<unsigned char>(c))) {
      const char* hex = "0123456789ABCDEF";
      sink.error(at, std::string("control character U+00") + hex[(c >> 4) & 0xF] + hex[c & 0xF] +
                         ": YAML allows only tab, line feed and carriage return");
      return {};
    }
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  TokenWalk walk(text);
  if (const auto comma = walk.strayComma()) {
    sink.error(*comma,
               "YAML: ',' outside [ ] and { } (after a quoted value, a ] or a }, or at the "
               "start of a line) separates nothing; quote the whole value that holds it");
    return {};
  }
  return {true, walk.mayHaveAliases()};
}

bool reportTooManyValues(const std::vector<YAML::Node>& documents, FindingSink& sink) {
  std::size_t nodes = 0;
  for (const auto& doc : documents) {
    nodes += yaml::expandedSize(doc, kMaxExpandedNodes - nodes);
    if (nodes > kMaxExpandedNodes) {
      sink.error(yaml::positionOf(doc),
                 "YAML: with its aliases written out the file has more than " +
                     std::to_string(kMaxExpandedNodes) +
                     " values; use fewer aliases of large anchors");
      return true;
    }
  }
  return false;
}

}  // namespace pipeline
