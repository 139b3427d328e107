// Work plans (issue 4): plans, assignments, progress reports, reminders, the board,
// supervision (通报/约谈/挂牌督办), 一票否决 and assessment. Mirrors docs/api.md
// "Work plans (issue 4)"; keep in sync with the doc.
import { filenameFromDisposition, request, type RequestOptions } from './http'
import type { Id, IsoTime, Page, PageQuery } from './types'

type Opts = Pick<RequestOptions, 'showError' | 'signal' | 'skipAuthRedirect'>
const enc = encodeURIComponent

// --- types ---------------------------------------------------------------------------
export type ReportCycle = 'monthly' | 'quarterly'
export type AssignmentStatus = '未开始' | '进行中' | '已完成' | '受阻'
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] = ['未开始', '进行中', '已完成', '受阻']
export type UnitRole = 'lead' | 'responsible'

export interface PlanCounts {
  sections: number
  items: number
  tasks: number
  assignments: number
}

export interface Plan {
  id: Id
  year: number
  region_code: string
  title: string
  source_text_sha256: string
  imported_at: IsoTime
  imported_by: Id | null
  report_cycle: ReportCycle
  remind_days: number
  counts: PlanCounts
}

export interface AssignmentOrg {
  id: Id
  code: string
  name: string
  region_code: string
}

export interface TaskRef {
  item_number: string
  number: string
  text: string
}

export interface Assignment {
  id: Id
  plan_id: Id
  task_id: Id
  org: AssignmentOrg
  role: UnitRole
  due_date: string
  status: AssignmentStatus
  unit_text: string
  last_report_at: IsoTime | null
  reports: number
  overdue: boolean
  due_in_working_days: number
  /** With `/plans/{id}/assignments`, the board and reminders. */
  task?: TaskRef
}

export interface PlanTask {
  id: Id
  ordinal: number
  number: string
  text: string
  note: string
  assignments: Assignment[]
}

export interface PlanItem {
  id: Id
  ordinal: number
  number: string
  title: string
  intro: string
  tasks: PlanTask[]
}

export interface PlanSection {
  id: Id
  ordinal: number
  number: string
  title: string
  items: PlanItem[]
}

export interface PlanTree extends Plan {
  sections: PlanSection[]
}

export interface ParsedUnit {
  text: string
  name: string
  role: UnitRole
  org_id: Id | null
  org_code?: string | null
  org_name?: string | null
  group?: string | null
}

export interface ParsedTask {
  text: string
  units: ParsedUnit[]
}

export interface ParsedItem {
  number: string
  title: string
  tasks: ParsedTask[]
}

export interface ParsedSection {
  number: string
  title: string
  items: ParsedItem[]
}

export interface UnresolvedUnit {
  section: string
  item: string
  task: string | number
  text: string
  name: string
}

export interface ParsedPlan {
  title: string
  year: number | null
  encoding: string
  region: string
  sections: ParsedSection[]
  unresolved: UnresolvedUnit[]
  warnings: string[]
  /** The contract leaves the summary's keys open ({sections, items, tasks, units, …}). */
  summary: Record<string, number | string>
}

export interface ImportQuery {
  year: number
  region_code: string
  due: string
  report_cycle: ReportCycle
}

export interface PlanSettings {
  report_cycle: ReportCycle
  remind_days: number
}

export interface Indicator {
  name: string
  value: number
  unit: string
}

export interface AttachmentUpload {
  filename: string
  content_type: string
  data_base64: string
}

export interface Attachment {
  id: Id
  filename: string
  content_type: string
  size: number
  sha256: string
}

export interface Report {
  id: Id
  assignment_id: Id
  period: string
  status: AssignmentStatus
  narrative: string
  indicators: Indicator[]
  attachments: Attachment[]
  reported_by: { id: Id; display_name: string; org_name: string }
  reported_at: IsoTime
}

export interface ReportInput {
  period: string
  status: AssignmentStatus
  narrative: string
  indicators: Indicator[]
  attachments: AttachmentUpload[]
}

/** GET /plan-assignments/{id}: `reports` is the list here (a count elsewhere). */
export type AssignmentDetail = Omit<Assignment, 'reports'> & { task: TaskRef; reports: Report[] }

export interface AssignmentQuery {
  org_id?: Id
  status?: AssignmentStatus | ''
  overdue?: boolean
}

export interface Reminder {
  kind: 'overdue' | 'due_soon'
  due_in_working_days: number
  assignment: Assignment & { task: TaskRef; plan: { id: Id; year: number; title: string } }
}

export interface Counts {
  assignments: number
  not_started: number
  in_progress: number
  done: number
  blocked: number
  overdue: number
}

export interface Board {
  as_of: string
  totals: Counts
  by_region: (Counts & { region_code: string; region_name: string })[]
  by_org: (Counts & { org: AssignmentOrg & { region_name?: string } })[]
  overdue: Assignment[]
  blocked: Assignment[]
}

export type SupervisionKind = 'notice' | 'interview' | 'listed'
export const SUPERVISION_KINDS: readonly SupervisionKind[] = ['notice', 'interview', 'listed']
export type SupervisionStatus =
  | '已下发'
  | '已签收'
  | '待约谈'
  | '已约谈'
  | '整改中'
  | '待验收'
  | '已销号'
  | '已撤销'
export const SUPERVISION_STATUSES: readonly SupervisionStatus[] = [
  '已下发',
  '已签收',
  '待约谈',
  '已约谈',
  '整改中',
  '待验收',
  '已销号',
  '已撤销',
]

export interface SupervisionEvent {
  id: Id
  action: 'create' | 'acknowledge' | 'record' | 'rectification' | 'accept' | 'return' | 'cancel'
  text: string
  attachments: Attachment[]
  by: { id: Id; display_name: string; org_name: string }
  at: IsoTime
}

export interface Supervision {
  id: Id
  plan_id: Id
  kind: SupervisionKind
  kind_name: string
  org: AssignmentOrg
  assignment: { id: Id; task: TaskRef } | null
  title: string
  content: string
  deadline: string | null
  meeting_at: IsoTime | null
  place: string
  status: SupervisionStatus | string
  overdue: boolean
  created_by: { id: Id; display_name: string }
  created_at: IsoTime
  updated_at: IsoTime
  events?: SupervisionEvent[]
}

export interface SupervisionQuery extends PageQuery {
  plan_id?: Id
  kind?: SupervisionKind | ''
  status?: string
  org_id?: Id
}

export interface SupervisionInput {
  plan_id: Id
  kind: SupervisionKind
  org_id: Id
  assignment_id?: Id
  title: string
  content: string
  deadline?: string
  meeting_at?: IsoTime
  place?: string
}

export interface VetoTarget {
  kind: 'region' | 'unit'
  id: Id
  code: string
  name: string
}

export interface Veto {
  id: Id
  year: number
  target: VetoTarget
  reason: string
  status: 'in_force' | 'revoked'
  created_by: Id | { id: Id; display_name: string }
  created_at: IsoTime
  revoked_reason?: string
}

export interface VetoInput {
  year: number
  region_code?: string
  org_id?: Id
  reason: string
}

export type RubricTarget = 'region' | 'unit'

export interface RubricItem {
  id: Id
  ordinal: number
  name: string
  max_points: number
  guidance: string
  computed: null | string
}

export interface Rubric {
  id: Id
  year: number
  target: RubricTarget
  title: string
  max_total: number
  items: RubricItem[]
  region_code?: string
  /** Where the rubric comes from, and a note (e.g. that the split per item is an estimate). */
  note?: string
  source?: string
  created_at?: IsoTime
  updated_at?: IsoTime
}

export interface Score {
  item_id: Id
  points: number | null
  computed: boolean
  evidence: string
  comment: string
  scored_by: Id | { id: Id; display_name: string } | null
  scored_at: IsoTime | null
}

export interface ResultRow {
  target: VetoTarget
  scores: Score[]
  total: number
  rank: number | null
  veto: Veto | null
  previous_total: number | null
  change: number | null
}

export interface Results {
  rubric: Rubric
  rows: ResultRow[]
}

export interface ScoreInput {
  target_id: Id
  item_id: Id
  /** null clears the score */
  points: number | null
  evidence: string
  comment: string
}

// --- endpoints -----------------------------------------------------------------------
async function download(path: string, fallback: string): Promise<{ blob: Blob; filename: string }> {
  const res = await request<Response>('GET', path, { raw: true })
  const blob = await res.blob()
  return { blob, filename: filenameFromDisposition(res.headers.get('Content-Disposition'), fallback) }
}

export const planApi = {
  list: (opts: Opts = {}) => request<{ items: Plan[] }>('GET', '/plans', opts),
  get: (id: Id, opts: Opts = {}) => request<PlanTree>('GET', `/plans/${enc(id)}`, opts),
  /** Body = the plan file's bytes as read (the server detects the encoding). */
  parse: (file: ArrayBuffer, regionCode: string, opts: Opts = {}) =>
    request<ParsedPlan>('POST', '/plans/parse', { query: { region_code: regionCode }, rawBody: file, ...opts }),
  import: (file: ArrayBuffer, q: ImportQuery, opts: Opts = {}) =>
    request<Plan>('POST', '/plans', { query: { ...q }, rawBody: file, ...opts }),
  update: (id: Id, body: PlanSettings, opts: Opts = {}) =>
    request<Plan>('PUT', `/plans/${enc(id)}`, { body, ...opts }),
  addUnitAlias: (text: string, orgId: Id, opts: Opts = {}) =>
    request<unknown>('POST', '/plans/unit-aliases', { body: { text, org_id: orgId }, ...opts }),
  assignments: (planId: Id, q: AssignmentQuery = {}, opts: Opts = {}) =>
    request<{ items: Assignment[] }>('GET', `/plans/${enc(planId)}/assignments`, {
      query: { org_id: q.org_id, status: q.status, overdue: q.overdue ? 'true' : undefined },
      ...opts,
    }),
  board: (planId: Id, regionCode?: string, opts: Opts = {}) =>
    request<Board>('GET', `/plans/${enc(planId)}/board`, { query: { region_code: regionCode }, ...opts }),
}

export const assignmentApi = {
  get: (id: Id, opts: Opts = {}) =>
    request<AssignmentDetail>('GET', `/plan-assignments/${enc(id)}`, opts),
  setDue: (id: Id, dueDate: string, opts: Opts = {}) =>
    request<Assignment>('PUT', `/plan-assignments/${enc(id)}`, { body: { due_date: dueDate }, ...opts }),
  report: (id: Id, body: ReportInput, opts: Opts = {}) =>
    request<Report>('POST', `/plan-assignments/${enc(id)}/reports`, { body, ...opts }),
  attachment: (id: Id, fallbackName = 'attachment') => download(`/plan-attachments/${enc(id)}`, fallbackName),
}

export const reminderApi = {
  mine: (opts: Opts = {}) => request<{ items: Reminder[] }>('GET', '/me/reminders', opts),
}

export const supervisionApi = {
  list: (q: SupervisionQuery = {}, opts: Opts = {}) =>
    request<Page<Supervision>>('GET', '/supervisions', { query: { ...q }, ...opts }),
  get: (id: Id, opts: Opts = {}) => request<Supervision>('GET', `/supervisions/${enc(id)}`, opts),
  create: (body: SupervisionInput, opts: Opts = {}) =>
    request<Supervision>('POST', '/supervisions', { body, ...opts }),
  acknowledge: (id: Id, opts: Opts = {}) =>
    request<Supervision>('POST', `/supervisions/${enc(id)}/acknowledge`, { body: {}, ...opts }),
  record: (id: Id, text: string, opts: Opts = {}) =>
    request<Supervision>('POST', `/supervisions/${enc(id)}/record`, { body: { text }, ...opts }),
  rectification: (id: Id, text: string, attachments: AttachmentUpload[], opts: Opts = {}) =>
    request<Supervision>('POST', `/supervisions/${enc(id)}/rectification`, { body: { text, attachments }, ...opts }),
  review: (id: Id, decision: 'accept' | 'return', comment: string, opts: Opts = {}) =>
    request<Supervision>('POST', `/supervisions/${enc(id)}/review`, { body: { decision, comment }, ...opts }),
  cancel: (id: Id, reason: string, opts: Opts = {}) =>
    request<Supervision>('POST', `/supervisions/${enc(id)}/cancel`, { body: { reason }, ...opts }),
}

export const vetoApi = {
  list: (year?: number, opts: Opts = {}) => request<{ items: Veto[] }>('GET', '/vetoes', { query: { year }, ...opts }),
  create: (body: VetoInput, opts: Opts = {}) => request<Veto>('POST', '/vetoes', { body, ...opts }),
  revoke: (id: Id, reason: string, opts: Opts = {}) =>
    request<Veto>('POST', `/vetoes/${enc(id)}/revoke`, { body: { reason }, ...opts }),
}

export const assessmentApi = {
  rubrics: (q: { year?: number; target?: RubricTarget } = {}, opts: Opts = {}) =>
    request<{ items: Rubric[] }>('GET', '/assessment-rubrics', { query: { ...q }, ...opts }),
  rubric: (id: Id, opts: Opts = {}) => request<Rubric>('GET', `/assessment-rubrics/${enc(id)}`, opts),
  copyRubric: (copyFrom: Id, year: number, opts: Opts = {}) =>
    request<Rubric>('POST', '/assessment-rubrics', { body: { copy_from: copyFrom, year }, ...opts }),
  results: (id: Id, opts: Opts = {}) => request<Results>('GET', `/assessment-rubrics/${enc(id)}/results`, opts),
  score: (id: Id, body: ScoreInput, opts: Opts = {}) =>
    request<ResultRow>('PUT', `/assessment-rubrics/${enc(id)}/scores`, { body, ...opts }),
  export: (id: Id) => download(`/assessment-rubrics/${enc(id)}/export`, 'assessment.xlsx'),
}
