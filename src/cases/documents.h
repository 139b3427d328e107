// The kinds of documents a case file carries, as data: data/cases/documents.csv
// names each kind, the workflow action that requires it (the transfer's
// `send` needs the four documents of 国务院令第730号第六条) and the legal
// source. Immutable after FromCsv; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace redshield::cases {

struct DocumentKind {
  std::string kind;          // transfer_letter, goods_list ...
  std::string name;          // 涉嫌犯罪案件移送书 ...
  std::string required_for;  // an action (case_service.h), or empty
  std::string legal_source;
};

class DocumentKinds {
 public:
  // kInvalidArgument naming the line and column; kinds must be unique.
  static Result<DocumentKinds> FromCsv(std::string_view csv);

  const DocumentKind* Find(std::string_view kind) const;
  // The kinds `action` requires, in file order.
  std::vector<const DocumentKind*> RequiredFor(std::string_view action) const;
  const std::vector<DocumentKind>& kinds() const { return kinds_; }

 private:
  explicit DocumentKinds(std::vector<DocumentKind> kinds) : kinds_(std::move(kinds)) {}
  std::vector<DocumentKind> kinds_;
};

}  // namespace redshield::cases
