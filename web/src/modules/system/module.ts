import { OfficeBuilding, Setting, User } from '@element-plus/icons-vue'
import { defineModule } from '../registry'
import zh from './locale.zh-CN'
import en from './locale.en'

/** Who may open 组织机构: its editors, and the account administrators who pick organisations. */
export const ORG_PAGE_PERMISSIONS = ['org.write', 'user.read']

export default defineModule({
  name: 'system',
  routes: [
    {
      path: 'system/organizations',
      name: 'SystemOrganizations',
      component: () => import('./OrganizationsView.vue'),
      meta: { title: 'menu.organizations', icon: OfficeBuilding, permissions: ORG_PAGE_PERMISSIONS },
    },
    {
      path: 'system/users',
      name: 'SystemUsers',
      component: () => import('./UsersView.vue'),
      meta: { title: 'menu.users', icon: User, permissions: ['user.read'] },
    },
  ],
  menu: [
    {
      key: 'system',
      title: 'menu.system',
      icon: Setting,
      order: 90,
      children: [
        {
          key: 'system.organizations',
          title: 'menu.organizations',
          icon: OfficeBuilding,
          order: 10,
          route: 'SystemOrganizations',
          permissions: ORG_PAGE_PERMISSIONS,
        },
        { key: 'system.users', title: 'menu.users', icon: User, order: 20, route: 'SystemUsers', permissions: ['user.read'] },
      ],
    },
  ],
  messages: { 'zh-CN': zh, en },
})
