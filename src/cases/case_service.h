// Administrative cases and 两法衔接 (issue 5 §1, §3, §5): case files with
// parties, lifecycle 线索 → 立案 → 调查 → 审核 → 决定 → 执行 → 结案, the
// transfer workflow of 国务院令第730号 with statutory timers, the
// procuratorate's supervision and the judicial figures, and the 双打 summary.
//
// Every change re-evaluates the prosecution thresholds (cases/thresholds.h)
// and stores the result with the case. Actions (Act), who may take them and
// from which state are one table in the .cc:
//   officer  (case.write, own organisation): open investigate submit decide
//            execute close report_transfer send reconsider accept_not_file publish
//   reviewer (case.review, own organisation): approve_transfer reject_transfer
//   police   (case.police, cases sent to its organisation): accept file not_file maintain
//   procurator (case.procurate, region): suggest_transfer supervise_filing arrest prosecute
//   court    (case.court, region): court_accept court_conclude
// Reads: case.write/case.review see their organisation's cases, case.police
// the cases sent to its organisation, case.read and case.procurate their
// region, case.court the prosecuted cases of its region. Deny by default.
// Thread-safe if the stores are.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cases/case_store.h"
#include "cases/documents.h"
#include "cases/thresholds.h"
#include "cases/timers.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/id.h"
#include "platform/platform_store.h"
#include "platform/types.h"

namespace redshield::cases {

struct PartyDraft {
  std::string kind;  // enterprise | person
  std::string name;
  std::string uscc;       // enterprise
  std::string id_number;  // person: resident ID, encrypted at rest
};

// What an officer enters; amounts in fen.
struct CaseDraft {
  std::string region_code;  // empty: the organisation's region
  std::string category;
  std::vector<std::string> tags;
  std::string channel;
  std::string title;
  std::string facts;
  std::string brand;          // without goods: one goods row of this brand
  std::string rights_holder;
  std::vector<CaseGoods> goods;  // at most 50
  std::string offence;
  std::string offence_date;
  std::string goods_or_services = "goods";
  int64_t illegal_business_fen = 0, illegal_gains_fen = 0, sales_fen = 0, unsold_value_fen = 0,
          production_loss_fen = 0, rights_holder_loss_fen = 0;
  int64_t item_count = 0, label_count = 0, unsold_label_count = 0, copies = 0, marks_count = 1;
  bool prior_penalty = false;
  bool reasonable_suspicion = false;
  int64_t dens_destroyed = 0;
  int64_t suspects = 0;
  std::vector<PartyDraft> parties;
};

struct ActionInput {
  std::string text;          // reasons, documents, remarks
  Id police_org_id = 0;      // send
  std::string penalty_type;  // decide
  int64_t fine_fen = 0, confiscated_fen = 0;  // decide
  int64_t persons = 0;       // arrest, prosecute, court_conclude
};

struct SupervisionItem {
  Case c;
  std::string kind;  // 以罚代刑 | 有案不移
};

struct SupervisionBoard {
  std::vector<SupervisionItem> cases;
  std::vector<TimerOnCase> overdue;
};

// A running timer the user must act on before it runs out.
struct TimerReminder {
  TimerOnCase timer;
  bool overdue = false;
  std::string responsible;  // agency_head | agency | police (timers.csv)
};

// The standard 双打 summary: figures, the text in the form the region
// publishes, and breakdowns.
struct Summary {
  SummaryFigures figures;
  std::string text;
};

const std::vector<std::string>& CaseCategories();
const std::vector<std::string>& CaseChannels();
const std::vector<std::string>& CaseStatuses();

class CaseService {
 public:
  CaseService(CaseStore& store, platform::PlatformStore& platform, const ThresholdTable& thresholds,
              const TimerRules& timers, const DocumentKinds& documents,
              const WorkCalendar& calendar, const SecretBox& box, const Clock& clock,
              IdGenerator& ids);

  // kPermissionDenied without case.write; kInvalidArgument naming the field
  // (USCC and resident IDs are validated, the offence must be known).
  Result<Case> Create(const platform::Principal& who, const CaseDraft& draft);
  // Replaces the editable fields; kConflict if `version` is stale or the case is closed.
  Result<Case> Edit(const platform::Principal& who, Id id, int64_t version, const CaseDraft& draft);
  // kNotFound also when the case is outside what `who` may see.
  Result<Case> Get(const platform::Principal& who, Id id);
  Result<platform::Page<Case>> List(const platform::Principal& who, CaseQuery query);
  // One step; kConflict (field "status") if not allowed in the current
  // state, kPermissionDenied if `who` may not take it, kInvalidArgument for a
  // missing reason or figure.
  Result<Case> Act(const platform::Principal& who, Id id, std::string_view action,
                   const ActionInput& input);
  // The running timers whose `responsible` (timers.csv) matches `who`'s
  // roles: agency_head → case.review, agency → case.write, both on the
  // organisation's own cases; police → case.police on the cases sent to it.
  // Overdue first, then by deadline. Empty for everyone else.
  Result<std::vector<TimerReminder>> Reminders(const platform::Principal& who);
  // Officers of the case's organisation (case.write) attach 1–5 files (≤ 2
  // MiB each) of one `kind` (documents.csv) to a case that is not closed;
  // an event and an audit record say so. kInvalidArgument naming "kind" or
  // "attachments".
  Result<Case> AddDocuments(const platform::Principal& who, Id id, const std::string& kind,
                            const std::vector<FileDraft>& files);
  // kNotFound unless `who` may see the case and it has the document.
  Result<Attachment> Document(const platform::Principal& who, Id case_id, Id document_id);
  // The kinds `action` requires that `c` has no file of yet (send: the four
  // documents of 国务院令第730号第六条), in documents.csv order.
  std::vector<const DocumentKind*> MissingDocuments(const Case& c, std::string_view action) const;
  const DocumentKinds& document_kinds() const { return documents_; }
  // case.procurate: 以罚代刑 / 有案不移 in the region and overdue timers.
  Result<SupervisionBoard> Board(const platform::Principal& who);
  // case.read or case.procurate over `region_code` (empty: the user's region).
  Result<Summary> Summarize(const platform::Principal& who, const std::string& from,
                            const std::string& to, const std::string& region_code);
  // The same without an access check, for the command line on the server
  // (`redshield report summary`). Empty `region_code`: everything.
  Result<Summary> SummarizeRegion(const std::string& from, const std::string& to,
                                  const std::string& region_code);
  // Demo data: validated like Create, stored in one transaction.
  Status InsertDemo(const std::vector<Case>& cases, const Actor& actor);
  // `init --demo`: `count` generated cases opened in `year` (demo_cases.cc),
  // unless any case exists. Returns the cases added (none if some existed).
  Result<std::vector<Case>> SeedDemo(const Actor& actor, int year, int count);
  // The generated cases without storing them (bench/: batches with distinct
  // `seed`s; `number_suffix` keeps their case numbers apart).
  Result<std::vector<Case>> GenerateDemo(int year, int count, uint64_t seed,
                                         const std::string& number_suffix);

  // The threshold evaluation of `c`'s facts (also for cases not yet stored).
  // With 刑法 Art. 12 applied as of today (Asia/Shanghai).
  void Evaluate(Case& c) const;
  Date Today() const;
  bool IsOverdue(const CaseTimer& timer) const;
  // Police organisations that can receive a transfer (for the send form).
  Result<std::vector<platform::Organization>> PoliceOrgs();
  const ThresholdTable& thresholds() const { return thresholds_; }
  const TimerRules& timer_rules() const { return timers_; }

 private:
  Status Apply(Case& c, const CaseDraft& draft) const;
  bool CanSee(const platform::Principal& who, const Case& c) const;

  CaseStore& store_;
  platform::PlatformStore& platform_;
  const ThresholdTable& thresholds_;
  const TimerRules& timers_;
  const DocumentKinds& documents_;
  const WorkCalendar& calendar_;
  const SecretBox& box_;
  const Clock& clock_;
  IdGenerator& ids_;
};

// Text of the summary in the published form (行政执法机关立案查处…).
std::string SummaryText(const SummaryFigures& f);

}  // namespace redshield::cases
