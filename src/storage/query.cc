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

}  // namespace redshield::storage
