#include "storage/plan_store_sql.h"

#include <map>

#include "storage/attachments_sql.h"
#include "storage/query.h"

namespace redshield::storage {
namespace {

using plans::Assignment;
using plans::AssignmentQuery;
using plans::PlanRecord;
using plans::PlanTree;
using plans::StoredItem;
using plans::StoredSection;
using plans::StoredTask;

plans::UnitRole RoleOf(const std::string& name) {
  return name == "lead" ? plans::UnitRole::kLead : plans::UnitRole::kResponsible;
}

const char* kPlanColumns =
    "p.id, p.year, p.region_code, p.title, p.source_text_sha256, p.imported_at, p.imported_by, "
    "p.report_cycle, p.remind_days, "
    "(SELECT COUNT(*) FROM plan_sections s WHERE s.plan_id = p.id), "
    "(SELECT COUNT(*) FROM plan_items i WHERE i.plan_id = p.id), "
    "(SELECT COUNT(*) FROM plan_tasks t WHERE t.plan_id = p.id), "
    "(SELECT COUNT(*) FROM plan_assignments a WHERE a.plan_id = p.id) FROM plans p";

struct PlanRow {
  long long id = 0, imported_by = 0, sections = 0, items = 0, tasks = 0, assignments = 0;
  PlanRecord plan;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(plan.year));
    st.exchange(soci::into(plan.region_code));
    st.exchange(soci::into(plan.title));
    st.exchange(soci::into(plan.source_text_sha256));
    st.exchange(soci::into(plan.imported_at));
    st.exchange(soci::into(imported_by));
    st.exchange(soci::into(plan.report_cycle));
    st.exchange(soci::into(plan.remind_days));
    st.exchange(soci::into(sections));
    st.exchange(soci::into(items));
    st.exchange(soci::into(tasks));
    st.exchange(soci::into(assignments));
  }
  PlanRecord Take() {
    plan.id = id;
    plan.imported_by = imported_by;
    plan.sections = static_cast<int>(sections);
    plan.items = static_cast<int>(items);
    plan.tasks = static_cast<int>(tasks);
    plan.assignments = static_cast<int>(assignments);
    return plan;
  }
};

// Leads first within a task, then by organisation code; tasks in plan order.
const char* kAssignmentColumns =
    "a.id, a.plan_id, a.task_id, a.org_id, o.code, o.name, a.region_code, a.role, a.due_date, "
    "a.status, a.unit_text, COALESCE(a.last_report_at, ''), a.report_count, i.number, t.number, "
    "t.text FROM plan_assignments a "
    "JOIN organizations o ON o.id = a.org_id JOIN plan_tasks t ON t.id = a.task_id "
    "JOIN plan_items i ON i.id = t.item_id JOIN plan_sections s ON s.id = i.section_id";
const char* kAssignmentOrder =
    " ORDER BY s.ordinal, i.ordinal, t.ordinal, CASE a.role WHEN 'lead' THEN 0 ELSE 1 END, o.code";

struct AssignmentRow {
  long long id = 0, plan_id = 0, task_id = 0, org_id = 0;
  std::string role;
  Assignment a;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(plan_id));
    st.exchange(soci::into(task_id));
    st.exchange(soci::into(org_id));
    st.exchange(soci::into(a.org_code));
    st.exchange(soci::into(a.org_name));
    st.exchange(soci::into(a.region_code));
    st.exchange(soci::into(role));
    st.exchange(soci::into(a.due_date));
    st.exchange(soci::into(a.status));
    st.exchange(soci::into(a.unit_text));
    st.exchange(soci::into(a.last_report_at));
    st.exchange(soci::into(a.report_count));
    st.exchange(soci::into(a.item_number));
    st.exchange(soci::into(a.task_number));
    st.exchange(soci::into(a.task_text));
  }
  Assignment Take() {
    a.id = id;
    a.plan_id = plan_id;
    a.task_id = task_id;
    a.org_id = org_id;
    a.role = RoleOf(role);
    return a;
  }
};

struct ReportRow {
  long long id = 0, assignment_id = 0, reported_by = 0;
  plans::Report r;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(assignment_id));
    st.exchange(soci::into(r.period));
    st.exchange(soci::into(r.status));
    st.exchange(soci::into(r.narrative));
    st.exchange(soci::into(reported_by));
    st.exchange(soci::into(r.reported_by_name));
    st.exchange(soci::into(r.reported_by_org));
    st.exchange(soci::into(r.reported_at));
  }
  plans::Report Take() {
    r.id = id;
    r.assignment_id = assignment_id;
    r.reported_by = reported_by;
    return r;
  }
};

void LoadIndicators(soci::session& sql, plans::Report& report) {
  long long id = report.id;
  plans::Indicator indicator;
  soci::statement st = (sql.prepare << "SELECT name, value, unit FROM plan_report_indicators "
                                       "WHERE report_id = :r ORDER BY ordinal",
                        soci::into(indicator.name), soci::into(indicator.value),
                        soci::into(indicator.unit), soci::use(id));
  st.execute();
  while (st.fetch()) report.indicators.push_back(indicator);
}

class SqlPlanStore final : public plans::PlanStore {
 public:
  explicit SqlPlanStore(Database& db) : db_(db) {}

  Status InsertPlan(const PlanTree& tree, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      const PlanRecord& p = tree.plan;
      long long id = p.id;
      long long by = p.imported_by;
      sql << "INSERT INTO plans (id, year, region_code, title, source_text_sha256, imported_at, "
             "imported_by, report_cycle, remind_days) VALUES (:id, :y, :r, :t, :h, :at, :by, "
             ":c, :d)",
          soci::use(id), soci::use(p.year), soci::use(p.region_code), soci::use(p.title),
          soci::use(p.source_text_sha256), soci::use(p.imported_at), soci::use(by),
          soci::use(p.report_cycle), soci::use(p.remind_days);
      for (const StoredSection& section : tree.sections) {
        long long section_id = section.id;
        sql << "INSERT INTO plan_sections (id, plan_id, ordinal, number, title) VALUES (:id, :p, "
               ":o, :n, :t)",
            soci::use(section_id), soci::use(id), soci::use(section.ordinal),
            soci::use(section.number), soci::use(section.title);
        for (const StoredItem& item : section.items) {
          RS_TRY(InsertItem(sql, id, section_id, item, p));
        }
      }
      return Ok();
    });
  }

  Result<std::vector<PlanRecord>> ListPlans() override {
    std::vector<PlanRecord> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kPlanColumns).Sql(" ORDER BY p.year DESC, p.region_code");
      out = FetchAll<PlanRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Result<PlanTree> FindPlan(Id id) override {
    PlanTree tree;
    bool found = false;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kPlanColumns).Sql(" WHERE p.id = ").Param(static_cast<long long>(id));
      std::vector<PlanRecord> plans = FetchAll<PlanRow>(sql, q);
      if (plans.empty()) return Ok();
      found = true;
      tree.plan = plans.front();
      LoadTree(sql, tree);
      return Ok();
    }));
    if (!found) return Fail(ErrorCode::kNotFound, "工作要点不存在");
    return tree;
  }

  Result<Assignment> FindAssignment(Id id) override {
    std::vector<Assignment> found;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kAssignmentColumns).Sql(" WHERE a.id = ").Param(static_cast<long long>(id));
      found = FetchAll<AssignmentRow>(sql, q);
      return Ok();
    }));
    if (found.empty()) return Fail(ErrorCode::kNotFound, "任务分工不存在");
    return found.front();
  }

  Result<std::vector<Assignment>> ListAssignments(const AssignmentQuery& query) override {
    std::vector<Assignment> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q("SELECT ");
      q.Sql(kAssignmentColumns).Sql(" WHERE 1 = 1");
      if (query.plan_id) q.Sql(" AND a.plan_id = ").Param(static_cast<long long>(*query.plan_id));
      if (query.org_id) q.Sql(" AND a.org_id = ").Param(static_cast<long long>(*query.org_id));
      q.Sql(kAssignmentOrder);
      out = FetchAll<AssignmentRow>(sql, q);
      return Ok();
    }));
    return out;
  }

  Status UpdateAssignmentDue(Id id, const std::string& due_date, const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long assignment_id = id;
      std::string now = FormatUtc(db_.clock().Now());
      soci::statement st = (sql.prepare << "UPDATE plan_assignments SET due_date = :d, "
                                           "updated_at = :u WHERE id = :id",
                            soci::use(due_date), soci::use(now), soci::use(assignment_id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "任务分工不存在");
      return Ok();
    });
  }


  Status UpdatePlanSettings(Id id, const std::string& report_cycle, int remind_days,
                            const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long plan_id = id;
      soci::statement st = (sql.prepare << "UPDATE plans SET report_cycle = :c, remind_days = :d "
                                           "WHERE id = :id",
                            soci::use(report_cycle), soci::use(remind_days), soci::use(plan_id));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "工作要点不存在");
      return Ok();
    });
  }

  Status InsertReport(const plans::Report& report, const std::vector<Attachment>& files,
                      const AuditEntry& audit) override {
    return db_.Write(&audit, [&](soci::session& sql) -> Status {
      long long id = report.id;
      long long assignment_id = report.assignment_id;
      long long by = report.reported_by;
      soci::statement update =
          (sql.prepare << "UPDATE plan_assignments SET status = :s, last_report_at = :at, "
                          "report_count = report_count + 1, updated_at = :u WHERE id = :id",
           soci::use(report.status), soci::use(report.reported_at), soci::use(report.reported_at),
           soci::use(assignment_id));
      update.execute(true);
      if (update.get_affected_rows() == 0) return Fail(ErrorCode::kNotFound, "任务分工不存在");
      sql << "INSERT INTO plan_reports (id, assignment_id, period, status, narrative, "
             "reported_by, reported_at) VALUES (:id, :a, :p, :s, :n, :by, :at)",
          soci::use(id), soci::use(assignment_id), soci::use(report.period),
          soci::use(report.status), soci::use(report.narrative), soci::use(by),
          soci::use(report.reported_at);
      for (size_t i = 0; i < report.indicators.size(); ++i) {
        const plans::Indicator& indicator = report.indicators[i];
        int ordinal = static_cast<int>(i) + 1;
        double value = indicator.value;
        sql << "INSERT INTO plan_report_indicators (report_id, ordinal, name, value, unit) "
               "VALUES (:r, :o, :n, :v, :u)",
            soci::use(id), soci::use(ordinal), soci::use(indicator.name), soci::use(value),
            soci::use(indicator.unit);
      }
      InsertAttachments(sql, files, report.reported_at);
      return Ok();
    });
  }

  Result<std::vector<plans::Report>> ListReports(Id assignment_id) override {
    std::vector<plans::Report> out;
    RS_TRY(db_.Read([&](soci::session& sql) -> Status {
      QueryBuilder q(
          "SELECT r.id, r.assignment_id, r.period, r.status, r.narrative, r.reported_by, "
          "u.display_name, o.name, r.reported_at FROM plan_reports r "
          "JOIN users u ON u.id = r.reported_by JOIN organizations o ON o.id = u.org_id "
          "WHERE r.assignment_id = ");
      q.Param(static_cast<long long>(assignment_id)).Sql(" ORDER BY r.reported_at DESC, r.id DESC");
      out = FetchAll<ReportRow>(sql, q);
      for (plans::Report& report : out) {
        LoadIndicators(sql, report);
        report.attachments = LoadAttachmentMetas(sql, "report", report.id);
      }
      return Ok();
    }));
    return out;
  }

  Result<Attachment> FindAttachment(Id id) override {
    return FindAttachmentIn(db_, id);
  }

 private:
  Status InsertItem(soci::session& sql, long long plan_id, long long section_id,
                    const StoredItem& item, const PlanRecord& plan) {
    long long item_id = item.id;
    sql << "INSERT INTO plan_items (id, plan_id, section_id, ordinal, number, title, intro) "
           "VALUES (:id, :p, :s, :o, :n, :t, :i)",
        soci::use(item_id), soci::use(plan_id), soci::use(section_id), soci::use(item.ordinal),
        soci::use(item.number), soci::use(item.title), soci::use(item.intro);
    for (const StoredTask& task : item.tasks) {
      long long task_id = task.id;
      sql << "INSERT INTO plan_tasks (id, plan_id, item_id, ordinal, number, text, note) "
             "VALUES (:id, :p, :i, :o, :n, :t, :note)",
          soci::use(task_id), soci::use(plan_id), soci::use(item_id), soci::use(task.ordinal),
          soci::use(task.number), soci::use(task.text), soci::use(task.note);
      for (const Assignment& a : task.assignments) {
        long long assignment_id = a.id;
        long long org_id = a.org_id;
        std::string role(plans::UnitRoleName(a.role));
        // The organisation's region comes from the database, not the caller.
        soci::statement st =
            (sql.prepare << "INSERT INTO plan_assignments (id, plan_id, task_id, org_id, "
                            "region_code, role, due_date, status, unit_text, updated_at) SELECT "
                            ":id, :p, :t, o.id, o.region_code, :role, :due, :status, :unit, :at "
                            "FROM organizations o WHERE o.id = :org",
             soci::use(assignment_id), soci::use(plan_id), soci::use(task_id), soci::use(role),
             soci::use(a.due_date), soci::use(a.status), soci::use(a.unit_text),
             soci::use(plan.imported_at), soci::use(org_id));
        st.execute(true);
        if (st.get_affected_rows() == 0) {
          return Fail(ErrorCode::kInvalidArgument, "责任单位对应的机构不存在：" + a.org_name,
                      "units");
        }
      }
    }
    return Ok();
  }

  // Reads sections, items, tasks and assignments of tree.plan and nests them.
  void LoadTree(soci::session& sql, PlanTree& tree) {
    long long plan_id = tree.plan.id;
    std::map<long long, StoredSection*> sections;
    std::map<long long, StoredItem*> items;
    std::map<long long, StoredTask*> tasks;
    {
      StoredSection s;
      long long id = 0;
      soci::statement st = (sql.prepare << "SELECT id, ordinal, number, title FROM plan_sections "
                                           "WHERE plan_id = :p ORDER BY ordinal",
                            soci::into(id), soci::into(s.ordinal), soci::into(s.number),
                            soci::into(s.title), soci::use(plan_id));
      st.execute();
      while (st.fetch()) {
        s.id = id;
        tree.sections.push_back(s);
      }
      for (StoredSection& section : tree.sections) sections[section.id] = &section;
    }
    LoadItems(sql, plan_id, sections, items);
    LoadTasks(sql, plan_id, items, tasks);
    QueryBuilder q("SELECT ");
    q.Sql(kAssignmentColumns).Sql(" WHERE a.plan_id = ").Param(plan_id).Sql(kAssignmentOrder);
    for (Assignment& a : FetchAll<AssignmentRow>(sql, q)) {
      auto task = tasks.find(a.task_id);
      if (task != tasks.end()) task->second->assignments.push_back(std::move(a));
    }
  }

  // Pointers stay valid: each vector is filled completely before pointers
  // into it are taken.
  void LoadItems(soci::session& sql, long long plan_id,
                 const std::map<long long, StoredSection*>& sections,
                 std::map<long long, StoredItem*>& items) {
    StoredItem item;
    long long id = 0, section_id = 0;
    soci::statement st =
        (sql.prepare << "SELECT id, section_id, ordinal, number, title, intro FROM plan_items "
                        "WHERE plan_id = :p ORDER BY ordinal",
         soci::into(id), soci::into(section_id), soci::into(item.ordinal), soci::into(item.number),
         soci::into(item.title), soci::into(item.intro), soci::use(plan_id));
    st.execute();
    while (st.fetch()) {
      item.id = id;
      auto section = sections.find(section_id);
      if (section != sections.end()) section->second->items.push_back(item);
    }
    for (const auto& [sid, section] : sections) {
      for (StoredItem& stored : section->items) items[stored.id] = &stored;
    }
  }

  void LoadTasks(soci::session& sql, long long plan_id,
                 const std::map<long long, StoredItem*>& items,
                 std::map<long long, StoredTask*>& tasks) {
    StoredTask task;
    long long id = 0, item_id = 0;
    soci::statement st =
        (sql.prepare << "SELECT id, item_id, ordinal, number, text, note FROM plan_tasks "
                        "WHERE plan_id = :p ORDER BY ordinal",
         soci::into(id), soci::into(item_id), soci::into(task.ordinal), soci::into(task.number),
         soci::into(task.text), soci::into(task.note), soci::use(plan_id));
    st.execute();
    while (st.fetch()) {
      task.id = id;
      auto item = items.find(item_id);
      if (item != items.end()) item->second->tasks.push_back(task);
    }
    for (const auto& [iid, item] : items) {
      for (StoredTask& stored : item->tasks) tasks[stored.id] = &stored;
    }
  }

  Database& db_;
};

}  // namespace

std::unique_ptr<plans::PlanStore> MakePlanStore(Database& db) {
  return std::make_unique<SqlPlanStore>(db);
}

}  // namespace redshield::storage
