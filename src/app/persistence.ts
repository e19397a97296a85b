/**
 * Starts the autosave for the page: opens the best store, restores this tab's document, then handles a
 * share link (opened as a new document) and says what happened in the banner. Never throws: whatever
 * fails is reported on the page, which always renders. main.tsx loads this module (and with it the
 * autosave, the project reader and zod) in its own chunk while the page shows its first paint.
 */
import { parseProjectJson, toProjectJson } from '../core';
import { AutosaveSession, type UiPort } from '../store/autosave';
import { editorPort } from '../store/editorPort';
import { onReplacingCanvas } from '../store/documents';
import { adoptDocuments, localStorageKv, openKv } from '../store/kv';
import { storageErrorText, storageOrNull } from '../store/safeStorage';
import { useUi, type BannerAction } from '../store/ui';
import { download } from './download';
import { SHARE_PREFIX } from './shareCodec';
import { getSession, setSession, setWorkDownloader } from './session';

export { getSession };

const uiPort: UiPort = {
  setSaveState: (s) => useUi.getState().setSaveState(s),
  setDocuments: (docs, current, others) => useUi.getState().setDocuments(docs, current, others),
  banner: (text, actions) => useUi.getState().setBanner(text, actions),
  toast: (text, tone) => useUi.getState().toast(text, tone),
  download: (name, text) => download(name, text),
};

/** Downloads the canvas as a project file, exercise goals included (the boundary's and the save state's "Download" buttons). */
export function downloadWork(): void {
  const project = editorPort.read();
  const name = project.graph.name.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'model';
  download(`${name}.layerlab.json`, toProjectJson(project));
}

setWorkDownloader(downloadWork);

/** Words migration notes for the user ("Opened with changes: …"), or null when there are none. */
export function notesText(notes: readonly string[] | undefined, what: string): string | null {
  if (!notes || notes.length === 0) return null;
  const shown = notes.slice(0, 3).join(' ');
  return `${what} was written by an earlier Layerlab and was updated: ${shown}${notes.length > 3 ? ` (and ${notes.length - 3} more)` : ''}`;
}

/**
 * Restores saved work and opens a share link, if any; then the app renders. Resolves when the canvas
 * holds what it should (never rejects).
 */
export async function startPersistence(): Promise<void> {
  const ui = useUi.getState();
  const messages: string[] = [];
  const actions: BannerAction[] = [];
  let restored: 'restored' | 'empty' | 'unreadable' = 'empty';
  try {
    const { kv, why } = await openKv();
    // Documents saved in localStorage on a visit when IndexedDB was refused join the others.
    const ls = storageOrNull('localStorage');
    if (kv.kind === 'IndexedDB' && ls) {
      const moved = await adoptDocuments(localStorageKv(ls), kv);
      if (moved)
        ui.toast(`${moved} model${moved === 1 ? '' : 's'} saved while IndexedDB was unavailable ${moved === 1 ? 'is' : 'are'} back in Recent.`, 'info');
    }
    const started = await AutosaveSession.start({ kv, editor: editorPort, ui: uiPort, storeNote: why });
    setSession(started.session);
    const s = started.session;
    onReplacingCanvas(() => s.startNewDocument());
    const outcome = started.outcome;
    restored = outcome.kind;
    if (outcome.problem) messages.push(outcome.problem);
    if (outcome.actions) actions.push(...outcome.actions);
    const restoredNotes = notesText(outcome.notes, 'Your saved work');
    if (restoredNotes) ui.toast(restoredNotes, 'info');
    if (kv.kind === 'memory')
      ui.setSaveState({ status: 'failed', reason: `${why ?? 'the browser refuses storage'}: work is kept only while this tab is open` });
    const flush = () => s.unloading();
    window.addEventListener('pagehide', flush);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flush();
    });
  } catch (e) {
    messages.push(`Saved work could not be opened (${storageErrorText(e)}); nothing stored was changed.`);
    ui.setSaveState({ status: 'failed', reason: storageErrorText(e) });
  }

  // files.ts (lz-string, the Keras readers) loads only when the page was opened from a share link.
  let hash = '';
  try {
    hash = location.hash;
  } catch {
    /* no location: no share link */
  }
  const shared = hash.startsWith(SHARE_PREFIX) ? (await import('./files')).takeSharedProject() : null;
  const truth = restored === 'restored' ? 'Your saved work is on the canvas, unchanged.' : restored === 'empty' ? 'The canvas starts empty.' : '';
  if (shared && typeof shared === 'object') messages.push(`${shared.problem} ${truth}`.trim());
  else if (shared) {
    const r = parseProjectJson(shared);
    if (!r.ok) messages.push(`The share link could not be opened: ${r.reason} ${truth}`.trim());
    else if (!getSession()) {
      editorPort.load(r.project);
      messages.push('Opened the project from the share link. It is not saved in this browser (storage is unavailable); use Save to keep it.');
    } else {
      const s = getSession()!;
      const { previous, reused } = await s.openAsNewDocument(r.project, 'from a share link');
      const opened = reused
        ? 'The model in this share link is already saved in this browser: that document is on the canvas.'
        : 'Opened the share link as a new document.';
      messages.unshift(previous ? `${opened} Your previous work is saved and unchanged.` : opened);
      if (previous)
        actions.unshift({ label: 'Back to my previous work', run: () => void s.switchTo(previous).then((ok) => ok && useUi.getState().setBanner(null)) });
      const n = notesText((r as { notes?: readonly string[] }).notes, 'The shared project');
      if (n) ui.toast(n, 'info');
    }
    // An exercise link: the student sees its goals checked (the checklist, editorPort.load) from the start.
    if (r.ok && r.project.goals?.length) {
      ui.setDockTab('goals');
      const n = r.project.goals.length;
      messages.push(`This is an exercise with ${n} goal${n === 1 ? '' : 's'}: the Goals tab checks ${n === 1 ? 'it' : 'each'} as you edit.`);
    }
  }
  if (messages.length) ui.setBanner(messages.join(' '), actions);
}
