import { defineStore } from 'pinia'
import { ref } from 'vue'
import { currentLocale, setLocale, type AppLocale } from '@/i18n'

const SIDEBAR_KEY = 'redshield.sidebarCollapsed'

export const useAppStore = defineStore('app', () => {
  const locale = ref<AppLocale>(currentLocale())
  let collapsedInitial = false
  try {
    collapsedInitial = localStorage.getItem(SIDEBAR_KEY) === '1'
  } catch {
    /* ignore */
  }
  const sidebarCollapsed = ref(collapsedInitial)

  function changeLocale(l: AppLocale): void {
    setLocale(l)
    locale.value = l
  }

  function toggleSidebar(): void {
    sidebarCollapsed.value = !sidebarCollapsed.value
    try {
      localStorage.setItem(SIDEBAR_KEY, sidebarCollapsed.value ? '1' : '0')
    } catch {
      /* ignore */
    }
  }

  return { locale, sidebarCollapsed, changeLocale, toggleSidebar }
})
