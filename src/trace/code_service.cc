#include "trace/code_service.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "core/crypto.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/gtin.h"
#include "core/region_code.h"
#include "core/text.h"
#include "core/thread_name.h"
#include "core/uscc.h"
#include "trace/codes.h"
#include "trace/gs1_keys.h"

namespace redshield::trace {
namespace {

constexpr std::uint64_t kTenTo18 = 1000000000000000000ULL;

// `count` uniformly random decimal digits from the CSPRNG (libsodium through
// RandomU64): 18 digits per draw, rejecting draws above the largest multiple
// of 10^18 so that no digit string is likelier than another.
std::string RandomDigits(int count) {
  const std::uint64_t limit = (UINT64_MAX / kTenTo18) * kTenTo18;
  std::string out;
  while (static_cast<int>(out.size()) < count) {
    std::uint64_t draw = RandomU64();
    if (draw >= limit) continue;
    std::string digits = std::to_string(draw % kTenTo18);
    out += std::string(18 - digits.size(), '0') + digits;
  }
  out.resize(static_cast<size_t>(count));
  return out;
}

double BitsOf(int digits) { return std::floor(digits * std::log2(10.0) * 10) / 10; }

Error Invalid(std::string message, std::string field) {
  return Error{ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}

bool AllAlnum(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

std::string Prefecture(std::string_view region) {
  if (region.size() != 6 || !AllDigits(region)) return "";
  return std::string(region.substr(0, 4)) + "00";
}

// What the kind needs besides the common fields; fills the fixed part of the
// codes (`head`) and the random digits per code.
Status Prepare(BatchRequest& r, const Clock& clock, std::string& head, int& random_digits) {
  if (r.kind == "pesticide") {
    Result<PesticideRegistration> reg = ParsePesticideRegistration(r.registration_no);
    if (!reg) return tl::unexpected(Invalid(reg.error().message, "registration_no"));
    r.registration_no = reg->number;
    if (r.spec.size() != 3 || !AllDigits(r.spec)) return tl::unexpected(Invalid("规格代码应为 3 位数字", "spec"));
    if (r.production_type < 1 || r.production_type > 3) {
      return tl::unexpected(Invalid("生产类型应为 1、2 或 3", "production_type"));
    }
    head = std::to_string(RegistrationClassOf(*reg)) + reg->number.substr(reg->number.size() - 6) +
           std::to_string(r.production_type) + r.spec;
    random_digits = kPesticideRandomDigits;
  } else if (r.kind == "vet") {
    Result<VetApproval> approval = ParseVetApproval(r.registration_no);
    if (!approval) return tl::unexpected(Invalid(approval.error().message, "registration_no"));
    r.registration_no = approval->number;
    if (r.enterprise_code.size() != 5 || !AllDigits(r.enterprise_code)) {
      return tl::unexpected(Invalid("兽药追溯码的企业编号应为 5 位数字", "enterprise_code"));
    }
    std::string today = ShanghaiDate(clock.Now());
    head = today.substr(0, 4) + today.substr(5, 2) + today.substr(8, 2) + r.enterprise_code;
    random_digits = kVetRandomDigits;
  } else if (r.kind == "seed") {
    if (r.registration_no.empty()) return tl::unexpected(Invalid("请填写品种审定或登记编号", "registration_no"));
    head = "";
    random_digits = kSeedRandomDigits;
  } else if (r.kind == "sgtin") {
    Result<Gtin> gtin = ParseGtin(r.registration_no);
    if (!gtin) return tl::unexpected(Invalid(gtin.error().message, "registration_no"));
    r.registration_no = gtin->ToGtin14();
    head = "01" + r.registration_no + "21";
    random_digits = kSerialRandomDigits;
  } else {
    return tl::unexpected(Invalid("码制应为 pesticide、vet、seed 或 sgtin", "kind"));
  }
  return Ok();
}

// The lookup keys a label text may stand for (at most two).
std::vector<std::string> CandidateKeys(std::string_view text) {
  std::vector<std::string> keys;
  if (text.empty() || text.size() > 48 || !AllAlnum(text)) return keys;
  if (text.size() == 32 && AllDigits(text)) keys.push_back("cn.pesticide/" + std::string(text));
  if (text.size() == 24 && AllDigits(text)) keys.push_back("cn.vet/" + std::string(text));
  if (text.size() > 18 && text.starts_with("01") && AllDigits(text.substr(2, 14)) && text.substr(16, 2) == "21") {
    keys.push_back("01/" + std::string(text.substr(2, 14)) + "/21/" + std::string(text.substr(18)));
  }
  if (text.size() <= 20) keys.push_back("cn.seed/" + std::string(text));
  return keys;
}

// The prefix unknown-but-well-formed codes are grouped by: the registration
// part of a pesticide code, date + enterprise of a vet code, the GTIN.
std::string ClusterPrefix(std::string_view text) {
  if (text.size() == 32 && ParsePesticideUnitCode(text)) return "cn.pesticide/" + std::string(text.substr(0, 11));
  if (text.size() == 24 && ParseVetTraceCode(text)) return "cn.vet/" + std::string(text.substr(0, 13));
  if (text.size() > 18 && text.starts_with("01") && VerifyGs1CheckDigit(text.substr(2, 14))) {
    return "01/" + std::string(text.substr(2, 14));
  }
  return "";
}

// A scan's time (FormatUtc) in milliseconds since the epoch, and back.
std::int64_t Millis(const std::string& utc) {
  return ParseTime(utc).value_or(TimePoint{}).time_since_epoch().count();
}
std::string Utc(std::int64_t ms) { return FormatUtc(TimePoint(std::chrono::milliseconds(ms))); }

// A 盟市 code ("150100") as a number (0: none or not a code), and back.
std::int32_t RegionNumber(const std::string& code) {
  std::int32_t n = 0;
  auto [end, error] = std::from_chars(code.data(), code.data() + code.size(), n);
  return error == std::errc() && end == code.data() + code.size() ? n : 0;
}
std::string RegionText(std::int32_t n) { return n == 0 ? "" : std::to_string(n); }

}  // namespace

std::vector<int> LevelCounts(const BatchRequest& request) {
  std::vector<int> counts{request.quantity};
  for (int size : request.pack_sizes) counts.push_back((counts.back() + size - 1) / size);
  return counts;
}

Result<Place> CheckPlace(Place place) {
  std::string gln = place.id;
  if (gln.size() == 13 && AllDigits(gln)) gln = "https://id.gs1.org/414/" + gln;
  Result<Gs1Key> key = ParseGs1Key(gln);
  if (!key || (key->type != Gs1KeyType::kSgln && key->type != Gs1KeyType::kPgln)) {
    return Fail(ErrorCode::kInvalidArgument, "GLN 不正确：应为 13 位 GLN 或 GS1 的 URN、Digital Link 形式", "id");
  }
  place.key = key->canonical;
  const size_t name_chars = DecodeUtf8(place.name).size();
  if (name_chars == 0 || name_chars > 100) return Fail(ErrorCode::kInvalidArgument, "名称应为 1 到 100 个字", "name");
  if (!CheckRegionCodeFormat(place.region_code)) {
    return Fail(ErrorCode::kInvalidArgument, "行政区划代码不正确", "region_code");
  }
  return place;
}

Result<std::vector<Place>> ParsePlaces(std::string_view csv) {
  Result<CsvTable> table = CsvTable::Parse(csv, {"id", "name", "region_code", "retail"});
  if (!table) return tl::unexpected(table.error());
  std::vector<Place> out;
  std::set<std::string> seen;
  for (const CsvRecord& row : table->records()) {
    const std::string line = "第 " + std::to_string(row.line()) + " 行：";
    const std::string retail(*row.Field("retail"));
    if (retail != "1" && retail != "0" && retail != "是" && retail != "否" && !retail.empty()) {
      return Fail(ErrorCode::kInvalidArgument, line + "零售网点应为 1/0 或 是/否", "retail");
    }
    Result<Place> place = CheckPlace({"", std::string(*row.Field("id")), std::string(*row.Field("name")),
                                      std::string(*row.Field("region_code")), retail == "1" || retail == "是"});
    if (!place) return Fail(ErrorCode::kInvalidArgument, line + place.error().message, place.error().field);
    if (!seen.insert(place->key).second) return Fail(ErrorCode::kInvalidArgument, line + "GLN 重复", "id");
    out.push_back(std::move(*place));
  }
  if (out.empty()) return Fail(ErrorCode::kInvalidArgument, "文件没有数据行", "body");
  return out;
}

bool Visibility::Sees(Id org_id, std::string_view org_region) const {
  if (this->org_id != 0 && org_id != this->org_id) return false;
  return region_prefix.empty() || RegionCovers(region_prefix, org_region);
}

CodeService::CodeService(TraceStore& store, const Clock& clock, IdGenerator& ids,
                         CodeServiceOptions options,
                         std::function<Id(const std::string&)> route_org)
    : store_(store),
      clock_(clock),
      ids_(ids),
      options_(std::move(options)),
      route_org_(std::move(route_org)),
      rules_(options_.rules),
      writer_(ids.Next()) {}

CodeService::~CodeService() { Stop(); }

void CodeService::Start() {
  (void)Drain(true);  // what a process that stopped without Stop() left
  std::lock_guard lock(mu_);
  if (worker_.joinable()) return;
  stop_ = false;
  worker_ = std::thread([this] {
    NameThisThread("rs-scans");
    Run();
  });
}

void CodeService::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  (void)Flush();
}

void CodeService::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    wake_.wait_for(lock, options_.flush_interval);
    if (stop_) break;
    const bool fold = pending_.codes.size() >= options_.max_unfolded ||
                      std::chrono::steady_clock::now() - last_fold_ >= options_.fold_interval;
    lock.unlock();
    (void)Drain(fold);
    lock.lock();
  }
}

Result<Batch> CodeService::Issue(const BatchRequest& request, Id org_id, const Actor& actor) {
  Batch batch;
  batch.request = request;
  BatchRequest& r = batch.request;
  Result<UsccInfo> uscc = ParseUscc(r.enterprise_uscc);
  if (!uscc) return tl::unexpected(Invalid(uscc.error().message, "enterprise_uscc"));
  if (r.enterprise_name.empty()) return tl::unexpected(Invalid("请填写企业名称", "enterprise_name"));
  if (r.product_name.empty()) return tl::unexpected(Invalid("请填写产品名称", "product_name"));
  if (r.lot.empty() || r.lot.size() > 20) return tl::unexpected(Invalid("生产批次应为 1 到 20 个字符", "lot"));
  if (!Date::Parse(r.production_date)) return tl::unexpected(Invalid("生产日期应为 YYYY-MM-DD", "production_date"));
  if (r.quantity < 1 || r.quantity > 100000) return tl::unexpected(Invalid("数量应为 1 到 100000", "quantity"));
  if (r.pack_sizes.size() > 2 ||
      std::any_of(r.pack_sizes.begin(), r.pack_sizes.end(), [](int n) { return n < 2 || n > 1000; })) {
    return tl::unexpected(Invalid("包装层级至多两级，每级 2 到 1000 个", "pack_sizes"));
  }
  if (!r.region_code.empty() && !CheckRegionCodeFormat(r.region_code)) {
    return tl::unexpected(Invalid("行政区划代码不正确", "region_code"));
  }
  std::string head;
  int random_digits = 0;
  RS_TRY(Prepare(r, clock_, head, random_digits));
  batch.id = ids_.Next();
  batch.random_bits = BitsOf(random_digits);
  batch.org_id = org_id;
  batch.created_by = actor.user_id;
  batch.created_at = FormatUtc(clock_.Now());
  AuditEntry audit{actor, "trace.issue", "trace_batch", std::to_string(batch.id),
                   "发放追溯码 " + std::to_string(r.quantity) + " 个" +
                       (r.pack_sizes.empty() ? "" : "（另有包装码 " + std::to_string(r.pack_sizes.size()) + " 级）") +
                       "：" + r.product_name + "，批次 " + r.lot + "，企业 " + r.enterprise_name};
  auto draw = [&](int) {
    std::string text = head + RandomDigits(random_digits);
    std::string key = r.kind == "seed" ? "cn.seed/" + text : CandidateKeys(text).front();
    return std::pair{std::move(key), std::move(text)};
  };
  RS_TRY(store_.IssueBatch(batch, LevelCounts(r), draw, audit));
  return batch;
}

Result<Batch> CodeService::GetBatch(Id id) {
  for (;;) {
    const std::uint64_t generation = Generation();
    Result<Batch> batch = store_.FindBatch(id);
    if (!batch || AddUnfolded({&*batch, 1}, generation)) return batch;
  }
}

Result<std::vector<Batch>> CodeService::ListBatches(Id org_id) {
  for (;;) {
    const std::uint64_t generation = Generation();
    Result<std::vector<Batch>> batches = store_.ListBatches(org_id, 200);
    if (!batches || AddUnfolded(*batches, generation)) return batches;
  }
}

std::uint64_t CodeService::Generation() const { return generation_.load(); }

bool CodeService::AddUnfolded(std::span<Batch> batches, std::uint64_t generation) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return false;
  for (Batch& batch : batches) {
    for (const Unfolded* scans : UnfoldedAfterLocked(batch.last_fold)) {
      auto it = scans->batches.find(batch.id);
      if (it != scans->batches.end()) batch.scans += it->second;
    }
  }
  return true;
}

std::array<const CodeService::Unfolded*, 2> CodeService::UnfoldedAfterLocked(Id last_fold) const {
  static const Unfolded kNone;
  if (fold_ != 0 && last_fold == fold_) return {&kNone, &pending_};
  return {&folding_, &pending_};
}

Result<std::vector<IssuedCode>> CodeService::Labels(Id batch_id, int limit) {
  RS_TRY(store_.FindBatch(batch_id));
  return store_.BatchCodes(batch_id, limit);
}
std::string CodeService::LabelUrl(const std::string& text) const {
  return options_.label_base_url + "/v/" + text;
}

// Each holder is told once: the organisation of its registered place, else
// the agriculture department of its region (who tells the shop).
Result<std::vector<Holder>> CodeService::Recall(Id batch_id, const std::string& reason, const Actor& actor) {
  if (reason.empty()) return Fail(ErrorCode::kInvalidArgument, "请填写召回原因", "reason");
  // The summary gains the number of holders notified; the store appends the
  // entry once the notices are written.
  auto summary = [&](size_t holders) {
    return "召回批次：" + reason + "；下游持有者 " + std::to_string(holders) + " 个" + (holders > 0 ? "，已通知" : "");
  };
  AuditEntry audit{actor, "trace.recall", "trace_batch", std::to_string(batch_id), summary(0)};
  auto route = [&](std::vector<RecallNotice>& notices) {
    Route(notices);
    audit.summary = summary(notices.size());
  };
  RS_TRY(store_.RecallBatch(batch_id, reason, FormatUtc(clock_.Now()), route, audit));
  RefreshClosed(true);
  return store_.Holders(batch_id);
}

CompleteNotices CodeService::NoticeRouting() {
  return [this](std::vector<RecallNotice>& notices) { Route(notices); };
}

void CodeService::Route(std::vector<RecallNotice>& notices) {
  const std::string now = FormatUtc(clock_.Now());
  for (RecallNotice& n : notices) {
    n.id = ids_.Next();
    n.routed = "holder";
    if (n.org_id == 0) {
      n.org_id = route_org_ ? route_org_(Prefecture(n.region_code)) : 0;
      n.routed = "agriculture";
    }
    n.created_at = now;
  }
}

Result<Listing<RecallNotice>> CodeService::Notices(NoticeQuery query) {
  query.page = std::max(query.page, 1);
  query.page_size = std::clamp(query.page_size, 1, 200);
  return store_.ListNotices(query);
}

Result<RecallNotice> CodeService::Acknowledge(Id id, const Visibility& visibility, const std::string& note,
                                              const Actor& actor) {
  const size_t chars = DecodeUtf8(note).size();
  if (chars == 0 || chars > 500) return Fail(ErrorCode::kInvalidArgument, "请填写处置说明（500 字以内）", "note");
  Result<RecallNotice> notice = store_.FindNotice(id);
  if (!notice) return notice;
  if (!visibility.Sees(notice->org_id, notice->org_region)) return Fail(ErrorCode::kNotFound, "召回通知不存在");
  notice->acknowledged_at = FormatUtc(clock_.Now());
  notice->acknowledged_by = actor.user_id;
  notice->ack_note = note;
  AuditEntry audit{actor, "trace.recall_ack", "trace_recall_notice", std::to_string(id),
                   "确认收到召回通知（" + notice->product_name + " 批号 " + notice->lot + "，" + notice->holder_id +
                       "）：" + note};
  RS_TRY(store_.AcknowledgeNotice(*notice, audit));
  return store_.FindNotice(id);
}

Result<Place> CodeService::SavePlace(const Place& place, const Actor& actor) {
  Result<Place> checked = CheckPlace(place);
  if (!checked) return checked;
  checked->updated_at = FormatUtc(clock_.Now());
  AuditEntry audit{actor, "trace.place", "trace_place", checked->key,
                   "登记追溯地点：" + checked->name + "（" + checked->id + "，" + checked->region_code + "）"};
  RS_TRY(store_.UpsertPlaces({*checked}, audit));
  return store_.FindPlace(checked->key);
}

Result<int> CodeService::ImportPlaces(std::string_view csv, Id org_id, const Actor& actor) {
  Result<std::vector<Place>> places = ParsePlaces(csv);
  if (!places) return tl::unexpected(places.error());
  const std::string now = FormatUtc(clock_.Now());
  for (Place& p : *places) {
    p.org_id = org_id;
    p.updated_at = now;
  }
  AuditEntry audit{actor, "trace.place_import", "trace_place", "",
                   "导入追溯地点 " + std::to_string(places->size()) + " 个"};
  RS_TRY(store_.UpsertPlaces(*places, audit));
  return static_cast<int>(places->size());
}

Result<Place> CodeService::FindPlace(const std::string& id) {
  Result<Place> checked = CheckPlace({"", id, "-", "150000"});
  if (!checked) return checked;
  return store_.FindPlace(checked->key);
}

Result<Listing<Place>> CodeService::Places(PlaceQuery query) {
  query.page = std::max(query.page, 1);
  query.page_size = std::clamp(query.page_size, 1, 200);
  return store_.ListPlaces(query);
}

Status CodeService::Destroy(Id batch_id, const std::string& note, const Actor& actor) {
  AuditEntry audit{actor, "trace.destroy", "trace_batch", std::to_string(batch_id), "召回批次已销毁：" + note};
  RS_TRY(store_.SetBatchStatus(batch_id, kStatusRecalled, kStatusDestroyed, note, FormatUtc(clock_.Now()), audit));
  RefreshClosed(true);
  return Ok();
}

Result<std::vector<Holder>> CodeService::Holders(Id batch_id) {
  RS_TRY(store_.FindBatch(batch_id));
  return store_.Holders(batch_id);
}

std::shared_ptr<const Batch> CodeService::BatchOf(Id id, std::string& status) {
  RefreshClosed(false);
  {
    std::lock_guard lock(batches_mu_);
    auto closed = closed_.find(id);
    status = closed == closed_.end() ? kStatusNormal : closed->second;
    auto it = batches_.find(id);
    if (it != batches_.end()) return it->second;
  }
  Result<Batch> found = store_.FindBatch(id, false);
  if (!found) return nullptr;
  auto batch = std::make_shared<const Batch>(std::move(*found));
  std::lock_guard lock(batches_mu_);
  if (batches_.size() >= 10000) batches_.clear();
  batches_[id] = batch;
  return batch;
}

void CodeService::RefreshClosed(bool now) {
  const auto start = std::chrono::steady_clock::now();
  auto due = [&] { return now || closed_due_.load() <= start.time_since_epoch().count(); };
  if (!due()) return;
  std::unique_lock refresh(refresh_mu_, std::defer_lock);
  // While another thread reads the list, verification answers from the one
  // it has, unless there is none yet.
  if (now || closed_due_.load() == 0) {
    refresh.lock();
  } else if (!refresh.try_lock()) {
    return;
  }
  if (!due()) return;  // read meanwhile
  Result<std::unordered_map<Id, std::string>> closed = store_.ClosedBatchStatuses();
  if (closed) {
    std::lock_guard lock(batches_mu_);
    closed_.swap(*closed);
  }
  // Due again once the list is in place (a thread that finds none waits for
  // it), and even if the read failed (logged by storage): a failing store is
  // not asked at every verification.
  closed_due_ = (start + options_.status_refresh).time_since_epoch().count();
}

std::optional<CodeInfo> CodeService::Lookup(const std::string& key, std::uint64_t& generation) {
  generation = generation_.load();
  Result<std::optional<CodeInfo>> found = store_.LookupCode(key);
  if (!found || !*found) return std::nullopt;  // backend trouble reads as unknown; logged by storage
  (*found)->batch = BatchOf((*found)->batch_id, (*found)->status);
  if (!(*found)->batch) return std::nullopt;
  // Moved once: a CodeInfo is some 20 strings.
  return std::move(*found);
}

VerifyResult CodeService::Verify(std::string_view code, std::string_view region) {
  VerifyResult result;
  result.status = kStatusNotIssued;
  Scan scan{"", "", FormatUtc(clock_.Now()), Prefecture(region), false};
  std::vector<std::string> keys = CandidateKeys(code);
  // A malformed code takes the same path as an unknown one (one lookup), so
  // that neither the answer nor its timing tells them apart.
  if (keys.empty()) keys.push_back("?");
  std::uint64_t generation = 0;
  for (const std::string& key : keys) {
    result.code = Lookup(key, generation);
    if (!result.code) continue;
    scan.key = key;
    scan.known = true;
    result.found = true;
    break;
  }
  if (!result.found) {
    if (keys.front() != "?") scan.text = std::string(code);
    if (!scan.text.empty()) Enqueue(std::move(scan));
    return result;
  }
  std::unique_lock lock(mu_);
  // The row was read before a fold that has ended since: read it again.
  while (generation != generation_) {
    lock.unlock();
    std::optional<CodeInfo> again = Lookup(scan.key, generation);
    lock.lock();
    if (!again) break;  // backend trouble: answer from the first read
    result.code = std::move(again);
  }
  CodeInfo& info = *result.code;
  for (const Unfolded* unfolded : UnfoldedAfterLocked(info.last_fold)) {
    auto it = unfolded->codes.find(scan.key);
    if (it != unfolded->codes.end()) it->second.AddTo(info);
  }
  scan.batch_id = info.batch_id;
  scan.previous_region = info.last_region;
  scan.previous_at = info.last_region_at;
  if (info.scan_count == 0) {
    info.first_scan_at = scan.scanned_at;
    info.first_scan_region = scan.region_code;
  }
  info.scan_count += 1;  // this scan
  scan.count_after = info.scan_count;
  result.status = info.status;
  if (result.status == kStatusNormal && info.suspicious) result.status = kStatusSuspicious;
  EnqueueLocked(std::move(scan));
  return result;
}

CodeService::ScanBacklog CodeService::Backlog() const {
  std::lock_guard lock(mu_);
  // A code may be in both tables while a fold runs: counted in each.
  return {queue_.size(), pending_.codes.size() + folding_.codes.size(), dropped_.load(), generation_.load(),
          fold_seconds_};
}

void CodeService::Enqueue(Scan scan) {
  std::lock_guard lock(mu_);
  EnqueueLocked(std::move(scan));
}

void CodeService::EnqueueLocked(Scan scan) {
  if (queue_.size() >= options_.max_pending) {
    ++dropped_;
    return;
  }
  if (scan.known) pending_.Add(scan);
  queue_.push_back(std::move(scan));
}

void CodeService::Pending::Add(const Scan& scan) {
  const std::int64_t at = Millis(scan.scanned_at);
  const std::int32_t region = RegionNumber(scan.region_code);
  if (count++ == 0) {
    first_ms = at;
    first_region = region;
  }
  if (region != 0) {
    last_region = region;
    last_ms = at;
  }
}

void CodeService::Pending::Add(const Pending& later) {
  if (count == 0) {
    first_ms = later.first_ms;
    first_region = later.first_region;
  }
  count += later.count;
  if (later.last_region != 0) {
    last_region = later.last_region;
    last_ms = later.last_ms;
  }
}

void CodeService::Unfolded::Add(const Scan& scan) {
  codes[scan.key].Add(scan);
  ++batches[scan.batch_id];
}

void CodeService::Unfolded::Add(const Unfolded& later) {
  for (const auto& [key, p] : later.codes) codes[key].Add(p);
  for (const auto& [id, n] : later.batches) batches[id] += n;
}

void CodeService::Pending::AddTo(CodeInfo& info) const {
  if (count == 0) return;
  if (info.scan_count == 0) {
    info.first_scan_at = Utc(first_ms);
    info.first_scan_region = RegionText(first_region);
  }
  info.scan_count += count;
  if (last_region != 0) {
    info.last_region = RegionText(last_region);
    info.last_region_at = Utc(last_ms);
  }
}

Status CodeService::Flush() { return Drain(true); }

Status CodeService::Drain(bool fold) {
  std::lock_guard flush_lock(flush_mu_);
  std::vector<Scan> scans;
  // Tables are sized and freed outside the service mutex: growing or freeing
  // one of 200,000 entries under it stalled every verification for ~15 ms.
  Unfolded fresh;
  const Id token = fold ? ids_.Next() : 0;  // names this fold in the store
  if (fold) fresh.codes.reserve(options_.max_unfolded);
  {
    std::lock_guard lock(mu_);
    scans.swap(queue_);
    queue_.swap(spare_);
    if (fold) {
      std::swap(folding_, pending_);  // folding_ is empty between folds
      std::swap(pending_, fresh);
      fold_ = token;
      last_fold_ = std::chrono::steady_clock::now();
    }
  }
  Status written = Ok();
  if (fold) {
    const auto started = std::chrono::steady_clock::now();
    const std::string stale_before = FormatUtc(clock_.Now() - 2 * options_.fold_interval);
    Status folded = store_.FoldScans(scans, token, writer_, stale_before);
    std::lock_guard lock(mu_);
    fold_ = 0;
    if (folded) {
      fold_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      ++generation_;
    } else {
      // Nothing was written: the scans wait for the next fold, older first.
      folding_.Add(pending_);
      std::swap(pending_, folding_);
      written = tl::unexpected(folded.error());
    }
    std::swap(fresh, folding_);  // emptied, and freed below
  } else if (!scans.empty()) {
    written = store_.RecordScans(scans, writer_);
  }
  if (written && !scans.empty()) Raise(Evaluate(scans));
  scans.clear();  // the scans' strings are freed outside mu_; the capacity stays
  std::lock_guard lock(mu_);
  spare_.swap(scans);
  return written;
}

void CodeService::Raise(std::vector<Suspicion> suspicions) {
  if (suspicions.empty()) return;
  const std::string now = FormatUtc(clock_.Now());
  for (Suspicion& s : suspicions) {
    s.id = ids_.Next();
    s.org_id = route_org_ ? route_org_(s.region_code) : 0;
    s.created_at = s.updated_at = now;
  }
  // A failure is logged by storage; the rules run again on the next scans.
  (void)store_.UpsertSuspicions(suspicions);
}

// The clone rules of issue 7 §5 over freshly written scans. One raise per
// rule and code per flush (the first); the retail sales of the flush's codes
// are read with one prepared statement, not a query prepared per scan.
std::vector<Suspicion> CodeService::Evaluate(const std::vector<Scan>& scans) {
  std::vector<Suspicion> out;
  std::set<std::string> raised;
  auto raise = [&](std::optional<Suspicion> s) {
    if (s && raised.insert(s->rule + "\n" + s->code_key).second) out.push_back(std::move(*s));
  };
  const CloneRules rules = Rules();
  const TimePoint now = clock_.Now();
  const std::string since = FormatUtc(now - std::chrono::hours(rules.distant_window_hours));
  const std::map<std::string, TraceStore::Sale> sales = SalesOf(scans);
  for (const Scan& scan : scans) {
    if (!scan.known) {
      raise(ClusterRule(scan, now, rules));
      continue;
    }
    const std::int64_t excess = scan.count_after - rules.scans_per_unit;
    if (excess > 0 && (excess & (excess - 1)) == 0) {
      raise(Suspicion{0, "scans_exceed_units", scan.key, scan.batch_id, scan.region_code, 0,
                      "单件商品的码被扫描 " + std::to_string(scan.count_after) + " 次（上限 " +
                          std::to_string(rules.scans_per_unit) + "）"});
    }
    if (scan.region_code.empty()) continue;
    raise(DistantRule(scan, since, rules.distant_window_hours));
    auto sale = sales.find(scan.key);
    if (sale == sales.end()) continue;
    const TraceStore::Sale& s = sale->second;
    if (s.event_time <= scan.scanned_at && !s.region_code.empty() && Prefecture(s.region_code) != scan.region_code) {
      raise(Suspicion{0, "after_retail_sale", scan.key, scan.batch_id, scan.region_code, 0,
                      "该码已于 " + s.event_time + " 在 " + s.region_code + " 零售售出，之后在 " + scan.region_code +
                          " 被扫描"});
    }
  }
  return out;
}

std::map<std::string, TraceStore::Sale> CodeService::SalesOf(const std::vector<Scan>& scans) {
  std::vector<std::string> keys;
  std::string latest;
  for (const Scan& scan : scans) {
    if (!scan.known || scan.region_code.empty()) continue;
    keys.push_back(scan.key);
    latest = std::max(latest, scan.scanned_at);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  Result<std::map<std::string, TraceStore::Sale>> sales = store_.RetailSales(keys, latest);
  return sales ? std::move(*sales) : std::map<std::string, TraceStore::Sale>{};  // logged by storage
}

// unissued_cluster: many never-issued codes with one prefix in a window.
std::optional<Suspicion> CodeService::ClusterRule(const Scan& scan, TimePoint now, const CloneRules& rules) {
  const std::string prefix = ClusterPrefix(scan.text);
  if (prefix.empty()) return std::nullopt;
  std::lock_guard lock(rules_mu_);
  if (clusters_.size() > 10000) clusters_.clear();
  std::deque<std::string>& times = clusters_[prefix];
  times.push_back(scan.scanned_at);
  const std::string cutoff = FormatUtc(now - std::chrono::minutes(rules.cluster_window_minutes));
  while (!times.empty() && times.front() < cutoff) times.pop_front();
  if (static_cast<int>(times.size()) < rules.cluster_threshold) return std::nullopt;
  return Suspicion{0, "unissued_cluster", "prefix:" + prefix, 0, scan.region_code, 0,
                   std::to_string(times.size()) + " 个未发放的码在 " + std::to_string(rules.cluster_window_minutes) +
                       " 分钟内被扫描（前缀 " + prefix + "）"};
}

// distant_regions: one code scanned in two 盟市 within the window (`since`).
// The code's latest located scan before this one is the one verification
// saw: its row's, or a later one of this process not folded yet.
std::optional<Suspicion> CodeService::DistantRule(const Scan& scan, const std::string& since, int window_hours) {
  if (scan.previous_region.empty() || scan.previous_region == scan.region_code || scan.previous_at < since) {
    return std::nullopt;
  }
  const std::set<std::string> regions{scan.region_code, scan.previous_region};
  std::string list;
  for (const std::string& r : regions) list += (list.empty() ? "" : "、") + r;
  return Suspicion{0, "distant_regions", scan.key, scan.batch_id, scan.region_code, 0,
                   "同一个码 " + std::to_string(window_hours) + " 小时内在不同盟市被扫描：" + list};
}

CloneRules CodeService::Rules() {
  std::lock_guard lock(rules_mu_);
  if (!rules_loaded_) {
    Result<std::vector<RuleVersion>> newest = store_.RuleVersions(1);
    if (!newest) return rules_;  // logged by storage; tried again next time
    if (!newest->empty()) rules_ = newest->front().rules;
    rules_loaded_ = true;
  }
  return rules_;
}

Result<std::vector<RuleVersion>> CodeService::RuleHistory() { return store_.RuleVersions(50); }

Result<RuleVersion> CodeService::SetRules(const CloneRules& rules, const std::string& note, const Actor& actor) {
  struct Range {
    int value, min, max;
    const char* field;
    const char* name;
  };
  for (const Range& r : {Range{rules.scans_per_unit, 1, 1000, "scans_per_unit", "单件扫码次数上限"},
                         Range{rules.distant_window_hours, 1, 720, "distant_window_hours", "异地扫码时间窗（小时）"},
                         Range{rules.cluster_threshold, 2, 10000, "cluster_threshold", "未发放码聚集数量"},
                         Range{rules.cluster_window_minutes, 1, 1440, "cluster_window_minutes", "未发放码聚集时间窗（分钟）"}}) {
    if (r.value < r.min || r.value > r.max) {
      return Fail(ErrorCode::kInvalidArgument,
                  std::string(r.name) + "应为 " + std::to_string(r.min) + " 到 " + std::to_string(r.max), r.field);
    }
  }
  const size_t chars = DecodeUtf8(note).size();
  if (chars == 0 || chars > 200) return Fail(ErrorCode::kInvalidArgument, "请填写修改说明（200 字以内）", "note");
  RuleVersion version{ids_.Next(), rules, note, actor.user_id, "", FormatUtc(clock_.Now())};
  const auto text = [](const CloneRules& r) {
    return "扫码上限 " + std::to_string(r.scans_per_unit) + " 次，异地时间窗 " + std::to_string(r.distant_window_hours) +
           " 小时，未发放码聚集 " + std::to_string(r.cluster_threshold) + " 个/" +
           std::to_string(r.cluster_window_minutes) + " 分钟";
  };
  AuditEntry audit{actor, "trace.rules", "trace_rule_version", std::to_string(version.id),
                   "修改克隆码检测规则：" + text(Rules()) + " → " + text(rules) + "（" + note + "）"};
  RS_TRY(store_.SaveRuleVersion(version, audit));
  std::lock_guard lock(rules_mu_);
  rules_ = rules;
  rules_loaded_ = true;
  return version;
}

Result<std::vector<Suspicion>> CodeService::Suspicions(const std::string& status, const Visibility& visibility) {
  return store_.ListSuspicions(status, visibility, 500);
}

Result<Suspicion> CodeService::Review(Id id, const Visibility& visibility, std::string_view decision,
                                      const std::string& comment, const Actor& actor) {
  const bool confirm = decision == "confirm";
  if (!confirm && decision != "dismiss") return Fail(ErrorCode::kInvalidArgument, "核查结论应为 confirm 或 dismiss", "decision");
  const size_t chars = DecodeUtf8(comment).size();
  if (chars > 500 || (!confirm && chars == 0)) {
    return Fail(ErrorCode::kInvalidArgument, "请填写核查意见（排除时必填，500 字以内）", "comment");
  }
  Result<Suspicion> suspicion = store_.FindSuspicion(id);
  if (!suspicion) return suspicion;
  if (!visibility.Sees(suspicion->org_id, suspicion->org_region)) return Fail(ErrorCode::kNotFound, "疑似克隆码记录不存在");
  suspicion->status = confirm ? kSuspicionConfirmed : kSuspicionDismissed;
  suspicion->reviewed_by = actor.user_id;
  suspicion->reviewed_at = FormatUtc(clock_.Now());
  suspicion->review_comment = comment;
  AuditEntry audit{actor, "trace.suspicion_review", "trace_suspicion", std::to_string(id),
                   "核查疑似克隆码 " + suspicion->code_key + "：" + suspicion->status +
                       (comment.empty() ? "" : "，" + comment)};
  RS_TRY(store_.ReviewSuspicion(*suspicion, audit));
  return store_.FindSuspicion(id);
}

Result<ScanStats> CodeService::Stats(Id batch_id, const std::string& since) {
  return store_.ScanStatistics(batch_id, since);
}

}  // namespace redshield::trace
