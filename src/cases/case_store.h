// Persistence of administrative cases and their 两法衔接 transfer (issue 5):
// the case row with its facts, decision, transfer and judicial figures and the
// latest threshold evaluation; parties (resident IDs only encrypted and
// masked); special-action tags; lifecycle events (who/when); statutory timers.
// storage/ implements it (storage/case_store_sql.cc). Every write commits with
// its audit record in one transaction. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/attachment.h"
#include "core/audit.h"
#include "core/error.h"
#include "core/id.h"
#include "platform/types.h"

namespace redshield::cases {

struct CaseParty {
  std::string kind;  // enterprise | person
  std::string name;
  std::string uscc;          // enterprises: 统一社会信用代码 (validated)
  std::string id_masked;     // persons: masked resident ID, shown everywhere
  std::string id_encrypted;  // persons: SecretBox ciphertext; never leaves the service
};

// Goods (or services) involved, with the brand and the rights holder.
struct CaseGoods {
  std::string name;             // 涉案商品或服务
  std::string brand;            // 商标 / 品牌
  std::string registration_no;  // 商标注册号、专利号或登记证号
  std::string rights_holder;    // 权利人
  std::string rights_holder_uscc;  // validated when given
  double quantity = 0;
  std::string unit;
  int64_t value_fen = 0;
};

struct CaseEvent {
  Id id = 0;
  Id case_id = 0;
  std::string action;  // create | edit | open | ... (see case_service.h)
  std::string from_status, to_status;  // lifecycle or transfer status, as changed
  std::string text;
  Id by = 0;
  std::string by_name;  // filled by reads
  std::string by_org;   // filled by reads
  std::string at;       // UTC text
};

struct CaseTimer {
  std::string kind;  // approve | deliver | police_decide | ... (data/cases/timers.csv)
  std::string name;
  std::string started_at;   // UTC text
  std::string deadline_at;  // UTC text
  std::string done_at;      // UTC text; empty while running
  std::string legal_source;
  std::string rule;  // "3 日（自然日）", "24 小时", "20 个工作日"
};

struct Case {
  Id id = 0;
  std::string case_number;  // <org code>-<year>-<5-digit sequence>
  Id org_id = 0;
  std::string org_name;     // filled by reads
  std::string region_code;  // the handling organisation's region, or below it
  std::string category;
  std::vector<std::string> tags;  // special actions (剑网, 秋风 ...)
  std::string channel;            // 线上 | 线下 | 寄递 | 进出口
  std::string title;
  std::string facts;
  std::string brand;          // the first goods' brand, for lists and search
  std::string rights_holder;  // the first goods' rights holder
  std::vector<CaseGoods> goods;  // filled by Find
  // Threshold facts.
  std::string offence;
  std::string offence_date;  // YYYY-MM-DD or empty
  std::string goods_or_services = "goods";
  int64_t illegal_business_fen = 0, illegal_gains_fen = 0, sales_fen = 0, unsold_value_fen = 0,
          production_loss_fen = 0, rights_holder_loss_fen = 0;
  int64_t item_count = 0, label_count = 0, unsold_label_count = 0, copies = 0, marks_count = 1;
  bool prior_penalty = false;
  bool reasonable_suspicion = false;
  int64_t dens_destroyed = 0;  // 捣毁窝点
  int64_t suspects = 0;        // persons involved
  // Lifecycle and decision.
  std::string status = "线索";  // 线索 立案 调查 审核 决定 执行 结案
  std::string opened_on;        // YYYY-MM-DD (立案)
  std::string decided_on;
  std::string closed_on;
  std::string penalty_type;
  int64_t fine_fen = 0, confiscated_fen = 0;
  // Transfer (国务院令第730号).
  std::string transfer_status;  // '' 待批准 不批准 已批准 已移送 已受理 已立案 不予立案 复议中
  Id police_org_id = 0;
  std::string police_org_name;  // filled by reads
  std::string transferred_on;   // YYYY-MM-DD (已移送)
  std::string police_reason;
  // Procuratorate and court.
  bool transfer_suggested = false;  // 建议移送
  bool filing_supervised = false;   // 立案监督
  int64_t arrested_persons = 0;     // 批捕 (0: none recorded)
  int64_t prosecuted_persons = 0;   // 起诉
  bool court_accepted = false;
  bool court_concluded = false;
  int64_t convicted_persons = 0;
  // The latest threshold evaluation (re-run on every change).
  bool should_transfer = false;
  std::string eval_rule;
  std::string eval_basis;
  std::vector<std::string> eval_reasons;
  bool eval_uncertain = false;
  Id created_by = 0;
  std::string created_at;
  std::string updated_at;
  int64_t version = 1;  // optimistic concurrency
  std::vector<CaseParty> parties;
  std::vector<CaseTimer> timers;
  std::vector<CaseEvent> events;  // filled by Find, oldest first
  std::vector<AttachmentMeta> documents;  // filled by Find, oldest first; kind per documents.csv
};

struct CaseQuery {
  std::string number;  // contains
  std::string party;   // party name contains
  std::string category;
  std::string status;
  std::string transfer_status;
  std::string region_prefix;  // scope and filter: this region or below
  std::optional<Id> org_id;
  std::optional<Id> police_org_id;
  bool prosecuted_only = false;  // court scope
  std::string from, to;          // opened_on, inclusive YYYY-MM-DD
  // Supervision: should_transfer and not transferred (transfer '' or 不批准).
  bool not_transferred_only = false;
  platform::PageRequest page;
};

// A timer with the case it runs on.
struct TimerOnCase {
  Id case_id = 0;
  std::string case_number;
  std::string org_name;
  CaseTimer timer;
};

// Sums over the cases opened (立案) in a period (issue 5 §5).
struct SummaryRow {
  std::string key;  // region code, category, YYYY-MM or tag
  int64_t cases = 0;
  int64_t value_fen = 0;    // 案值: 非法经营数额
  int64_t penalty_fen = 0;  // 罚没款: fine + confiscation
  int64_t transferred = 0;
};

struct SummaryFigures {
  SummaryRow total;
  int64_t dens = 0;
  int64_t transferred_persons = 0;
  int64_t police_filed = 0, police_suspects = 0, police_value_fen = 0;
  int64_t arrest_cases = 0, arrest_persons = 0;
  int64_t prosecute_cases = 0, prosecute_persons = 0;
  int64_t supervised_filings = 0;
  int64_t court_accepted = 0, court_concluded = 0, convicted_persons = 0;
  int64_t customs_batches = 0, customs_items = 0, customs_value_fen = 0;
  // From the destruction orders dated in the period (custody_store.h).
  double destroyed_kg = 0;
  int64_t destroyed_value_fen = 0;
  std::vector<SummaryRow> by_region, by_category, by_month, by_tag;
};

struct SummaryQuery {
  std::string from, to;  // YYYY-MM-DD inclusive (opened_on)
  std::string region_prefix;
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Stores `c` with its parties, tags and timers and its first event; the
  // case number is `number_prefix` + the next sequence of that prefix,
  // zero-padded to 5 digits, assigned in the same transaction. Returns the
  // number. kInvalidArgument if the organisation does not exist.
  virtual Result<std::string> Insert(const Case& c, const std::string& number_prefix,
                                     const CaseEvent& created, const AuditEntry& audit) = 0;
  // Many demo cases in one transaction, numbers already set; one audit record.
  virtual Status InsertMany(const std::vector<Case>& cases, const AuditEntry& audit) = 0;
  // With parties, tags, timers and events. kNotFound if none has `id`.
  virtual Result<Case> Find(Id id) = 0;
  // Newest first; without events (parties and tags included).
  virtual Result<platform::Page<Case>> List(const CaseQuery& query) = 0;
  // Replaces the row, parties, tags and timers with `c` and adds `event`,
  // if the stored version is still `c.version - 1`; kConflict otherwise
  // (a concurrent change), and nothing is written.
  virtual Status Update(const Case& c, const CaseEvent& event, const AuditEntry& audit) = 0;
  // Stores `files` (owner "case") with `event`, in one transaction.
  virtual Status AddDocuments(const std::vector<Attachment>& files, const CaseEvent& event,
                              const AuditEntry& audit) = 0;
  // With its bytes. kNotFound unless case `case_id` has document `document_id`.
  virtual Result<Attachment> FindDocument(Id case_id, Id document_id) = 0;
  // Timers past `now` and not done (or done late), in the region.
  virtual Result<std::vector<TimerOnCase>> Overdue(const std::string& region_prefix,
                                                   const std::string& now) = 0;
  // Running timers of `kinds` on the cases handled by organisation `org_id`
  // (or, with `sent_to`, transferred to it), soonest deadline first; at most 200.
  virtual Result<std::vector<TimerOnCase>> Running(Id org_id, bool sent_to,
                                                   const std::vector<std::string>& kinds) = 0;
  virtual Result<SummaryFigures> Summary(const SummaryQuery& query) = 0;
};

}  // namespace redshield::cases
