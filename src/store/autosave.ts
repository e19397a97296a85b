/**
 * Autosave to localStorage in the project-file format, and restore on load. Saved data that cannot
 * be read is never dropped: it is copied to a side key and the user is told.
 */
import { parseProjectJson, toProjectJson, type Project } from '../core';
import { useEditor } from './editor';

export const AUTOSAVE_KEY = 'layerlab.autosave';

/**
 * Reads the autosaved project.
 * @returns the project, null when nothing is saved, or `{ problem }` after moving unreadable data to
 *   a side key (named in the message).
 */
export function restoreAutosave(storage: Storage = localStorage): Project | null | { problem: string } {
  const text = storage.getItem(AUTOSAVE_KEY);
  if (text === null) return null;
  const r = parseProjectJson(text);
  if (r.ok) return r.project;
  const aside = `${AUTOSAVE_KEY}.unreadable.${new Date().toISOString()}`;
  storage.setItem(aside, text);
  storage.removeItem(AUTOSAVE_KEY);
  return { problem: `The saved work could not be read (${r.reason}). It was kept in the browser's storage under '${aside}'; the canvas starts empty.` };
}

/**
 * Saves the graph and training settings after every change (debounced by `delayMs`).
 * @returns a function that stops autosaving.
 */
export function startAutosave(storage: Storage = localStorage, delayMs = 250): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    const { graph, training } = useEditor.getState();
    try {
      storage.setItem(AUTOSAVE_KEY, toProjectJson({ graph, training }));
    } catch {
      // Storage full or unavailable: the work stays in memory; nothing else to do here.
    }
  };
  const unsub = useEditor.subscribe((s, prev) => {
    if (s.graph === prev.graph && s.training === prev.training) return;
    clearTimeout(timer);
    timer = setTimeout(save, delayMs);
  });
  const flush = () => {
    clearTimeout(timer);
    save();
  };
  window.addEventListener('beforeunload', flush);
  return () => {
    unsub();
    clearTimeout(timer);
    window.removeEventListener('beforeunload', flush);
  };
}
