// libFuzzer target: the work-plan parser (plans/plan_parser.h) and the unit
// resolver over the organisations that ship with the product.
//
// Properties checked besides "no crash, no sanitizer report":
//   * a parsed plan has at least one item, and all its strings are valid
//     UTF-8 (whatever the input encoding was);
//   * every task's note ends in 负责 and every unit's text is non-empty;
//   * parsing is deterministic: the same bytes give the same plan;
//   * resolving gives every unit a name and never reports a resolved unit
//     as unresolved.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "core/text.h"
#include "plans/plan_parser.h"
#include "plans/unit_resolver.h"

namespace {

using namespace redshield;  // NOLINT(google-build-using-namespace): a test driver

// Names the property that failed, so that a crash report says which.
#define RS_REQUIRE(condition)                                               \
  do {                                                                      \
    if (!(condition)) {                                                     \
      std::fprintf(stderr, "property failed: %s (line %d)\n", #condition, __LINE__); \
      std::abort();                                                         \
    }                                                                       \
  } while (0)

const plans::SimplifiedConverter& Converter() {
  static const std::unique_ptr<plans::SimplifiedConverter> converter = [] {
    auto made = plans::SimplifiedConverter::Create();
    RS_REQUIRE(made.has_value());
    return std::move(*made);
  }();
  return *converter;
}

// A few organisations and groups are enough to drive every resolver branch.
const plans::UnitResolver& Resolver() {
  static const plans::UnitResolver resolver(
      {{0, "NMG-GSJ", "内蒙古自治区工商行政管理局", "工商局", {"自治区工商局", "内蒙古自治区工商局"}, "150000"},
       {0, "NMG-HHHTHG", "呼和浩特海关", "呼和浩特海关", {}, "150000"},
       {0, "NMG-JYJYJ", "内蒙古出入境检验检疫局", "出入境检验检疫局", {}, "150000"},
       {0, "HHHT-GAJ", "呼和浩特市公安局", "公安局", {"市公安局"}, "150100"},
       {0, "BT-GAJ", "包头市公安局", "公安局", {"市公安局"}, "150200"}},
      {{"有关成员单位", {"NMG-GSJ", "NMG-HHHTHG", "NMG-NONE"}},
       {"各地区打击侵权假冒工作领导小组", {"HHHT-GAJ", "BT-GAJ"}}});
  return resolver;
}

bool SamePlan(const plans::Plan& a, const plans::Plan& b) {
  if (a.title != b.title || a.year != b.year || a.sections.size() != b.sections.size()) return false;
  if (a.ItemCount() != b.ItemCount() || a.TaskCount() != b.TaskCount()) return false;
  return a.UnitCount() == b.UnitCount() && a.warnings == b.warnings;
}

void CheckPlan(plans::Plan& plan) {
  RS_REQUIRE(plan.ItemCount() > 0);
  RS_REQUIRE(IsValidUtf8(plan.title));
  for (const std::string& warning : plan.warnings) RS_REQUIRE(IsValidUtf8(warning));
  for (const plans::Section& section : plan.sections) {
    RS_REQUIRE(IsValidUtf8(section.title));
    for (const plans::Item& item : section.items) {
      RS_REQUIRE(IsValidUtf8(item.title) && IsValidUtf8(item.intro));
      for (const plans::Task& task : item.tasks) {
        RS_REQUIRE(IsValidUtf8(task.text));
        RS_REQUIRE(task.note.empty() || std::string_view(task.note).ends_with("负责"));
        for (const plans::Unit& unit : task.units) RS_REQUIRE(!unit.text.empty() && IsValidUtf8(unit.text));
      }
    }
  }
  const auto unresolved = Resolver().ResolvePlan(plan);
  size_t missing = 0;
  for (const plans::Section& section : plan.sections) {
    for (const plans::Item& item : section.items) {
      for (const plans::Task& task : item.tasks) {
        for (const plans::Unit& unit : task.units) {
          RS_REQUIRE(!unit.name.empty());
          RS_REQUIRE(!(unit.org.has_value() && !unit.group.empty()));
          missing += unit.Resolved() ? 0 : 1;
        }
      }
    }
  }
  RS_REQUIRE(missing == unresolved.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  redshield::Result<plans::Plan> plan = plans::ParsePlan(bytes, &Converter());
  (void)plans::DecodePlanText(bytes);
  if (!plan) {
    RS_REQUIRE(!plan.error().message.empty());
    return 0;
  }
  redshield::Result<plans::Plan> again = plans::ParsePlan(bytes, &Converter());
  RS_REQUIRE(again.has_value() && SamePlan(*plan, *again));
  CheckPlan(*plan);
  return 0;
}
