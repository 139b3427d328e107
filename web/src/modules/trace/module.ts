// 农资追溯 (issue 7): code batches for enterprises (issuance, labels, recall),
// EPCIS capture and code timelines, the clone board (with its review), the
// registry of places (GLN → region, retail outlet, organisation) and the recall
// notices sent to downstream holders. The public verification
// page /v/:code is a top-level bare route (src/router/index.ts), not a child
// of the layout, since farmers have no account.
import { Bell, Connection, Files, Location, Stamp, Warning } from '@element-plus/icons-vue'
import { defineModule } from '../registry'
import zh from './locale.zh-CN'
import en from './locale.en'

/** Who sees the trace menu at all. */
export const TRACE_READERS = ['trace.read', 'trace.issue', 'trace.capture']

export default defineModule({
  name: 'trace',
  routes: [
    {
      path: 'trace/batches',
      name: 'TraceBatches',
      component: () => import('./BatchesView.vue'),
      meta: { title: 'menu.traceBatches', icon: Stamp, permissions: ['trace.read', 'trace.issue'] },
    },
    {
      path: 'trace/events',
      name: 'TraceEvents',
      component: () => import('./EventsView.vue'),
      meta: { title: 'menu.traceEvents', icon: Connection, permissions: ['trace.read', 'trace.capture'] },
    },
    {
      path: 'trace/clones',
      name: 'TraceCloneBoard',
      component: () => import('./CloneBoardView.vue'),
      meta: { title: 'menu.traceClones', icon: Warning, permissions: ['trace.read'] },
    },
    {
      path: 'trace/places',
      name: 'TracePlaces',
      component: () => import('./PlacesView.vue'),
      meta: { title: 'menu.tracePlaces', icon: Location, permissions: ['trace.read'] },
    },
    {
      path: 'trace/notices',
      name: 'TraceNotices',
      component: () => import('./NoticesView.vue'),
      meta: { title: 'menu.traceNotices', icon: Bell, permissions: ['trace.read'] },
    },
  ],
  menu: [
    {
      key: 'trace',
      title: 'menu.trace',
      icon: Files,
      order: 50,
      children: [
        { key: 'trace.batches', title: 'menu.traceBatches', icon: Stamp, order: 10, route: 'TraceBatches', permissions: ['trace.read', 'trace.issue'] },
        { key: 'trace.events', title: 'menu.traceEvents', icon: Connection, order: 20, route: 'TraceEvents', permissions: ['trace.read', 'trace.capture'] },
        { key: 'trace.clones', title: 'menu.traceClones', icon: Warning, order: 30, route: 'TraceCloneBoard', permissions: ['trace.read'] },
        { key: 'trace.notices', title: 'menu.traceNotices', icon: Bell, order: 40, route: 'TraceNotices', permissions: ['trace.read'] },
        { key: 'trace.places', title: 'menu.tracePlaces', icon: Location, order: 50, route: 'TracePlaces', permissions: ['trace.read'] },
      ],
    },
  ],
  messages: { 'zh-CN': zh, en },
})
