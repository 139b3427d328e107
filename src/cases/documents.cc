#include "cases/documents.h"

#include "core/csv.h"

namespace redshield::cases {

Result<DocumentKinds> DocumentKinds::FromCsv(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(csv, {"kind", "name", "required_for", "legal_source"});
  if (!table) return tl::unexpected(table.error());
  std::vector<DocumentKind> kinds;
  for (const CsvRecord& record : table->records()) {
    DocumentKind kind;
    for (auto [column, target] : {std::pair{"kind", &kind.kind}, {"name", &kind.name}}) {
      Result<std::string_view> value = record.RequiredField(column);
      if (!value) return tl::unexpected(value.error());
      *target = std::string(*value);
    }
    kind.required_for = std::string(record.OptionalField("required_for").value_or(""));
    kind.legal_source = std::string(record.OptionalField("legal_source").value_or(""));
    for (const DocumentKind& seen : kinds) {
      if (seen.kind == kind.kind) return tl::unexpected(record.FieldError("kind", "重复：" + kind.kind));
    }
    kinds.push_back(std::move(kind));
  }
  if (kinds.empty()) return Fail(ErrorCode::kInvalidArgument, "案件材料种类表为空");
  return DocumentKinds(std::move(kinds));
}

const DocumentKind* DocumentKinds::Find(std::string_view kind) const {
  for (const DocumentKind& k : kinds_) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

std::vector<const DocumentKind*> DocumentKinds::RequiredFor(std::string_view action) const {
  std::vector<const DocumentKind*> out;
  for (const DocumentKind& k : kinds_) {
    if (!action.empty() && k.required_for == action) out.push_back(&k);
  }
  return out;
}

}  // namespace redshield::cases
