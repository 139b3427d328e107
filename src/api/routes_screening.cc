// Routes: screening jobs (streamed upload of a listing feed) and the clues
// their hits raise (issue 6 §5). Access: screening.run to upload and follow
// jobs, clue.read and clue.review for clues (scoped by the services),
// screening.rules to reload the rule files.
#include <chrono>

#include "api/api.h"
#include "api/mapping.h"
#include "api/xlsx.h"
#include "core/clock.h"

namespace redshield::api {
namespace {

using platform::Permission;

#define RS_API_TRY(var, expr) \
  auto var = (expr);          \
  if (!var) return ErrorResponse(var.error(), ctx.request.request_id)

// JSON text this program wrote (reasons, spans); an empty array if unreadable.
json::value Embedded(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return ec ? json::value(json::array{}) : v;
}

json::value OptionalId(const std::optional<Id>& id) {
  return id ? json::value(IdText(*id)) : json::value(nullptr);
}

json::value Price(std::int64_t fen) {
  return fen < 0 ? json::value(nullptr) : json::value(static_cast<double>(fen) / 100.0);
}

json::object ToJson(const clues::ScreeningJob& j) {
  json::array samples;
  for (const clues::MalformedLine& m : j.malformed_samples) {
    samples.push_back(json::object{{"line", m.line}, {"message", m.message}});
  }
  return {{"id", IdText(j.id)},
          {"status", j.status},
          {"file_name", j.file_name},
          {"threshold", j.threshold},
          {"bytes_total", j.bytes_total},
          {"bytes_read", j.bytes_read},
          {"listings_read", j.listings_read},
          {"flagged", j.flagged},
          {"malformed", j.malformed},
          {"clues_created", j.clues_created},
          {"clues_merged", j.clues_merged},
          {"created_at", j.created_at},
          {"started_at", OptionalText(j.started_at)},
          {"finished_at", OptionalText(j.finished_at)},
          {"error", j.error.empty() ? json::value(nullptr) : json::value(j.error)},
          {"malformed_samples", samples},
          {"created_by", IdText(j.created_by)},
          {"org_id", IdText(j.org_id)},
          {"region_code", j.region_code}};
}

json::object ToJson(const clues::Clue& c, bool detail) {
  json::object out{{"id", IdText(c.id)},
                   {"source", c.source},
                   {"job_id", OptionalId(c.job_id)},
                   {"platform", c.platform},
                   {"listing_id", c.listing_id},
                   {"url", c.url},
                   {"title", c.title},
                   {"price", Price(c.price_fen)},
                   {"seller_id", c.seller_id},
                   {"seller_name", c.seller_name},
                   {"brand", c.brand.empty() ? json::value(nullptr) : json::value(c.brand)},
                   {"category", c.category},
                   {"score", c.score},
                   {"status", c.status},
                   {"org", json::object{{"id", IdText(c.org_id)}, {"name", c.org_name}}},
                   {"region_code", c.region_code},
                   {"listing_count", c.listing_count},
                   {"first_seen", c.first_seen},
                   {"last_seen", c.last_seen},
                   {"reviewed_at", OptionalText(c.reviewed_at)},
                   {"reviewed_by", c.reviewed_by ? json::value(json::object{
                                                       {"id", IdText(*c.reviewed_by)},
                                                       {"name", c.reviewed_by_name}})
                                                 : json::value(nullptr)},
                   {"review_comment", c.review_comment}};
  if (!detail) return out;
  out["description"] = c.description;
  out["reasons"] = Embedded(c.reasons_json);
  out["spans"] = Embedded(c.spans_json);
  json::array listings;
  for (const clues::ClueListing& l : c.listings) {
    listings.push_back(json::object{{"platform", l.platform},
                                    {"listing_id", l.listing_id},
                                    {"url", l.url},
                                    {"title", l.title},
                                    {"price", Price(l.price_fen)},
                                    {"score", l.score},
                                    {"job_id", OptionalId(l.job_id)},
                                    {"seen_at", l.seen_at}});
  }
  out["listings"] = listings;
  return out;
}

Result<clues::ClueQuery> ClueQueryFrom(const HttpRequest& req) {
  clues::ClueQuery q;
  q.status = req.Query("status");
  q.brand = req.Query("brand");
  q.platform = req.Query("platform");
  q.text = req.Query("q");
  if (!req.Query("org_id").empty()) {
    Result<Id> org = ParseId(req.Query("org_id"), "org_id");
    RS_TRY(org);
    q.org_id = *org;
  }
  if (std::string min = req.Query("min_score"); !min.empty()) {
    int value = -1;
    if (min.size() > 3 || min.find_first_not_of("0123456789") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "最低分应为 0 到 100 的整数", "min_score");
    }
    value = std::stoi(min);
    q.min_score = value;
  }
  Result<platform::PageRequest> page = ParsePage(req);
  RS_TRY(page);
  q.page = *page;
  return q;
}

HttpResponse SubmitJob(RequestContext& ctx, Services& s) {
  int threshold = 50;
  if (std::string t = ctx.request.Query("threshold"); !t.empty()) {
    if (t.size() > 3 || t.find_first_not_of("0123456789") != std::string::npos) {
      return ErrorResponse({ErrorCode::kInvalidArgument, "阈值应为 1 到 100 的整数", "threshold"},
                           ctx.request.request_id);
    }
    threshold = std::stoi(t);
  }
  if (ctx.request.body_file.empty() || ctx.request.body_bytes == 0) {
    return ErrorResponse({ErrorCode::kInvalidArgument, "上传的文件为空", "body"},
                         ctx.request.request_id);
  }
  std::string name = ctx.request.Query("name");
  if (name.empty()) name = "upload.jsonl";
  RS_API_TRY(job, s.screening_jobs->Submit(*ctx.principal, ctx.request.body_file, name,
                                           ctx.request.body_bytes, threshold));
  HttpResponse response = JsonResponse(202, ToJson(*job));
  response.AddHeader("Location", "/api/v1/screening/jobs/" + IdText(job->id));
  return response;
}

HttpResponse ListJobs(RequestContext& ctx, Services& s) {
  RS_API_TRY(page, ParsePage(ctx.request));
  RS_API_TRY(jobs, s.screening_jobs->List(*ctx.principal, *page));
  return JsonResponse(200, PageJson(*jobs, [](const clues::ScreeningJob& j) { return ToJson(j); }));
}

HttpResponse GetJob(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(job, s.screening_jobs->Get(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*job));
}

HttpResponse ReloadRules(RequestContext& ctx, Services& s) {
  Status reloaded = s.reload_rules();
  if (!reloaded) return ErrorResponse(reloaded.error(), ctx.request.request_id);
  return JsonResponse(200, json::object{{"reloaded", true}});
}

HttpResponse ListClues(RequestContext& ctx, Services& s) {
  RS_API_TRY(query, ClueQueryFrom(ctx.request));
  RS_API_TRY(page, s.clues->List(*ctx.principal, *query));
  return JsonResponse(200, PageJson(*page, [](const clues::Clue& c) { return ToJson(c, false); }));
}

HttpResponse GetClue(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(clue, s.clues->Get(*ctx.principal, *id));
  return JsonResponse(200, ToJson(*clue, true));
}

HttpResponse ReviewClue(RequestContext& ctx, Services& s) {
  RS_API_TRY(id, PathId(ctx));
  RS_API_TRY(body, ParseObject(ctx.request.body));
  RS_API_TRY(decision, GetString(*body, "decision"));
  RS_API_TRY(comment, GetString(*body, "comment", false));
  RS_API_TRY(clue, s.clues->Review(*ctx.principal, *id, *decision, *comment));
  return JsonResponse(200, ToJson(*clue, true));
}

json::array Counts(const std::vector<clues::NamedCount>& counts, bool with_name) {
  json::array out;
  for (const clues::NamedCount& c : counts) {
    json::object item{{"key", c.key}, {"count", c.count}};
    if (with_name) item["name"] = c.name;
    out.push_back(std::move(item));
  }
  return out;
}

HttpResponse Stats(RequestContext& ctx, Services& s) {
  RS_API_TRY(query, ClueQueryFrom(ctx.request));
  RS_API_TRY(stats, s.clues->Stats(*ctx.principal, *query));
  return JsonResponse(200, json::object{{"total", stats->total},
                                        {"top_brands", Counts(stats->top_brands, false)},
                                        {"top_sellers", Counts(stats->top_sellers, true)},
                                        {"by_status", Counts(stats->by_status, false)},
                                        {"by_day", Counts(stats->by_day, false)}});
}

std::string LocalTime(const std::string& utc) {
  Result<TimePoint> t = ParseTime(utc);
  if (!t) return utc;
  std::string local = FormatUtc(*t + std::chrono::hours(8)).substr(0, 19);
  local[10] = ' ';
  return local;
}

std::string Yuan(std::int64_t fen) {
  if (fen < 0) return "";
  std::string cents = std::to_string(fen % 100);
  return std::to_string(fen / 100) + "." + (cents.size() == 1 ? "0" + cents : cents);
}

HttpResponse Export(RequestContext& ctx, Services& s) {
  RS_API_TRY(query, ClueQueryFrom(ctx.request));
  RS_API_TRY(rows, s.clues->Export(*ctx.principal, *query));
  Sheet sheet{"线索",
              {"线索编号", "状态", "风险分", "品牌", "平台", "商品编号", "商品标题", "价格（元）",
               "卖家编号", "卖家名称", "商品数", "分派机构", "首次发现（北京时间）",
               "最近发现（北京时间）", "核查意见", "链接"},
              {},
              {20, 8, 8, 12, 12, 14, 50, 10, 14, 24, 8, 28, 20, 20, 30, 40}};
  for (const clues::Clue& c : *rows) {
    sheet.rows.push_back({IdText(c.id), c.status, std::to_string(c.score), c.brand, c.platform,
                          c.listing_id, c.title, Yuan(c.price_fen), c.seller_id, c.seller_name,
                          std::to_string(c.listing_count), c.org_name, LocalTime(c.first_seen),
                          LocalTime(c.last_seen), c.review_comment, c.url});
  }
  RS_API_TRY(bytes, WriteXlsx(sheet));
  return XlsxDownload(std::move(*bytes), "线索.xlsx");
}

}  // namespace

void AddScreeningRoutes(Router& r, Services& s) {
  auto bind = [&s](HttpResponse (*fn)(RequestContext&, Services&)) {
    return [&s, fn](RequestContext& ctx) { return fn(ctx, s); };
  };
  const std::vector<std::string> kClueFilters = {"status", "brand", "platform", "org_id", "q",
                                                 "min_score", "page", "page_size"};
  r.AddUpload("POST", "/api/v1/screening/jobs", Access::Require(Permission::kScreeningRun),
              {"上传电商商品数据（JSON Lines，可 gzip）并开始筛查；返回 202 和任务", "screening",
               "", "ScreeningJob", {"threshold", "name"}},
              bind(SubmitJob));
  r.Add("GET", "/api/v1/screening/jobs", Access::Require(Permission::kScreeningRun),
        {"筛查任务列表（新的在前）", "screening", "", "", {"page", "page_size"}}, bind(ListJobs));
  r.Add("GET", "/api/v1/screening/jobs/{id}", Access::Require(Permission::kScreeningRun),
        {"筛查任务进度", "screening", "", "ScreeningJob"}, bind(GetJob));
  if (s.reload_rules) {
    r.Add("POST", "/api/v1/screening/rules/reload", Access::Require(Permission::kScreeningRules),
          {"重新加载筛查规则文件", "screening", "", ""}, bind(ReloadRules));
  }
  r.Add("GET", "/api/v1/clues", Access::Require(Permission::kClueRead),
        {"线索列表（风险分高的在前）", "clues", "", "", kClueFilters}, bind(ListClues));
  r.Add("GET", "/api/v1/clues/stats", Access::Require(Permission::kClueRead),
        {"线索统计：品牌、卖家排行，按状态、按日", "clues", "", "", kClueFilters}, bind(Stats));
  r.Add("GET", "/api/v1/clues/export", Access::Require(Permission::kClueRead),
        {"导出线索（Excel）", "clues", "", "", kClueFilters}, bind(Export));
  r.Add("GET", "/api/v1/clues/{id}", Access::Require(Permission::kClueRead),
        {"线索详情（含商品描述、命中位置、理由和全部商品）", "clues", "", ""}, bind(GetClue));
  r.Add("POST", "/api/v1/clues/{id}/review", Access::Require(Permission::kClueReview),
        {"核查线索：确认或排除", "clues", "ClueReview", ""}, bind(ReviewClue));
}

}  // namespace redshield::api
