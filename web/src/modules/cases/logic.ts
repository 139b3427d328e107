// Pure helpers of the cases module: identifier checks as the user types (the
// server checks again), money in fen, timers, and which actions a user may
// take on a case (mirrors the table in src/cases/case_service.cc).
import type { Goods, GoodsInput } from './api'

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

/** '' when `code` is a valid 统一社会信用代码 (GB 32100), else the problem (an i18n key). */
export function usccProblem(code: string): '' | 'length' | 'chars' | 'check' {
  const text = code.trim().toUpperCase()
  if (text.length !== 18) return 'length'
  let sum = 0
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(text[i])
    if (v < 0) return 'chars'
    sum += v * USCC_WEIGHTS[i]
  }
  if (USCC_CHARS.indexOf(text[17]) < 0) return 'chars'
  const check = (31 - (sum % 31)) % 31
  return USCC_CHARS[check] === text[17] ? '' : 'check'
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** '' when `id` is a valid 18-digit resident ID (GB 11643), else the problem. */
export function residentIdProblem(id: string, today = new Date()): '' | 'length' | 'chars' | 'date' | 'check' {
  const text = id.trim().toUpperCase()
  if (text.length !== 18) return 'length'
  if (!/^\d{17}[\dX]$/.test(text)) return 'chars'
  const y = Number(text.slice(6, 10))
  const m = Number(text.slice(10, 12))
  const d = Number(text.slice(12, 14))
  const birth = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth.getTime() > today.getTime()) return 'date'
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(text[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11] === text[17] ? '' : 'check'
}

/** Yuan as typed (number) → integer fen. */
export function yuanToFen(yuan: number | null | undefined): number {
  if (yuan === null || yuan === undefined || Number.isNaN(yuan)) return 0
  return Math.round(yuan * 100)
}

export function fenToYuan(fen: number): number {
  return fen / 100
}

/** 1234567 → "12,345.67" */
export function formatYuan(fen: number): string {
  return (fen / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
}

/** 万元 with 2 decimals: 1234567 → "1.23" */
export function formatWan(fen: number): string {
  return (Math.round(fen / 100) / 10000).toFixed(2)
}

// --- goods rows (涉案商品) ------------------------------------------------------------

/** At most this many goods rows per case (the server refuses more). */
export const MAX_GOODS = 50

/** A goods row as edited in the form: value typed in yuan, numbers empty until typed. */
export interface GoodsRow {
  name: string
  brand: string
  registration_no: string
  rights_holder: string
  rights_holder_uscc: string
  quantity: number | undefined
  unit: string
  value: number | undefined
}

export function emptyGoodsRow(): GoodsRow {
  return { name: '', brand: '', registration_no: '', rights_holder: '', rights_holder_uscc: '', quantity: undefined, unit: '', value: undefined }
}

/** The case's goods (fen) → rows of the form (yuan). */
export function goodsToForm(rows: readonly Goods[] | null | undefined): GoodsRow[] {
  return (rows ?? []).map((g) => ({
    name: g.name ?? '',
    brand: g.brand ?? '',
    registration_no: g.registration_no ?? '',
    rights_holder: g.rights_holder ?? '',
    rights_holder_uscc: g.rights_holder_uscc ?? '',
    quantity: g.quantity ?? 0,
    unit: g.unit ?? '',
    value: fenToYuan(g.value_fen ?? 0),
  }))
}

/** Rows of the form → CaseInput `goods`: text trimmed, the USCC upper-cased (left out when empty), value in fen. */
export function goodsFromForm(rows: readonly GoodsRow[]): GoodsInput[] {
  return rows.map((r) => {
    const uscc = r.rights_holder_uscc.trim().toUpperCase()
    return {
      name: r.name.trim(),
      brand: r.brand.trim(),
      registration_no: r.registration_no.trim(),
      rights_holder: r.rights_holder.trim(),
      ...(uscc ? { rights_holder_uscc: uscc } : {}),
      quantity: r.quantity === undefined || r.quantity === null || Number.isNaN(r.quantity) ? 0 : r.quantity,
      unit: r.unit.trim(),
      value_fen: yuanToFen(r.value),
    }
  })
}

/** A row nothing was typed into (left out when the form is sent). */
export function isBlankGoodsRow(row: GoodsRow): boolean {
  const texts = [row.name, row.brand, row.registration_no, row.rights_holder, row.rights_holder_uscc, row.unit]
  return texts.every((x) => !x.trim()) && !row.quantity && !row.value
}

export interface GoodsRowProblems {
  name?: 'required'
  rights_holder_uscc?: 'length' | 'chars' | 'check'
}

/** What is wrong with a row as typed: the name is required, the rights holder's USCC optional but checked; a blank row is fine. */
export function goodsRowProblems(row: GoodsRow): GoodsRowProblems {
  const out: GoodsRowProblems = {}
  if (isBlankGoodsRow(row)) return out
  if (!row.name.trim()) out.name = 'required'
  const uscc = row.rights_holder_uscc.trim()
  if (uscc) {
    const problem = usccProblem(uscc)
    if (problem) out.rights_holder_uscc = problem
  }
  return out
}

/** A server field such as `goods[1].rights_holder_uscc` → the cell it names; null for any other field. */
export function goodsCellOf(field: string | null | undefined): { index: number; key: string } | null {
  const m = /^goods\[(\d+)\](?:\.(\w+))?$/.exec(field ?? '')
  return m ? { index: Number(m[1]), key: m[2] ?? 'name' } : null
}

/** Milliseconds left until the timer's deadline (negative when past); null when done. */
export function timeLeft(timer: { deadline_at: string; done_at: string | null }, now = Date.now()): number | null {
  if (timer.done_at) return null
  return Date.parse(timer.deadline_at) - now
}

/** "2天3小时" / "5小时12分" / "12分" for a positive duration. */
export function formatDuration(ms: number): { days: number; hours: number; minutes: number } {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 60000))
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 }
}

export interface Countdown {
  /** Past the deadline. */
  late: boolean
  /** Under an hour: minutes; under two days: hours; else whole days. */
  unit: 'minutes' | 'hours' | 'days'
  /** Whole units, rounded down (never below 1 for minutes, so "0 分钟" is not shown). */
  n: number
  /** Less than a day left (not yet late): shown in orange. */
  soon: boolean
}

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * The reminder's "剩余 X 小时/天" or "已超期 X 小时/天" for a running timer (null when done).
 * Whole units rounded down: 71 h left is "剩余 2 天", 47 h is "剩余 47 小时".
 */
export function countdown(timer: { deadline_at: string; done_at: string | null }, now = Date.now()): Countdown | null {
  const left = timeLeft(timer, now)
  if (left === null || Number.isNaN(left)) return null
  const late = left < 0
  const abs = Math.abs(left)
  const soon = !late && left < DAY
  if (abs < HOUR) return { late, unit: 'minutes', n: Math.max(1, Math.floor(abs / 60_000)), soon }
  if (abs < 2 * DAY) return { late, unit: 'hours', n: Math.floor(abs / HOUR), soon }
  return { late, unit: 'days', n: Math.floor(abs / DAY), soon }
}

export interface CaseLike {
  org: { id: string }
  status: string
  transfer_status: string
  police_org: { id: string } | null
  evaluation: { should_transfer: boolean }
  reasonable_suspicion: boolean
  prosecuted_persons: number
  court_accepted: boolean
  court_concluded: boolean
}

interface Step {
  action: string
  permission: string
  track: 'status' | 'transfer' | 'none'
  from: string[]
  needs: ('text' | 'penalty' | 'police' | 'persons')[]
}

export const STEPS: Step[] = [
  { action: 'open', permission: 'case.write', track: 'status', from: ['线索'], needs: [] },
  { action: 'investigate', permission: 'case.write', track: 'status', from: ['立案'], needs: [] },
  { action: 'submit', permission: 'case.write', track: 'status', from: ['调查'], needs: [] },
  { action: 'decide', permission: 'case.write', track: 'status', from: ['审核'], needs: ['penalty'] },
  { action: 'execute', permission: 'case.write', track: 'status', from: ['决定'], needs: [] },
  { action: 'close', permission: 'case.write', track: 'status', from: ['决定', '执行'], needs: [] },
  { action: 'publish', permission: 'case.write', track: 'status', from: ['决定', '执行', '结案'], needs: [] },
  { action: 'report_transfer', permission: 'case.write', track: 'transfer', from: ['', '不批准'], needs: [] },
  { action: 'approve_transfer', permission: 'case.review', track: 'transfer', from: ['待批准'], needs: [] },
  { action: 'reject_transfer', permission: 'case.review', track: 'transfer', from: ['待批准'], needs: ['text'] },
  { action: 'send', permission: 'case.write', track: 'transfer', from: ['已批准'], needs: ['police', 'text'] },
  { action: 'accept', permission: 'case.police', track: 'transfer', from: ['已移送'], needs: [] },
  { action: 'file', permission: 'case.police', track: 'transfer', from: ['已受理', '复议中'], needs: [] },
  { action: 'not_file', permission: 'case.police', track: 'transfer', from: ['已受理'], needs: ['text'] },
  { action: 'reconsider', permission: 'case.write', track: 'transfer', from: ['不予立案'], needs: ['text'] },
  { action: 'maintain', permission: 'case.police', track: 'transfer', from: ['复议中'], needs: ['text'] },
  { action: 'accept_not_file', permission: 'case.write', track: 'transfer', from: ['不予立案'], needs: [] },
  { action: 'suggest_transfer', permission: 'case.procurate', track: 'transfer', from: ['', '不批准'], needs: ['text'] },
  { action: 'supervise_filing', permission: 'case.procurate', track: 'transfer', from: ['已受理', '不予立案', '复议中'], needs: ['text'] },
  { action: 'arrest', permission: 'case.procurate', track: 'transfer', from: ['已立案'], needs: ['persons'] },
  { action: 'prosecute', permission: 'case.procurate', track: 'transfer', from: ['已立案'], needs: ['persons'] },
  { action: 'court_accept', permission: 'case.court', track: 'none', from: [], needs: [] },
  { action: 'court_conclude', permission: 'case.court', track: 'none', from: [], needs: ['persons'] },
]

export function stepOf(action: string): Step | undefined {
  return STEPS.find((s) => s.action === action)
}

/** The actions `user` may take on `c` now (the server decides in the end). */
export function availableActions(c: CaseLike, user: { org_id: string; permissions: string[] }): string[] {
  return STEPS.filter((s) => {
    if (!user.permissions.includes(s.permission)) return false
    if ((s.permission === 'case.write' || s.permission === 'case.review') && c.org.id !== user.org_id) return false
    if (s.permission === 'case.police' && c.police_org?.id !== user.org_id) return false
    const state = s.track === 'status' ? c.status : c.transfer_status
    if (s.track !== 'none' && !s.from.includes(state)) return false
    if (s.action === 'report_transfer' && c.status === '线索') return false
    if (s.action === 'suggest_transfer' && !c.evaluation.should_transfer && !c.reasonable_suspicion) return false
    if (s.action === 'court_accept') return c.prosecuted_persons > 0 && !c.court_accepted
    if (s.action === 'court_conclude') return c.court_accepted && !c.court_concluded
    return true
  }).map((s) => s.action)
}

/** Month keys "YYYY-MM" from `from` to `to` (inclusive), to draw a trend without gaps. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = []
  let y = Number(from.slice(0, 4))
  let m = Number(from.slice(5, 7))
  const endY = Number(to.slice(0, 4))
  const endM = Number(to.slice(5, 7))
  while ((y < endY || (y === endY && m <= endM)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, '0')}`)
    m += 1
    if (m > 12) {
      m = 1
      y += 1
    }
  }
  return out
}

// --- case documents (国务院令第730号第六条) -------------------------------------------------

export const MAX_DOCUMENT_FILES = 5
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024

interface KindLike {
  kind: string
  name: string
  required_for: string
  legal_source: string
}

export interface ChecklistItem {
  kind: string
  name: string
  legal_source: string
  /** At least one file of this kind is on the case. */
  done: boolean
  /** Files of this kind on the case. */
  count: number
}

/**
 * The 移送材料 checklist of the send step: every kind with required_for "send" (meta's
 * document_kinds), ticked unless the server lists it in `missing_documents`. Kinds the server says
 * are missing but the meta does not know (none loaded yet) are listed too, by their code, so nothing
 * missing is hidden.
 */
export function documentChecklist(
  kinds: KindLike[],
  c: { documents?: { kind: string }[] | null; missing_documents?: string[] | null },
): ChecklistItem[] {
  const missing = c.missing_documents ?? []
  const docs = c.documents ?? []
  const count = (kind: string) => docs.filter((d) => d.kind === kind).length
  const items: ChecklistItem[] = kinds
    .filter((k) => k.required_for === 'send')
    .map((k) => ({ kind: k.kind, name: k.name, legal_source: k.legal_source, done: !missing.includes(k.kind), count: count(k.kind) }))
  for (const kind of missing) {
    if (!items.some((i) => i.kind === kind)) items.push({ kind, name: kind, legal_source: '', done: false, count: count(kind) })
  }
  return items
}

/** Names of the missing kinds, in checklist order ("涉案物品清单、检验报告或鉴定结论"). */
export function missingNames(items: ChecklistItem[]): string[] {
  return items.filter((i) => !i.done).map((i) => i.name)
}

export interface DocumentGroup<D> {
  kind: string
  name: string
  documents: D[]
}

/** Documents grouped by kind in the meta's order (unknown kinds last, by code); empty kinds left out. */
export function groupDocuments<D extends { kind: string }>(kinds: { kind: string; name: string }[], documents: D[]): DocumentGroup<D>[] {
  const groups: DocumentGroup<D>[] = []
  for (const k of kinds) {
    const docs = documents.filter((d) => d.kind === k.kind)
    if (docs.length) groups.push({ kind: k.kind, name: k.name, documents: docs })
  }
  const known = new Set(kinds.map((k) => k.kind))
  const unknown = [...new Set(documents.filter((d) => !known.has(d.kind)).map((d) => d.kind))].sort()
  for (const kind of unknown) groups.push({ kind, name: kind, documents: documents.filter((d) => d.kind === kind) })
  return groups
}

/** Problems of an upload before sending it (keys under cases.docs.problem): the server checks again. */
export function uploadProblems(kind: string, files: { name: string; size: number }[]): { key: string; name?: string }[] {
  const problems: { key: string; name?: string }[] = []
  if (!kind) problems.push({ key: 'kind' })
  if (files.length === 0) problems.push({ key: 'files' })
  else if (files.length > MAX_DOCUMENT_FILES) problems.push({ key: 'tooMany' })
  for (const f of files) if (f.size > MAX_DOCUMENT_BYTES) problems.push({ key: 'tooLarge', name: f.name })
  for (const f of files) if (f.size === 0) problems.push({ key: 'empty', name: f.name })
  return problems
}

/** 532 → "532 B", 2048 → "2.0 KB", 1572864 → "1.5 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
