// Server-side field errors (`error.field`) shown on the matching el-form-item (`:error`).
import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import { isApiError, isMustChangePassword } from '@/api/http'

export function useFormErrors(fields: readonly string[]) {
  const errors = reactive<Record<string, string>>({})

  function clear(): void {
    for (const k of Object.keys(errors)) errors[k] = ''
  }

  /**
   * Shows an error from a request made with `showError: false`: on its form item when the
   * server named one of our fields, otherwise as a message. Returns the field, if any.
   */
  function apply(e: unknown): string | null {
    if (!isApiError(e)) {
      ElMessage.error(String((e as Error)?.message ?? e))
      return null
    }
    // already handled globally: session expired / password change required
    if (e.status === 401 || (e.status === 412 && isMustChangePassword(e))) return null
    if (e.field && fields.includes(e.field)) {
      errors[e.field] = e.message
      return e.field
    }
    ElMessage({ type: 'error', message: e.message, showClose: true, duration: 5000 })
    return null
  }

  return { errors, clear, apply }
}
