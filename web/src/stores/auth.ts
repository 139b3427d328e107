import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { authApi, isApiError, type User } from '@/api'

export const useAuthStore = defineStore('auth', () => {
  /** The signed-in user, or null. The session itself is the HttpOnly cookie. */
  const user = ref<User | null>(null)
  /** True once we asked the server who we are (GET /me) at least once. */
  const checked = ref(false)
  /** The server answered 412 must_change_password (e.g. GET /me after a reload). */
  const forcedChange = ref(false)

  const loggedIn = computed(() => user.value !== null || forcedChange.value)
  const mustChangePassword = computed(() => forcedChange.value || user.value?.must_change_password === true)
  const permissions = computed(() => user.value?.permissions ?? [])
  const roles = computed(() => user.value?.roles ?? [])

  function hasPermission(p: string): boolean {
    return permissions.value.includes(p)
  }
  function hasAnyPermission(ps: string[]): boolean {
    return ps.some((p) => permissions.value.includes(p))
  }
  function hasRole(r: string): boolean {
    return roles.value.includes(r)
  }

  function setUser(u: User | null): void {
    user.value = u
    if (u === null || !u.must_change_password) forcedChange.value = false
    checked.value = true
  }

  /** Called when any request answers 412 must_change_password. */
  function markMustChangePassword(): void {
    forcedChange.value = true
    checked.value = true
    if (user.value) user.value = { ...user.value, must_change_password: true }
  }

  /** Asks the server for the current session; a 401 just means "not signed in". */
  async function fetchMe(): Promise<User | null> {
    try {
      const me = await authApi.me({ skipAuthRedirect: true, showError: false })
      setUser(me)
      return me
    } catch (e) {
      if (isApiError(e) && e.status === 401) {
        setUser(null)
        return null
      }
      if (isApiError(e) && e.status === 412) {
        // signed in, but only the password change is allowed until it is done
        markMustChangePassword()
        return user.value
      }
      checked.value = true
      throw e
    }
  }

  async function ensureChecked(): Promise<User | null> {
    if (checked.value) return user.value
    return fetchMe()
  }

  async function login(username: string, password: string): Promise<User> {
    const res = await authApi.login({ username, password })
    const u: User = { ...res.user, must_change_password: res.must_change_password || res.user.must_change_password }
    setUser(u)
    return u
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      /* the session may already be gone; the UI logs out anyway */
    } finally {
      setUser(null)
    }
  }

  /** After the forced change the flag is cleared locally until /me confirms. */
  function passwordChanged(): void {
    forcedChange.value = false
    if (user.value) user.value = { ...user.value, must_change_password: false }
  }

  /** Forget the session locally (401 seen). */
  function clear(): void {
    setUser(null)
  }

  return {
    user,
    checked,
    forcedChange,
    loggedIn,
    mustChangePassword,
    permissions,
    roles,
    hasPermission,
    hasAnyPermission,
    hasRole,
    setUser,
    markMustChangePassword,
    fetchMe,
    ensureChecked,
    login,
    logout,
    passwordChanged,
    clear,
  }
})
