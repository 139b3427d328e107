#include "storage/migrations.h"

#include <spdlog/spdlog.h>

#include "core/check.h"

namespace redshield::storage {
namespace {

// Times are UTC ISO 8601 text (fixed width, so they sort); ids are BIGINT made
// by the application; booleans are INTEGER 0/1 so that one SQL serves both.
const char* kPlatformSchema = R"SQL(
CREATE TABLE regions (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  parent_code TEXT
);
CREATE TABLE organizations (
  id BIGINT PRIMARY KEY,
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  short_name TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  region_code TEXT NOT NULL REFERENCES regions(code),
  parent_id BIGINT REFERENCES organizations(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT organizations_code_key UNIQUE (code)
);
CREATE INDEX organizations_region ON organizations(region_code);
CREATE TABLE organization_aliases (
  org_id BIGINT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  alias TEXT NOT NULL,
  region_code TEXT NOT NULL,
  PRIMARY KEY (org_id, alias),
  CONSTRAINT organization_aliases_unique UNIQUE (alias, region_code)
);
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until TEXT,
  phone_enc TEXT,
  phone_masked TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_login_at TEXT,
  password_changed_at TEXT,
  CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_org ON users(org_id);
-- 三权分立: the three admin roles carry admin_group = 'admin', and a user can
-- hold one row per group, so the database itself refuses a second admin role.
CREATE TABLE user_roles (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  admin_group TEXT,
  granted_at TEXT NOT NULL,
  granted_by BIGINT,
  PRIMARY KEY (user_id, role),
  CONSTRAINT user_roles_admin_group_key UNIQUE (user_id, admin_group),
  CONSTRAINT user_roles_admin_group_check CHECK (
    (role IN ('sysadmin', 'secadmin', 'auditadmin') AND admin_group = 'admin') OR
    (role NOT IN ('sysadmin', 'secadmin', 'auditadmin') AND admin_group IS NULL))
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  revoked_at TEXT,
  client_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  time TEXT NOT NULL,
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  org_id BIGINT NOT NULL,
  client_addr TEXT NOT NULL,
  request_id TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  summary TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log(time);
CREATE INDEX audit_log_user ON audit_log(user_id);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
)SQL";

// The audit log is append-only for the application: updates and deletes abort.
const char* kAuditGuardSqlite = R"SQL(
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
)SQL";

// A guard trigger, not business logic: it makes the log append-only even for
// the owning role; deployments also run the server as a role without UPDATE,
// DELETE or TRUNCATE on the table (see docs/operations.md).
const char* kAuditGuardPostgres = R"SQL(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
)SQL";

// Migration 2: the CHECK of migration 1 passed when admin_group was NULL for an
// admin role (NULL is not false), letting a second admin role in. SQLite
// cannot alter a constraint, so the table is rebuilt there.
const char* kAdminGroupCheck = "CHECK ((role IN ('sysadmin', 'secadmin', 'auditadmin') AND "
    "COALESCE(admin_group, '') = 'admin') OR (role NOT IN ('sysadmin', 'secadmin', "
    "'auditadmin') AND admin_group IS NULL))";

std::string AdminGroupSqlite() {
  return std::string(R"SQL(
CREATE TABLE user_roles_v2 (
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  admin_group TEXT,
  granted_at TEXT NOT NULL,
  granted_by BIGINT,
  PRIMARY KEY (user_id, role),
  CONSTRAINT user_roles_admin_group_key UNIQUE (user_id, admin_group),
  CONSTRAINT user_roles_admin_group_check )SQL") + kAdminGroupCheck + R"SQL(
);
INSERT INTO user_roles_v2 (user_id, role, admin_group, granted_at, granted_by)
  SELECT user_id, role, admin_group, granted_at, granted_by FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_v2 RENAME TO user_roles;
)SQL";
}

std::string AdminGroupPostgres() {
  return std::string("ALTER TABLE user_roles DROP CONSTRAINT user_roles_admin_group_check, "
                     "ADD CONSTRAINT user_roles_admin_group_check ") + kAdminGroupCheck + ";";
}

// Migration 3: imported work plans (issue 4 §2). The tree is stored as
// written; an assignment is one organisation's share of one task. The
// region_code of an assignment is its organisation's, copied so that scoped
// lists need no join.
const char* kPlanSchema = R"SQL(
CREATE TABLE plans (
  id BIGINT PRIMARY KEY,
  year INTEGER NOT NULL,
  region_code TEXT NOT NULL,
  title TEXT NOT NULL,
  source_text_sha256 TEXT NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by BIGINT NOT NULL,
  CONSTRAINT plans_year_region_key UNIQUE (year, region_code)
);
CREATE TABLE plan_sections (
  id BIGINT PRIMARY KEY,
  plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL
);
CREATE INDEX plan_sections_plan ON plan_sections(plan_id);
CREATE TABLE plan_items (
  id BIGINT PRIMARY KEY,
  plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  section_id BIGINT NOT NULL REFERENCES plan_sections(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  number TEXT NOT NULL,
  title TEXT NOT NULL,
  intro TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_items_plan ON plan_items(plan_id);
CREATE TABLE plan_tasks (
  id BIGINT PRIMARY KEY,
  plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  item_id BIGINT NOT NULL REFERENCES plan_items(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  number TEXT NOT NULL,
  text TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX plan_tasks_plan ON plan_tasks(plan_id);
CREATE TABLE plan_assignments (
  id BIGINT PRIMARY KEY,
  plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  task_id BIGINT NOT NULL REFERENCES plan_tasks(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),
  due_date TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '未开始',
  unit_text TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT plan_assignments_task_org_key UNIQUE (task_id, org_id)
);
CREATE INDEX plan_assignments_plan ON plan_assignments(plan_id);
CREATE INDEX plan_assignments_org ON plan_assignments(org_id);
)SQL";

// Progress reports, attachments and supervision (issue 4 §3, §4). Attachment
// bytes are stored as base64 text so that one SQL serves both backends and
// they commit with the report.
const char* kProgressSchema = R"SQL(
ALTER TABLE plans ADD COLUMN report_cycle TEXT NOT NULL DEFAULT 'monthly'
  CHECK (report_cycle IN ('monthly', 'quarterly'));
ALTER TABLE plans ADD COLUMN remind_days INTEGER NOT NULL DEFAULT 5;
ALTER TABLE plan_assignments ADD COLUMN last_report_at TEXT;
ALTER TABLE plan_assignments ADD COLUMN report_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX plan_assignments_region ON plan_assignments(region_code);
CREATE TABLE plan_reports (
  id BIGINT PRIMARY KEY,
  assignment_id BIGINT NOT NULL REFERENCES plan_assignments(id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('未开始', '进行中', '已完成', '受阻')),
  narrative TEXT NOT NULL,
  reported_by BIGINT NOT NULL REFERENCES users(id),
  reported_at TEXT NOT NULL
);
CREATE INDEX plan_reports_assignment ON plan_reports(assignment_id);
CREATE TABLE plan_report_indicators (
  report_id BIGINT NOT NULL REFERENCES plan_reports(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  unit TEXT NOT NULL,
  PRIMARY KEY (report_id, ordinal)
);
CREATE TABLE plan_attachments (
  id BIGINT PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('report', 'supervision_event')),
  owner_id BIGINT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_base64 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX plan_attachments_owner ON plan_attachments(owner_kind, owner_id);
CREATE TABLE supervisions (
  id BIGINT PRIMARY KEY,
  plan_id BIGINT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('notice', 'interview', 'listed')),
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  assignment_id BIGINT REFERENCES plan_assignments(id) ON DELETE SET NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  deadline TEXT NOT NULL DEFAULT '',
  meeting_at TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX supervisions_plan ON supervisions(plan_id);
CREATE INDEX supervisions_org ON supervisions(org_id);
CREATE TABLE supervision_events (
  id BIGINT PRIMARY KEY,
  supervision_id BIGINT NOT NULL REFERENCES supervisions(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  text TEXT NOT NULL,
  by_user BIGINT NOT NULL REFERENCES users(id),
  at TEXT NOT NULL
);
CREATE INDEX supervision_events_supervision ON supervision_events(supervision_id);
)SQL";

// Migration 5: assessment (考核) and 一票否决 (issue 4 §5). Points are integer tenths. A
// target is a region (target_id = its code) or an organisation (target_id =
// its decimal id); region_code is the target's region, for scope and
// distribution. Items with scores cannot be deleted (no cascade from items),
// and at most one veto per year and target is in force (partial unique index,
// which SQLite and PostgreSQL both support).
const char* kAssessmentSchema = R"SQL(
CREATE TABLE assessment_rubrics (
  id BIGINT PRIMARY KEY,
  year INTEGER NOT NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('region', 'unit')),
  region_code TEXT NOT NULL,
  title TEXT NOT NULL,
  source TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CONSTRAINT assessment_rubrics_year_target_key UNIQUE (year, target_kind, region_code)
);
CREATE TABLE assessment_items (
  id BIGINT PRIMARY KEY,
  rubric_id BIGINT NOT NULL REFERENCES assessment_rubrics(id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  name TEXT NOT NULL,
  max_tenths INTEGER NOT NULL CHECK (max_tenths > 0),
  guidance TEXT NOT NULL DEFAULT '',
  computed TEXT NOT NULL DEFAULT '' CHECK (computed IN ('', 'plan_completion'))
);
CREATE INDEX assessment_items_rubric ON assessment_items(rubric_id);
CREATE TABLE assessment_scores (
  rubric_id BIGINT NOT NULL REFERENCES assessment_rubrics(id) ON DELETE CASCADE,
  item_id BIGINT NOT NULL REFERENCES assessment_items(id),
  target_kind TEXT NOT NULL CHECK (target_kind IN ('region', 'unit')),
  target_id TEXT NOT NULL,
  region_code TEXT NOT NULL,
  points_tenths INTEGER NOT NULL CHECK (points_tenths >= 0),
  evidence TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  scored_by BIGINT NOT NULL,
  scored_at TEXT NOT NULL,
  PRIMARY KEY (rubric_id, target_id, item_id)
);
CREATE INDEX assessment_scores_item ON assessment_scores(item_id);
CREATE TABLE vetoes (
  id BIGINT PRIMARY KEY,
  year INTEGER NOT NULL,
  target_kind TEXT NOT NULL CHECK (target_kind IN ('region', 'unit')),
  target_id TEXT NOT NULL,
  region_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'in_force' CHECK (status IN ('in_force', 'revoked')),
  created_by BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_by BIGINT,
  revoked_at TEXT,
  revoked_reason TEXT
);
CREATE UNIQUE INDEX vetoes_in_force ON vetoes(year, target_kind, target_id) WHERE status = 'in_force';
CREATE INDEX vetoes_year ON vetoes(year);
)SQL";

// Migration 6 (issue 6 §5): screening
// jobs, the clues their hits raise, and the listings behind each clue. A clue
// is one (platform, seller, brand): the UNIQUE key is the dedupe rule. Absent
// optional values are '' or 0 rather than NULL, so that the key needs no
// null-safe comparison and one SQL serves both backends.
const char* kClueSchema = R"SQL(
CREATE TABLE screening_jobs (
  id BIGINT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  file_name TEXT NOT NULL,
  bytes_total BIGINT NOT NULL DEFAULT 0,
  bytes_read BIGINT NOT NULL DEFAULT 0,
  listings_read BIGINT NOT NULL DEFAULT 0,
  flagged BIGINT NOT NULL DEFAULT 0,
  malformed BIGINT NOT NULL DEFAULT 0,
  clues_created BIGINT NOT NULL DEFAULT 0,
  clues_merged BIGINT NOT NULL DEFAULT 0,
  threshold INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT NOT NULL DEFAULT '',
  finished_at TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  malformed_samples TEXT NOT NULL DEFAULT '',  -- one "line<TAB>message" per line
  created_by BIGINT NOT NULL,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL
);
CREATE INDEX screening_jobs_org ON screening_jobs(org_id);
CREATE INDEX screening_jobs_region ON screening_jobs(region_code);
CREATE TABLE clues (
  id BIGINT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('screening', 'manual')),
  job_id BIGINT NOT NULL DEFAULT 0,
  platform TEXT NOT NULL,
  listing_id TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  price_fen BIGINT NOT NULL DEFAULT -1,
  seller_id TEXT NOT NULL,
  seller_name TEXT NOT NULL,
  brand TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  score INTEGER NOT NULL,
  reasons TEXT NOT NULL,
  spans TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('待核查', '已确认', '已排除')),
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  listing_count INTEGER NOT NULL DEFAULT 1,
  first_seen TEXT NOT NULL,
  last_seen TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  reviewed_by BIGINT NOT NULL DEFAULT 0,
  reviewed_at TEXT NOT NULL DEFAULT '',
  review_comment TEXT NOT NULL DEFAULT '',
  CONSTRAINT clues_seller_brand_key UNIQUE (platform, seller_id, brand)
);
CREATE INDEX clues_org_status ON clues(org_id, status);
CREATE INDEX clues_region ON clues(region_code);
CREATE INDEX clues_score ON clues(score);
CREATE TABLE clue_listings (
  clue_id BIGINT NOT NULL REFERENCES clues(id) ON DELETE CASCADE,
  listing_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  price_fen BIGINT NOT NULL DEFAULT -1,
  score INTEGER NOT NULL,
  job_id BIGINT NOT NULL DEFAULT 0,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (clue_id, listing_id)
);
)SQL";

// Traceability (issue 7): captured EPCIS events, the codes and parties they
// name. Migration 7 is reserved for the cases work; versions only need to increase.
const char* kTraceSchema = R"SQL(
CREATE TABLE trace_captures (
  id BIGINT PRIMARY KEY,
  received_at TEXT NOT NULL,
  user_id BIGINT NOT NULL DEFAULT 0,
  events INTEGER NOT NULL
);
CREATE TABLE trace_events (
  id BIGINT PRIMARY KEY,
  capture_id BIGINT NOT NULL REFERENCES trace_captures(id),
  event_id TEXT NOT NULL,
  is_declaration INTEGER NOT NULL DEFAULT 0,
  event_type TEXT NOT NULL,
  event_time TEXT NOT NULL,
  event_time_ms BIGINT NOT NULL,
  time_zone_offset TEXT NOT NULL,
  record_time TEXT NOT NULL,
  action TEXT NOT NULL DEFAULT '',
  biz_step TEXT NOT NULL DEFAULT '',
  disposition TEXT NOT NULL DEFAULT '',
  read_point TEXT NOT NULL DEFAULT '',
  biz_location TEXT NOT NULL DEFAULT '',
  declared_error TEXT NOT NULL DEFAULT '',
  declared_at TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX trace_events_event_id ON trace_events(event_id, is_declaration);
CREATE INDEX trace_events_time ON trace_events(event_time_ms);
CREATE INDEX trace_events_step ON trace_events(biz_step, event_time_ms);
CREATE INDEX trace_events_read_point ON trace_events(read_point);
CREATE INDEX trace_events_biz_location ON trace_events(biz_location);
CREATE TABLE trace_event_codes (
  event_row BIGINT NOT NULL REFERENCES trace_events(id),
  role TEXT NOT NULL,
  code TEXT NOT NULL,
  raw TEXT NOT NULL,
  lot TEXT NOT NULL DEFAULT '',
  quantity DOUBLE PRECISION NOT NULL DEFAULT 0,
  uom TEXT NOT NULL DEFAULT ''
);
CREATE INDEX trace_event_codes_code ON trace_event_codes(code);
CREATE INDEX trace_event_codes_event ON trace_event_codes(event_row);
CREATE INDEX trace_event_codes_lot ON trace_event_codes(lot);
CREATE TABLE trace_event_refs (
  event_row BIGINT NOT NULL REFERENCES trace_events(id),
  kind TEXT NOT NULL CHECK (kind IN ('source', 'destination', 'biz_transaction')),
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  ref_key TEXT NOT NULL
);
CREATE INDEX trace_event_refs_event ON trace_event_refs(event_row);
CREATE INDEX trace_event_refs_key ON trace_event_refs(ref_key);
CREATE TABLE trace_batches (
  id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('pesticide', 'vet', 'seed', 'sgtin')),
  enterprise_uscc TEXT NOT NULL,
  enterprise_name TEXT NOT NULL,
  registration_no TEXT NOT NULL,
  product_name TEXT NOT NULL,
  spec TEXT NOT NULL DEFAULT '',
  production_type INTEGER NOT NULL DEFAULT 0,
  enterprise_code TEXT NOT NULL DEFAULT '',
  lot TEXT NOT NULL,
  production_date TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  region_code TEXT NOT NULL DEFAULT '',
  random_bits DOUBLE PRECISION NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('正常', '已召回', '已销毁')),
  org_id BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  recalled_at TEXT NOT NULL DEFAULT '',
  recall_reason TEXT NOT NULL DEFAULT '',
  destroyed_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX trace_batches_org ON trace_batches(org_id, created_at);
CREATE TABLE trace_codes (
  code TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES trace_batches(id),
  seq INTEGER NOT NULL,
  scan_count BIGINT NOT NULL DEFAULT 0,
  first_scan_at TEXT NOT NULL DEFAULT '',
  first_scan_region TEXT NOT NULL DEFAULT '',
  suspicious INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX trace_codes_batch ON trace_codes(batch_id, seq);
CREATE TABLE trace_scans (
  code TEXT NOT NULL,
  text TEXT NOT NULL DEFAULT '',
  scanned_at TEXT NOT NULL,
  region_code TEXT NOT NULL DEFAULT '',
  known INTEGER NOT NULL
);
CREATE INDEX trace_scans_code ON trace_scans(code, scanned_at);
CREATE INDEX trace_scans_time ON trace_scans(scanned_at);
CREATE TABLE trace_suspicions (
  id BIGINT PRIMARY KEY,
  rule TEXT NOT NULL,
  code_key TEXT NOT NULL,
  batch_id BIGINT NOT NULL DEFAULT 0,
  region_code TEXT NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL DEFAULT 0,
  detail TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('待核查', '已确认', '已排除')),
  hits INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX trace_suspicions_code ON trace_suspicions(code_key, rule);
CREATE INDEX trace_suspicions_updated ON trace_suspicions(updated_at);
)SQL";

// Migration 7 (issue 5): administrative cases and their 两法衔接 transfer.
// Numbers and flags are BIGINT (one SOCI type on both backends); absent
// texts are ''. Parties' resident IDs are stored encrypted (SecretBox) beside
// their masked form. case_tags and case_timers repeat the case's region (and
// case_tags the figures the summary adds up) so that statistics and the
// procuratorate's board read them without a join.
const char* kCaseSchema = R"SQL(
CREATE TABLE cases (
  id BIGINT PRIMARY KEY,
  case_number TEXT NOT NULL UNIQUE,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  category TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL,
  title TEXT NOT NULL,
  facts TEXT NOT NULL DEFAULT '',
  brand TEXT NOT NULL DEFAULT '',
  rights_holder TEXT NOT NULL DEFAULT '',
  offence TEXT NOT NULL DEFAULT '',
  offence_date TEXT NOT NULL DEFAULT '',
  goods_or_services TEXT NOT NULL DEFAULT 'goods' CHECK (goods_or_services IN ('goods', 'services')),
  illegal_business_fen BIGINT NOT NULL DEFAULT 0,
  illegal_gains_fen BIGINT NOT NULL DEFAULT 0,
  sales_fen BIGINT NOT NULL DEFAULT 0,
  unsold_value_fen BIGINT NOT NULL DEFAULT 0,
  production_loss_fen BIGINT NOT NULL DEFAULT 0,
  item_count BIGINT NOT NULL DEFAULT 0,
  label_count BIGINT NOT NULL DEFAULT 0,
  copies BIGINT NOT NULL DEFAULT 0,
  marks_count BIGINT NOT NULL DEFAULT 1,
  prior_penalty BIGINT NOT NULL DEFAULT 0,
  reasonable_suspicion BIGINT NOT NULL DEFAULT 0,
  dens_destroyed BIGINT NOT NULL DEFAULT 0,
  suspects BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('线索', '立案', '调查', '审核', '决定', '执行', '结案')),
  opened_on TEXT NOT NULL DEFAULT '',
  decided_on TEXT NOT NULL DEFAULT '',
  closed_on TEXT NOT NULL DEFAULT '',
  penalty_type TEXT NOT NULL DEFAULT '',
  fine_fen BIGINT NOT NULL DEFAULT 0,
  confiscated_fen BIGINT NOT NULL DEFAULT 0,
  transfer_status TEXT NOT NULL DEFAULT '',
  police_org_id BIGINT NOT NULL DEFAULT 0,
  transferred_on TEXT NOT NULL DEFAULT '',
  police_reason TEXT NOT NULL DEFAULT '',
  transfer_suggested BIGINT NOT NULL DEFAULT 0,
  filing_supervised BIGINT NOT NULL DEFAULT 0,
  arrested_persons BIGINT NOT NULL DEFAULT 0,
  prosecuted_persons BIGINT NOT NULL DEFAULT 0,
  court_accepted BIGINT NOT NULL DEFAULT 0,
  court_concluded BIGINT NOT NULL DEFAULT 0,
  convicted_persons BIGINT NOT NULL DEFAULT 0,
  should_transfer BIGINT NOT NULL DEFAULT 0,
  eval_rule TEXT NOT NULL DEFAULT '',
  eval_basis TEXT NOT NULL DEFAULT '',
  eval_reasons TEXT NOT NULL DEFAULT '',
  eval_uncertain BIGINT NOT NULL DEFAULT 0,
  created_by BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cases_org ON cases(org_id);
CREATE INDEX cases_region_opened ON cases(region_code, opened_on);
CREATE INDEX cases_opened ON cases(opened_on);
CREATE INDEX cases_police ON cases(police_org_id);
CREATE INDEX cases_supervision ON cases(should_transfer, transfer_status);
CREATE INDEX cases_created ON cases(created_at);
CREATE TABLE case_parties (
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'person')),
  name TEXT NOT NULL,
  uscc TEXT NOT NULL DEFAULT '',
  id_encrypted TEXT NOT NULL DEFAULT '',
  id_masked TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_parties_name ON case_parties(name);
CREATE TABLE case_tags (
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  tag TEXT NOT NULL,
  region_code TEXT NOT NULL,
  opened_on TEXT NOT NULL DEFAULT '',
  value_fen BIGINT NOT NULL DEFAULT 0,
  penalty_fen BIGINT NOT NULL DEFAULT 0,
  transferred BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, tag)
);
CREATE INDEX case_tags_tag ON case_tags(tag);
CREATE TABLE case_events (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  by_user BIGINT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id);
CREATE TABLE case_timers (
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  started_at TEXT NOT NULL,
  deadline_at TEXT NOT NULL,
  done_at TEXT NOT NULL DEFAULT '',
  legal_source TEXT NOT NULL,
  rule TEXT NOT NULL,
  region_code TEXT NOT NULL,
  PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_timers_running ON case_timers(done_at, deadline_at);
-- The summary report's daily aggregates (case_store_sql.cc Daily), kept in the
-- transaction of every case write.
CREATE TABLE case_daily (
  opened_on TEXT NOT NULL,
  region_code TEXT NOT NULL,
  category TEXT NOT NULL,
  cases BIGINT NOT NULL DEFAULT 0,
  value_fen BIGINT NOT NULL DEFAULT 0,
  penalty_fen BIGINT NOT NULL DEFAULT 0,
  dens BIGINT NOT NULL DEFAULT 0,
  transferred BIGINT NOT NULL DEFAULT 0,
  transferred_persons BIGINT NOT NULL DEFAULT 0,
  police_filed BIGINT NOT NULL DEFAULT 0,
  police_suspects BIGINT NOT NULL DEFAULT 0,
  police_value_fen BIGINT NOT NULL DEFAULT 0,
  arrest_cases BIGINT NOT NULL DEFAULT 0,
  arrest_persons BIGINT NOT NULL DEFAULT 0,
  prosecute_cases BIGINT NOT NULL DEFAULT 0,
  prosecute_persons BIGINT NOT NULL DEFAULT 0,
  supervised_filings BIGINT NOT NULL DEFAULT 0,
  court_accepted BIGINT NOT NULL DEFAULT 0,
  court_concluded BIGINT NOT NULL DEFAULT 0,
  convicted_persons BIGINT NOT NULL DEFAULT 0,
  customs_batches BIGINT NOT NULL DEFAULT 0,
  customs_items BIGINT NOT NULL DEFAULT 0,
  customs_value_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (opened_on, region_code, category)
);
CREATE TABLE case_tag_daily (
  opened_on TEXT NOT NULL,
  region_code TEXT NOT NULL,
  tag TEXT NOT NULL,
  cases BIGINT NOT NULL DEFAULT 0,
  value_fen BIGINT NOT NULL DEFAULT 0,
  penalty_fen BIGINT NOT NULL DEFAULT 0,
  transferred BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (opened_on, region_code, tag)
);
)SQL";

// Custody and destruction (issue 5 §4, plan item (七)). Photo evidence lives in
// its own table rather than plan_attachments, whose owner_kind CHECK names
// only plan owners and cannot be widened in SQLite without a table rebuild.
// Migration 10: the facts of the 215 未遂 rules (尚未销售的标识) and of the
// 216 patentee's-loss rule (data/cases/thresholds.csv).
const char* kCaseLossAndUnsoldLabels = R"SQL(
ALTER TABLE cases ADD COLUMN rights_holder_loss_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN unsold_label_count BIGINT NOT NULL DEFAULT 0;
)SQL";

const char* kCustodySchema = R"SQL(
CREATE TABLE case_items (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  description TEXT NOT NULL,
  quantity DOUBLE PRECISION NOT NULL DEFAULT 0,
  unit TEXT NOT NULL DEFAULT '',
  weight_kg DOUBLE PRECISION NOT NULL DEFAULT 0,
  value_fen BIGINT NOT NULL DEFAULT 0,
  storage_place TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '在库' CHECK (status IN ('在库', '已移交', '已销毁')),
  created_by BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX case_items_case ON case_items(case_id);
CREATE TABLE custody_events (
  id BIGINT PRIMARY KEY,
  item_id BIGINT NOT NULL REFERENCES case_items(id) ON DELETE CASCADE,
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  from_place TEXT NOT NULL DEFAULT '',
  to_place TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  by_user BIGINT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX custody_events_item ON custody_events(item_id);
CREATE INDEX custody_events_case ON custody_events(case_id);
CREATE TABLE destruction_units (
  id BIGINT PRIMARY KEY,
  name TEXT NOT NULL,
  licence_number TEXT NOT NULL UNIQUE,
  region_code TEXT NOT NULL,
  methods TEXT NOT NULL DEFAULT '',
  valid_until TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX destruction_units_region ON destruction_units(region_code);
CREATE TABLE destruction_orders (
  id BIGINT PRIMARY KEY,
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES destruction_units(id),
  method TEXT NOT NULL,
  destroyed_on TEXT NOT NULL,
  weight_kg DOUBLE PRECISION NOT NULL DEFAULT 0,
  value_fen BIGINT NOT NULL DEFAULT 0,
  witnesses TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX destruction_orders_case ON destruction_orders(case_id);
CREATE INDEX destruction_orders_region_date ON destruction_orders(region_code, destroyed_on);
CREATE TABLE destruction_order_items (
  order_id BIGINT NOT NULL REFERENCES destruction_orders(id) ON DELETE CASCADE,
  item_id BIGINT NOT NULL REFERENCES case_items(id),
  PRIMARY KEY (order_id, item_id)
);
CREATE TABLE destruction_attachments (
  id BIGINT PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES destruction_orders(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_base64 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX destruction_attachments_order ON destruction_attachments(order_id);
)SQL";

// Migration 11: one table for every attached file (core/attachment.h):
// progress reports and supervision events (from plan_attachments),
// destruction photos (from destruction_attachments) and case documents.
const char* kAttachments = R"SQL(
CREATE TABLE attachments (
  id BIGINT PRIMARY KEY,
  owner_kind TEXT NOT NULL,
  owner_id BIGINT NOT NULL,
  kind TEXT NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL REFERENCES organizations(id),
  region_code TEXT NOT NULL,
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_base64 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);
INSERT INTO attachments (id, owner_kind, owner_id, kind, org_id, region_code, filename,
    content_type, size, sha256, data_base64, created_at)
  SELECT id, owner_kind, owner_id, '', org_id, region_code, filename, content_type, size, sha256,
    data_base64, created_at FROM plan_attachments;
INSERT INTO attachments (id, owner_kind, owner_id, kind, org_id, region_code, filename,
    content_type, size, sha256, data_base64, created_at)
  SELECT a.id, 'destruction_order', a.order_id, '', d.org_id, d.region_code, a.filename,
    a.content_type, a.size, a.sha256, a.data_base64, a.created_at
  FROM destruction_attachments a JOIN destruction_orders d ON d.id = a.order_id;
DROP TABLE plan_attachments;
DROP TABLE destruction_attachments;
)SQL";

// Migration 12: goods, brands and rights holders as records of a case; the
// brand and rights holder texts of existing cases become their first row.
// Issue 7 §3, §5: the places registry (GLN → name, region, organisation),
// recall notices to downstream holders, and the review of clone suspicions.
const char* kTracePlacesNotices = R"SQL(
CREATE TABLE trace_places (
  place_key TEXT PRIMARY KEY,
  id_text TEXT NOT NULL,
  name TEXT NOT NULL,
  region_code TEXT NOT NULL,
  retail INTEGER NOT NULL DEFAULT 0,
  org_id BIGINT REFERENCES organizations(id),
  updated_at TEXT NOT NULL
);
CREATE INDEX trace_places_region ON trace_places(region_code);
CREATE TABLE trace_recall_notices (
  id BIGINT PRIMARY KEY,
  batch_id BIGINT NOT NULL REFERENCES trace_batches(id),
  holder_key TEXT NOT NULL,
  holder_id TEXT NOT NULL,
  holder_name TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL DEFAULT '',
  org_id BIGINT NOT NULL,
  routed TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acknowledged_at TEXT NOT NULL DEFAULT '',
  acknowledged_by BIGINT,
  ack_note TEXT NOT NULL DEFAULT '',
  UNIQUE (batch_id, holder_key)
);
CREATE INDEX trace_recall_notices_org ON trace_recall_notices(org_id, status);
ALTER TABLE trace_suspicions ADD COLUMN reviewed_by BIGINT;
ALTER TABLE trace_suspicions ADD COLUMN reviewed_at TEXT NOT NULL DEFAULT '';
ALTER TABLE trace_suspicions ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
CREATE INDEX trace_suspicions_org ON trace_suspicions(org_id, status);
-- The recall list (holders of a batch) reads indexes only: a batch's codes'
-- events and their roles, the events' step and place, their destinations.
DROP INDEX trace_event_codes_code;
CREATE INDEX trace_event_codes_code ON trace_event_codes(code, role, event_row);
DROP INDEX trace_event_refs_event;
CREATE INDEX trace_event_refs_event ON trace_event_refs(event_row, kind, type, ref_key, value);
CREATE INDEX trace_events_holders ON trace_events(id, biz_step, declared_error, event_time, biz_location);
-- Pack levels: units per 箱, 箱 per 件 ("20,10"), and each code's level and parent pack.
ALTER TABLE trace_batches ADD COLUMN pack_sizes TEXT NOT NULL DEFAULT '';
ALTER TABLE trace_codes ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE trace_codes ADD COLUMN parent TEXT NOT NULL DEFAULT '';
CREATE INDEX trace_codes_parent ON trace_codes(parent);
)SQL";

// Migration 14 (issue 7 §4, §5): each code keeps its last located scan, so
// that the distant-regions rule needs no index of scans by code. That index
// put a second random page write on every public scan (with the code's
// counter); scans are now appended in time order only.
const char* kTraceLastScan = R"SQL(
ALTER TABLE trace_codes ADD COLUMN last_region TEXT NOT NULL DEFAULT '';
ALTER TABLE trace_codes ADD COLUMN last_region_at TEXT NOT NULL DEFAULT '';
UPDATE trace_codes SET last_region_at = COALESCE((SELECT MAX(s.scanned_at) FROM trace_scans s
  WHERE s.code = trace_codes.code AND s.region_code <> ''), '') WHERE scan_count > 0;
UPDATE trace_codes SET last_region = COALESCE((SELECT MIN(s.region_code) FROM trace_scans s
  WHERE s.code = trace_codes.code AND s.scanned_at = trace_codes.last_region_at AND s.region_code <> ''), '')
  WHERE last_region_at <> '';
DROP INDEX trace_scans_code;
-- The recall list: each event code row carries its batch, and containers are
-- listed with the batches packed into them. Codes are random and issued here
-- before any label carries them, so no event names a code before its batch.
ALTER TABLE trace_event_codes ADD COLUMN batch_id BIGINT NOT NULL DEFAULT 0;
UPDATE trace_event_codes SET batch_id = (SELECT t.batch_id FROM trace_codes t WHERE t.code = trace_event_codes.code)
  WHERE code IN (SELECT code FROM trace_codes);
CREATE INDEX trace_event_codes_batch ON trace_event_codes(batch_id, event_row);
CREATE TABLE trace_containers (
  container_key TEXT NOT NULL,
  batch_id BIGINT NOT NULL,
  PRIMARY KEY (batch_id, container_key)
);
INSERT INTO trace_containers (container_key, batch_id) SELECT DISTINCT p.code, ch.batch_id FROM trace_event_codes ch
  JOIN trace_event_codes p ON p.event_row = ch.event_row AND p.role = 'parent' WHERE ch.role = 'child' AND ch.batch_id <> 0;
-- The clone rules' thresholds as set by the office, one row per change; the
-- newest is in force (none: the built-in defaults).
CREATE TABLE trace_rule_versions (
  id BIGINT PRIMARY KEY,
  scans_per_unit INTEGER NOT NULL,
  distant_window_hours INTEGER NOT NULL,
  cluster_threshold INTEGER NOT NULL,
  cluster_window_minutes INTEGER NOT NULL,
  note TEXT NOT NULL,
  changed_by BIGINT REFERENCES users(id),
  changed_at TEXT NOT NULL
);
)SQL";

// Migration 15 (issue 7 §5, §7): the recall list of each batch, kept as
// events are captured (computed from the events it took 2.5 s for a batch
// named in 500,000 of 30M events), each holder with the capture that listed
// it first (a recalled batch's new holders are notified). Container links
// keep the capture that made them and are found by container. The backfill
// is the capture's upsert (storage/trace_store_sql.cc: EventBatches,
// UpsertHolders) over all events. Also: the codes of retail sales, and
// smaller event indexes.
const char* kTraceBatchHolders = R"SQL(
ALTER TABLE trace_containers ADD COLUMN capture_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX trace_containers_key ON trace_containers(container_key);
CREATE INDEX trace_containers_capture ON trace_containers(capture_id);
CREATE TABLE trace_batch_holders (
  batch_id BIGINT NOT NULL,
  holder_key TEXT NOT NULL,
  role TEXT NOT NULL,
  holder_id TEXT NOT NULL,
  last_time TEXT NOT NULL,
  capture_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (batch_id, holder_key, role)
);
CREATE INDEX trace_batch_holders_capture ON trace_batch_holders(capture_id);
-- Fewer and smaller index entries per captured event: the covering indexes
-- of the holder query computed from events are no longer read (a third of a
-- capture's index bytes), and most codes have no lot.
DROP INDEX trace_events_holders;
DROP INDEX trace_event_refs_event;
CREATE INDEX trace_event_refs_event ON trace_event_refs(event_row);
-- The codes each retail sale names (the clone rule on scans after a sale).
CREATE TABLE trace_retail_sales (
  code TEXT NOT NULL,
  event_row BIGINT NOT NULL REFERENCES trace_events(id),
  PRIMARY KEY (code, event_row)
);
INSERT INTO trace_retail_sales (code, event_row) SELECT DISTINCT c.code, c.event_row FROM trace_events e
  JOIN trace_event_codes c ON c.event_row = e.id WHERE e.biz_step = 'retail_selling' AND e.is_declaration = 0;
DROP INDEX trace_event_codes_lot;
CREATE INDEX trace_event_codes_lot ON trace_event_codes(lot) WHERE lot <> '';
WITH lots AS MATERIALIZED (SELECT id, '01/' || registration_no || '/10/' || lot AS k FROM trace_batches
  WHERE kind = 'sgtin'),
src AS MATERIALIZED (SELECT event_row AS ev, batch_id FROM trace_event_codes WHERE batch_id <> 0
  UNION ALL SELECT c.event_row, k.batch_id FROM trace_containers k JOIN trace_event_codes c ON c.code = k.container_key
  UNION ALL SELECT c.event_row, l.id FROM lots l JOIN trace_event_codes c ON c.code = l.k)
INSERT INTO trace_batch_holders (batch_id, holder_key, role, holder_id, last_time)
  SELECT s.batch_id, r.ref_key, 'destination:' || r.type, MIN(r.value), MAX(e.event_time) FROM src s
  JOIN trace_events e ON e.id = s.ev JOIN trace_event_refs r ON r.event_row = e.id WHERE r.kind = 'destination'
  AND e.biz_step = 'shipping' AND e.declared_error = '' GROUP BY s.batch_id, r.ref_key, r.type
  UNION ALL SELECT s.batch_id, e.biz_location, 'receiving', MIN(e.biz_location), MAX(e.event_time) FROM src s
  JOIN trace_events e ON e.id = s.ev WHERE e.biz_step = 'receiving' AND e.biz_location <> ''
  AND e.declared_error = '' GROUP BY s.batch_id, e.biz_location;
)SQL";

// Migration 16 (issue 7 §7): the code index of events is keyed by batch
// first (storage/trace_store_sql.cc: NamesCode). Keyed by the random code
// strings, a 1M-event document put an entry on nearly every page of it
// (1.2 GB at 30M events), all written to the WAL and checkpointed again with
// each document; batch first, a document's entries fill a few ranges. It
// also serves the batch's own rows, so the batch index goes. A code is found
// under its batch, so rows of events that named a code before it was issued
// get the batch now (issuance does it from here on: RekeyIssuedCodes). Codes
// are random, so there are none in practice; the holder lists of such
// batches still lack those events' holders, as before this migration.
const char* kTraceCodeIndexByBatch = R"SQL(
UPDATE trace_event_codes SET batch_id = (SELECT t.batch_id FROM trace_codes t WHERE t.code = trace_event_codes.code)
  WHERE batch_id = 0 AND code IN (SELECT code FROM trace_codes);
INSERT INTO trace_containers (container_key, batch_id) SELECT DISTINCT p.code, ch.batch_id FROM trace_event_codes ch
  JOIN trace_event_codes p ON p.event_row = ch.event_row AND p.role = 'parent' WHERE ch.role = 'child'
  AND ch.batch_id <> 0 ON CONFLICT (batch_id, container_key) DO NOTHING;
DROP INDEX trace_event_codes_code;
DROP INDEX trace_event_codes_batch;
CREATE INDEX trace_event_codes_batch_code ON trace_event_codes(batch_id, code, role, event_row);
)SQL";

// Migration 17 (issue 7 §4, §7): known scans wait here until they are added
// to their codes' counters (trace_codes.scan_count, first and last located
// scan) in one pass every minute or so (storage/trace_store_sql.cc:
// FoldScans), rather than at each flush: a scan of a random code among
// millions changed a trace_codes page that no other scan of its flush
// changed, and each such page went to the WAL and back (1.2 GB/s at 20,000
// scans/s with 64 KB pages). Rows are appended and read back only by the
// fold, which empties the table.
const char* kTraceScanBacklog = R"SQL(
CREATE TABLE trace_scan_backlog (
  code TEXT NOT NULL,
  scanned_at TEXT NOT NULL,
  region_code TEXT NOT NULL DEFAULT ''
);
)SQL";

// Migration 18 (issue 7 §4): the last fold of the backlog into the codes'
// counters (its token: TraceStore::FoldScans). Reads of counts take it in
// the same statement, so that the verification service, which adds the
// scans of a fold in progress from memory, knows whether the rows it read
// count them already (a read between the fold's commit and the service's
// bookkeeping counted them twice).
const char* kTraceLastFold = R"SQL(
CREATE TABLE trace_folds (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  last_fold BIGINT NOT NULL
);
INSERT INTO trace_folds (id, last_fold) VALUES (1, 0);
)SQL";

// Migration 19 (issue 7 §4, §7): a code's scan counters move out of
// trace_codes into a table of the codes scanned at least once, and a
// batch's total onto the batch. A fold changes the counters of up to
// 200,000 random codes (TraceStore::FoldScans): in trace_codes, 10M codes
// of about 110 bytes, that changed nearly every page of the table (1 GB
// to the WAL and back per fold), and the rows read next came from the WAL.
// Few labels are ever scanned, so the new table is a small fraction of
// that; issued codes are never rewritten by scans. A batch's total was a
// sum over all its codes (10M rows for a large batch) at every read.
const char* kTraceCodeScans = R"SQL(
INSERT INTO trace_code_scans (code, scan_count, first_scan_at, first_scan_region, last_region, last_region_at)
  SELECT code, scan_count, first_scan_at, first_scan_region, last_region, last_region_at FROM trace_codes
  WHERE scan_count > 0 ORDER BY code;
ALTER TABLE trace_batches ADD COLUMN scan_total BIGINT NOT NULL DEFAULT 0;
UPDATE trace_batches SET scan_total = (SELECT COALESCE(SUM(s.scan_count), 0) FROM trace_codes s
  WHERE s.batch_id = trace_batches.id);
ALTER TABLE trace_codes DROP COLUMN scan_count;
ALTER TABLE trace_codes DROP COLUMN first_scan_at;
ALTER TABLE trace_codes DROP COLUMN first_scan_region;
ALTER TABLE trace_codes DROP COLUMN last_region;
ALTER TABLE trace_codes DROP COLUMN last_region_at;
)SQL";

// kTraceCodeScans after its table, whose code is the key of the table
// itself on SQLite (one B-tree, one descent per read).
std::string TraceCodeScans(const char* table_options) {
  return std::string(
             "CREATE TABLE trace_code_scans (\n"
             "  code TEXT PRIMARY KEY,\n"
             "  scan_count BIGINT NOT NULL,\n"
             "  first_scan_at TEXT NOT NULL,\n"
             "  first_scan_region TEXT NOT NULL,\n"
             "  last_region TEXT NOT NULL,\n"
             "  last_region_at TEXT NOT NULL\n"
             ")") +
         table_options + ";\n" + kTraceCodeScans;
}

// Migration 20 (issue 7 §4, §7): on SQLite a code's row is found by the
// code itself (the key of the table, WITHOUT ROWID), not through an index
// of codes and then the table by row id: verification reads one B-tree
// less per request. The pack index keeps only codes that have a parent:
// keyed by code, the index of every code's empty parent would take 10M
// random inserts at issuance, where the row id kept them in order.
const char* kTraceCodesKeyedSqlite = R"SQL(
CREATE TABLE trace_codes_keyed (
  code TEXT PRIMARY KEY,
  text TEXT NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES trace_batches(id),
  seq INTEGER NOT NULL,
  suspicious INTEGER NOT NULL DEFAULT 0,
  level INTEGER NOT NULL DEFAULT 0,
  parent TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
INSERT INTO trace_codes_keyed (code, text, batch_id, seq, suspicious, level, parent)
  SELECT code, text, batch_id, seq, suspicious, level, parent FROM trace_codes ORDER BY code;
DROP TABLE trace_codes;
ALTER TABLE trace_codes_keyed RENAME TO trace_codes;
CREATE INDEX trace_codes_batch ON trace_codes(batch_id, seq);
CREATE INDEX trace_codes_parent ON trace_codes(parent) WHERE parent <> '';
)SQL";
const char* kTraceCodesPartialParent = R"SQL(
DROP INDEX trace_codes_parent;
CREATE INDEX trace_codes_parent ON trace_codes(parent) WHERE parent <> '';
)SQL";

// Migration 21 (issue 7 §7): a scan waiting in the backlog carries its
// code's batch, which verification knew, so that a fold no longer looks up
// each code among the issued ones (10M rows) to learn it: that lookup was
// 37% of a fold's time (perf, 200,000 codes).
const char* kTraceBacklogBatch = R"SQL(
ALTER TABLE trace_scan_backlog ADD COLUMN batch_id BIGINT NOT NULL DEFAULT 0;
UPDATE trace_scan_backlog SET batch_id = COALESCE((SELECT t.batch_id FROM trace_codes t
  WHERE t.code = trace_scan_backlog.code), 0);
)SQL";

// Migration 22 (issue 7 §4): every server reads the batches no longer
// 正常 each second (a recall shows in verification everywhere), few among
// many.
const char* kTraceClosedBatches = R"SQL(
CREATE INDEX trace_batches_closed ON trace_batches(id) WHERE status <> '正常';
)SQL";

// Migration 23 (issue 7 §4): a scan waiting in the backlog names the
// process that wrote it, so that a fold takes only its own and those left
// by stopped processes (TraceStore::FoldScans). Scans written before carry
// 0 and go to the next fold.
const char* kTraceBacklogWriter = R"SQL(
ALTER TABLE trace_scan_backlog ADD COLUMN writer BIGINT NOT NULL DEFAULT 0;
)SQL";

const char* kCaseGoods = R"SQL(
CREATE TABLE case_goods (
  case_id BIGINT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  name TEXT NOT NULL,
  brand TEXT NOT NULL DEFAULT '',
  registration_no TEXT NOT NULL DEFAULT '',
  rights_holder TEXT NOT NULL DEFAULT '',
  rights_holder_uscc TEXT NOT NULL DEFAULT '',
  quantity DOUBLE PRECISION NOT NULL DEFAULT 0,
  unit TEXT NOT NULL DEFAULT '',
  value_fen BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (case_id, seq)
);
INSERT INTO case_goods (case_id, seq, name, brand, rights_holder)
  SELECT id, 1, category || '涉案商品', brand, rights_holder FROM cases
  WHERE brand <> '' OR rights_holder <> '';
)SQL";

const char* kMigrationsTable = R"SQL(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)
)SQL";

}  // namespace

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "platform: regions, organisations, users, roles, sessions, audit", kPlatformSchema,
       kAuditGuardSqlite, kAuditGuardPostgres},
      {2, "user_roles: null-safe check of the admin group (三权分立)", "", AdminGroupSqlite(),
       AdminGroupPostgres()},
      {3, "plans: imported work plans, their tasks and assignments", kPlanSchema, "", ""},
      {4, "plans: progress reports, attachments, supervision", kProgressSchema, "", ""},
      {5, "assessment: rubrics, items, scores and vetoes (一票否决)", kAssessmentSchema, "", ""},
      {6, "clues: screening jobs, clues and their listings", kClueSchema, "", ""},
      {7, "cases: case files, parties, events, statutory timers (两法衔接)", kCaseSchema, "", ""},
      {8, "trace: EPCIS events, issued code batches, scans, clone suspicions", kTraceSchema, "", ""},
      {9, "cases: seized items, custody events, destruction units and orders", kCustodySchema, "",
       ""},
      {10, "cases: unsold labels (215 未遂) and the patentee's direct loss (216)",
       kCaseLossAndUnsoldLabels, "", ""},
      {11, "attachments: one table for report, supervision, case and destruction files", kAttachments,
       "", ""},
      {12, "cases: goods, brands and rights holders", kCaseGoods, "", ""},
      {13, "trace: places registry, recall notices, review of clone suspicions", kTracePlacesNotices, "", ""},
      {14, "trace: last located scan per code; batch of each event code, containers per batch; rule versions",
       kTraceLastScan, "", ""},
      {15,
       "trace: holders of each batch (the recall list); container links by capture; codes of retail sales; "
       "fewer event indexes",
       kTraceBatchHolders, "", ""},
      {16, "trace: the code index of events keyed by batch first", kTraceCodeIndexByBatch, "", ""},
      {17, "trace: scans waiting to be added to their codes' counters", kTraceScanBacklog, "", ""},
      {18, "trace: the last fold of waiting scans, read with the counts", kTraceLastFold, "", ""},
      {19, "trace: scan counters of scanned codes only, a total per batch", "",
       TraceCodeScans(" WITHOUT ROWID"), TraceCodeScans("")},
      {20, "trace: codes keyed by the code itself; the pack index of packed codes only", "",
       kTraceCodesKeyedSqlite, kTraceCodesPartialParent},
      {21, "trace: scans waiting for a fold carry their batch", kTraceBacklogBatch, "", ""},
      {22, "trace: the batches recalled or destroyed", kTraceClosedBatches, "", ""},
      {23, "trace: scans waiting for a fold name their writer", kTraceBacklogWriter, "", ""},
  };
  return kMigrations;
}

Result<int> CurrentVersion(Database& db) {
  int version = 0;
  RS_TRY(db.Write(nullptr, [&](soci::session& sql) -> Status {
    // Created only when missing: the server's role on PostgreSQL may not
    // create tables (Storage::GrantAppRole).
    int exists = 0;
    sql << (db.dialect() == Dialect::kSqlite
                ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'"
                : "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                  "AND tablename = 'schema_migrations'"),
        soci::into(exists);
    if (exists == 0) sql << kMigrationsTable;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    if (ind == soci::i_null) version = 0;
    return Ok();
  }));
  return version;
}

Result<int> ApplyMigrations(Database& db, int last) {
  // Versions only count up: a migration listed after a higher one would
  // never run on a database that has the higher one.
  for (size_t i = 1; i < AllMigrations().size(); ++i) {
    RS_CHECK(AllMigrations()[i].version == AllMigrations()[i - 1].version + 1)
        << "migration " << AllMigrations()[i].version << " is out of order";
  }
  Result<int> current = CurrentVersion(db);
  RS_TRY(current);
  for (const Migration& m : AllMigrations()) {
    if (m.version <= *current || m.version > last) continue;
    spdlog::info("applying migration {}: {}", m.version, m.name);
    RS_TRY(db.Write(nullptr, [&](soci::session& sql) -> Status {
      RS_TRY(db.ExecScript(sql, m.common));
      RS_TRY(db.ExecScript(sql, db.dialect() == Dialect::kSqlite ? m.sqlite : m.postgres));
      std::string now = FormatUtc(db.clock().Now());
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
          soci::use(m.version), soci::use(m.name), soci::use(now);
      return Ok();
    }));
    *current = m.version;
  }
  return *current;
}

}  // namespace redshield::storage
