// Vitest setup: happy-dom lacks a few browser APIs Element Plus touches.
import { afterEach, vi } from 'vitest'

if (!('ResizeObserver' in globalThis)) {
  class RO {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  ;(globalThis as unknown as { ResizeObserver: typeof RO }).ResizeObserver = RO
}

afterEach(() => {
  vi.restoreAllMocks()
  localStorage.clear()
})
