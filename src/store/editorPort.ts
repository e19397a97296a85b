/** The editor store as the autosave session sees it (see ./autosave.ts `EditorPort`). */
import type { Project } from '../core';
import type { EditorPort } from './autosave';
import { useEditor } from './editor';
import { useUi } from './ui';

/**
 * Reads the graph and training settings; a load replaces the canvas, clears the selection and the undo
 * history (undo never crosses documents) and asks the canvas to fit; changes of either are reported.
 */
export const editorPort: EditorPort = {
  read: () => {
    const s = useEditor.getState();
    return { graph: s.graph, training: s.training };
  },
  load: (p: Project) => {
    useEditor.setState({ graph: p.graph, training: p.training, selection: { nodes: [], edges: [] } });
    useEditor.temporal.getState().clear();
    useUi.getState().requestFit();
  },
  subscribe: (onChange) =>
    useEditor.subscribe((s, prev) => {
      if (s.graph !== prev.graph || s.training !== prev.training) onChange();
    }),
};
