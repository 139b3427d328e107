// Custody and destruction (docs/api.md, "Custody and destruction (plan item (七))"):
// the API client and the pure helpers of the custody section and the
// destruction-unit directory. Weights in kg, values in integer fen.
import { filenameFromDisposition, request } from '@/api/http'

export type ItemStatus = '在库' | '已移交' | '已销毁'

export interface SeizedItem {
  id: string
  case_id: string
  description: string
  quantity: number
  unit: string
  weight_kg: number
  value_fen: number
  storage_place: string
  status: ItemStatus
  created_at: string
  updated_at: string
}

export interface CustodyEvent {
  id: string
  item_id: string
  action: 'seize' | 'move' | 'hand_over' | 'destroy'
  from: string
  to: string
  note: string
  by: { id: string; display_name: string }
  at: string
}

export interface EvidencePhoto {
  id: string
  filename: string
  content_type: string
  size: number
  sha256: string
}

export interface DestructionOrder {
  id: string
  case_id: string
  unit: { id: string; name: string }
  method: string
  destroyed_on: string
  weight_kg: number
  value_fen: number
  witnesses: string[]
  item_ids: string[]
  photos: EvidencePhoto[]
  created_at: string
}

export interface Custody {
  items: SeizedItem[]
  events: CustodyEvent[]
  orders: DestructionOrder[]
}

export interface DestructionUnit {
  id: string
  name: string
  licence_number: string
  region_code: string
  methods: string[]
  valid_until: string
}

export interface ItemInput {
  description: string
  quantity: number
  unit: string
  weight_kg: number
  value_fen: number
  storage_place: string
}

export interface UnitInput {
  name: string
  licence_number: string
  region_code: string
  methods: string[]
  valid_until: string
}

export interface PhotoUpload {
  filename: string
  content_type: string
  data_base64: string
}

export interface OrderInput {
  item_ids: string[]
  unit_id: string
  method: string
  destroyed_on: string
  weight_kg?: number
  value_fen?: number
  witnesses: string[]
  attachments: PhotoUpload[]
}

const casePath = (id: string) => `/cases/${encodeURIComponent(id)}`

export const custodyApi = {
  get: (caseId: string) => request<Custody>('GET', `${casePath(caseId)}/custody`),
  addItem: (caseId: string, body: ItemInput) => request<SeizedItem>('POST', `${casePath(caseId)}/items`, { body }),
  move: (caseId: string, itemId: string, body: { action: 'move' | 'hand_over'; to: string; note?: string }) =>
    request<SeizedItem>('POST', `${casePath(caseId)}/items/${encodeURIComponent(itemId)}/moves`, { body }),
  destroy: (caseId: string, body: OrderInput) =>
    request<DestructionOrder>('POST', `${casePath(caseId)}/destruction-orders`, { body }),
  async photo(caseId: string, orderId: string, photo: EvidencePhoto): Promise<{ blob: Blob; filename: string }> {
    const path = `${casePath(caseId)}/destruction-orders/${encodeURIComponent(orderId)}/photos/${encodeURIComponent(photo.id)}`
    const res = await request<Response>('GET', path, { raw: true })
    return { blob: await res.blob(), filename: filenameFromDisposition(res.headers.get('Content-Disposition'), photo.filename) }
  },
  units: () => request<{ items: DestructionUnit[] }>('GET', '/destruction-units'),
  addUnit: (body: UnitInput) => request<DestructionUnit>('POST', '/destruction-units', { body }),
}

/** Whether the unit's qualification covers `day` (YYYY-MM-DD; valid_until is inclusive). */
export function unitValidOn(unit: Pick<DestructionUnit, 'valid_until'>, day: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && unit.valid_until >= day
}

/** Units that may destroy on `day` with `method` ('' = any method), by name. */
export function eligibleUnits<T extends Pick<DestructionUnit, 'valid_until' | 'methods' | 'name'>>(
  units: T[], day: string, method = '',
): T[] {
  return units
    .filter((u) => unitValidOn(u, day) && (method === '' || u.methods.includes(method)))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'))
}

/** Items still 在库: the only ones that can be moved, handed over or destroyed. */
export function destroyableItems<T extends Pick<SeizedItem, 'status'>>(items: T[]): T[] {
  return items.filter((i) => i.status === '在库')
}

/** Total weight (kg) and value (fen) of the chosen items, for the order's defaults. */
export function totalsOf(items: Pick<SeizedItem, 'id' | 'weight_kg' | 'value_fen'>[], ids: string[]): { weight_kg: number; value_fen: number } {
  const chosen = items.filter((i) => ids.includes(i.id))
  const weight = chosen.reduce((sum, i) => sum + i.weight_kg, 0)
  return { weight_kg: Math.round(weight * 1000) / 1000, value_fen: chosen.reduce((sum, i) => sum + i.value_fen, 0) }
}

/** 1250 kg → '1.25': tonnes with at most three decimals, as in the 双打 summary. */
export function formatTonnes(kg: number): string {
  return String(Math.round(kg) / 1000)
}

/** Witness names from free text: one per line or separated by 、，, and spaces. */
export function parseWitnesses(text: string): string[] {
  return text.split(/[\n、，,;；]+/).map((s) => s.trim()).filter((s) => s.length > 0)
}

/** Problems of a destruction order before sending it (i18n keys under custody.problem). */
export function orderProblems(order: Pick<OrderInput, 'item_ids' | 'unit_id' | 'method' | 'destroyed_on' | 'witnesses' | 'attachments'>,
  units: DestructionUnit[], today: string): string[] {
  const problems: string[] = []
  if (order.item_ids.length === 0) problems.push('items')
  if (!/^\d{4}-\d{2}-\d{2}$/.test(order.destroyed_on)) problems.push('date')
  else if (order.destroyed_on > today) problems.push('future')
  const unit = units.find((u) => u.id === order.unit_id)
  if (!unit) problems.push('unit')
  else if (!unitValidOn(unit, order.destroyed_on)) problems.push('expired')
  else if (!unit.methods.includes(order.method)) problems.push('method')
  if (order.witnesses.length === 0) problems.push('witnesses')
  if (order.attachments.length === 0 || order.attachments.length > 10) problems.push('photos')
  return problems
}
