/// <reference types="vite/client" />
import type { Component } from 'vue'
import 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title (tags view, breadcrumb, document title). */
    title?: string
    icon?: Component
    /** Any one of these permissions opens the route. */
    permissions?: string[]
    /** Any one of these roles opens the route. */
    roles?: string[]
    /** Tag that cannot be closed (首页). */
    affix?: boolean
    /** Do not keep the page alive when switching tags. */
    noCache?: boolean
    /** Reachable without a session (login). */
    public?: boolean
    /** Outside the main layout. */
    bare?: boolean
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

export {}
