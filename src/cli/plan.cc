// `redshield plan parse FILE [--json] [--db DB] [--region CODE]`: parses a
// work plan and shows its sections, items, tasks and responsible units, with
// the organisation each unit resolves to. Reads nothing but FILE and, with
// --db, the organisation directory; writes nothing.
//
// `redshield plan import FILE --year YYYY [--region CODE] [--due YYYY-MM-DD]
// [--db DB]`: the same parse, resolved against the database's organisations,
// then stores the plan with one assignment per (task, organisation). Refuses
// (and writes nothing) if any unit is unresolved.
#include <filesystem>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/json_quote.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/text.h"
#include "plans/plan_parser.h"
#include "plans/unit_resolver.h"

namespace redshield::cli {
namespace {

using plans::Item;
using plans::Plan;
using plans::Section;
using plans::Task;
using plans::Unit;
using plans::UnresolvedUnit;

struct PlanArgs {
  std::string file;
  bool json = false;
  std::string db;  // empty: resolve against the organisations shipped in the binary
  std::string region = std::string(plans::UnitResolver::kDefaultRegion);
  int year = 0;     // import only
  std::string due;  // import only; empty: 31 December of the year
};

// ---- JSON output (the CLI does not link a JSON library) ----

// Writes indented JSON; commas and line breaks are placed by the writer.
class JsonWriter {
 public:
  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key) {
    Separate();
    out_ += JsonQuote(key) + ": ";
    after_key_ = true;
  }
  void String(std::string_view value) { Value(JsonQuote(value)); }
  void Int(long long value) { Value(std::to_string(value)); }
  void Null() { Value("null"); }
  void StringOrNull(std::string_view value) { value.empty() ? Null() : String(value); }
  const std::string& str() const { return out_; }

 private:
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
      out_ += '\n' + std::string(2 * first_.size(), ' ');
    }
  }
  void Value(const std::string& text) {
    Separate();
    out_ += text;
  }
  void Open(char bracket) {
    Separate();
    out_ += bracket;
    first_.push_back(true);
  }
  void Close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) out_ += '\n' + std::string(2 * first_.size(), ' ');
    out_ += bracket;
  }

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

void WriteOrg(JsonWriter& json, const plans::OrgRef& org) {
  json.Key("org_id");
  org.id == 0 ? json.Null() : json.String(std::to_string(org.id));
  json.Key("org_code");
  json.String(org.code);
  json.Key("org_name");
  json.String(org.name);
}

void WriteUnit(JsonWriter& json, const Unit& unit) {
  json.BeginObject();
  json.Key("text");
  json.String(unit.text);
  json.Key("name");
  json.String(unit.name);
  json.Key("role");
  json.String(plans::UnitRoleName(unit.role));
  if (unit.org) {
    WriteOrg(json, *unit.org);
  } else {
    json.Key("org_id");
    json.Null();
  }
  if (!unit.group.empty()) {
    json.Key("group");
    json.String(unit.group);
    json.Key("members");
    json.BeginArray();
    for (const plans::OrgRef& member : unit.members) {
      json.BeginObject();
      WriteOrg(json, member);
      json.EndObject();
    }
    json.EndArray();
  }
  json.EndObject();
}

void WriteTask(JsonWriter& json, const Task& task) {
  json.BeginObject();
  json.Key("number");
  json.StringOrNull(task.number);
  json.Key("text");
  json.String(task.text);
  json.Key("units");
  json.BeginArray();
  for (const Unit& unit : task.units) WriteUnit(json, unit);
  json.EndArray();
  json.EndObject();
}

void WriteItem(JsonWriter& json, const Item& item) {
  json.BeginObject();
  json.Key("number");
  json.StringOrNull(item.number);
  json.Key("title");
  json.String(item.title);
  if (!item.intro.empty()) {
    json.Key("intro");
    json.String(item.intro);
  }
  json.Key("tasks");
  json.BeginArray();
  for (const Task& task : item.tasks) WriteTask(json, task);
  json.EndArray();
  json.EndObject();
}

struct Summary {
  size_t organizations = 0;
  size_t groups = 0;
};

Summary Summarize(const Plan& plan) {
  std::set<std::string> orgs;
  std::set<std::string> groups;
  for (const Section& section : plan.sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) {
        for (const Unit& unit : task.units) {
          if (unit.org) orgs.insert(unit.org->code);
          if (!unit.group.empty()) groups.insert(unit.group);
        }
      }
    }
  }
  return Summary{orgs.size(), groups.size()};
}

void WriteSummary(JsonWriter& json, const Plan& plan, size_t unresolved) {
  const Summary summary = Summarize(plan);
  json.Key("summary");
  json.BeginObject();
  json.Key("sections");
  json.Int(static_cast<long long>(plan.sections.size()));
  json.Key("items");
  json.Int(plan.ItemCount());
  json.Key("tasks");
  json.Int(plan.TaskCount());
  json.Key("units");
  json.Int(plan.UnitCount());
  json.Key("organizations");
  json.Int(static_cast<long long>(summary.organizations));
  json.Key("groups");
  json.Int(static_cast<long long>(summary.groups));
  json.Key("unresolved");
  json.Int(static_cast<long long>(unresolved));
  json.EndObject();
}

std::string PlanJson(const Plan& plan, const std::vector<UnresolvedUnit>& unresolved,
                     const std::string& region) {
  JsonWriter json;
  json.BeginObject();
  json.Key("title");
  json.String(plan.title);
  json.Key("year");
  plan.year == 0 ? json.Null() : json.Int(plan.year);
  json.Key("encoding");
  json.String(plan.encoding);
  json.Key("region");
  json.String(region);
  json.Key("sections");
  json.BeginArray();
  for (const Section& section : plan.sections) {
    json.BeginObject();
    json.Key("number");
    json.StringOrNull(section.number);
    json.Key("title");
    json.String(section.title);
    json.Key("items");
    json.BeginArray();
    for (const Item& item : section.items) WriteItem(json, item);
    json.EndArray();
    json.EndObject();
  }
  json.EndArray();
  json.Key("unresolved");
  json.BeginArray();
  for (const UnresolvedUnit& unit : unresolved) {
    json.BeginObject();
    json.Key("section");
    json.StringOrNull(unit.section);
    json.Key("item");
    json.StringOrNull(unit.item);
    json.Key("task");
    json.Int(unit.task);
    json.Key("text");
    json.String(unit.text);
    json.Key("name");
    json.String(unit.name);
    json.EndObject();
  }
  json.EndArray();
  json.Key("warnings");
  json.BeginArray();
  for (const std::string& warning : plan.warnings) json.String(warning);
  json.EndArray();
  WriteSummary(json, plan, unresolved.size());
  json.EndObject();
  return json.str();
}

// ---- text output ----

std::string Shorten(std::string_view text, size_t max_chars) {
  const std::u32string chars = DecodeUtf8(text);
  if (chars.size() <= max_chars) return std::string(text);
  std::string out;
  for (size_t i = 0; i < max_chars; ++i) AppendUtf8(out, chars[i]);
  return out + "…";
}

void PrintUnit(std::ostream& out, const Unit& unit) {
  out << "      " << (unit.role == plans::UnitRole::kLead ? "★ 牵头 " : "· ") << unit.text;
  if (unit.org) {
    out << " → " << unit.org->name << " [" << unit.org->code << "]";
  } else if (!unit.group.empty()) {
    out << " → 单位组“" << unit.group << "”，" << unit.members.size() << " 个机构";
  } else {
    out << " → 未识别（" << unit.name << "）";
  }
  out << "\n";
}

void PrintPlan(std::ostream& out, const Plan& plan, const std::vector<UnresolvedUnit>& unresolved) {
  out << (plan.title.empty() ? "（无标题）" : plan.title);
  if (plan.year != 0) out << "（" << plan.year << " 年）";
  out << "\n";
  for (const Section& section : plan.sections) {
    if (!section.number.empty()) out << section.number << "、" << section.title << "\n";
    for (const Item& item : section.items) {
      if (item.number.empty()) {
        out << "  （无编号）\n";
      } else {
        out << "  （" << item.number << "）" << item.title << "\n";
      }
      for (size_t task_idx = 0; task_idx < item.tasks.size(); ++task_idx) {
        const Task& task = item.tasks[task_idx];
        out << "    任务 " << (task.number.empty() ? std::to_string(task_idx + 1) : task.number)
            << "：" << Shorten(task.text, 40) << "\n";
        for (const Unit& unit : task.units) PrintUnit(out, unit);
      }
    }
  }
  const Summary summary = Summarize(plan);
  out << "\n共 " << plan.sections.size() << " 个部分、" << plan.ItemCount() << " 项、"
      << plan.TaskCount() << " 条任务、" << plan.UnitCount() << " 个责任单位（"
      << summary.organizations << " 个机构、" << summary.groups << " 个单位组）；未识别 "
      << unresolved.size() << " 个\n";
  for (const UnresolvedUnit& unit : unresolved) {
    out << "  未识别：" << (unit.item.empty() ? "" : "（" + unit.item + "）") << "任务 " << unit.task
        << " " << unit.text << "（" << unit.name << "）\n";
  }
  for (const std::string& warning : plan.warnings) out << "  注意：" << warning << "\n";
}

// ---- organisations ----

Result<ModuleServices*> OpenExisting(Runtime& runtime, const std::string& db) {
  if (db.starts_with("sqlite:") && db != "sqlite::memory:" &&
      !std::filesystem::exists(db.substr(7))) {
    return Fail(ErrorCode::kNotFound, "数据库不存在，请先运行 redshield init", "--db");
  }
  return runtime.Open(db, DefaultKeyFile(db));
}

Result<std::vector<plans::OrgEntry>> OrgsFromServices(ModuleServices& services) {
  // The directory of organisations is readable by every user; the operator
  // running the command on the server acts as no particular one.
  const platform::Principal operator_principal;
  std::vector<plans::OrgEntry> orgs;
  platform::OrgQuery query;
  query.page.page_size = 200;
  for (query.page.page = 1;; ++query.page.page) {
    Result<platform::Page<platform::Organization>> page =
        services.admin.ListOrganizations(operator_principal, query);
    RS_TRY(page);
    for (const platform::Organization& org : page->items) {
      orgs.push_back(plans::OrgEntry{org.id, org.code, org.name, org.short_name, org.aliases,
                                     org.region_code});
    }
    if (page->items.empty() || static_cast<std::int64_t>(orgs.size()) >= page->total) break;
  }
  return orgs;
}

Result<std::vector<plans::OrgEntry>> OrgsFromDatabase(Runtime& runtime, const std::string& db) {
  Result<ModuleServices*> services = OpenExisting(runtime, db);
  RS_TRY(services);
  return OrgsFromServices(**services);
}

Result<plans::UnitResolver> ResolverOver(Runtime& runtime, Result<std::vector<plans::OrgEntry>> orgs,
                                         const std::string& region) {
  RS_TRY(orgs);
  Result<std::vector<plans::OrgGroup>> groups = plans::ParseOrgGroupsCsv(runtime.OrgGroupsCsv());
  RS_TRY(groups);
  return plans::UnitResolver(std::move(*orgs), std::move(*groups), region);
}

Result<plans::UnitResolver> MakeResolver(Runtime& runtime, const PlanArgs& args) {
  Result<std::vector<plans::OrgEntry>> orgs =
      args.db.empty() ? plans::ParseOrganizationsCsv(runtime.OrganizationsCsv())
                      : OrgsFromDatabase(runtime, args.db);
  RS_TRY(orgs);
  Result<std::vector<plans::OrgGroup>> groups = plans::ParseOrgGroupsCsv(runtime.OrgGroupsCsv());
  RS_TRY(groups);
  return plans::UnitResolver(std::move(*orgs), std::move(*groups), args.region);
}

int ParseCommand(Runtime& runtime, const PlanArgs& args) {
  Result<std::string> bytes = ReadTextFile(args.file);
  if (!bytes) return ReportError(bytes.error());
  Result<std::unique_ptr<plans::SimplifiedConverter>> converter =
      plans::SimplifiedConverter::Create();
  if (!converter) return ReportError(converter.error());
  Result<Plan> plan = plans::ParsePlan(*bytes, converter->get());
  if (!plan) return ReportError(plan.error());
  Result<plans::UnitResolver> resolver = MakeResolver(runtime, args);
  if (!resolver) return ReportError(resolver.error());
  const std::vector<UnresolvedUnit> unresolved = resolver->ResolvePlan(*plan);
  if (args.json) {
    std::cout << PlanJson(*plan, unresolved, args.region) << "\n";
  } else {
    PrintPlan(std::cout, *plan, unresolved);
  }
  return 0;
}

Result<Plan> ReadPlan(const std::string& file, std::string* sha256) {
  Result<std::string> bytes = ReadTextFile(file);
  RS_TRY(bytes);
  *sha256 = Sha256Hex(*bytes);
  Result<std::unique_ptr<plans::SimplifiedConverter>> converter =
      plans::SimplifiedConverter::Create();
  RS_TRY(converter);
  return plans::ParsePlan(*bytes, converter->get());
}

Result<plans::ImportRequest> ImportRequestOf(const PlanArgs& args, const Plan& plan,
                                             std::string sha256) {
  if (plan.year != 0 && plan.year != args.year) {
    return Fail(ErrorCode::kInvalidArgument,
                "文本中的年度（" + std::to_string(plan.year) + "）与 --year 不一致", "year");
  }
  plans::ImportRequest request{args.year, args.region, std::nullopt, std::move(sha256)};
  if (!args.due.empty()) {
    Result<Date> due = Date::Parse(args.due);
    if (!due) return Fail(ErrorCode::kInvalidArgument, "--due：" + due.error().message, "due");
    request.due = *due;
  }
  return request;
}

int ReportUnresolved(const std::vector<UnresolvedUnit>& unresolved) {
  for (const UnresolvedUnit& unit : unresolved) {
    std::cerr << "  未识别：" << (unit.section.empty() ? "" : unit.section + "、")
              << (unit.item.empty() ? "" : "（" + unit.item + "）") << "任务 " << unit.task << " "
              << unit.text << "（" << unit.name << "）\n";
  }
  return ReportError(Error{ErrorCode::kInvalidArgument,
                           "有 " + std::to_string(unresolved.size()) +
                               " 个责任单位未识别，未导入；请先在机构管理中补充机构或别名",
                           "units"});
}

int ImportCommand(Runtime& runtime, const PlanArgs& args) {
  std::string sha256;
  Result<Plan> plan = ReadPlan(args.file, &sha256);
  if (!plan) return ReportError(plan.error());
  Result<plans::ImportRequest> request = ImportRequestOf(args, *plan, sha256);
  if (!request) return ReportError(request.error());
  Result<ModuleServices*> services = OpenExisting(runtime, args.db);
  if (!services) return ReportError(services.error());
  Result<plans::UnitResolver> resolver =
      ResolverOver(runtime, OrgsFromServices(**services), args.region);
  if (!resolver) return ReportError(resolver.error());
  const std::vector<UnresolvedUnit> unresolved = resolver->ResolvePlan(*plan);
  if (!unresolved.empty()) return ReportUnresolved(unresolved);
  size_t assignments = 0;
  for (const Section& section : plan->sections) {
    for (const Item& item : section.items) {
      for (const Task& task : item.tasks) {
        assignments += plans::PlanService::AssignmentsOf(task).size();
      }
    }
  }
  std::cout << "正在导入 " << args.year << " 年工作要点（" << args.region << "）："
            << plan->TaskCount() << " 条任务、" << assignments << " 条分工…" << std::endl;
  Actor actor;
  actor.username = "system";
  actor.client_addr = "cli";
  actor.request_id = RandomToken(12);
  Result<Id> id = (*services)->plans.Import(actor, *plan, *request);
  if (!id) return ReportError(id.error());
  std::cout << "已导入：工作要点 id " << *id << "，" << plan->sections.size() << " 个部分、"
            << plan->ItemCount() << " 项、" << plan->TaskCount() << " 条任务、" << assignments
            << " 条分工；未识别 0 个；期限 "
            << (request->due ? request->due->ToString() : std::to_string(args.year) + "-12-31")
            << "\n";
  return 0;
}

}  // namespace

void AddPlanCommand(CLI::App& app, Runtime& runtime, int& exit_code) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* cmd = app.add_subcommand("plan", "工作要点");
  cmd->require_subcommand(1);
  CLI::App* parse = cmd->add_subcommand(
      "parse", "解析工作要点文本（UTF-8/GB18030，繁体亦可），列出部分、条目、任务和责任单位");
  parse->add_option("FILE", args->file, "工作要点文本文件")->required();
  parse->add_flag("--json", args->json, "输出 JSON");
  parse->add_option("--db", args->db, "按数据库中的机构识别责任单位（给出机构 id）；默认用内置机构表");
  parse->add_option("--region", args->region, "发文地区的行政区划代码")->capture_default_str();
  parse->callback([args, &runtime, &exit_code] { exit_code = ParseCommand(runtime, *args); });

  auto import_args = std::make_shared<PlanArgs>();
  import_args->db = DefaultDb();
  CLI::App* import = cmd->add_subcommand(
      "import", "导入工作要点：每个（任务，责任机构）成为一条分工；有未识别的责任单位时不导入");
  import->add_option("FILE", import_args->file, "工作要点文本文件")->required();
  import->add_option("--year", import_args->year, "年度")->required()->check(CLI::Range(2000, 2100));
  import->add_option("--region", import_args->region, "发文地区的行政区划代码")
      ->capture_default_str();
  import->add_option("--due", import_args->due, "分工期限 YYYY-MM-DD（默认年底）");
  import->add_option("--db", import_args->db, "数据库 URL")->capture_default_str();
  import->callback(
      [import_args, &runtime, &exit_code] { exit_code = ImportCommand(runtime, *import_args); });
}

}  // namespace redshield::cli
