import { beforeEach, describe, expect, it } from 'vitest';
import { emptyGraph } from '../../src/core';
import { redo, undo, useEditor } from '../../src/store/editor';
import { tpl } from '../helpers/templates';

beforeEach(() => {
  useEditor.setState({ graph: emptyGraph(), selection: { nodes: [], edges: [] } });
  useEditor.temporal.getState().clear();
});

describe('editor store', () => {
  it('undoes and redoes graph edits, not selection changes', () => {
    const s = useEditor.getState();
    const a = s.addLayer('Input', { x: 0, y: 0 });
    const b = useEditor.getState().addLayer('Dense', { x: 0, y: 120 }, a);
    expect(useEditor.getState().graph.edges).toHaveLength(1);
    useEditor.getState().select({ nodes: [a], edges: [] });
    undo();
    expect(useEditor.getState().graph.nodes.map((n) => n.id)).toEqual([a]);
    redo();
    expect(useEditor.getState().graph.nodes.map((n) => n.id)).toEqual([a, b]);
    undo();
    undo();
    expect(useEditor.getState().graph.nodes).toEqual([]);
  });

  it('records a whole drag as one undo step', () => {
    const id = useEditor.getState().addLayer('Dense', { x: 0, y: 0 });
    const before = useEditor.temporal.getState().pastStates.length;
    const move = useEditor.getState().moveNodes;
    for (let i = 1; i <= 5; i++) move(new Map([[id, { x: i * 10, y: 0 }]]), true);
    move(new Map([[id, { x: 60, y: 0 }]]), false);
    expect(useEditor.getState().graph.nodes[0].position).toEqual({ x: 60, y: 0 });
    expect(useEditor.temporal.getState().pastStates.length).toBe(before + 1);
    undo();
    expect(useEditor.getState().graph.nodes[0].position).toEqual({ x: 0, y: 0 });
  });

  it('refuses invalid edits with a reason and leaves the graph unchanged', () => {
    const a = useEditor.getState().addLayer('Input', { x: 0, y: 0 });
    const g = useEditor.getState().graph;
    expect(useEditor.getState().setParam(a, 'shape', [0, 3])).toMatch(/shape must be positive whole numbers/);
    expect(useEditor.getState().connect(a, a)).toMatch(/cycle/);
    expect(useEditor.getState().graph).toBe(g);
  });

  it('deletes the selection in one step', () => {
    useEditor.getState().loadGraph(tpl('purchase-predictor'));
    const ids = useEditor
      .getState()
      .graph.nodes.filter((n) => n.kind === 'Dropout')
      .map((n) => n.id);
    useEditor.getState().select({ nodes: ids, edges: [] });
    useEditor.getState().removeSelection();
    expect(useEditor.getState().graph.nodes).toHaveLength(10);
    undo();
    expect(useEditor.getState().graph.nodes).toHaveLength(12);
  });
});
// The autosave's tests (restore, unreadable data kept aside, legacy key) are in autosave.test.ts.
