#include "plans/supervision_service.h"

#include "core/text.h"
#include "plans/access.h"
#include "plans/deadlines.h"

namespace redshield::plans {
namespace {

using platform::Principal;

enum class Party { kOffice, kTarget };

struct Kind {
  const char* id;
  const char* name;
  const char* initial;
};

constexpr Kind kKinds[] = {
    {"notice", "通报", "已下发"},
    {"interview", "约谈", "待约谈"},
    {"listed", "挂牌督办", "整改中"},
};

// The lifecycle: which party may take which action from which state.
// "cancel" is allowed from every open state and is handled apart.
struct Step {
  const char* kind;
  const char* action;
  const char* from;
  const char* to;
  Party party;
  bool needs_text;
  const char* verb;  // for the audit summary
};

constexpr Step kSteps[] = {
    {"notice", "acknowledge", "已下发", "已签收", Party::kTarget, false, "签收通报"},
    {"interview", "record", "待约谈", "已约谈", Party::kOffice, true, "记录约谈"},
    {"listed", "rectification", "整改中", "待验收", Party::kTarget, true, "提交整改报告"},
    {"listed", "accept", "待验收", "已销号", Party::kOffice, false, "验收通过并销号"},
    {"listed", "return", "待验收", "整改中", Party::kOffice, true, "退回整改"},
};

constexpr const char* kFinal[] = {"已签收", "已约谈", "已销号", "已撤销"};

const Kind* FindKind(std::string_view id) {
  for (const Kind& kind : kKinds) {
    if (id == kind.id) return &kind;
  }
  return nullptr;
}

Status CheckText(std::string_view text, size_t max, const char* what, const char* field) {
  if (TrimAscii(text).empty()) {
    return Fail(ErrorCode::kInvalidArgument, std::string("请填写") + what, field);
  }
  if (text.size() > max) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(what) + "不超过 " + std::to_string(max) + " 字节", field);
  }
  return Ok();
}

Status CheckDraft(const SupervisionDraft& d) {
  if (FindKind(d.kind) == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "督办方式须为 notice（通报）、interview（约谈）或 listed（挂牌督办）", "kind");
  }
  RS_TRY(CheckText(d.title, 300, "标题", "title"));
  RS_TRY(CheckText(d.content, 20000, "督办内容", "content"));
  if (d.kind == "listed" || !d.deadline.empty()) {
    Result<Date> deadline = Date::Parse(d.deadline);
    if (!deadline) {
      return Fail(ErrorCode::kInvalidArgument,
                  d.deadline.empty() ? "挂牌督办须设定整改期限" : deadline.error().message,
                  "deadline");
    }
  }
  if (d.kind == "interview") {
    if (!ParseTime(d.meeting_at)) {
      return Fail(ErrorCode::kInvalidArgument, "约谈须设定时间（如 2017-06-01T09:00:00+08:00）",
                  "meeting_at");
    }
    RS_TRY(CheckText(d.place, 300, "约谈地点", "place"));
  }
  return Ok();
}

}  // namespace

std::string SupervisionKindName(std::string_view kind) {
  const Kind* k = FindKind(kind);
  return k == nullptr ? std::string() : k->name;
}

bool IsFinalSupervisionStatus(std::string_view status) {
  for (const char* final_status : kFinal) {
    if (status == final_status) return true;
  }
  return false;
}

SupervisionService::SupervisionService(SupervisionStore& store, PlanStore& plans,
                                       const Clock& clock, IdGenerator& ids)
    : store_(store), plans_(plans), clock_(clock), ids_(ids) {}

bool SupervisionService::IsOverdue(const Supervision& s) const {
  if (s.kind != "listed" || s.deadline.empty() || IsFinalSupervisionStatus(s.status)) return false;
  Result<Date> deadline = Date::Parse(s.deadline);
  return deadline && *deadline < TodayIn(clock_);
}

Result<Supervision> SupervisionService::Create(const Principal& who,
                                               const SupervisionDraft& draft) {
  if (!PlanWriteRegion(who)) return Fail(ErrorCode::kPermissionDenied, "无权发出督办");
  RS_TRY(CheckDraft(draft));
  Result<PlanTree> plan = plans_.FindPlan(draft.plan_id);
  if (!plan) return Fail(plan.error().code, plan.error().message, "plan_id");
  std::string region_code;
  std::string org_name;
  if (draft.assignment_id) {
    Result<Assignment> a = plans_.FindAssignment(*draft.assignment_id);
    if (!a || a->plan_id != draft.plan_id || a->org_id != draft.org_id) {
      return Fail(ErrorCode::kInvalidArgument, "所选任务不是该单位在本工作要点中的任务",
                  "assignment_id");
    }
    region_code = a->region_code;
    org_name = a->org_name;
  } else {
    Result<std::vector<Assignment>> of_org =
        plans_.ListAssignments(AssignmentQuery{draft.plan_id, draft.org_id});
    RS_TRY(of_org);
    if (of_org->empty()) {
      return Fail(ErrorCode::kInvalidArgument, "该单位在本工作要点中没有任务", "org_id");
    }
    region_code = of_org->front().region_code;
    org_name = of_org->front().org_name;
  }
  RS_TRY(CheckPlanWrite(who, region_code));
  const Kind& kind = *FindKind(draft.kind);
  Supervision s;
  s.id = ids_.Next();
  s.plan_id = draft.plan_id;
  s.kind = draft.kind;
  s.org_id = draft.org_id;
  s.assignment_id = draft.assignment_id;
  s.title = std::string(TrimAscii(draft.title));
  s.content = draft.content;
  s.deadline = draft.deadline;
  if (!draft.meeting_at.empty()) s.meeting_at = FormatUtc(*ParseTime(draft.meeting_at));
  s.place = draft.place;
  s.status = kind.initial;
  s.created_by = who.user.id;
  s.created_at = s.updated_at = FormatUtc(clock_.Now());
  SupervisionEvent created{ids_.Next(), s.id, "create", s.title, {}, who.user.id, "", "",
                           s.created_at};
  RS_TRY(store_.Insert(s, created,
                       {who.actor, "supervision.create", "supervision", std::to_string(s.id),
                        "对 " + org_name + " 发出" + kind.name + "：" + s.title +
                            (s.deadline.empty() ? "" : "（整改期限 " + s.deadline + "）")}));
  return Get(who, s.id);
}

Result<Supervision> SupervisionService::Get(const Principal& who, Id id) {
  Result<Supervision> s = store_.Find(id);
  RS_TRY(s);
  if (who.user.org_id != s->org_id && !CanPlanWrite(who, s->region_code)) {
    return Fail(ErrorCode::kPermissionDenied, "无权查看该督办事项");
  }
  return s;
}

Result<platform::Page<Supervision>> SupervisionService::List(const Principal& who,
                                                             SupervisionQuery query) {
  std::optional<std::string> scope = PlanWriteRegion(who);
  if (scope) {
    query.region_prefix = *scope;
  } else {
    query.org_id = who.user.org_id;  // a member unit sees what concerns it
  }
  query.page.page_size = std::clamp(query.page.page_size, 1, 200);
  query.page.page = std::max(query.page.page, 1);
  return store_.List(query);
}

Result<Supervision> SupervisionService::Act(const Principal& who, Id id, std::string_view action,
                                            std::string_view text,
                                            const std::vector<FileDraft>& files) {
  Result<Supervision> s = Get(who, id);
  RS_TRY(s);
  const Step* step = nullptr;
  Step cancel{s->kind.c_str(), "cancel", s->status.c_str(), "已撤销", Party::kOffice, true,
              "撤销督办"};
  if (action == "cancel") {
    if (!IsFinalSupervisionStatus(s->status)) step = &cancel;
  } else {
    for (const Step& candidate : kSteps) {
      if (s->kind == candidate.kind && action == candidate.action && s->status == candidate.from) {
        step = &candidate;
      }
    }
  }
  if (step == nullptr) {
    return Fail(ErrorCode::kConflict,
                SupervisionKindName(s->kind) + "当前状态为“" + s->status + "”，不能执行该操作",
                "status");
  }
  if (step->party == Party::kOffice) {
    RS_TRY(CheckPlanWrite(who, s->region_code));
  } else {
    RS_TRY(CheckOwnOrgReport(who, s->org_id));
  }
  if (step->needs_text) RS_TRY(CheckText(text, 20000, "说明", "text"));
  if (!files.empty() && step->party != Party::kTarget) {
    return Fail(ErrorCode::kInvalidArgument, "只有整改报告可以附带附件", "attachments");
  }
  SupervisionEvent event{ids_.Next(), id, step->action, std::string(text), {}, who.user.id,
                         "", "", FormatUtc(clock_.Now())};
  Result<std::vector<Attachment>> attachments =
      MakeAttachments(
          files, kPlanFileLimits, {"supervision_event", event.id, s->org_id, s->region_code, ""}, ids_);
  RS_TRY(attachments);
  RS_TRY(store_.Transition(id, step->from, step->to, event, *attachments,
                           {who.actor, std::string("supervision.") + step->action, "supervision",
                            std::to_string(id),
                            std::string(step->verb) + "：" + s->org_name + " " +
                                SupervisionKindName(s->kind) + "“" + s->title + "”（" +
                                step->from + " → " + step->to + "）"}));
  return Get(who, id);
}

}  // namespace redshield::plans
