// Private to storage/: a statement whose WHERE clause is assembled from
// optional filters, with its parameters bound in order. Parameters are kept
// inside the builder, so they outlive the statement's execution.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace redshield::storage {

class QueryBuilder {
 public:
  explicit QueryBuilder(std::string_view sql = {}) : text_(sql) {}

  QueryBuilder& Sql(std::string_view sql);
  QueryBuilder& Param(std::string value);
  QueryBuilder& Param(long long value);
  // Appends " AND lower(column) LIKE lower(:p) ESCAPE '\'" matching `text` anywhere.
  QueryBuilder& Contains(std::string_view column, std::string_view text);

  const std::string& text() const { return text_; }
  // Adds the bound parameters to `st` (after its intos), then prepares it.
  void Prepare(soci::statement& st);

 private:
  std::string text_;
  std::deque<std::string> strings_;
  std::deque<long long> ints_;
  std::vector<std::pair<bool, size_t>> order_;  // (is_string, index)
};

// Runs `q` and returns every row, read through a `Row` that binds its columns
// (`Bind(statement&)`) and converts each fetched row (`Take()`).
template <typename Row>
auto FetchAll(soci::session& sql, QueryBuilder& q) {
  Row row;
  soci::statement st(sql);
  row.Bind(st);
  q.Prepare(st);
  st.execute(false);
  std::vector<decltype(row.Take())> out;
  while (st.fetch()) out.push_back(row.Take());
  return out;
}

}  // namespace redshield::storage
