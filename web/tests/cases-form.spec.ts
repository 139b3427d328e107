// The case form: identifiers checked as the user types, amounts sent in fen.
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import CaseForm from '@/modules/cases/CaseForm.vue'
import type { CaseFile, CaseInput, CaseMeta } from '@/modules/cases/api'

const META: CaseMeta = {
  categories: ['商标', '著作权'], channels: ['线上', '线下'], statuses: ['线索'], tags: ['秋风'],
  offences: ['销售假冒注册商标的商品罪'], police_orgs: [], document_kinds: [],
}

// Element Plus puts extra attributes on the <input> itself; accept either place.
function input(w: ReturnType<typeof mountForm>, id: string) {
  const el = w.find(`[data-testid="${id}"]`)
  return el.element.tagName === 'INPUT' ? el : el.find('input')
}

function mountForm() {
  setLocale('zh-CN')
  return mount(CaseForm, { props: { meta: META }, global: { plugins: [ElementPlus, i18n, createPinia()] }, attachTo: document.body })
}

describe('CaseForm', () => {
  it('flags a wrong 统一社会信用代码 while typing and blocks saving', async () => {
    const w = mountForm()
    await w.find('[data-testid="add-enterprise"]').trigger('click')
    const uscc = input(w, 'party-uscc')
    await uscc.setValue('914403001922038217')
    expect(w.find('[data-testid="party-problem"]').text()).toBe('校验位不正确')
    expect(w.find('[data-testid="case-save"]').attributes('disabled')).toBeDefined()
    await uscc.setValue('914403001922038216')
    expect(w.find('[data-testid="party-problem"]').exists()).toBe(false)
    w.unmount()
  })

  it('flags a wrong resident ID and accepts a valid one', async () => {
    const w = mountForm()
    await w.find('[data-testid="add-person"]').trigger('click')
    const id = input(w, 'party-id')
    await id.setValue('110105194902300021')
    expect(w.find('[data-testid="party-problem"]').text()).toBe('出生日期无效')
    await id.setValue('11010519491231002x')
    expect(w.find('[data-testid="party-problem"]').exists()).toBe(false)
    w.unmount()
  })

  it('submits amounts in fen and upper-cased identifiers', async () => {
    const w = mountForm()
    await input(w, 'case-title').setValue('测试案件')
    await w.find('[data-testid="add-person"]').trigger('click')
    await input(w, 'party-0').setValue('张三')
    await input(w, 'party-id').setValue('11010519491231002x')
    const sales = input(w, 'case-sales')
    await sales.setValue('52000.5')
    await sales.trigger('blur')
    await w.find('form').trigger('submit')
    await flushPromises()
    const emitted = w.emitted('submit') as [CaseInput][] | undefined
    expect(emitted).toBeTruthy()
    const body = emitted![0][0]
    expect(body.sales_fen).toBe(5200050)
    expect(body.parties[0]).toEqual({ kind: 'person', name: '张三', id_number: '11010519491231002X', uscc: undefined })
    expect(body.category).toBe('商标')
    w.unmount()
  })

  it('sends a registered person back with the masked ID, read-only', async () => {
    setLocale('zh-CN')
    const initial = {
      title: '已登记案件', category: '商标', version: 3,
      parties: [{ kind: 'person', name: '张三', id_masked: '1****************X', uscc: '' }],
    } as unknown as CaseFile
    const w = mount(CaseForm, { props: { meta: META, initial }, global: { plugins: [ElementPlus, i18n, createPinia()] }, attachTo: document.body })
    const id = input(w as ReturnType<typeof mountForm>, 'party-id')
    expect((id.element as HTMLInputElement).value).toBe('1****************X')
    expect((id.element as HTMLInputElement).disabled).toBe(true)
    expect(w.find('[data-testid="party-problem"]').exists()).toBe(false)
    await w.find('form').trigger('submit')
    await flushPromises()
    const body = (w.emitted('submit') as [CaseInput][])[0][0]
    expect(body.parties[0]).toEqual({ kind: 'person', name: '张三', id_number: '1****************X', uscc: undefined })
    expect(body.version).toBe(3)
    w.unmount()
  })
})
