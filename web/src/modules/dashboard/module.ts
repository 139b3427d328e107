import { defineAsyncComponent } from 'vue'
import { HomeFilled } from '@element-plus/icons-vue'
import { defineModule } from '../registry'

export default defineModule({
  name: 'dashboard',
  routes: [
    {
      path: 'dashboard',
      name: 'Dashboard',
      component: () => import('./DashboardView.vue'),
      meta: { title: 'menu.dashboard', affix: true, icon: HomeFilled },
    },
  ],
  menu: [{ key: 'dashboard', title: 'menu.dashboard', icon: HomeFilled, order: 0, route: 'Dashboard' }],
  dashboardCards: [
    { id: 'welcome', order: 0, span: 12, component: defineAsyncComponent(() => import('./cards/WelcomeCard.vue')) },
    { id: 'stat-organizations', order: 10, span: 6, component: defineAsyncComponent(() => import('./cards/StatOrganizations.vue')) },
    { id: 'stat-users', order: 11, span: 6, component: defineAsyncComponent(() => import('./cards/StatUsers.vue')) },
    { id: 'chart-by-region', order: 20, span: 24, component: defineAsyncComponent(() => import('./cards/RegionChart.vue')) },
    { id: 'chart-audit-per-day', order: 30, span: 24, component: defineAsyncComponent(() => import('./cards/AuditTrendChart.vue')) },
  ],
  messages: {
    'zh-CN': {
      menu: { dashboard: '首页' },
      dashboard: {
        greetingMorning: '上午好',
        greetingAfternoon: '下午好',
        greetingEvening: '晚上好',
        welcome: '{greeting}，{name}',
        today: '今天是 {date}',
        lastLogin: '上次登录',
        firstLogin: '首次登录',
        roles: '角色',
        organizations: '机构数',
        users: '用户数',
        organizationsHint: '已登记的成员单位及相关机构',
        usersHint: '平台注册账号',
        byRegion: '各盟市机构与用户分布',
        auditPerDay: '审计事件趋势（按日）',
        seriesOrganizations: '机构',
        seriesUsers: '用户',
        seriesEvents: '事件数',
        noRegionData: '暂无分布数据',
        unit: { org: '个', user: '人' },
      },
    },
    en: {
      menu: { dashboard: 'Home' },
      dashboard: {
        greetingMorning: 'Good morning',
        greetingAfternoon: 'Good afternoon',
        greetingEvening: 'Good evening',
        welcome: '{greeting}, {name}',
        today: 'Today is {date}',
        lastLogin: 'Last sign-in',
        firstLogin: 'First sign-in',
        roles: 'Roles',
        organizations: 'Organisations',
        users: 'Users',
        organizationsHint: 'Member units and related organisations',
        usersHint: 'Registered accounts',
        byRegion: 'Organisations and users by league/city',
        auditPerDay: 'Audit events per day',
        seriesOrganizations: 'Organisations',
        seriesUsers: 'Users',
        seriesEvents: 'Events',
        noRegionData: 'No distribution data yet',
        unit: { org: '', user: '' },
      },
    },
  },
})
