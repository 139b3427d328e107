// JSON text without a JSON library, for command output and documents written
// outside the HTTP layer: JsonQuote escapes quotes, backslashes and control
// characters (UTF-8 passes through); JsonWriter writes indented JSON, placing
// commas and line breaks itself.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace redshield {

inline std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// Writes indented JSON; commas and line breaks are placed by the writer.
class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Separate();
    out_ += JsonQuote(key) + ": ";
    after_key_ = true;
  }
  void String(std::string_view value) { Value(JsonQuote(value)); }
  void Int(long long value) { Value(std::to_string(value)); }
  void Null() { Value("null"); }
  void StringOrNull(std::string_view value) { value.empty() ? Null() : String(value); }
  const std::string& str() const { return out_; }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
      out_ += '\n' + std::string(2 * first_.size(), ' ');
    }
  }
  void Value(const std::string& text) {
    Separate();
    out_ += text;
  }
  void Open(char bracket) {
    Separate();
    out_ += bracket;
    first_.push_back(true);
  }
  void Close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) out_ += '\n' + std::string(2 * first_.size(), ' ');
    out_ += bracket;
  }

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace redshield
