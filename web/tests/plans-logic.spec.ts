// Rules of the work-plan pages: periods by cycle, report validation, attachment limits,
// supervision action visibility, assessment display helpers.
import { describe, expect, it } from 'vitest'
import {
  MAX_ATTACHMENT_BYTES,
  attachmentProblem,
  changeText,
  currentPeriod,
  dueState,
  formatPoints,
  periodOptions,
  rankText,
  supervisionActions,
  validateReport,
  type ReportForm,
} from '@/modules/plans/logic'

describe('report periods', () => {
  it('lists months or quarters of the plan year', () => {
    expect(periodOptions('monthly', 2017)).toHaveLength(12)
    expect(periodOptions('monthly', 2017)[0]).toBe('2017-01')
    expect(periodOptions('monthly', 2017)[11]).toBe('2017-12')
    expect(periodOptions('quarterly', 2017)).toEqual(['2017-Q1', '2017-Q2', '2017-Q3', '2017-Q4'])
  })

  it('preselects the current period in Beijing time, clamped to the plan year', () => {
    // 2017-03-31 17:00 UTC is already 1 April in Beijing
    const aprilInBeijing = new Date('2017-03-31T17:00:00Z')
    expect(currentPeriod('monthly', 2017, aprilInBeijing)).toBe('2017-04')
    expect(currentPeriod('quarterly', 2017, aprilInBeijing)).toBe('2017-Q2')
    expect(currentPeriod('quarterly', 2017, new Date('2017-12-15T00:00:00Z'))).toBe('2017-Q4')
    // the year is over: the last period; not started yet: the first
    expect(currentPeriod('monthly', 2017, new Date('2026-06-01T00:00:00Z'))).toBe('2017-12')
    expect(currentPeriod('quarterly', 2017, new Date('2016-06-01T00:00:00Z'))).toBe('2017-Q1')
  })
})

describe('validateReport', () => {
  const base = (over: Partial<ReportForm> = {}): ReportForm => ({
    period: '2017-03',
    status: '进行中',
    narrative: '',
    indicators: [],
    attachments: [],
    ...over,
  })

  it('accepts a plain progress report', () => {
    expect(validateReport(base(), 'monthly', 2017)).toEqual({})
  })

  it('requires a narrative for 受阻', () => {
    expect(validateReport(base({ status: '受阻' }), 'monthly', 2017)).toEqual({ narrative: 'plans.report.narrativeBlocked' })
    expect(validateReport(base({ status: '受阻', narrative: '   ' }), 'monthly', 2017).narrative).toBeTruthy()
    expect(validateReport(base({ status: '受阻', narrative: '执法力量不足' }), 'monthly', 2017)).toEqual({})
  })

  it('checks the period against the cycle and year', () => {
    expect(validateReport(base({ period: '2017-Q1' }), 'monthly', 2017).period).toBe('plans.report.periodInvalid')
    expect(validateReport(base({ period: '2017-03' }), 'quarterly', 2017).period).toBe('plans.report.periodInvalid')
    expect(validateReport(base({ period: '2016-Q4' }), 'quarterly', 2017).period).toBe('plans.report.periodInvalid')
    expect(validateReport(base({ period: '2017-Q4' }), 'quarterly', 2017)).toEqual({})
    expect(validateReport(base({ period: '' }), 'monthly', 2017).period).toBe('plans.report.periodRequired')
  })

  it('wants every indicator named and valued, at most 10, at most 5 attachments', () => {
    const ind = { name: '立案数', value: 3, unit: '件' }
    expect(validateReport(base({ indicators: [ind] }), 'monthly', 2017)).toEqual({})
    expect(validateReport(base({ indicators: [{ ...ind, value: undefined }] }), 'monthly', 2017).indicators).toBe('plans.report.indicatorIncomplete')
    expect(validateReport(base({ indicators: [{ ...ind, name: ' ' }] }), 'monthly', 2017).indicators).toBe('plans.report.indicatorIncomplete')
    expect(validateReport(base({ indicators: Array(11).fill(ind) }), 'monthly', 2017).indicators).toBe('plans.report.tooManyIndicators')
    const file = { filename: 'a.pdf', content_type: 'application/pdf', data_base64: '' }
    expect(validateReport(base({ attachments: Array(5).fill(file) }), 'monthly', 2017)).toEqual({})
    expect(validateReport(base({ attachments: Array(6).fill(file) }), 'monthly', 2017).attachments).toBe('plans.report.tooManyFiles')
  })
})

describe('attachment limits', () => {
  it('refuses a sixth file and a file over 2 MiB', () => {
    expect(attachmentProblem({ size: 100 }, 0)).toBeNull()
    expect(attachmentProblem({ size: MAX_ATTACHMENT_BYTES }, 4)).toBeNull()
    expect(attachmentProblem({ size: MAX_ATTACHMENT_BYTES + 1 }, 0)).toBe('plans.report.fileTooLarge')
    expect(attachmentProblem({ size: 100 }, 5)).toBe('plans.report.tooManyFiles')
  })
})

describe('dueState', () => {
  it('marks overdue, due soon and done', () => {
    expect(dueState({ status: '进行中', overdue: true, due_in_working_days: -3 })).toBe('overdue')
    expect(dueState({ status: '进行中', overdue: false, due_in_working_days: 3 }, 5)).toBe('due_soon')
    expect(dueState({ status: '未开始', overdue: false, due_in_working_days: 30 }, 5)).toBe('ok')
    expect(dueState({ status: '已完成', overdue: false, due_in_working_days: -3 })).toBe('done')
  })
})

describe('supervisionActions', () => {
  const office = { permissions: ['plan.write', 'plan.report', 'stats.read'], orgId: '900' }
  const target = { permissions: ['plan.report'], orgId: '501' }
  const other = { permissions: ['plan.report'], orgId: '777' }
  const sv = (kind: 'notice' | 'interview' | 'listed', status: string) => ({ kind, status, org: { id: '501', code: 'NMG-GSJ', name: '工商局', region_code: '150000' } })

  it('通报: the target signs for it; the office may cancel until then', () => {
    expect(supervisionActions(sv('notice', '已下发'), target)).toEqual(['acknowledge'])
    expect(supervisionActions(sv('notice', '已下发'), office)).toEqual(['cancel'])
    expect(supervisionActions(sv('notice', '已下发'), other)).toEqual([])
    expect(supervisionActions(sv('notice', '已签收'), target)).toEqual([])
    expect(supervisionActions(sv('notice', '已签收'), office)).toEqual([])
  })

  it('约谈: only the office records it', () => {
    expect(supervisionActions(sv('interview', '待约谈'), office)).toEqual(['record', 'cancel'])
    expect(supervisionActions(sv('interview', '待约谈'), target)).toEqual([])
    expect(supervisionActions(sv('interview', '已约谈'), office)).toEqual([])
  })

  it('挂牌督办: the target rectifies, the office accepts or returns, nothing once 已销号 or 已撤销', () => {
    expect(supervisionActions(sv('listed', '整改中'), target)).toEqual(['rectify'])
    expect(supervisionActions(sv('listed', '整改中'), office)).toEqual(['cancel'])
    expect(supervisionActions(sv('listed', '待验收'), target)).toEqual([])
    expect(supervisionActions(sv('listed', '待验收'), office)).toEqual(['accept', 'return', 'cancel'])
    expect(supervisionActions(sv('listed', '已销号'), office)).toEqual([])
    expect(supervisionActions(sv('listed', '已撤销'), office)).toEqual([])
    expect(supervisionActions(sv('listed', '整改中'), other)).toEqual([])
  })

  it('an office that is itself the target may also rectify', () => {
    expect(supervisionActions(sv('listed', '整改中'), { ...office, orgId: '501' })).toEqual(['rectify', 'cancel'])
  })
})

describe('assessment display', () => {
  it('formats points, change arrows and ranks (vetoed: no rank)', () => {
    expect(formatPoints(8)).toBe('8')
    expect(formatPoints(7.5)).toBe('7.5')
    expect(formatPoints(null)).toBe('—')
    expect(changeText(3.5)).toEqual({ text: '↑ 3.5', dir: 'up' })
    expect(changeText(-2)).toEqual({ text: '↓ 2', dir: 'down' })
    expect(changeText(0)).toEqual({ text: '0', dir: 'same' })
    expect(changeText(null)).toEqual({ text: '—', dir: 'none' })
    expect(rankText({ rank: 2, veto: null })).toBe('2')
    expect(rankText({ rank: null, veto: null })).toBe('—')
    const veto = { id: '1', year: 2017, target: { kind: 'region' as const, id: '1', code: '150200', name: '包头市' }, reason: 'x', status: 'in_force' as const, created_by: '1', created_at: '' }
    expect(rankText({ rank: 12, veto })).toBe('—')
    expect(rankText({ rank: 3, veto: { ...veto, status: 'revoked' } })).toBe('3')
  })
})
