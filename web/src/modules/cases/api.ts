// Cases and 两法衔接 (docs/api.md, "Cases and 两法衔接 (issue 5)"). Amounts are integer fen.
import { filenameFromDisposition, request, type RequestOptions } from '@/api/http'
import type { Page } from '@/api'

type Opts = Pick<RequestOptions, 'showError' | 'signal'>

export interface CaseTimer {
  kind: string
  name: string
  started_at: string
  deadline_at: string
  done_at: string | null
  legal_source: string
  rule: string
  overdue: boolean
}

export interface CaseEvent {
  id: string
  action: string
  from: string
  to: string
  text: string
  by: { id: string; display_name: string; org_name: string }
  at: string
}

export interface PartyInput {
  kind: 'enterprise' | 'person'
  name: string
  uscc?: string
  id_number?: string
}

/** One row of the case's goods (涉案商品): what was seized or sold, its mark and its rights holder. */
export interface GoodsInput {
  name: string
  brand: string
  /** 商标注册号 / 专利号. */
  registration_no: string
  rights_holder: string
  /** Optional; when given, a valid 统一社会信用代码 (400 `goods[i].rights_holder_uscc`). */
  rights_holder_uscc?: string
  quantity: number
  unit: string
  value_fen: number
}

export type Goods = Required<GoodsInput>

export interface Party {
  kind: 'enterprise' | 'person'
  name: string
  uscc: string
  id_masked: string
}

export interface Evaluation {
  should_transfer: boolean
  rule: string | null
  basis: string | null
  reasons: string[]
  uncertain: boolean
}

export interface CaseInput {
  title: string
  category: string
  channel: string
  tags: string[]
  facts: string
  /** Goods rows (≤ 50); the first row's brand and rights holder become the case's. */
  goods: GoodsInput[]
  /** Only read when `goods` is empty: the server then makes one row of them. */
  brand?: string
  rights_holder?: string
  offence: string
  offence_date: string
  goods_or_services: 'goods' | 'services'
  illegal_business_fen: number
  illegal_gains_fen: number
  sales_fen: number
  unsold_value_fen: number
  production_loss_fen: number
  rights_holder_loss_fen: number
  item_count: number
  label_count: number
  unsold_label_count: number
  copies: number
  marks_count: number
  prior_penalty_within_2y: boolean
  reasonable_suspicion: boolean
  dens_destroyed: number
  suspects: number
  parties: PartyInput[]
  version?: number
}

/** A kind of case document (GET /cases/meta `document_kinds`); required_for "send" = needed before the transfer. */
export interface DocumentKind {
  kind: string
  name: string
  required_for: string
  legal_source: string
}

/** A document filed with the case (移送书, 调查报告, 涉案物品清单, 检验报告 …). */
export interface CaseDocument {
  id: string
  kind: string
  filename: string
  content_type: string
  size: number
  sha256: string
  created_at: string
}

export interface DocumentUpload {
  filename: string
  content_type: string
  data_base64: string
}

export interface CaseFile extends Omit<CaseInput, 'parties' | 'offence_date' | 'goods' | 'brand' | 'rights_holder'> {
  id: string
  /** The first goods row's brand and rights holder. */
  brand: string
  rights_holder: string
  goods: Goods[]
  case_number: string
  org: { id: string; name: string }
  region_code: string
  offence_date: string | null
  status: string
  opened_on: string | null
  decided_on: string | null
  closed_on: string | null
  penalty_type: string
  fine_fen: number
  confiscated_fen: number
  transfer_status: string
  police_org: { id: string; name: string } | null
  transferred_on: string | null
  police_reason: string
  transfer_suggested: boolean
  filing_supervised: boolean
  arrested_persons: number
  prosecuted_persons: number
  court_accepted: boolean
  court_concluded: boolean
  convicted_persons: number
  evaluation: Evaluation
  parties: Party[]
  timers: CaseTimer[]
  overdue: boolean
  version: number
  created_at: string
  updated_at: string
  events?: CaseEvent[]
  /** Documents filed with the case, oldest first. */
  documents: CaseDocument[]
  /** Kinds required for the send step (国务院令第730号第六条) that have no file yet. */
  missing_documents: string[]
  supervision_kind?: '以罚代刑' | '有案不移'
}

export interface CaseMeta {
  categories: string[]
  channels: string[]
  statuses: string[]
  tags: string[]
  offences: string[]
  police_orgs: { id: string; code: string; name: string; region_code: string }[]
  document_kinds: DocumentKind[]
}

export interface CaseQuery {
  number?: string
  party?: string
  category?: string
  status?: string
  transfer_status?: string
  region_code?: string
  from?: string
  to?: string
  page?: number
  page_size?: number
}

export interface ActionInput {
  action: string
  text?: string
  penalty_type?: string
  fine_fen?: number
  confiscated_fen?: number
  police_org_id?: string
  persons?: number
}

export interface SummaryRow {
  key: string
  cases: number
  value_fen: number
  penalty_fen: number
  transferred: number
}

export interface Summary {
  text: string
  figures: Record<string, number>
  by_region: SummaryRow[]
  by_category: SummaryRow[]
  by_month: SummaryRow[]
  by_tag: SummaryRow[]
}

/** A running statutory timer the current user must act on (GET /me/case-timers). */
export interface CaseTimerReminder {
  case_id: string
  case_number: string
  org_name: string
  /** Who must act (the `responsible` column of data/cases/timers.csv). */
  responsible: 'agency_head' | 'agency' | 'police'
  timer: CaseTimer
}

export interface Board {
  cases: CaseFile[]
  overdue: { case_id: string; case_number: string; org_name: string; timer: CaseTimer }[]
}

const path = (id: string) => `/cases/${encodeURIComponent(id)}`

export const caseApi = {
  meta: (opts: Opts = {}) => request<CaseMeta>('GET', '/cases/meta', opts),
  list: (q: CaseQuery = {}, opts: Opts = {}) => request<Page<CaseFile>>('GET', '/cases', { query: { ...q }, ...opts }),
  get: (id: string, opts: Opts = {}) => request<CaseFile>('GET', path(id), opts),
  create: (body: CaseInput) => request<CaseFile>('POST', '/cases', { body }),
  update: (id: string, body: CaseInput) => request<CaseFile>('PUT', path(id), { body }),
  act: (id: string, body: ActionInput) => request<CaseFile>('POST', `${path(id)}/actions`, { body }),
  /** Files 1–5 documents of one kind (each ≤ 2 MiB) → the case with its documents. */
  addDocuments: (id: string, body: { kind: string; attachments: DocumentUpload[] }) =>
    request<CaseFile>('POST', `${path(id)}/documents`, { body }),
  async document(id: string, doc: Pick<CaseDocument, 'id' | 'filename'>): Promise<{ blob: Blob; filename: string }> {
    const res = await request<Response>('GET', `${path(id)}/documents/${encodeURIComponent(doc.id)}`, { raw: true })
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition'), doc.filename) }
  },
  board: (opts: Opts = {}) => request<Board>('GET', '/cases/supervision', opts),
  /** The current user's running statutory timers, soonest deadline first. */
  myTimers: (opts: Opts = {}) => request<{ items: CaseTimerReminder[] }>('GET', '/me/case-timers', opts),
  summary: (q: { from: string; to: string; region_code?: string }, opts: Opts = {}) =>
    request<Summary>('GET', '/reports/summary', { query: { ...q }, ...opts }),
  async exportSummary(q: { from: string; to: string; region_code?: string }): Promise<{ blob: Blob; filename: string }> {
    const res = await request<Response>('GET', '/reports/summary/export', { query: { ...q }, raw: true })
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition'), 'summary.xlsx') }
  },
}
