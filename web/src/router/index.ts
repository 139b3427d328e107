import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router'
import { moduleRoutes } from '@/modules'
import { canAccess } from '@/modules/registry'
import { useAuthStore } from '@/stores/auth'
import { t } from '@/i18n'

export const HOME_PATH = '/dashboard'

/** Routes of the frame itself; module routes are children of the layout. */
export function buildRoutes(): RouteRecordRaw[] {
  return [
    {
      path: '/login',
      name: 'Login',
      component: () => import('@/views/LoginView.vue'),
      meta: { public: true, bare: true, title: 'login.title' },
    },
    {
      // The page a label's QR code opens (issue 7 §4): public, bare, mobile.
      path: '/v/:code',
      name: 'TraceVerify',
      component: () => import('@/modules/trace/VerifyView.vue'),
      meta: { public: true, bare: true, title: 'trace.verifyTitle' },
    },
    {
      path: '/change-password',
      name: 'ForcePassword',
      component: () => import('@/views/ForcePasswordView.vue'),
      meta: { bare: true, title: 'password.forcedTitle' },
    },
    {
      path: '/',
      name: 'Root',
      component: () => import('@/layout/AppLayout.vue'),
      redirect: HOME_PATH,
      children: [
        ...moduleRoutes,
        {
          path: 'account/password',
          name: 'AccountPassword',
          component: () => import('@/views/AccountPasswordView.vue'),
          meta: { title: 'password.title', noCache: true },
        },
        {
          path: 'redirect/:path(.*)',
          name: 'Redirect',
          component: () => import('@/views/RedirectView.vue'),
          meta: { noCache: true },
        },
        {
          path: '403',
          name: 'Forbidden',
          component: () => import('@/views/ForbiddenView.vue'),
          meta: { title: 'errors.forbiddenTitle', noCache: true },
        },
        {
          path: ':pathMatch(.*)*',
          name: 'NotFound',
          component: () => import('@/views/NotFoundView.vue'),
          meta: { title: 'errors.notFoundTitle', noCache: true },
        },
      ],
    },
  ]
}

/** Only same-app paths are accepted as a post-login target (no open redirect). */
export function safeRedirect(value: unknown): string | null {
  const v = Array.isArray(value) ? value[0] : value
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.includes('\\')) return null
  if (v.startsWith('/login') || v.startsWith('/change-password')) return null
  return v
}

function loginLocation(to: RouteLocationNormalized) {
  const redirect = to.fullPath && to.fullPath !== '/' && to.fullPath !== HOME_PATH ? to.fullPath : undefined
  return { name: 'Login', query: redirect ? { redirect } : {} }
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (!auth.checked) {
      try {
        await auth.fetchMe()
      } catch {
        /* server unreachable: treat as signed out, the login page will say why */
      }
    }

    if (to.meta.public) {
      if (to.name === 'Login' && auth.loggedIn) {
        if (auth.mustChangePassword) return { name: 'ForcePassword', query: to.query }
        return safeRedirect(to.query.redirect) ?? HOME_PATH
      }
      return true
    }

    if (!auth.loggedIn) return loginLocation(to)

    if (auth.mustChangePassword) {
      if (to.name === 'ForcePassword') return true
      const redirect = safeRedirect(to.fullPath)
      return { name: 'ForcePassword', query: redirect && redirect !== HOME_PATH ? { redirect } : {} }
    }
    if (to.name === 'ForcePassword') return HOME_PATH

    const allowed = to.matched.every((r) => canAccess(auth.user, r.meta))
    if (!allowed) return { name: 'Forbidden', query: { from: to.fullPath } }
    return true
  })

  router.afterEach((to) => {
    const title = to.meta.title ? t(to.meta.title) : ''
    const app = t('app.shortName')
    document.title = title ? `${title} - ${app}` : `${app} · ${t('app.name')}`
  })
}

export function createAppRouter(history: RouterHistory = createWebHistory()): Router {
  const router = createRouter({
    history,
    routes: buildRoutes(),
    scrollBehavior: () => ({ top: 0 }),
  })
  installGuards(router)
  return router
}
