#include "api/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace redshield::api {
namespace {

std::string ContentType(const std::filesystem::path& path) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},           {".svg", "image/svg+xml"},
      {".png", "image/png"},                   {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},                {".woff2", "font/woff2"},
      {".woff", "font/woff"},                  {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},   {".map", "application/json"}};
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

StaticFiles::StaticFiles(const std::string& root) {
  std::error_code ec;
  if (root.empty() || !std::filesystem::is_directory(root, ec)) return;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root, ec)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    std::string rel = "/";
    rel += std::filesystem::relative(entry.path(), root).generic_string();
    files_[rel] = {ContentType(entry.path()), body.str()};
  }
}

std::optional<HttpResponse> StaticFiles::Serve(const std::string& path) const {
  auto it = files_.find(path == "/" ? "/index.html" : path);
  bool fallback = false;
  if (it == files_.end()) {
    // Paths with a file extension are missing files, not client routes.
    if (path.rfind('.') != std::string::npos && path.rfind('.') > path.rfind('/')) return {};
    it = files_.find("/index.html");
    fallback = true;
    if (it == files_.end()) return {};
  }
  HttpResponse response;
  response.content_type = it->second.content_type;
  response.body = it->second.body;
  bool hashed = !fallback && path.starts_with("/assets/");
  response.AddHeader("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
  return response;
}

}  // namespace redshield::api
