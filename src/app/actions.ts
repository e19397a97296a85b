/** App-level actions shared by menus, buttons and shortcuts. */
import { templateById } from '../core';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { beforeReplacingCanvas } from '../store/documents';

/** Replaces the canvas with a template (one undo step) and fits it in view. */
export function openTemplate(id: string): void {
  const t = templateById(id);
  if (!t) return;
  beforeReplacingCanvas();
  useEditor.getState().loadGraph(t.build());
  useUi.getState().requestFit();
}
