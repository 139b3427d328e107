// Turns the server's matched spans (UTF-8 byte offsets, docs/api.md) into text
// segments for display: JavaScript strings count UTF-16 code units, so the
// offsets are mapped through the UTF-8 encoding of the text.
import type { Span } from './api'

export interface Segment {
  text: string
  /** The span's kind when this segment is matched text (brand, jargon …). */
  kind?: Span['kind']
  term?: string
}

/** UTF-16 index of every UTF-8 byte offset of `text` that starts a character (and the end). */
function byteToIndex(text: string): Map<number, number> {
  const map = new Map<number, number>()
  let bytes = 0
  let index = 0
  for (const ch of text) {
    map.set(bytes, index)
    const cp = ch.codePointAt(0)!
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    index += ch.length
  }
  map.set(bytes, index)
  return map
}

/**
 * Splits `text` into plain and highlighted segments. Spans of other fields, spans
 * outside the text or not on character boundaries are ignored; overlapping spans
 * keep the earlier one.
 */
export function highlight(text: string, spans: Span[], field: Span['field']): Segment[] {
  const index = byteToIndex(text)
  const ranges = spans
    .filter((s) => s.field === field && s.end > s.begin)
    .map((s) => ({ from: index.get(s.begin), to: index.get(s.end), kind: s.kind, term: s.term }))
    .filter((r): r is { from: number; to: number; kind: Span['kind']; term: string } => r.from !== undefined && r.to !== undefined)
    .sort((a, b) => a.from - b.from || b.to - a.to)
  const out: Segment[] = []
  let at = 0
  for (const r of ranges) {
    if (r.from < at) continue
    if (r.from > at) out.push({ text: text.slice(at, r.from) })
    out.push({ text: text.slice(r.from, r.to), kind: r.kind, term: r.term })
    at = r.to
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at) })
  return out
}

/** Progress of a job in percent (0–100), from bytes. */
export function jobPercent(job: { status: string; bytes_read: number; bytes_total: number }): number {
  if (job.status === 'done') return 100
  if (!job.bytes_total) return 0
  return Math.min(100, Math.floor((job.bytes_read / job.bytes_total) * 100))
}
