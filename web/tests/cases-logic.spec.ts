import { describe, expect, it } from 'vitest'
import {
  availableActions, formatDuration, formatWan, formatYuan, monthsBetween, residentIdProblem, timeLeft, usccProblem, yuanToFen,
  type CaseLike,
} from '@/modules/cases/logic'

describe('usccProblem (GB 32100)', () => {
  it('accepts real codes and finds the check character', () => {
    expect(usccProblem('914403001922038216')).toBe('')
    expect(usccProblem('91110108551385082Q')).toBe('')
    expect(usccProblem('91512081ma62k0260e')).toBe('') // typed in lower case
  })
  it('names what is wrong', () => {
    expect(usccProblem('914403001922038217')).toBe('check')
    expect(usccProblem('91350100M000100Y4Z')).toBe('chars')
    expect(usccProblem('9144030019220382')).toBe('length')
    expect(usccProblem('91440300192203821I')).toBe('chars')
  })
})

describe('residentIdProblem (GB 11643)', () => {
  it('accepts a valid number with X', () => {
    expect(residentIdProblem('11010519491231002X')).toBe('')
  })
  it('names what is wrong', () => {
    expect(residentIdProblem('110105194912310021')).toBe('check')
    expect(residentIdProblem('110105194902300021')).toBe('date')
    expect(residentIdProblem('1101051949')).toBe('length')
    expect(residentIdProblem('11010519491231002Y')).toBe('chars')
    expect(residentIdProblem('110105209912310021', new Date('2026-01-01'))).toBe('date')
  })
})

describe('money', () => {
  it('converts yuan to fen without float drift', () => {
    expect(yuanToFen(49999.99)).toBe(4999999)
    expect(yuanToFen(0.1 + 0.2)).toBe(30)
    expect(yuanToFen(undefined)).toBe(0)
  })
  it('formats yuan and 万元', () => {
    expect(formatYuan(5200000)).toBe('52,000.00')
    expect(formatWan(123456789)).toBe('123.46')
  })
})

describe('timers', () => {
  const now = Date.parse('2026-03-02T02:00:00Z')
  it('counts down to the deadline and past it', () => {
    expect(timeLeft({ deadline_at: '2026-03-05T16:00:00.000Z', done_at: null }, now)).toBe((3 * 24 + 14) * 3600_000)
    expect(timeLeft({ deadline_at: '2026-03-01T16:00:00.000Z', done_at: null }, now)).toBeLessThan(0)
    expect(timeLeft({ deadline_at: '2026-03-01T16:00:00.000Z', done_at: '2026-03-01T10:00:00Z' }, now)).toBeNull()
  })
  it('splits a duration into days, hours and minutes', () => {
    expect(formatDuration((2 * 24 + 3) * 3600_000 + 5 * 60_000)).toEqual({ days: 2, hours: 3, minutes: 5 })
    expect(formatDuration(-90 * 60_000)).toEqual({ days: 0, hours: 1, minutes: 30 })
  })
})

describe('availableActions', () => {
  const base: CaseLike = {
    org: { id: 'gsj' }, status: '立案', transfer_status: '', police_org: null, evaluation: { should_transfer: true },
    reasonable_suspicion: false, prosecuted_persons: 0, court_accepted: false, court_concluded: false,
  }
  const officer = { org_id: 'gsj', permissions: ['case.write'] }
  it('lets the officer of the organisation move the case and report the transfer', () => {
    expect(availableActions(base, officer)).toEqual(['investigate', 'report_transfer'])
    expect(availableActions(base, { org_id: 'other', permissions: ['case.write'] })).toEqual([])
  })
  it('gives the reviewer the approval and the police only their own cases', () => {
    expect(availableActions({ ...base, transfer_status: '待批准' }, { org_id: 'gsj', permissions: ['case.review'] }))
      .toEqual(['approve_transfer', 'reject_transfer'])
    const sent = { ...base, transfer_status: '已移送', police_org: { id: 'gat' } }
    expect(availableActions(sent, { org_id: 'gat', permissions: ['case.police'] })).toEqual(['accept'])
    expect(availableActions(sent, { org_id: 'other', permissions: ['case.police'] })).toEqual([])
  })
  it('lets the procurator suggest a transfer only above a threshold', () => {
    const procurator = { org_id: 'jcy', permissions: ['case.procurate'] }
    expect(availableActions(base, procurator)).toEqual(['suggest_transfer'])
    expect(availableActions({ ...base, evaluation: { should_transfer: false } }, procurator)).toEqual([])
  })
  it('gives the court accept, then conclude, once prosecuted', () => {
    const court = { org_id: 'fy', permissions: ['case.court'] }
    expect(availableActions(base, court)).toEqual([])
    expect(availableActions({ ...base, prosecuted_persons: 2 }, court)).toEqual(['court_accept'])
    expect(availableActions({ ...base, prosecuted_persons: 2, court_accepted: true }, court)).toEqual(['court_conclude'])
  })
})

describe('monthsBetween', () => {
  it('lists every month of the period', () => {
    expect(monthsBetween('2017-11-01', '2018-02-28')).toEqual(['2017-11', '2017-12', '2018-01', '2018-02'])
  })
})
