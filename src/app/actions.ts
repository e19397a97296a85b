/** App-level actions shared by menus, buttons and shortcuts. */
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { beforeReplacingCanvas } from '../store/documents';

/**
 * Replaces the canvas with a template (one undo step) and fits it in view. The builders (and dagre, which
 * lays them out) load with the first template opened. Resolves false for an unknown id.
 */
export async function openTemplate(id: string): Promise<boolean> {
  const { templateById } = await import('../core/templates/index');
  const t = templateById(id);
  if (!t) return false;
  beforeReplacingCanvas();
  useEditor.getState().loadGraph(t.build());
  useUi.getState().requestFit();
  return true;
}
