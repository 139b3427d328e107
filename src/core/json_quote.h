// JSON string quoting for hand-written JSON (the CLI and the screening module
// do not link the HTTP/JSON stack). Escapes quotes, backslashes and control
// characters; UTF-8 passes through.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

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

}  // namespace redshield
