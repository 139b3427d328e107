// 案件材料 (国务院令第730号第六条): the checklist of the documents a transfer must carry, the
// documents section of the case (groups, upload, download, who may upload) and the send dialog
// that will not submit while a required document is missing.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { ApiError } from '@/api/http'
import { documentChecklist, formatSize, groupDocuments, missingNames, uploadProblems } from '@/modules/cases/logic'
import type { CaseDocument, CaseFile, CaseMeta, DocumentKind } from '@/modules/cases/api'
import CaseDocumentsPanel from '@/modules/cases/CaseDocumentsPanel.vue'
import CaseDetailView from '@/modules/cases/CaseDetailView.vue'
import { makeUser } from './helpers'

const api = vi.hoisted(() => ({
  get: vi.fn(), meta: vi.fn(), act: vi.fn(), addDocuments: vi.fn(), document: vi.fn(), custody: vi.fn(), saveBlob: vi.fn(),
}))
vi.mock('@/modules/cases/api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@/modules/cases/api')>()
  return {
    ...orig,
    caseApi: { ...orig.caseApi, get: api.get, meta: api.meta, act: api.act, addDocuments: api.addDocuments, document: api.document },
  }
})
vi.mock('@/modules/cases/custody', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@/modules/cases/custody')>()
  return { ...orig, custodyApi: { ...orig.custodyApi, get: api.custody } }
})
vi.mock('@/utils/download', () => ({ saveBlob: api.saveBlob }))
vi.mock('vue-router', async (importOriginal) => {
  const orig = await importOriginal<typeof import('vue-router')>()
  return { ...orig, useRoute: () => ({ params: { id: '7' } }) }
})

const SOURCE = '《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第730号）第六条'
const KINDS: DocumentKind[] = [
  { kind: 'transfer_letter', name: '涉嫌犯罪案件移送书', required_for: 'send', legal_source: SOURCE },
  { kind: 'investigation_report', name: '涉嫌犯罪案件情况的调查报告', required_for: 'send', legal_source: SOURCE },
  { kind: 'goods_list', name: '涉案物品清单', required_for: 'send', legal_source: SOURCE },
  { kind: 'inspection_report', name: '检验报告或鉴定结论', required_for: 'send', legal_source: SOURCE },
  { kind: 'penalty_decision', name: '行政处罚决定书', required_for: '', legal_source: '' },
  { kind: 'reconsideration_request', name: '提请复议书', required_for: '', legal_source: '' },
  { kind: 'other', name: '其他材料', required_for: '', legal_source: '' },
]
const REQUIRED = ['transfer_letter', 'investigation_report', 'goods_list', 'inspection_report']

const doc = (id: string, kind: string, filename: string, size = 2048): CaseDocument =>
  ({ id, kind, filename, content_type: 'application/pdf', size, sha256: 'ab'.repeat(32), created_at: '2026-11-30T01:00:00Z' })

/** A case of 工商局 (org 3001) at the send step with the given documents; missing computed like the server. */
function makeCase(documents: CaseDocument[], over: Partial<CaseFile> = {}): CaseFile {
  const missing = REQUIRED.filter((k) => !documents.some((d) => d.kind === k))
  return {
    id: '7', case_number: 'NMG-GSJ-2026-00007', title: '销售假冒伊利奶粉案', org: { id: '3001', name: '内蒙古自治区市场监督管理局' },
    region_code: '150000', category: '商标', channel: '线下', tags: [], facts: '', brand: '', rights_holder: '', offence: '',
    offence_date: null, goods_or_services: 'goods', illegal_business_fen: 0, illegal_gains_fen: 0, sales_fen: 8_000_000,
    unsold_value_fen: 0, production_loss_fen: 0, rights_holder_loss_fen: 0, item_count: 0, label_count: 0, unsold_label_count: 0,
    copies: 0, marks_count: 0, prior_penalty_within_2y: false, reasonable_suspicion: false, dens_destroyed: 0, suspects: 1,
    status: '决定', opened_on: null, decided_on: null, closed_on: null, penalty_type: '罚款', fine_fen: 0, confiscated_fen: 0,
    transfer_status: '已批准', police_org: null, transferred_on: null, police_reason: '', transfer_suggested: false,
    filing_supervised: false, arrested_persons: 0, prosecuted_persons: 0, court_accepted: false, court_concluded: false,
    convicted_persons: 0, evaluation: { should_transfer: true, rule: null, basis: null, reasons: [], uncertain: false },
    parties: [], goods: [], timers: [], overdue: false, version: 3, created_at: '', updated_at: '', events: [],
    documents, missing_documents: missing, ...over,
  }
}
const META: CaseMeta = {
  categories: [], channels: [], statuses: [], tags: [], offences: [],
  police_orgs: [{ id: '9001', code: 'NMG-GAT', name: '内蒙古自治区公安厅', region_code: '150000' }], document_kinds: KINDS,
}
const ALL = [doc('1', 'transfer_letter', '移送书.pdf'), doc('2', 'investigation_report', '调查报告.pdf'),
  doc('3', 'goods_list', '物品清单.pdf'), doc('4', 'inspection_report', '检验报告.pdf')]

describe('the 移送材料 checklist', () => {
  it('lists the four kinds required for the send step, ticked unless missing', () => {
    const c = makeCase([doc('1', 'transfer_letter', 'a.pdf'), doc('2', 'transfer_letter', 'b.pdf'), doc('3', 'investigation_report', 'c.pdf')])
    const items = documentChecklist(KINDS, c)
    expect(items.map((i) => [i.kind, i.done, i.count])).toEqual([
      ['transfer_letter', true, 2], ['investigation_report', true, 1], ['goods_list', false, 0], ['inspection_report', false, 0],
    ])
    expect(items[0].legal_source).toBe(SOURCE)
    expect(missingNames(items)).toEqual(['涉案物品清单', '检验报告或鉴定结论'])
  })
  it('trusts the server: a kind it still lists as missing is not ticked', () => {
    const items = documentChecklist(KINDS, { documents: [doc('1', 'goods_list', 'x.pdf')], missing_documents: ['goods_list'] })
    expect(items.find((i) => i.kind === 'goods_list')).toMatchObject({ done: false, count: 1 })
  })
  it('shows a missing kind the meta does not know, and works before the meta is loaded', () => {
    const items = documentChecklist([], { documents: [], missing_documents: ['goods_list', 'sample_photos'] })
    expect(items.map((i) => [i.kind, i.name, i.done])).toEqual([['goods_list', 'goods_list', false], ['sample_photos', 'sample_photos', false]])
    expect(documentChecklist(KINDS, { documents: undefined, missing_documents: undefined }).every((i) => i.done)).toBe(true)
  })
  it('is complete when nothing is missing; optional kinds are never on the list', () => {
    expect(missingNames(documentChecklist(KINDS, makeCase(ALL)))).toEqual([])
    expect(documentChecklist(KINDS, makeCase([])).map((i) => i.kind)).toEqual(REQUIRED)
  })
})

describe('documents grouped by kind', () => {
  it('follows the order of the kinds, leaves empty kinds out and puts unknown kinds last', () => {
    const docs = [doc('1', 'other', 'o.txt'), doc('2', 'goods_list', 'g1.pdf'), doc('3', 'zz_new', 'z.pdf'), doc('4', 'goods_list', 'g2.pdf')]
    const groups = groupDocuments(KINDS, docs)
    expect(groups.map((g) => [g.kind, g.name, g.documents.map((d) => d.filename)])).toEqual([
      ['goods_list', '涉案物品清单', ['g1.pdf', 'g2.pdf']], ['other', '其他材料', ['o.txt']], ['zz_new', 'zz_new', ['z.pdf']],
    ])
    expect(groupDocuments(KINDS, [])).toEqual([])
  })
})

describe('upload checks', () => {
  const f = (name: string, size: number) => ({ name, size })
  it('needs a kind and 1 to 5 files of at most 2 MiB each, none empty', () => {
    expect(uploadProblems('goods_list', [f('a.pdf', 10)])).toEqual([])
    expect(uploadProblems('goods_list', [f('a.pdf', 2 * 1024 * 1024)])).toEqual([])
    expect(uploadProblems('', [])).toEqual([{ key: 'kind' }, { key: 'files' }])
    expect(uploadProblems('other', Array.from({ length: 6 }, (_, i) => f(`${i}.txt`, 1)))).toEqual([{ key: 'tooMany' }])
    expect(uploadProblems('other', [f('big.pdf', 2 * 1024 * 1024 + 1), f('nil.txt', 0)]))
      .toEqual([{ key: 'tooLarge', name: 'big.pdf' }, { key: 'empty', name: 'nil.txt' }])
  })
  it('prints sizes', () => {
    expect(formatSize(532)).toBe('532 B')
    expect(formatSize(2048)).toBe('2.0 KB')
    expect(formatSize(1572864)).toBe('1.5 MB')
  })
})

let pinia: Pinia
const $ = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const $$ = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]
const settle = async () => {
  for (let i = 0; i < 4; i++) await flushPromises()
}
const plugins = () => ({ global: { plugins: [ElementPlus, i18n, pinia] } })
const OFFICER = () => makeUser({ username: 'officer', org: { id: '3001', code: 'NMG-GSJ', name: '内蒙古自治区市场监督管理局' }, permissions: ['case.write'] })
const POLICE = () => makeUser({ username: 'police', org: { id: '9001', code: 'NMG-GAT', name: '内蒙古自治区公安厅' }, permissions: ['case.police'] })

function pickFiles(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true })
  input.dispatchEvent(new Event('change'))
}

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  setLocale('zh-CN')
  document.body.innerHTML = ''
  for (const fn of Object.values(api)) fn.mockReset()
  useAuthStore().setUser(OFFICER())
})
afterEach(() => setLocale('zh-CN'))

describe('CaseDocumentsPanel', () => {
  it('ticks the checklist with the legal source and names what is missing at the send step', async () => {
    const c = makeCase([doc('1', 'transfer_letter', '移送书.pdf', 3000), doc('2', 'investigation_report', '调查报告.pdf'), doc('5', 'other', '照片说明.txt', 100)])
    const w = mount(CaseDocumentsPanel, { props: { caseFile: c, kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    const check = (k: string) => $(`[data-testid="doc-check-${k}"]`)!
    expect(check('transfer_letter').dataset.done).toBe('true')
    expect(check('transfer_letter').textContent).toContain('✓')
    expect(check('transfer_letter').textContent).toContain(SOURCE)
    expect(check('goods_list').dataset.done).toBe('false')
    expect(check('goods_list').textContent).toContain('✗')
    expect(check('goods_list').textContent).toContain('涉案物品清单')
    expect($('[data-testid="doc-check-other"]')).toBeNull()
    expect($('[data-testid="doc-checklist"]')!.className).toContain('prominent')
    expect($('[data-testid="doc-send-state"]')!.textContent).toContain('移送前须上传：涉案物品清单、检验报告或鉴定结论')
    // the documents, grouped by kind, with their size
    expect($$('[data-testid^="doc-group-"]').map((g) => g.dataset.testid)).toEqual(['doc-group-transfer_letter', 'doc-group-investigation_report', 'doc-group-other'])
    expect($('[data-testid="doc-group-transfer_letter"]')!.textContent).toContain('涉嫌犯罪案件移送书')
    expect($('[data-testid="doc-group-transfer_letter"]')!.textContent).toContain('移送书.pdf')
    expect($('[data-testid="doc-group-transfer_letter"]')!.textContent).toContain('2.9 KB')
    // an officer of the case's agency may upload, also right from a missing item
    expect($('[data-testid="doc-upload"]')).not.toBeNull()
    expect($('[data-testid="doc-upload-goods_list"]')).not.toBeNull()
    expect($('[data-testid="doc-upload-transfer_letter"]')).toBeNull()
    w.unmount()
  })

  it('says the documents are complete, and keeps the checklist quiet before the send step', async () => {
    const w = mount(CaseDocumentsPanel, { props: { caseFile: makeCase(ALL), kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    expect($$('[data-testid^="doc-check-"]').every((e) => e.dataset.done === 'true')).toBe(true)
    expect($('[data-testid="doc-send-state"]')!.textContent).toContain('移送材料已齐备')
    await w.setProps({ caseFile: makeCase([], { transfer_status: '待批准' }) })
    expect($('[data-testid="doc-checklist"]')!.className).not.toContain('prominent')
    expect($('[data-testid="doc-send-state"]')).toBeNull()
    expect($('[data-testid="case-documents"]')!.textContent).toContain('尚未上传材料')
    w.unmount()
  })

  it('uploads the chosen files as base64 and hands the updated case to the page', async () => {
    const before = makeCase([])
    const after = makeCase([doc('9', 'goods_list', '物品清单.txt', 11)])
    api.addDocuments.mockResolvedValue(after)
    const w = mount(CaseDocumentsPanel, { props: { caseFile: before, kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    $('[data-testid="doc-upload-goods_list"]')!.click()
    await settle()
    const dialog = $('[data-testid="doc-dialog"]')!
    const save = dialog.querySelector('[data-testid="doc-save"]') as HTMLButtonElement
    expect(save.disabled).toBe(true)
    expect(dialog.textContent).toContain('请选择 1 至 5 个文件')
    pickFiles(dialog.querySelector('[data-testid="doc-files"]') as HTMLInputElement, [new File(['hello world'], '物品清单.txt', { type: 'text/plain' })])
    await settle()
    expect(save.disabled).toBe(false)
    save.click()
    await vi.waitFor(() => expect(api.addDocuments).toHaveBeenCalled())
    expect(api.addDocuments).toHaveBeenCalledWith('7', {
      kind: 'goods_list',
      attachments: [{ filename: '物品清单.txt', content_type: 'text/plain', data_base64: btoa('hello world') }],
    })
    await settle()
    expect(w.emitted('updated')).toEqual([[after]])
    w.unmount()
  })

  it('refuses more than five files before asking the server', async () => {
    const w = mount(CaseDocumentsPanel, { props: { caseFile: makeCase([]), kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    $('[data-testid="doc-upload"]')!.click()
    await settle()
    const dialog = $('[data-testid="doc-dialog"]')!
    pickFiles(dialog.querySelector('[data-testid="doc-files"]') as HTMLInputElement,
      Array.from({ length: 6 }, (_, i) => new File(['x'], `${i}.txt`, { type: 'text/plain' })))
    await settle()
    expect(dialog.textContent).toContain('最多 5 个文件')
    expect((dialog.querySelector('[data-testid="doc-save"]') as HTMLButtonElement).disabled).toBe(true)
    expect(api.addDocuments).not.toHaveBeenCalled()
    w.unmount()
  })

  it('lets the police download a document but not upload', async () => {
    useAuthStore().setUser(POLICE())
    const blob = new Blob(['%PDF-1.4'], { type: 'application/pdf' })
    api.document.mockResolvedValue({ blob, filename: '物品清单.pdf' })
    const c = makeCase(ALL, { transfer_status: '已移送', police_org: { id: '9001', name: '内蒙古自治区公安厅' } })
    const w = mount(CaseDocumentsPanel, { props: { caseFile: c, kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    expect($('[data-testid="doc-upload"]')).toBeNull()
    $('[data-testid="doc-download-3"]')!.click()
    await settle()
    expect(api.document).toHaveBeenCalledWith('7', ALL[2])
    expect(api.saveBlob).toHaveBeenCalledWith(blob, '物品清单.pdf')
    w.unmount()
  })

  it('offers no upload on a closed case', async () => {
    const w = mount(CaseDocumentsPanel, { props: { caseFile: makeCase([], { status: '结案' }), kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    expect($('[data-testid="doc-upload"]')).toBeNull()
    expect($('[data-testid="doc-upload-goods_list"]')).toBeNull()
    w.unmount()
  })

  it('speaks English', async () => {
    setLocale('en')
    const w = mount(CaseDocumentsPanel, { props: { caseFile: makeCase(ALL.slice(0, 3)), kinds: KINDS }, ...plugins(), attachTo: document.body })
    await settle()
    expect($('[data-testid="case-documents"]')!.textContent).toContain('Case documents')
    expect($('[data-testid="doc-send-state"]')!.textContent).toContain('Upload before sending: 检验报告或鉴定结论')
    w.unmount()
  })
})

describe('the send dialog', () => {
  async function openSend(c: CaseFile) {
    api.get.mockResolvedValue(c)
    api.meta.mockResolvedValue(META)
    api.custody.mockResolvedValue({ items: [], events: [], orders: [] })
    const w = mount(CaseDetailView, { ...plugins(), attachTo: document.body })
    await settle()
    expect(api.get).toHaveBeenCalledWith('7')
    return w
  }

  it('names the missing documents and will not submit', async () => {
    const w = await openSend(makeCase(ALL.slice(0, 2)))
    expect($('[data-testid="send-hint"]')!.textContent).toContain('移送前须上传：涉案物品清单、检验报告或鉴定结论')
    $('[data-testid="action-send"]')!.click()
    await settle()
    const dialog = $('[data-testid="action-dialog"]')!
    expect(dialog.querySelector('[data-testid="send-missing"]')!.textContent).toContain('涉案物品清单、检验报告或鉴定结论')
    const confirm = dialog.querySelector('[data-testid="action-confirm"]') as HTMLButtonElement
    expect(confirm.disabled).toBe(true)
    dialog.querySelector('form')!.dispatchEvent(new Event('submit'))
    await settle()
    expect(api.act).not.toHaveBeenCalled()
    w.unmount()
  })

  it('sends with remarks once every document is there', async () => {
    const sent = makeCase(ALL, { transfer_status: '已移送' })
    api.act.mockResolvedValue(sent)
    const w = await openSend(makeCase(ALL))
    expect($('[data-testid="send-hint"]')).toBeNull()
    $('[data-testid="action-send"]')!.click()
    await settle()
    const dialog = $('[data-testid="action-dialog"]')!
    expect(dialog.querySelector('[data-testid="send-missing"]')).toBeNull()
    expect(dialog.textContent).toContain('备注')
    expect(dialog.textContent).not.toContain('移送材料（')
    const text = dialog.querySelector('[data-testid="action-text"] textarea, textarea[data-testid="action-text"]') as HTMLTextAreaElement
    text.value = '附光盘一张'
    text.dispatchEvent(new Event('input'))
    const confirm = dialog.querySelector('[data-testid="action-confirm"]') as HTMLButtonElement
    expect(confirm.disabled).toBe(false)
    confirm.click()
    await settle()
    expect(api.act).toHaveBeenCalledWith('7', expect.objectContaining({ action: 'send', text: '附光盘一张' }))
    w.unmount()
  })

  it('refreshes the checklist when the server refuses the send for missing documents', async () => {
    const w = await openSend(makeCase(ALL))
    // someone else's view was stale: the server says the inspection report is missing
    api.act.mockRejectedValue(new ApiError({ status: 400, code: 'invalid_argument', message: '移送前须上传：检验报告或鉴定结论', field: 'documents' }))
    api.get.mockResolvedValue(makeCase(ALL.slice(0, 3)))
    $('[data-testid="action-send"]')!.click()
    await settle()
    ;($('[data-testid="action-confirm"]') as HTMLButtonElement).click()
    await settle()
    expect(api.get).toHaveBeenCalledTimes(2)
    expect($('[data-testid="doc-check-inspection_report"]')!.dataset.done).toBe('false')
    expect(($('[data-testid="action-confirm"]') as HTMLButtonElement).disabled).toBe(true)
    w.unmount()
  })
})
