// Wires the API client's error hooks to the UI: messages, "session expired" and the forced
// password change. Installed once in main.ts (and by tests that need it).
import { ElMessage } from 'element-plus'
import type { Router } from 'vue-router'
import { setApiHandlers, setFallbackMessage } from '@/api/http'
import type { ApiError } from '@/api/http'
import { t } from '@/i18n'
import { useAuthStore } from '@/stores/auth'
import { safeRedirect } from '@/router'

export interface Notifier {
  error(message: string): void
  warning(message: string): void
}

const elNotifier: Notifier = {
  error: (message) => ElMessage({ type: 'error', message, grouping: true, showClose: true, duration: 5000 }),
  warning: (message) => ElMessage({ type: 'warning', message, grouping: true, showClose: true }),
}

export function installApiHandlers(router: Router, notify: Notifier = elNotifier): void {
  let redirecting = false

  setFallbackMessage((status) => (status === 0 ? t('errors.network') : t('errors.server', { status })))

  setApiHandlers({
    onUnauthorized() {
      const auth = useAuthStore()
      const current = router.currentRoute.value
      auth.clear()
      if (current.name === 'Login' || redirecting) return
      redirecting = true
      notify.warning(t('login.sessionExpired'))
      const redirect = safeRedirect(current.fullPath)
      void router
        .replace({ name: 'Login', query: redirect ? { redirect } : {} })
        .finally(() => {
          redirecting = false
        })
    },
    onMustChangePassword() {
      const auth = useAuthStore()
      auth.markMustChangePassword()
      const current = router.currentRoute.value
      if (current.name === 'ForcePassword') return
      const redirect = safeRedirect(current.fullPath)
      void router.replace({ name: 'ForcePassword', query: redirect ? { redirect } : {} })
    },
    onError(err: ApiError) {
      notify.error(err.message)
    },
  })
}
