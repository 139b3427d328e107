// All times from the API are ISO 8601 UTC; people here read them in Beijing time.
export const TIME_ZONE = 'Asia/Shanghai'

const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

const dateFmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(value)
  return Number.isNaN(d.getTime()) ? null : d
}

function parts(fmt: Intl.DateTimeFormat, d: Date): Record<string, string> {
  const out: Record<string, string> = {}
  for (const p of fmt.formatToParts(d)) out[p.type] = p.value
  return out
}

/** `2026-11-30 03:56:32` in Asia/Shanghai; `placeholder` for empty or invalid input. */
export function formatDateTime(value: string | number | Date | null | undefined, placeholder = '—'): string {
  const d = toDate(value)
  if (!d) return placeholder
  const p = parts(dateTimeFmt, d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** `2026-11-30` in Asia/Shanghai. */
export function formatDate(value: string | number | Date | null | undefined, placeholder = '—'): string {
  const d = toDate(value)
  if (!d) return placeholder
  const p = parts(dateFmt, d)
  return `${p.year}-${p.month}-${p.day}`
}

/**
 * A wall-clock time typed in a picker (`YYYY-MM-DD HH:mm:ss`, meant as Beijing time) to an
 * ISO 8601 UTC string for the API. China has had no daylight saving since 1991: +08:00 always.
 */
export function shanghaiToIso(wall: string | null | undefined): string | undefined {
  if (!wall) return undefined
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim())
  if (!m) return undefined
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}+08:00`)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/** The current Beijing wall-clock time as `YYYY-MM-DD HH:mm:ss` (for picker shortcuts). */
export function nowInShanghai(offsetMs = 0): string {
  return formatDateTime(new Date(Date.now() + offsetMs), '')
}
