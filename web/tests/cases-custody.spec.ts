import { describe, expect, it } from 'vitest'
import {
  destroyableItems, eligibleUnits, formatTonnes, orderProblems, parseWitnesses, totalsOf, unitValidOn,
  type DestructionUnit,
} from '@/modules/cases/custody'

const unit = (id: string, name: string, valid_until: string, methods = ['焚烧']): DestructionUnit =>
  ({ id, name, licence_number: `L-${id}`, region_code: '150100', methods, valid_until })

describe('destruction units', () => {
  it('is valid up to and including valid_until', () => {
    expect(unitValidOn(unit('1', 'a', '2026-03-01'), '2026-03-01')).toBe(true)
    expect(unitValidOn(unit('1', 'a', '2026-03-01'), '2026-03-02')).toBe(false)
    expect(unitValidOn(unit('1', 'a', '2026-03-01'), '')).toBe(false)
  })
  it('offers only units qualified on the day and for the method', () => {
    const units = [unit('1', 'A 公司', '2027-01-01', ['粉碎']), unit('2', 'B 公司', '2026-02-01'), unit('3', 'C 公司', '2027-01-01')]
    expect(eligibleUnits(units, '2026-03-01').map((u) => u.id)).toEqual(['1', '3'])
    expect(eligibleUnits(units, '2026-01-15', '焚烧').map((u) => u.id)).toEqual(['2', '3'])
  })
})

describe('seized items', () => {
  const items = [
    { id: 'a', status: '在库' as const, weight_kg: 1200, value_fen: 3000000 },
    { id: 'b', status: '已移交' as const, weight_kg: 10, value_fen: 1 },
    { id: 'c', status: '在库' as const, weight_kg: 50.5, value_fen: 250000 },
  ]
  it('destroys only items in store', () => {
    expect(destroyableItems(items).map((i) => i.id)).toEqual(['a', 'c'])
  })
  it('adds up the chosen items', () => {
    expect(totalsOf(items, ['a', 'c'])).toEqual({ weight_kg: 1250.5, value_fen: 3250000 })
    expect(totalsOf(items, [])).toEqual({ weight_kg: 0, value_fen: 0 })
  })
  it('prints tonnes like the 双打 summary', () => {
    expect(formatTonnes(1250.5)).toBe('1.251')
    expect(formatTonnes(1200)).toBe('1.2')
    expect(formatTonnes(0)).toBe('0')
  })
})

describe('destruction order form', () => {
  const units = [unit('1', '甲公司', '2026-02-10'), unit('2', '乙公司', '2027-12-31', ['焚烧', '粉碎'])]
  const photo = { filename: 'a.jpg', content_type: 'image/jpeg', data_base64: 'YQ==' }
  const base = { item_ids: ['a'], unit_id: '2', method: '焚烧', destroyed_on: '2026-03-01', witnesses: ['王五'], attachments: [photo] }
  it('accepts a complete order', () => {
    expect(orderProblems(base, units, '2026-03-02')).toEqual([])
  })
  it('names every problem', () => {
    expect(orderProblems({ ...base, unit_id: '1' }, units, '2026-03-02')).toEqual(['expired'])
    expect(orderProblems({ ...base, method: '填埋' }, units, '2026-03-02')).toEqual(['method'])
    expect(orderProblems({ ...base, destroyed_on: '2026-03-05' }, units, '2026-03-02')).toEqual(['future'])
    expect(orderProblems({ item_ids: [], unit_id: '', method: '', destroyed_on: '', witnesses: [], attachments: [] }, units, '2026-03-02'))
      .toEqual(['items', 'date', 'unit', 'witnesses', 'photos'])
  })
  it('splits witnesses on lines and Chinese separators', () => {
    expect(parseWitnesses('王五、赵六\n 孙七 ,,')).toEqual(['王五', '赵六', '孙七'])
  })
})
