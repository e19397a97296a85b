/**
 * Keyboard shortcuts (docs/design-notes.md): Delete/Backspace, Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (and Ctrl+Y),
 * Ctrl/Cmd+D duplicate, Ctrl/Cmd+A select all, Escape clears the selection, arrows nudge.
 * Ignored while typing in a field.
 */
import { useEffect } from 'react';
import { redo, undo, useEditor } from '../store/editor';

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

export function handleShortcut(e: KeyboardEvent): boolean {
  if (typing(e.target)) return false;
  const s = useEditor.getState();
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && key === 'z') {
    if (e.shiftKey) redo();
    else undo();
  } else if (mod && key === 'y') redo();
  else if (mod && key === 'd') s.duplicateSelection();
  else if (mod && key === 'a') s.select({ nodes: s.graph.nodes.map((n) => n.id), edges: s.graph.edges.map((x) => x.id) });
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

/** Installs the shortcuts on the window while the component is mounted. */
export function useShortcuts(): void {
  useEffect(() => {
    const on = (e: KeyboardEvent) => void handleShortcut(e);
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, []);
}
