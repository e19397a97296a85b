// @vitest-environment jsdom
/**
 * The colour theme (src/canvas/view.ts): <html data-theme> is always 'light' or 'dark' — 'system' resolved from the
 * operating system's prefers-color-scheme, and followed when it changes — because app.css keys every dark colour on
 * [data-theme='dark'] only. A forced light theme on a dark system is light.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** A matchMedia stand-in whose dark preference can be flipped, with its change listeners. */
function fakeSystem(dark: boolean) {
  const listeners: (() => void)[] = [];
  const mql = {
    get matches() {
      return dark;
    },
    addEventListener: (_t: string, f: () => void) => listeners.push(f),
  };
  vi.stubGlobal('matchMedia', (q: string) => (q === '(prefers-color-scheme: dark)' ? mql : { matches: false, addEventListener() {} }));
  return {
    set(d: boolean) {
      dark = d;
      listeners.forEach((f) => f());
    },
  };
}

// Each test imports view.ts afresh (it applies the theme when it loads), also after another file loaded it first.
beforeEach(() => {
  vi.resetModules();
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
  localStorage.clear();
});

const theme = () => document.documentElement.getAttribute('data-theme');

describe('applyTheme', () => {
  it("resolves 'system' from the system's scheme and follows it; light and dark override it", async () => {
    const system = fakeSystem(true);
    const { useView } = await import('../../src/canvas/view');
    expect(useView.getState().theme).toBe('system');
    expect(theme()).toBe('dark');
    system.set(false);
    expect(theme()).toBe('light');
    useView.getState().setTheme('dark');
    expect(theme()).toBe('dark');
    system.set(true);
    useView.getState().setTheme('light');
    expect(theme()).toBe('light'); // forced light on a dark system
    system.set(false);
    system.set(true);
    expect(theme()).toBe('light'); // a system change does not move a forced theme
  });

  it('without matchMedia, system means light', async () => {
    vi.stubGlobal('matchMedia', undefined);
    const { applyTheme } = await import('../../src/canvas/view');
    applyTheme('system');
    expect(theme()).toBe('light');
  });
});
