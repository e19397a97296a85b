/**
 * UI state that is not part of the model and not in the undo history: toasts, the open dock tab,
 * the message about unreadable saved data.
 */
import { create } from 'zustand';
import type { DocSummary, SaveState } from './autosave';

export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly tone: 'error' | 'info';
}

export type DockTab = 'summary' | 'code' | 'train' | 'inside' | 'goals';

/** A button on the banner: its label and what it does (the banner stays unless the action clears it). */
export interface BannerAction {
  readonly label: string;
  readonly run: () => void;
}

interface UiState {
  readonly toasts: readonly Toast[];
  readonly dockTab: DockTab;
  readonly dockOpen: boolean;
  /** A message shown in a banner until dismissed (e.g. unreadable autosave kept aside). */
  readonly banner: string | null;
  /** Buttons shown on the banner beside Dismiss (e.g. Cancel a long layout, Switch back to saved work). */
  readonly bannerActions: readonly BannerAction[];
  /** 'warn' (the default: something needs the user's attention) or 'info' (progress, what an import changed). */
  readonly bannerTone: 'warn' | 'info';
  /** Lines listed under the banner's text (an import's notes, one per line); empty for none. */
  readonly bannerItems: readonly string[];
  /** Incremented to ask the canvas to fit the view (after a template or file is opened). */
  readonly fitRequest: number;
  /** The autosave's state, shown in the toolbar ("Saved", "Saving…", "Not saved: <why>"). */
  readonly saveState: SaveState;
  /** The documents saved in this browser, newest first (the Recent menu), and the one on the canvas. */
  readonly documents: readonly DocSummary[];
  readonly currentDocument: string | null;
  /** How many other tabs have the current document open. */
  readonly otherTabs: number;
  setSaveState(s: SaveState): void;
  setDocuments(docs: readonly DocSummary[], current: string, otherTabs: number): void;
  requestFit(): void;
  toast(text: string, tone?: Toast['tone']): void;
  dismissToast(id: number): void;
  setDockTab(tab: DockTab): void;
  toggleDock(): void;
  /** Shows `text` in the banner with optional buttons; null hides it (and its buttons). */
  setBanner(text: string | null, actions?: readonly BannerAction[], tone?: 'warn' | 'info', items?: readonly string[]): void;
}

let next = 1;

export const useUi = create<UiState>()((set, get) => ({
  toasts: [],
  dockTab: 'summary',
  dockOpen: true,
  banner: null,
  bannerActions: [],
  bannerTone: 'warn',
  bannerItems: [],
  fitRequest: 0,
  saveState: { status: 'idle' },
  documents: [],
  currentDocument: null,
  otherTabs: 0,
  setSaveState(saveState) {
    set({ saveState });
  },
  setDocuments(documents, currentDocument, otherTabs) {
    set({ documents, currentDocument, otherTabs });
  },
  requestFit() {
    set({ fitRequest: get().fitRequest + 1 });
  },
  toast(text, tone = 'error') {
    const id = next++;
    set({ toasts: [...get().toasts.slice(-3), { id, text, tone }] });
    setTimeout(() => get().dismissToast(id), 6000);
  },
  dismissToast(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
  setDockTab(dockTab) {
    set({ dockTab, dockOpen: true });
  },
  toggleDock() {
    set({ dockOpen: !get().dockOpen });
  },
  setBanner(banner, actions = [], tone = 'warn', items = []) {
    set({ banner, bannerActions: banner === null ? [] : actions, bannerTone: tone, bannerItems: banner === null ? [] : items });
  },
}));
