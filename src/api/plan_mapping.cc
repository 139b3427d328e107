#include "api/plan_mapping.h"


namespace redshield::api {

json::object ToJson(const plans::Assignment& a, bool with_task) {
  json::object out{{"id", IdText(a.id)},
                   {"plan_id", IdText(a.plan_id)},
                   {"task_id", IdText(a.task_id)},
                   {"org", json::object{{"id", IdText(a.org_id)},
                                        {"code", a.org_code},
                                        {"name", a.org_name},
                                        {"region_code", a.region_code}}},
                   {"role", std::string(plans::UnitRoleName(a.role))},
                   {"due_date", a.due_date},
                   {"status", a.status},
                   {"unit_text", a.unit_text},
                   {"last_report_at", a.last_report_at.empty() ? json::value(nullptr)
                                                               : json::value(a.last_report_at)},
                   {"reports", a.report_count},
                   {"overdue", a.overdue},
                   {"due_in_working_days", a.due_in_working_days}};
  if (with_task) {
    out["task"] = json::object{
        {"item_number", a.item_number}, {"number", a.task_number}, {"text", a.task_text}};
  }
  return out;
}

}  // namespace redshield::api
