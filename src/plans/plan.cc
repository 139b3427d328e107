#include "plans/plan.h"

namespace redshield::plans {

std::string_view UnitRoleName(UnitRole role) {
  return role == UnitRole::kLead ? "lead" : "responsible";
}

int Plan::ItemCount() const {
  int count = 0;
  for (const Section& section : sections) count += static_cast<int>(section.items.size());
  return count;
}

int Plan::TaskCount() const {
  int count = 0;
  for (const Section& section : sections) {
    for (const Item& item : section.items) count += static_cast<int>(item.tasks.size());
  }
  return count;
}

int Plan::UnitCount() const {
  int count = 0;
  for (const Section& section : sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) count += static_cast<int>(task.units.size());
    }
  }
  return count;
}

}  // namespace redshield::plans
