// 案件办理与两法衔接 (issue 5): case files, transfer to the police with
// statutory timers, the procuratorate's supervision board and the 双打 statistics; the
// statutory-deadline alarm clock in the top bar and its dashboard card.
import { defineAsyncComponent } from 'vue'
import { Box, DataAnalysis, Files, FolderOpened, Warning } from '@element-plus/icons-vue'
import { defineModule } from '../registry'
import { caseMessagesEn, caseMessagesZh } from './locale'
import { custodyMessagesEn, custodyMessagesZh } from './custodyLocale'

export const CASE_READERS = ['case.read', 'case.write', 'case.review', 'case.police', 'case.procurate', 'case.court']
export const STATS_READERS = ['case.read', 'case.procurate']
/** Who has statutory timers to act on: officers (deliver, reconsider, publish), reviewers (approve), police. */
export const TIMER_HOLDERS = ['case.write', 'case.review', 'case.police']

export default defineModule({
  name: 'cases',
  routes: [
    {
      path: 'cases',
      name: 'CaseList',
      component: () => import('./CaseListView.vue'),
      meta: { title: 'menu.cases', icon: Files, permissions: CASE_READERS },
    },
    {
      path: 'cases/supervision',
      name: 'CaseBoard',
      component: () => import('./CaseBoardView.vue'),
      meta: { title: 'menu.caseBoard', icon: Warning, permissions: ['case.procurate'], noCache: true },
    },
    {
      path: 'cases/statistics',
      name: 'CaseStats',
      component: () => import('./CaseStatsView.vue'),
      meta: { title: 'menu.caseStats', icon: DataAnalysis, permissions: STATS_READERS },
    },
    {
      path: 'cases/destruction-units',
      name: 'DestructionUnits',
      component: () => import('./DestructionUnitsView.vue'),
      meta: { title: 'menu.destructionUnits', icon: Box, permissions: CASE_READERS },
    },
    {
      path: 'cases/:id',
      name: 'CaseDetail',
      component: () => import('./CaseDetailView.vue'),
      meta: { title: 'menu.caseDetail', icon: FolderOpened, permissions: CASE_READERS, noCache: true },
    },
  ],
  menu: [
    {
      key: 'cases',
      title: 'menu.caseGroup',
      icon: FolderOpened,
      order: 30,
      children: [
        { key: 'cases.list', title: 'menu.cases', icon: Files, order: 10, route: 'CaseList', permissions: CASE_READERS },
        { key: 'cases.board', title: 'menu.caseBoard', icon: Warning, order: 20, route: 'CaseBoard', permissions: ['case.procurate'] },
        { key: 'cases.stats', title: 'menu.caseStats', icon: DataAnalysis, order: 30, route: 'CaseStats', permissions: STATS_READERS },
        { key: 'cases.units', title: 'menu.destructionUnits', icon: Box, order: 40, route: 'DestructionUnits', permissions: CASE_READERS },
      ],
    },
  ],
  dashboardCards: [
    {
      id: 'case-timers',
      order: 6,
      span: 12,
      permissions: TIMER_HOLDERS,
      component: defineAsyncComponent(() => import('./CaseTimersCard.vue')),
    },
  ],
  headerWidgets: [
    {
      id: 'case-timers-bell',
      order: 20,
      permissions: TIMER_HOLDERS,
      component: defineAsyncComponent(() => import('./CaseTimerBell.vue')),
    },
  ],
  messages: {
    'zh-CN': { ...caseMessagesZh, ...custodyMessagesZh, menu: { ...caseMessagesZh.menu, destructionUnits: '销毁单位' } },
    en: { ...caseMessagesEn, ...custodyMessagesEn, menu: { ...caseMessagesEn.menu, destructionUnits: 'Destruction units' } },
  },
})
