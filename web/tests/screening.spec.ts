// The screening module (issue 6 §5): span highlighting from UTF-8 byte
// offsets, job progress, the upload client, and the module's menu.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { highlight, jobPercent } from '@/modules/screening/highlight'
import { uploadFeed, type Span } from '@/modules/screening/api'
import { menuTree } from '@/modules'
import { filterMenu, type MenuNode } from '@/modules/registry'
import { ApiError } from '@/api'

const span = (begin: number, end: number, kind: Span['kind'] = 'jargon', field: Span['field'] = 'title'): Span => ({
  field,
  begin,
  end,
  kind,
  term: '',
})

describe('highlight', () => {
  it('maps UTF-8 byte offsets of CJK text to characters', () => {
    // 耐克 = bytes 0..6, 高仿 = bytes 17..23 in "耐克 运动鞋 高仿"
    const segs = highlight('耐克 运动鞋 高仿', [span(0, 6, 'brand'), span(17, 23)], 'title')
    expect(segs).toEqual([
      { text: '耐克', kind: 'brand', term: '' },
      { text: ' 运动鞋 ' },
      { text: '高仿', kind: 'jargon', term: '' },
    ])
  })

  it('handles characters outside the BMP (emoji inserted by sellers)', () => {
    const text = '茅🔥台 酒'
    // 茅 3 bytes, 🔥 4 bytes, 台 3 bytes: the brand spans bytes 0..10
    const segs = highlight(text, [span(0, 10, 'brand')], 'title')
    expect(segs[0]).toEqual({ text: '茅🔥台', kind: 'brand', term: '' })
    expect(segs[1]).toEqual({ text: ' 酒' })
  })

  it('ignores spans of the other field, out of range or inside a character', () => {
    const text = 'Nike 鞋'
    expect(highlight(text, [span(0, 4, 'brand', 'description'), span(5, 7), span(0, 99)], 'title')).toEqual([{ text }])
  })

  it('keeps the earlier of overlapping spans', () => {
    const segs = highlight('abcdef', [span(1, 4), span(2, 5)], 'title')
    expect(segs.map((s) => s.text)).toEqual(['a', 'bcd', 'ef'])
  })

  it('returns one empty segment for empty text', () => {
    expect(highlight('', [], 'description')).toEqual([{ text: '' }])
  })
})

describe('jobPercent', () => {
  it('follows bytes and is 100 when done', () => {
    expect(jobPercent({ status: 'running', bytes_read: 50, bytes_total: 200 })).toBe(25)
    expect(jobPercent({ status: 'queued', bytes_read: 0, bytes_total: 0 })).toBe(0)
    expect(jobPercent({ status: 'done', bytes_read: 10, bytes_total: 0 })).toBe(100)
    expect(jobPercent({ status: 'running', bytes_read: 300, bytes_total: 200 })).toBe(100)
  })
})

// A stand-in for XMLHttpRequest that answers with `status` and `body`.
function fakeXhr(status: number, body: unknown, sent: { url?: string; headers: Record<string, string> }) {
  return class {
    upload: { onprogress: ((e: { loaded: number; total: number; lengthComputable: boolean }) => void) | null } = { onprogress: null }
    onload: (() => void) | null = null
    onerror: (() => void) | null = null
    status = 0
    responseText = ''
    withCredentials = false
    open(_method: string, url: string) {
      sent.url = url
    }
    setRequestHeader(name: string, value: string) {
      sent.headers[name] = value
    }
    send() {
      this.upload.onprogress?.({ loaded: 5, total: 10, lengthComputable: true })
      this.status = status
      this.responseText = JSON.stringify(body)
      this.onload?.()
    }
  }
}

describe('uploadFeed', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('reports upload progress and resolves with the queued job', async () => {
    const sent: { url?: string; headers: Record<string, string> } = { headers: {} }
    vi.stubGlobal('XMLHttpRequest', fakeXhr(202, { id: '7', status: 'queued' }, sent))
    const progress: number[] = []
    const job = await uploadFeed(new Blob(['{}\n']), 'feed.jsonl.gz', (loaded, total) => progress.push(loaded / total), 60)
    expect(job.id).toBe('7')
    expect(progress).toEqual([0.5])
    expect(sent.url).toBe('/api/v1/screening/jobs?name=feed.jsonl.gz&threshold=60')
    expect(sent.headers['Content-Type']).toBe('application/gzip')
  })

  it('rejects with the server error', async () => {
    const sent = { headers: {} as Record<string, string> }
    vi.stubGlobal('XMLHttpRequest', fakeXhr(413, { error: { code: 'payload_too_large', message: '太大', request_id: 'r' } }, sent))
    const err = await uploadFeed(new Blob(['x']), 'a.jsonl', () => {}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(413)
    expect(err.message).toBe('太大')
  })
})

describe('screening menu', () => {
  const keys = (nodes: MenuNode[]): string[] => nodes.flatMap((n) => [n.key, ...(n.children ? keys(n.children) : [])])
  it('office sees 电商监测 and 线索核查; officer only 线索核查; police neither', () => {
    const office = { roles: ['office'], permissions: ['stats.read', 'plan.write', 'screening.run', 'clue.read', 'clue.review'] }
    expect(keys(filterMenu(menuTree, office))).toContain('screening.jobs')
    expect(keys(filterMenu(menuTree, office))).toContain('screening.clues')
    const officer = { roles: ['officer'], permissions: ['clue.read', 'clue.review'] }
    expect(keys(filterMenu(menuTree, officer))).toEqual(['dashboard', 'screening', 'screening.clues'])
    expect(keys(filterMenu(menuTree, { roles: ['police'], permissions: [] }))).toEqual(['dashboard'])
  })
})
