// Serves the built web UI (web/dist) from memory: files are read once at
// start. Hashed assets get a year-long cache; index.html is never cached and
// is the fallback for unknown non-API paths (the UI routes on the client).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "api/http.h"

namespace redshield::api {

class StaticFiles {
 public:
  // Loads every file below `root`; an empty or missing root serves nothing.
  explicit StaticFiles(const std::string& root);

  bool empty() const { return files_.empty(); }
  // The file for `path`, or index.html for a client-side route; nullopt if neither.
  std::optional<HttpResponse> Serve(const std::string& path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> files_;  // "/assets/index-abc.js" -> file
};

}  // namespace redshield::api
