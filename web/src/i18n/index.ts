import { createI18n, type I18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'
import { modules } from '@/modules'
import { mergeMessages, type LocaleMessages } from '@/modules/registry'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: AppLocale[] = ['zh-CN', 'en']
export const LOCALE_STORAGE_KEY = 'redshield.locale'

export function savedLocale(): AppLocale {
  try {
    const v = localStorage.getItem(LOCALE_STORAGE_KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch {
    /* storage unavailable */
  }
  return 'zh-CN'
}

function buildMessages(): Record<AppLocale, LocaleMessages> {
  const zh = structuredClone(zhCN) as LocaleMessages
  const e = structuredClone(en) as LocaleMessages
  for (const m of modules) {
    if (m.messages?.['zh-CN']) mergeMessages(zh, m.messages['zh-CN'])
    if (m.messages?.en) mergeMessages(e, m.messages.en)
  }
  return { 'zh-CN': zh, en: e }
}

// Typed loosely on purpose: module messages are merged at run time.
export const i18n: I18n<Record<string, never>, Record<string, never>, Record<string, never>, string, false> = createI18n({
  legacy: false,
  globalInjection: true,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  messages: buildMessages() as never,
  missingWarn: false,
  fallbackWarn: false,
}) as never

export function setLocale(locale: AppLocale): void {
  ;(i18n.global.locale as unknown as { value: string }).value = locale
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    /* ignore */
  }
  document.documentElement.lang = locale
}

export function currentLocale(): AppLocale {
  return (i18n.global.locale as unknown as { value: AppLocale }).value
}

/** Translate outside components (API handlers, stores). */
export function t(key: string, named?: Record<string, unknown>): string {
  const translate = i18n.global.t as unknown as (k: string, n?: Record<string, unknown>) => string
  return named ? translate(key, named) : translate(key)
}
