/**
 * Keyboard shortcuts (docs/design-notes.md): Delete/Backspace, Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (and Ctrl+Y),
 * Ctrl/Cmd+D duplicate, Ctrl/Cmd+A select all, Ctrl/Cmd+Shift+↑ / ↓ select upstream / downstream, Escape clears the
 * selection, arrows nudge. Ctrl/Cmd+C, X, V are the page's copy / cut / paste events (canvas/clipboardActions.ts).
 * Ignored while typing in a field and inside an open dialog (its Escape closes it).
 */
import { useEffect } from 'react';
import { redo, undo, useEditor } from '../store/editor';

/** Inputs that take no typed text: the app's shortcuts apply on them (Ctrl+Z right after ticking a checkbox undoes it). */
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'color']);
const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['TEXTAREA', 'SELECT'].includes(t.tagName) || (t instanceof HTMLInputElement && !NOT_TYPED.has(t.type)));

/** True for a key pressed inside an open dialog (the Templates gallery): the dialog's own keys apply, Escape closes it. */
const inDialog = (t: EventTarget | null) => t instanceof Element && !!t.closest('dialog[open]');

/**
 * Runs the shortcut `e` stands for, if any.
 * @returns true when it was one (the event's default is then prevented)
 */
export function handleShortcut(e: KeyboardEvent): boolean {
  if (typing(e.target) || inDialog(e.target)) return false;
  const s = useEditor.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') {
    if (e.shiftKey) redo();
    else undo();
  } else if (mod && key === 'y') redo();
  else if (mod && key === 'd') s.duplicateSelection();
  else if (mod && key === 'a') s.selectAll();
  else if (mod && e.shiftKey && e.key === 'ArrowUp') s.selectUpstream();
  else if (mod && e.shiftKey && e.key === 'ArrowDown') s.selectDownstream();
  else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) s.removeSelection();
  else if (e.key === 'Escape') s.select({ nodes: [], edges: [] });
  else if (!mod && e.key.startsWith('Arrow') && s.selection.nodes.length) {
    const step = e.shiftKey ? 50 : 10;
    const [dx, dy] = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[e.key] ?? [0, 0];
    const ids = new Set(s.selection.nodes);
    s.moveNodes(new Map(s.graph.nodes.filter((n) => ids.has(n.id)).map((n) => [n.id, { x: n.position.x + dx, y: n.position.y + dy }])), false);
  } else return false;
  e.preventDefault();
  return true;
}

/**
 * An arrow key on a focused canvas node: React Flow's node would nudge the selection too (its own keyboard move),
 * so the app's nudge runs first, in the capture phase, and the key stops there: one move per press.
 */
function nudgeBeforeReactFlow(e: KeyboardEvent): void {
  if (!e.key.startsWith('Arrow') || !(e.target instanceof Element) || !e.target.closest('.react-flow__node')) return;
  if (handleShortcut(e)) e.stopPropagation();
}

/** Installs the shortcuts on the window while the component is mounted. */
export function useShortcuts(): void {
  useEffect(() => {
    const on = (e: KeyboardEvent) => void handleShortcut(e);
    window.addEventListener('keydown', nudgeBeforeReactFlow, true);
    window.addEventListener('keydown', on);
    return () => {
      window.removeEventListener('keydown', nudgeBeforeReactFlow, true);
      window.removeEventListener('keydown', on);
    };
  }, []);
}
