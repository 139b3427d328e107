// The work-plan module's messages exist in both languages, and every key the views use is defined.
import { describe, expect, it } from 'vitest'
import zh from '@/modules/plans/locale.zh-CN'
import en from '@/modules/plans/locale.en'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' ? keys(v as Record<string, unknown>, prefix + k + '.') : [prefix + k],
  )
}

// the module's sources as text
const sources = import.meta.glob<string>(['../src/modules/plans/**/*.vue', '../src/modules/plans/**/*.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

describe('plans messages', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort())
  })

  it('defines every literal plans.* / menu.* key used by the module', () => {
    const known = new Set(keys(zh))
    const used = new Set<string>()
    expect(Object.keys(sources).length).toBeGreaterThan(10)
    for (const text of Object.values(sources)) {
      for (const m of text.matchAll(/\bt\('((?:plans|menu)\.[\w.]+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/title: '(menu\.[\w.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(50)
    // `t('plans.status.' + s)`: a prefix, which must name a group of messages
    const missing = [...used].filter((k) => (k.endsWith('.') ? ![...known].some((x) => x.startsWith(k)) : !known.has(k)))
    expect(missing).toEqual([])
  })
})
