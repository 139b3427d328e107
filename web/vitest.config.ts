import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config.ts'

export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.spec.ts', 'tests/**/*.spec.ts'],
      setupFiles: ['tests/setup.ts'],
      css: false,
      server: { deps: { inline: ['element-plus'] } },
    },
  }),
)
