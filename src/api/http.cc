#include "api/http.h"

#include <algorithm>
#include <cstdio>

namespace redshield::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string HttpRequest::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

std::string HttpRequest::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? std::string() : it->second;
}

std::string HttpRequest::Cookie(std::string_view name) const {
  std::string_view cookies = headers.count("cookie") ? headers.at("cookie") : std::string_view();
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
    if (end == std::string_view::npos) break;
    cookies.remove_prefix(end + 1);
  }
  return "";
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const size_t plain =
        std::find_if(text.begin() + i, text.end(), [](char c) { return c == '+' || c == '%'; }) -
        text.begin();
    out.append(text.substr(i, plain - i));  // the run with nothing to decode, at once
    i = plain;
    if (i == text.size()) break;
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQueryString(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t end = query.find('&');
    std::string_view pair = query.substr(0, end);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      std::string key = PercentDecode(pair.substr(0, eq));
      std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
      out[key] = value;
    }
    if (end == std::string_view::npos) break;
    query.remove_prefix(end + 1);
  }
  return out;
}

std::string ContentDisposition(const std::string& filename) {
  std::string ascii;
  std::string encoded;
  for (unsigned char c : filename) {
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-' || c == '_';
    ascii += plain ? static_cast<char>(c) : '_';
    if (plain) {
      encoded += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      encoded += buf;
    }
  }
  std::string out = "attachment; filename=\"";
  out.append(ascii).append("\"; filename*=UTF-8''").append(encoded);
  return out;
}

HttpResponse XlsxDownload(std::string bytes, const std::string& filename) {
  HttpResponse response;
  response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  response.body = std::move(bytes);
  // Built apart: g++ 12 warns (-Warray-bounds, a false positive) when the
  // header pair is made from two temporaries here.
  std::pair<std::string, std::string> disposition("Content-Disposition",
                                                  ContentDisposition(filename));
  response.headers.push_back(std::move(disposition));
  return response;
}

HttpResponse FileDownload(std::string content_type, const std::string& filename, std::string bytes) {
  HttpResponse response;
  response.content_type = std::move(content_type);
  response.body = std::move(bytes);
  std::pair<std::string, std::string> disposition("Content-Disposition",
                                                  ContentDisposition(filename));
  response.headers.push_back(std::move(disposition));
  std::pair<std::string, std::string> nosniff("X-Content-Type-Options", "nosniff");
  response.headers.push_back(std::move(nosniff));
  return response;
}

}  // namespace redshield::api
