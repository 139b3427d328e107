import { createApp } from 'vue'
import { createPinia } from 'pinia'
import 'element-plus/dist/index.css'
import './styles/index.css'
import App from './App.vue'
import { i18n, setLocale, currentLocale } from './i18n'
import { createAppRouter } from './router'
import { installApiHandlers } from './plugins/apiHandlers'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
setLocale(currentLocale())
const router = createAppRouter()
installApiHandlers(router)
app.use(router)
void router.isReady().then(() => app.mount('#app'))
// router.isReady() waits for the first navigation (which asks GET /me) before mounting.
