/**
 * View preferences of the canvas and the page, remembered in this browser (localStorage through safeStorage, so a
 * refused storage costs the preference, never the page): whether the minimap shows, and the colour theme ('system'
 * follows the operating system's prefers-color-scheme; 'light' and 'dark' override it). Also the request for the
 * "Readable zoom" action (a counter the canvas watches, like the ui store's fitRequest).
 */
import { create } from 'zustand';
import { safeGet, safeSet } from '../store/safeStorage';

export type Theme = 'system' | 'light' | 'dark';

/** localStorage keys of the remembered preferences. */
export const VIEW_KEYS = { minimap: 'layerlab.minimap', theme: 'layerlab.theme' } as const;

interface ViewState {
  readonly minimap: boolean;
  readonly theme: Theme;
  readonly readableRequest: number;
  /** True while something needs every node drawn in full at any zoom (the PNG export): turns the far form off (lod.ts). */
  readonly forceDetail: boolean;
  /** Shows or hides the minimap and remembers the choice. */
  toggleMinimap(): void;
  /** Sets the theme, applies it to the page (`data-theme` on <html>) and remembers it. */
  setTheme(theme: Theme): void;
  /** Asks the canvas to zoom to a readable size (top of the model in view). */
  requestReadable(): void;
  /** Sets forceDetail (lod.ts `useFar`). */
  setForceDetail(on: boolean): void;
}

/** Reads a remembered theme; anything else than 'light' or 'dark' is 'system'. */
export function readTheme(value: string | null): Theme {
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** The system's colour scheme query, or null where there is none (Node, old jsdom). */
const systemDark = (): MediaQueryList | null =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

/**
 * Puts `theme` on the document as data-theme="light" | "dark" on <html>, 'system' resolved through the operating
 * system's prefers-color-scheme: app.css keys every dark colour on `[data-theme='dark']` only, so each is written once
 * and a forced light theme on a dark system is light everywhere.
 */
export function applyTheme(theme: Theme): void {
  if (typeof document === 'undefined') return;
  const resolved = theme === 'system' ? (systemDark()?.matches ? 'dark' : 'light') : theme;
  document.documentElement.setAttribute('data-theme', resolved);
}

export const useView = create<ViewState>()((set, get) => ({
  minimap: safeGet(VIEW_KEYS.minimap) !== 'off',
  theme: readTheme(safeGet(VIEW_KEYS.theme)),
  readableRequest: 0,
  forceDetail: false,
  toggleMinimap() {
    const minimap = !get().minimap;
    safeSet(VIEW_KEYS.minimap, minimap ? 'on' : 'off');
    set({ minimap });
  },
  setTheme(theme) {
    safeSet(VIEW_KEYS.theme, theme);
    applyTheme(theme);
    set({ theme });
  },
  requestReadable() {
    set({ readableRequest: get().readableRequest + 1 });
  },
  setForceDetail(forceDetail) {
    set({ forceDetail });
  },
}));

applyTheme(useView.getState().theme);
// 'system' follows the operating system when it switches (e.g. at dusk).
systemDark()?.addEventListener?.('change', () => {
  if (useView.getState().theme === 'system') applyTheme('system');
});
