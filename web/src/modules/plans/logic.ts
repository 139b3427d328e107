// Pure rules of the work-plan pages (periods, report validation, attachment limits, which
// supervision actions a user sees). Kept apart from the views so they are unit-tested; the
// server stays the authority and its error message is shown when it refuses.
import type {
  Assignment,
  AssignmentStatus,
  AttachmentUpload,
  Indicator,
  ReportCycle,
  ResultRow,
  Supervision,
} from '@/api'
import { formatDate } from '@/utils/time'

export const MAX_ATTACHMENTS = 5
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
export const MAX_INDICATORS = 10

/** Common indicators offered as presets in the report form. */
export const INDICATOR_PRESETS: readonly { name: string; unit: string }[] = [
  { name: '立案数', unit: '件' },
  { name: '案值', unit: '万元' },
  { name: '移送公安', unit: '件' },
  { name: '检查经营主体', unit: '户' },
]

/** Every reporting period of a plan year: `2017-01`…`2017-12` or `2017-Q1`…`2017-Q4`. */
export function periodOptions(cycle: ReportCycle, year: number): string[] {
  if (cycle === 'quarterly') return [1, 2, 3, 4].map((q) => `${year}-Q${q}`)
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
}

/**
 * The period to preselect: today's month or quarter (Beijing time) in the plan's year; the last
 * period once the year is over, the first before it starts.
 */
export function currentPeriod(cycle: ReportCycle, year: number, now: Date = new Date()): string {
  const today = formatDate(now, '')
  const [y, m] = today.split('-').map(Number)
  const opts = periodOptions(cycle, year)
  if (!y || y > year) return opts[opts.length - 1]
  if (y < year) return opts[0]
  return cycle === 'quarterly' ? opts[Math.floor((m - 1) / 3)] : opts[m - 1]
}

export interface ReportForm {
  period: string
  status: AssignmentStatus | ''
  narrative: string
  indicators: { name: string; value: number | null | undefined; unit: string }[]
  attachments: AttachmentUpload[]
}

/** i18n keys of the problems in a report form, by field; empty when it may be sent. */
export function validateReport(f: ReportForm, cycle: ReportCycle, year: number): Record<string, string> {
  const errors: Record<string, string> = {}
  if (!f.period) errors.period = 'plans.report.periodRequired'
  else if (!periodOptions(cycle, year).includes(f.period)) errors.period = 'plans.report.periodInvalid'
  if (!f.status) errors.status = 'plans.report.statusRequired'
  if (f.status === '受阻' && !f.narrative.trim()) errors.narrative = 'plans.report.narrativeBlocked'
  if (f.indicators.length > MAX_INDICATORS) errors.indicators = 'plans.report.tooManyIndicators'
  else if (f.indicators.some((i) => !i.name.trim() || i.value === null || i.value === undefined || Number.isNaN(i.value)))
    errors.indicators = 'plans.report.indicatorIncomplete'
  if (f.attachments.length > MAX_ATTACHMENTS) errors.attachments = 'plans.report.tooManyFiles'
  return errors
}

/** The indicators as sent (trimmed, numbers). */
export function cleanIndicators(rows: ReportForm['indicators']): Indicator[] {
  return rows.map((r) => ({ name: r.name.trim(), value: Number(r.value), unit: r.unit.trim() }))
}

/** Why a file cannot be attached (i18n key) or null. */
export function attachmentProblem(file: { size: number }, alreadyAttached: number): string | null {
  if (alreadyAttached >= MAX_ATTACHMENTS) return 'plans.report.tooManyFiles'
  if (file.size > MAX_ATTACHMENT_BYTES) return 'plans.report.fileTooLarge'
  return null
}

/** Reads a file into base64 (without the data: prefix). */
export function fileToBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader()
    r.onerror = () => reject(r.error)
    r.onload = () => {
      const s = String(r.result ?? '')
      const comma = s.indexOf(',')
      resolve(comma >= 0 ? s.slice(comma + 1) : s)
    }
    r.readAsDataURL(file)
  })
}

export async function toUpload(file: File): Promise<AttachmentUpload> {
  return { filename: file.name, content_type: file.type || 'application/octet-stream', data_base64: await fileToBase64(file) }
}

// --- status display --------------------------------------------------------------------
export type TagType = 'success' | 'primary' | 'warning' | 'danger' | 'info'

export function statusTagType(s: string): TagType {
  switch (s) {
    case '已完成':
      return 'success'
    case '进行中':
      return 'primary'
    case '受阻':
      return 'danger'
    default:
      return 'info'
  }
}

export type DueState = 'done' | 'overdue' | 'due_soon' | 'ok'

/** Overdue (red), due within `remindDays` working days (orange) or fine. */
export function dueState(a: Pick<Assignment, 'status' | 'overdue' | 'due_in_working_days'>, remindDays = 5): DueState {
  if (a.status === '已完成') return 'done'
  if (a.overdue || a.due_in_working_days < 0) return 'overdue'
  if (a.due_in_working_days <= remindDays) return 'due_soon'
  return 'ok'
}

// --- supervision -------------------------------------------------------------------------
export type SupervisionAction = 'acknowledge' | 'record' | 'rectify' | 'accept' | 'return' | 'cancel'

/** States in which nothing more happens. */
export const CLOSED_STATES = ['已签收', '已约谈', '已销号', '已撤销']

export interface Actor {
  permissions: readonly string[]
  orgId: string | undefined
}

/** The actions to offer on a supervision for this user in its current state. */
export function supervisionActions(s: Pick<Supervision, 'kind' | 'status' | 'org'>, who: Actor): SupervisionAction[] {
  const office = who.permissions.includes('plan.write')
  const target = who.permissions.includes('plan.report') && !!who.orgId && who.orgId === s.org.id
  const out: SupervisionAction[] = []
  if (s.kind === 'notice' && s.status === '已下发' && target) out.push('acknowledge')
  if (s.kind === 'interview' && s.status === '待约谈' && office) out.push('record')
  if (s.kind === 'listed' && s.status === '整改中' && target) out.push('rectify')
  if (s.kind === 'listed' && s.status === '待验收' && office) out.push('accept', 'return')
  if (office && !CLOSED_STATES.includes(s.status)) out.push('cancel')
  return out
}

export function supervisionStatusType(status: string): TagType {
  switch (status) {
    case '已销号':
    case '已签收':
    case '已约谈':
      return 'success'
    case '待验收':
      return 'warning'
    case '整改中':
    case '待约谈':
    case '已下发':
      return 'primary'
    case '已撤销':
      return 'info'
    default:
      return 'info'
  }
}

// --- assessment --------------------------------------------------------------------------
/** Points of one item in a row (null = not scored). */
export function scoreOf(row: ResultRow, itemId: string) {
  return row.scores.find((s) => s.item_id === itemId) ?? null
}

export function formatPoints(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—'
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '')
}

/** `↑ 3.5`, `↓ 2`, `—` (no previous year), `0`. */
export function changeText(change: number | null | undefined): { text: string; dir: 'up' | 'down' | 'same' | 'none' } {
  if (change === null || change === undefined) return { text: '—', dir: 'none' }
  if (change > 0) return { text: `↑ ${formatPoints(change)}`, dir: 'up' }
  if (change < 0) return { text: `↓ ${formatPoints(-change)}`, dir: 'down' }
  return { text: '0', dir: 'same' }
}

/** A vetoed row shows no rank; others their rank or — when the server gives none. */
export function rankText(row: Pick<ResultRow, 'rank' | 'veto'>): string {
  if (row.veto && row.veto.status !== 'revoked') return '—'
  return row.rank === null || row.rank === undefined ? '—' : String(row.rank)
}

/** Today in Beijing as YYYY-MM-DD. */
export function todayShanghai(): string {
  return formatDate(new Date(), '')
}
