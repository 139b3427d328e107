// 涉案商品: the goods rows of a case — mapping between the API (fen) and the form (yuan), the
// checks as typed (name required, the rights holder's 统一社会信用代码 optional but checked), the
// server's field errors on the right cell, the round trip of an edit, and the table on the detail page.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import {
  emptyGoodsRow, goodsCellOf, goodsFromForm, goodsRowProblems, goodsToForm, isBlankGoodsRow, type GoodsRow,
} from '@/modules/cases/logic'
import type { CaseFile, CaseInput, CaseMeta, Goods } from '@/modules/cases/api'
import CaseForm from '@/modules/cases/CaseForm.vue'
import CaseDetailView from '@/modules/cases/CaseDetailView.vue'
import { makeUser } from './helpers'

const api = vi.hoisted(() => ({ get: vi.fn(), meta: vi.fn(), custody: vi.fn() }))
vi.mock('@/modules/cases/api', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@/modules/cases/api')>()
  return { ...orig, caseApi: { ...orig.caseApi, get: api.get, meta: api.meta } }
})
vi.mock('@/modules/cases/custody', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@/modules/cases/custody')>()
  return { ...orig, custodyApi: { ...orig.custodyApi, get: api.custody } }
})
vi.mock('vue-router', async (importOriginal) => {
  const orig = await importOriginal<typeof import('vue-router')>()
  return { ...orig, useRoute: () => ({ params: { id: '7' } }) }
})

const VALID = '914403001922038216'
const VALID_2 = '91110000600037341L'
const META: CaseMeta = {
  categories: ['商标'], channels: ['线下'], statuses: [], tags: [], offences: [], police_orgs: [], document_kinds: [],
}
const GOODS: Goods[] = [
  { name: '伊利金领冠奶粉', brand: '伊利', registration_no: '第1234567号', rights_holder: '内蒙古伊利实业集团股份有限公司',
    rights_holder_uscc: VALID, quantity: 200, unit: '罐', value_fen: 5_980_000 },
  { name: '蒙牛纯牛奶', brand: '蒙牛', registration_no: '', rights_holder: '内蒙古蒙牛乳业（集团）股份有限公司',
    rights_holder_uscc: '', quantity: 12.5, unit: '箱', value_fen: 123_450 },
]

const row = (over: Partial<GoodsRow>): GoodsRow => ({ ...emptyGoodsRow(), ...over })

describe('goods rows: mapping and checks', () => {
  it('maps the API rows (fen) to the form (yuan) and back unchanged', () => {
    const form = goodsToForm(GOODS)
    expect(form[0].value).toBe(59_800)
    expect(form[1].value).toBe(1234.5)
    expect(form[1].quantity).toBe(12.5)
    const back = goodsFromForm(form)
    expect(back[0]).toEqual(GOODS[0])
    // an empty USCC is left out (it is optional)
    const { rights_holder_uscc: _omitted, ...second } = GOODS[1]
    expect(back[1]).toEqual(second)
    expect('rights_holder_uscc' in back[1]).toBe(false)
  })

  it('trims, upper-cases the USCC and rounds yuan to whole fen', () => {
    const [g] = goodsFromForm([row({ name: ' 奶粉 ', rights_holder_uscc: ' 91110000600037341l ', value: 0.015, quantity: undefined, unit: ' 罐 ' })])
    expect(g).toEqual({
      name: '奶粉', brand: '', registration_no: '', rights_holder: '', rights_holder_uscc: VALID_2,
      quantity: 0, unit: '罐', value_fen: 2,
    })
    expect(goodsFromForm([row({ name: 'x', value: 19.99 })])[0].value_fen).toBe(1999)
    expect(goodsToForm(undefined)).toEqual([])
  })

  it('requires a name, checks a given USCC and lets a blank row be', () => {
    expect(isBlankGoodsRow(emptyGoodsRow())).toBe(true)
    expect(goodsRowProblems(emptyGoodsRow())).toEqual({})
    expect(goodsRowProblems(row({ brand: '伊利' }))).toEqual({ name: 'required' })
    expect(goodsRowProblems(row({ name: '奶粉', rights_holder_uscc: '914403001922038217' }))).toEqual({ rights_holder_uscc: 'check' })
    expect(goodsRowProblems(row({ name: '奶粉', rights_holder_uscc: '9144' }))).toEqual({ rights_holder_uscc: 'length' })
    expect(goodsRowProblems(row({ name: '奶粉', rights_holder_uscc: VALID.toLowerCase() }))).toEqual({})
    expect(goodsRowProblems(row({ name: '奶粉' }))).toEqual({})
  })

  it('reads the cell a server field names', () => {
    expect(goodsCellOf('goods[1].rights_holder_uscc')).toEqual({ index: 1, key: 'rights_holder_uscc' })
    expect(goodsCellOf('goods[0].name')).toEqual({ index: 0, key: 'name' })
    expect(goodsCellOf('goods[3]')).toEqual({ index: 3, key: 'name' })
    expect(goodsCellOf('parties[0].uscc')).toBeNull()
    expect(goodsCellOf('goods')).toBeNull()
    expect(goodsCellOf(undefined)).toBeNull()
  })
})

let pinia: Pinia
const $ = (sel: string) => document.body.querySelector(sel) as HTMLElement | null
const $$ = (sel: string) => Array.from(document.body.querySelectorAll(sel)) as HTMLElement[]
const settle = async () => {
  for (let i = 0; i < 4; i++) await flushPromises()
}

beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
  setLocale('zh-CN')
  document.body.innerHTML = ''
  for (const fn of Object.values(api)) fn.mockReset()
})
afterEach(() => setLocale('zh-CN'))

function mountForm(initial: CaseFile | null = null, error: { field: string; message: string } | null = null) {
  return mount(CaseForm, { props: { meta: META, initial, error }, global: { plugins: [ElementPlus, i18n, pinia] }, attachTo: document.body })
}
type W = ReturnType<typeof mountForm>
/** The <input> of a cell of goods row `i`. */
const cell = (w: W, i: number, id: string) => {
  const el = w.find(`[data-testid="goods-${i}"] [data-testid="${id}"]`)
  return el.element.tagName === 'INPUT' ? el : el.find('input')
}
async function submit(w: W): Promise<CaseInput | undefined> {
  await w.find('form').trigger('submit')
  await settle()
  const emitted = w.emitted('submit') as [CaseInput][] | undefined
  return emitted?.at(-1)?.[0]
}

describe('CaseForm goods table', () => {
  it('adds rows, checks the rights holder USCC as typed and sends the rows in fen', async () => {
    const w = mountForm()
    await w.find('input[data-testid="case-title"], [data-testid="case-title"] input').setValue('商品测试')
    expect(w.find('[data-testid="goods-table"]').text()).toContain('权利人统一社会信用代码')
    await w.find('[data-testid="add-goods"]').trigger('click')
    await w.find('[data-testid="add-goods"]').trigger('click')
    await w.find('[data-testid="add-goods"]').trigger('click')
    await cell(w, 0, 'goods-name').setValue('伊利金领冠奶粉')
    await cell(w, 0, 'goods-brand').setValue('伊利')
    await cell(w, 0, 'goods-holder').setValue('内蒙古伊利实业集团股份有限公司')
    await cell(w, 0, 'goods-uscc').setValue('914403001922038217')
    expect(w.find('[data-testid="goods-0"] [data-testid="goods-error-uscc"]').text()).toBe('校验位不正确')
    expect(w.find('[data-testid="case-save"]').attributes('disabled')).toBeDefined()
    await cell(w, 0, 'goods-uscc').setValue(VALID)
    expect(w.find('[data-testid="goods-error-uscc"]').exists()).toBe(false)
    await cell(w, 0, 'goods-qty').setValue('200')
    await cell(w, 0, 'goods-qty').trigger('blur')
    await cell(w, 0, 'goods-unit').setValue('罐')
    await cell(w, 0, 'goods-value').setValue('59800')
    await cell(w, 0, 'goods-value').trigger('blur')
    // the third row: a brand without a name is refused as typed
    await cell(w, 2, 'goods-brand').setValue('蒙牛')
    expect(w.find('[data-testid="goods-2"] [data-testid="goods-error-name"]').text()).toBe('必填')
    expect(w.find('[data-testid="case-save"]').attributes('disabled')).toBeDefined()
    await cell(w, 2, 'goods-name').setValue('蒙牛纯牛奶')
    await cell(w, 2, 'goods-value').setValue('1234.5')
    await cell(w, 2, 'goods-value').trigger('blur')
    expect(w.find('[data-testid="case-save"]').attributes('disabled')).toBeUndefined()
    const body = await submit(w)
    expect(body).toBeTruthy()
    // the blank second row is left out
    expect(body!.goods).toEqual([
      { name: '伊利金领冠奶粉', brand: '伊利', registration_no: '', rights_holder: '内蒙古伊利实业集团股份有限公司',
        rights_holder_uscc: VALID, quantity: 200, unit: '罐', value_fen: 5_980_000 },
      { name: '蒙牛纯牛奶', brand: '蒙牛', registration_no: '', rights_holder: '', quantity: 0, unit: '', value_fen: 123_450 },
    ])
    expect('brand' in body!).toBe(false)
    w.unmount()
  })

  it('loads the rows of an existing case and sends them back as they were', async () => {
    const initial = { title: '已登记案件', category: '商标', version: 4, parties: [], goods: GOODS, brand: '伊利', rights_holder: 'x' } as unknown as CaseFile
    const w = mountForm(initial)
    expect((cell(w, 0, 'goods-name').element as HTMLInputElement).value).toBe('伊利金领冠奶粉')
    expect((cell(w, 0, 'goods-uscc').element as HTMLInputElement).value).toBe(VALID)
    expect((cell(w, 0, 'goods-value').element as HTMLInputElement).value).toBe('59800.00')
    expect((cell(w, 1, 'goods-value').element as HTMLInputElement).value).toBe('1234.50')
    const body = await submit(w)
    expect(goodsToForm(body!.goods as Goods[])).toEqual(goodsToForm(GOODS))
    expect(body!.goods[0]).toEqual(GOODS[0])
    expect(body!.version).toBe(4)
    // removing the first row sends only the second
    await w.find('[data-testid="goods-0"] [data-testid="goods-remove"]').trigger('click')
    const after = await submit(w)
    expect(after!.goods.map((g) => g.name)).toEqual(['蒙牛纯牛奶'])
    w.unmount()
  })

  it('keeps the brand and rights holder of a case registered before goods rows', async () => {
    const initial = { title: '旧案件', category: '商标', version: 1, parties: [], goods: [], brand: '伊利', rights_holder: '伊利集团' } as unknown as CaseFile
    const w = mountForm(initial)
    const body = await submit(w)
    expect(body!.goods).toEqual([])
    expect(body!.brand).toBe('伊利')
    expect(body!.rights_holder).toBe('伊利集团')
    w.unmount()
  })

  it('puts a server field error on its cell, counting only the rows sent, and clears it when edited', async () => {
    const w = mountForm()
    await w.find('input[data-testid="case-title"], [data-testid="case-title"] input').setValue('商品测试')
    for (let i = 0; i < 3; i++) await w.find('[data-testid="add-goods"]').trigger('click')
    await cell(w, 0, 'goods-name').setValue('伊利金领冠奶粉')
    // row 1 stays blank and is not sent: the server's goods[1] is the form's third row
    await cell(w, 2, 'goods-name').setValue('蒙牛纯牛奶')
    await cell(w, 2, 'goods-uscc').setValue(VALID_2)
    const body = await submit(w)
    expect(body!.goods.map((g) => g.name)).toEqual(['伊利金领冠奶粉', '蒙牛纯牛奶'])
    await w.setProps({ error: { field: 'goods[1].rights_holder_uscc', message: '权利人统一社会信用代码与登记不符' } })
    const shown = $$('[data-testid="goods-error-uscc"]')
    expect(shown).toHaveLength(1)
    expect(shown[0].closest('tr')!.dataset.testid).toBe('goods-2')
    expect(shown[0].textContent).toBe('权利人统一社会信用代码与登记不符')
    await cell(w, 2, 'goods-uscc').setValue(VALID)
    expect($('[data-testid="goods-error-uscc"]')).toBeNull()
    // a name error names goods[0].name
    await w.setProps({ error: { field: 'goods[0].name', message: '商品名称过长' } })
    expect(w.find('[data-testid="goods-0"] [data-testid="goods-error-name"]').text()).toBe('商品名称过长')
    w.unmount()
  })
})

describe('the goods table on the detail page', () => {
  it('lists the rows with the rights holder, quantity and value in yuan', async () => {
    useAuthStore().setUser(makeUser({ username: 'officer', org: { id: '3001', code: 'NMG-GSJ', name: '内蒙古自治区市场监督管理局' }, permissions: ['case.write'] }))
    api.get.mockResolvedValue({
      id: '7', case_number: 'NMG-GSJ-2026-00007', title: '销售假冒伊利奶粉案', org: { id: '3001', name: '内蒙古自治区市场监督管理局' },
      region_code: '150000', category: '商标', channel: '线下', tags: [], facts: '', brand: '伊利', rights_holder: GOODS[0].rights_holder,
      offence: '', offence_date: null, goods_or_services: 'goods', illegal_business_fen: 0, illegal_gains_fen: 0, sales_fen: 0,
      unsold_value_fen: 0, production_loss_fen: 0, rights_holder_loss_fen: 0, item_count: 0, label_count: 0, unsold_label_count: 0,
      copies: 0, marks_count: 0, prior_penalty_within_2y: false, reasonable_suspicion: false, dens_destroyed: 0, suspects: 0,
      status: '线索', opened_on: null, decided_on: null, closed_on: null, penalty_type: '', fine_fen: 0, confiscated_fen: 0,
      transfer_status: '', police_org: null, transferred_on: null, police_reason: '', transfer_suggested: false,
      filing_supervised: false, arrested_persons: 0, prosecuted_persons: 0, court_accepted: false, court_concluded: false,
      convicted_persons: 0, evaluation: { should_transfer: false, rule: null, basis: null, reasons: [], uncertain: false },
      parties: [], goods: GOODS, timers: [], overdue: false, version: 3, created_at: '', updated_at: '', events: [],
      documents: [], missing_documents: [],
    } satisfies CaseFile)
    api.meta.mockResolvedValue(META)
    api.custody.mockResolvedValue({ items: [], events: [], orders: [] })
    const w = mount(CaseDetailView, { global: { plugins: [ElementPlus, i18n, pinia] }, attachTo: document.body })
    await settle()
    const table = $('[data-testid="case-goods"]')!
    expect(table.querySelector('.el-table__header')!.textContent).toContain('货值（元）')
    const rows = Array.from(table.querySelectorAll('.el-table__body-wrapper tr.el-table__row')) as HTMLElement[]
    expect(rows).toHaveLength(2)
    expect(rows[0].textContent).toContain('伊利金领冠奶粉')
    expect(rows[0].textContent).toContain('第1234567号')
    expect(rows[0].textContent).toContain(VALID)
    expect(rows[0].textContent).toContain('200 罐')
    expect(rows[0].textContent).toContain('59,800.00')
    expect(rows[1].textContent).toContain('蒙牛纯牛奶')
    expect(rows[1].textContent).toContain('12.5 箱')
    expect(rows[1].textContent).toContain('1,234.50')
    w.unmount()
  })

  it('says so when the case has no goods', async () => {
    useAuthStore().setUser(makeUser({ username: 'officer', permissions: ['case.read'] }))
    api.get.mockResolvedValue({
      id: '8', case_number: 'X', title: 'y', org: { id: '1', name: 'o' }, status: '线索', transfer_status: '', tags: [],
      evaluation: { should_transfer: false, rule: null, basis: null, reasons: [], uncertain: false },
      parties: [], goods: [], timers: [], documents: [], missing_documents: [], events: [],
    })
    api.meta.mockResolvedValue(META)
    api.custody.mockResolvedValue({ items: [], events: [], orders: [] })
    const w = mount(CaseDetailView, { global: { plugins: [ElementPlus, i18n, pinia] }, attachTo: document.body })
    await settle()
    expect($('[data-testid="case-goods"]')!.textContent).toContain('尚未登记涉案商品')
    w.unmount()
  })
})
