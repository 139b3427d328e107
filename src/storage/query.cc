#include "storage/query.h"

namespace redshield::storage {

QueryBuilder& QueryBuilder::Sql(std::string_view sql) {
  text_ += sql;
  return *this;
}

QueryBuilder& QueryBuilder::Param(std::string value) {
  text_ += ":p" + std::to_string(order_.size());
  strings_.push_back(std::move(value));
  order_.emplace_back(true, strings_.size() - 1);
  return *this;
}

QueryBuilder& QueryBuilder::Param(long long value) {
  text_ += ":p" + std::to_string(order_.size());
  ints_.push_back(value);
  order_.emplace_back(false, ints_.size() - 1);
  return *this;
}

QueryBuilder& QueryBuilder::Contains(std::string_view column, std::string_view text) {
  std::string pattern = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += '%';
  Sql(" AND lower(").Sql(column).Sql(") LIKE lower(");
  Param(std::move(pattern));
  return Sql(") ESCAPE '\\'");
}

void QueryBuilder::Prepare(soci::statement& st) {
  for (auto [is_string, index] : order_) {
    if (is_string) {
      st.exchange(soci::use(strings_[index]));
    } else {
      st.exchange(soci::use(ints_[index]));
    }
  }
  st.alloc();
  st.prepare(text_);
  st.define_and_bind();
}

QueryBuilder& QueryBuilder::InRegion(std::string_view column, std::string_view region_code) {
  std::string prefix(region_code);
  while (prefix.size() >= 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
  return Sql(" AND ").Sql(column).Sql(" LIKE ").Param(prefix + "%");
}

long long CountRows(soci::session& sql, QueryBuilder& q) {
  long long count = 0;
  soci::statement st(sql);
  st.exchange(soci::into(count));
  q.Prepare(st);
  st.execute(true);
  return count;
}

void AddPaging(QueryBuilder& q, const platform::PageRequest& page) {
  q.Sql(" LIMIT ").Param(static_cast<long long>(page.page_size));
  q.Sql(" OFFSET ").Param(static_cast<long long>(page.Offset()));
}

}  // namespace redshield::storage
