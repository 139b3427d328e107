// Private to storage/: a statement whose WHERE clause is assembled from
// optional filters, with its parameters bound in order. Parameters are kept
// inside the builder, so they outlive the statement's execution.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "platform/types.h"

namespace redshield::storage {

class QueryBuilder {
 public:
  explicit QueryBuilder(std::string_view sql = {}) : text_(sql) {}

  QueryBuilder& Sql(std::string_view sql);
  QueryBuilder& Param(std::string value);
  QueryBuilder& Param(long long value);
  // Appends " AND lower(column) LIKE lower(:p) ESCAPE '\'" matching `text` anywhere.
  QueryBuilder& Contains(std::string_view column, std::string_view text);
  // Appends " AND column LIKE :p" matching `region_code` and every region
  // below it (150200 → 1502%, 150000 → 15%).
  QueryBuilder& InRegion(std::string_view column, std::string_view region_code);

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

// The single number `q` selects (e.g. COUNT(*)).
long long CountRows(soci::session& sql, QueryBuilder& q);

// Appends LIMIT and OFFSET for `page`.
void AddPaging(QueryBuilder& q, const platform::PageRequest& page);

// One page of `Row`s matching `filters`, and the total count for the same
// filters. `columns_from` is "<select list> FROM <tables>"; `filters` appends
// the WHERE clause to a QueryBuilder.
template <typename Row, typename Filters>
auto FetchPage(soci::session& sql, std::string_view columns_from, Filters&& filters,
               std::string_view order, const platform::PageRequest& page) {
  using Item = decltype(std::declval<Row&>().Take());
  std::string_view from = columns_from.substr(columns_from.find(" FROM "));
  QueryBuilder count("SELECT COUNT(*)");
  count.Sql(from);
  filters(count);
  platform::Page<Item> out{{}, CountRows(sql, count), page.page, page.page_size};
  QueryBuilder list("SELECT ");
  list.Sql(columns_from);
  filters(list);
  list.Sql(" ORDER BY ").Sql(order);
  AddPaging(list, page);
  out.items = FetchAll<Row>(sql, list);
  return out;
}

}  // namespace redshield::storage
