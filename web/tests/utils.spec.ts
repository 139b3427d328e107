import { describe, expect, it } from 'vitest'
import { checkPassword, passwordStrength } from '@/utils/password'
import { formatDate, formatDateTime, shanghaiToIso } from '@/utils/time'
import { buildRegionTree } from '@/stores/dicts'

describe('password rule (mirrors the server)', () => {
  it('needs at least 12 characters', () => {
    expect(checkPassword('Ab1!Ab1!Ab1').error).toBe('password.tooShort') // 11
    expect(checkPassword('Ab1!Ab1!Ab1!').ok).toBe(true) // 12
  })
  it('needs 3 of the 4 classes', () => {
    expect(checkPassword('abcdefghijkl').error).toBe('password.tooFewClasses')
    expect(checkPassword('abcdefABCDEF').error).toBe('password.tooFewClasses')
    expect(checkPassword('abcdefABCDE1').ok).toBe(true) // upper, lower, digit
    expect(checkPassword('abcdef!@#$%1').ok).toBe(true) // lower, symbol, digit
    expect(checkPassword('ABCDEF!@#$%^').error).toBe('password.tooFewClasses')
    expect(checkPassword('Demo@Redshield2017').classCount).toBe(4)
  })
  it('counts characters, not UTF-16 units, and treats CJK as symbols', () => {
    const c = checkPassword('红盾密码Ab12345678')
    expect(c.length).toBe(14)
    expect(c.classes.symbol).toBe(true)
    expect(c.ok).toBe(true)
  })
  it('grades strength 0..4', () => {
    expect(passwordStrength('')).toBe(0)
    expect(passwordStrength('abc')).toBe(0)
    expect(passwordStrength('abcdefghijkl')).toBe(1)
    expect(passwordStrength('abcdefABCDE1')).toBe(2)
    expect(passwordStrength('Demo@Redshield2017')).toBe(4)
  })
})

describe('time in Asia/Shanghai', () => {
  it('formats UTC ISO strings as Beijing wall time', () => {
    expect(formatDateTime('2026-11-29T19:56:32.123Z')).toBe('2026-11-30 03:56:32')
    expect(formatDateTime('2026-11-29T00:00:00Z')).toBe('2026-11-29 08:00:00')
    expect(formatDateTime('2026-12-31T16:00:00Z')).toBe('2027-01-01 00:00:00')
    expect(formatDate('2026-11-29T19:56:32Z')).toBe('2026-11-30')
  })
  it('uses 00-23 hours (no "24:00")', () => {
    expect(formatDateTime('2026-11-29T16:00:05Z')).toBe('2026-11-30 00:00:05')
  })
  it('shows a placeholder for empty or invalid values', () => {
    expect(formatDateTime(null)).toBe('—')
    expect(formatDateTime('')).toBe('—')
    expect(formatDateTime('not a date', '')).toBe('')
  })
  it('turns a picked Beijing wall time into UTC ISO', () => {
    expect(shanghaiToIso('2026-11-30 08:00:00')).toBe('2026-11-30T00:00:00.000Z')
    expect(shanghaiToIso('2026-11-30 03:56')).toBe('2026-11-29T19:56:00.000Z')
    expect(shanghaiToIso('')).toBeUndefined()
    expect(shanghaiToIso('garbage')).toBeUndefined()
  })
})

describe('region tree', () => {
  it('nests province → prefecture → county by parent_code', () => {
    const tree = buildRegionTree([
      { code: '150100', name: '呼和浩特市', level: 'prefecture', parent_code: '150000' },
      { code: '150000', name: '内蒙古自治区', level: 'province', parent_code: null },
      { code: '150102', name: '新城区', level: 'county', parent_code: '150100' },
      { code: '152900', name: '阿拉善盟', level: 'prefecture', parent_code: '150000' },
    ])
    expect(tree).toHaveLength(1)
    expect(tree[0].children!.map((c) => c.name)).toEqual(['呼和浩特市', '阿拉善盟'])
    expect(tree[0].children![0].children![0].code).toBe('150102')
  })
})
