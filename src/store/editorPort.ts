/** The editor store as the autosave session sees it (see ./autosave.ts `EditorPort`). */
import type { Project } from '../core';
import type { EditorPort } from './autosave';
import { useEditor } from './editor';
import { useUi } from './ui';
import { useGoals } from './goals';

/**
 * Reads the graph, training settings and exercise goals (./goals.ts); a load replaces the canvas and the goals (the
 * Goals panel then shows the checklist), clears the selection and the undo history (undo never crosses documents)
 * and asks the canvas to fit; changes of any of them are reported.
 */
export const editorPort: EditorPort = {
  read: () => {
    const s = useEditor.getState();
    const { goals } = useGoals.getState();
    return { graph: s.graph, training: s.training, ...(goals.length ? { goals } : {}) };
  },
  load: (p: Project) => {
    useEditor.setState({ graph: p.graph, training: p.training, selection: { nodes: [], edges: [] } });
    useGoals.getState().setGoals(p.goals ?? []);
    useEditor.temporal.getState().clear();
    useUi.getState().requestFit();
  },
  subscribe: (onChange) => {
    const editor = useEditor.subscribe((s, prev) => {
      if (s.graph !== prev.graph || s.training !== prev.training) onChange();
    });
    const goals = useGoals.subscribe((s, prev) => {
      if (s.goals !== prev.goals) onChange();
    });
    return () => {
      editor();
      goals();
    };
  },
};
