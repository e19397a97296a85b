/**
 * Copy, cut and paste of layers through the system clipboard as text (core/graph/clipboard.ts writes and reads the
 * text), for the keyboard (the page's copy / cut / paste events: no permission needed) and the context menu
 * (navigator.clipboard, which the browser may refuse; the last text copied in this tab is then used).
 */
import { useEffect } from 'react';
import type { XY } from '../core';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';

/** The last clipboard text this tab wrote: the context menu's Paste falls back to it when the browser refuses to read the clipboard. */
let lastCopied: string | null = null;

/**
 * Writes text to the system clipboard (navigator.clipboard.writeText) and keeps it for this tab. When the browser
 * refuses, says that the copy is kept within this tab only.
 */
export async function writeClipboard(text: string): Promise<void> {
  lastCopied = text;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    useUi
      .getState()
      .toast('The browser did not let Layerlab use the system clipboard: the layers are copied within this tab only (Ctrl+C copies for other tabs).', 'info');
  }
}

/** Reads the system clipboard's text (navigator.clipboard.readText), or the text last copied in this tab when the browser refuses; null when neither. */
export async function readClipboard(): Promise<string | null> {
  try {
    return await navigator.clipboard.readText();
  } catch {
    return lastCopied;
  }
}

/**
 * Pastes clipboard text at `at` (canvas pixels; offset from where the layers were when absent) through the store
 * (one undo step, the pasted layers selected) and reports: the reason when refused (a toast), a banner offering to
 * open a whole project or Keras model JSON, the repairs made to read the text (an info toast).
 * @returns true when layers were pasted
 */
export function pasteText(text: string, at?: XY): boolean {
  const r = useEditor.getState().paste(text, at);
  const ui = useUi.getState();
  if (!r.ok) {
    if (r.whole) {
      const what = r.whole === 'project' ? 'a Layerlab project' : 'a Keras / tfjs model JSON';
      ui.setBanner(
        `The clipboard holds ${what}, not copied layers. Open it? It replaces the canvas (Undo brings this model back).`,
        [
          {
            label: 'Open it',
            run: () => {
              ui.setBanner(null);
              void import('../app/files').then((m) => m.openFile(new File([text], r.whole === 'project' ? 'pasted.layerlab.json' : 'pasted-model.json')));
            },
          },
        ],
        'info',
      );
    } else ui.toast(r.reason);
    return false;
  }
  if (r.notes.length) ui.toast(`Pasted, with ${r.notes.length === 1 ? 'one repair' : `${r.notes.length} repairs`}: ${r.notes.slice(0, 2).join(' ')}`, 'info');
  return true;
}

/** True while the user types in a field or has selected text on the page: copy and paste are then the browser's. */
const busyElsewhere = (e: Event): boolean => {
  const t = e.target;
  if (t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName))) return true;
  if (t instanceof HTMLElement && t.closest('dialog[open]')) return true;
  const sel = typeof window.getSelection === 'function' ? window.getSelection() : null;
  return !!sel && !sel.isCollapsed && sel.toString() !== '';
};

/**
 * Installs Ctrl/Cmd+C, X and V for the canvas as the page's copy, cut and paste events (the browser fires them for
 * the keys on every platform, and they carry the clipboard without a permission prompt). `pointer` gives where to
 * paste (canvas pixels), or undefined when the pointer is not on the canvas (the copies are then offset).
 */
export function useClipboardEvents(pointer: () => XY | undefined): void {
  useEffect(() => {
    const onCopy = (e: ClipboardEvent, cut: boolean) => {
      if (busyElsewhere(e) || !e.clipboardData) return;
      const s = useEditor.getState();
      const note = s.copyNote();
      const text = cut ? s.cutSelection() : s.copySelection();
      if (text === null) return;
      if (note) useUi.getState().toast(note, 'info');
      lastCopied = text;
      e.clipboardData.setData('text/plain', text);
      e.preventDefault();
    };
    const copy = (e: ClipboardEvent) => onCopy(e, false);
    const cut = (e: ClipboardEvent) => onCopy(e, true);
    const paste = (e: ClipboardEvent) => {
      if (busyElsewhere(e)) return;
      const text = e.clipboardData?.getData('text/plain') ?? '';
      e.preventDefault();
      pasteText(text, pointer());
    };
    document.addEventListener('copy', copy);
    document.addEventListener('cut', cut);
    document.addEventListener('paste', paste);
    return () => {
      document.removeEventListener('copy', copy);
      document.removeEventListener('cut', cut);
      document.removeEventListener('paste', paste);
    };
  }, [pointer]);
}
