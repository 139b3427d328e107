// 工作要点 (issue 4): plans and their import, plan tree, my tasks and progress reports, the
// supervision board, supervision cases, assessment; the reminders bell and dashboard card.
import { defineAsyncComponent } from 'vue'
import { DataAnalysis, Document, Flag, List, Memo, Tickets, TrophyBase } from '@element-plus/icons-vue'
import { defineModule } from '../registry'
import zh from './locale.zh-CN'
import en from './locale.en'

/** Who works with plans at all: the office (plan.write) and member units (plan.report). */
export const PLAN_READERS = ['plan.write', 'plan.report']

export default defineModule({
  name: 'plans',
  routes: [
    {
      path: 'plans',
      name: 'PlanList',
      component: () => import('./PlanListView.vue'),
      meta: { title: 'menu.planList', icon: Document, permissions: PLAN_READERS },
    },
    {
      path: 'plans/:id',
      name: 'PlanDetail',
      component: () => import('./PlanDetailView.vue'),
      meta: { title: 'menu.planDetail', icon: Document, permissions: PLAN_READERS, noCache: true },
    },
    {
      path: 'plans-my/tasks',
      name: 'MyTasks',
      component: () => import('./MyTasksView.vue'),
      meta: { title: 'menu.myTasks', icon: List, permissions: ['plan.report'] },
    },
    {
      path: 'plans-board',
      name: 'PlanBoard',
      component: () => import('./PlanBoardView.vue'),
      meta: { title: 'menu.planBoard', icon: DataAnalysis, permissions: ['plan.write'] },
    },
    {
      path: 'supervisions',
      name: 'SupervisionList',
      component: () => import('./SupervisionListView.vue'),
      meta: { title: 'menu.supervisions', icon: Flag, permissions: PLAN_READERS },
    },
    {
      path: 'assessment',
      name: 'AssessmentView',
      component: () => import('./AssessmentView.vue'),
      meta: { title: 'menu.assessment', icon: TrophyBase, permissions: PLAN_READERS },
    },
  ],
  menu: [
    {
      key: 'plans',
      title: 'menu.plans',
      icon: Memo,
      order: 20,
      children: [
        { key: 'plans.list', title: 'menu.planList', icon: Document, order: 10, route: 'PlanList', permissions: PLAN_READERS },
        { key: 'plans.mine', title: 'menu.myTasks', icon: List, order: 20, route: 'MyTasks', permissions: ['plan.report'] },
        { key: 'plans.board', title: 'menu.planBoard', icon: DataAnalysis, order: 30, route: 'PlanBoard', permissions: ['plan.write'] },
        { key: 'plans.supervisions', title: 'menu.supervisions', icon: Tickets, order: 40, route: 'SupervisionList', permissions: PLAN_READERS },
        { key: 'plans.assessment', title: 'menu.assessment', icon: TrophyBase, order: 50, route: 'AssessmentView', permissions: PLAN_READERS },
      ],
    },
  ],
  dashboardCards: [
    {
      id: 'plan-reminders',
      order: 5,
      span: 12,
      permissions: ['plan.report'],
      component: defineAsyncComponent(() => import('./components/RemindersCard.vue')),
    },
  ],
  headerWidgets: [
    {
      id: 'plan-reminders-bell',
      order: 10,
      permissions: ['plan.report'],
      component: defineAsyncComponent(() => import('./components/ReminderBell.vue')),
    },
  ],
  messages: { 'zh-CN': zh, en },
})
