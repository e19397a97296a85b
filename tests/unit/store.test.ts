import { beforeEach, describe, expect, it } from 'vitest';
import { emptyGraph, templateById, toProjectJson, DEFAULT_TRAINING } from '../../src/core';
import { redo, undo, useEditor } from '../../src/store/editor';
import { AUTOSAVE_KEY, restoreAutosave } from '../../src/store/autosave';

/** A Map-backed Storage, as localStorage behaves. */
class MemoryStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
  keys() {
    return [...this.m.keys()];
  }
}

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
    useEditor.getState().loadGraph(templateById('purchase-predictor')!.build());
    const ids = useEditor.getState().graph.nodes.filter((n) => n.kind === 'Dropout').map((n) => n.id);
    useEditor.getState().select({ nodes: ids, edges: [] });
    useEditor.getState().removeSelection();
    expect(useEditor.getState().graph.nodes).toHaveLength(10);
    undo();
    expect(useEditor.getState().graph.nodes).toHaveLength(12);
  });
});

describe('autosave restore', () => {
  it('restores a saved project', () => {
    const st = new MemoryStorage();
    const graph = templateById('product-classifier')!.build();
    st.setItem(AUTOSAVE_KEY, toProjectJson({ graph, training: { ...DEFAULT_TRAINING, epochs: 7 } }));
    const r = restoreAutosave(st);
    expect(r && !('problem' in r) && r.graph).toEqual(graph);
    expect(r && !('problem' in r) && r.training.epochs).toBe(7);
  });

  it.each([
    ['truncated JSON', '{"format":"layerlab-project","vers'],
    ['wrong types', '{"format":"layerlab-project","version":1,"graph":{"name":"m","nodes":"x","edges":[]}}'],
    ['dangling edge', '{"format":"layerlab-project","version":1,"graph":{"name":"m","nodes":[],"edges":[{"id":"e","source":"a","target":"b"}]}}'],
    ['a newer version', '{"format":"layerlab-project","version":99,"graph":{}}'],
  ])('keeps unreadable data aside (%s) and says where', (_what, text) => {
    const st = new MemoryStorage();
    st.setItem(AUTOSAVE_KEY, text);
    const r = restoreAutosave(st);
    expect(r && 'problem' in r).toBe(true);
    const aside = st.keys().filter((k) => k.startsWith(`${AUTOSAVE_KEY}.unreadable.`));
    expect(aside).toHaveLength(1);
    expect(st.getItem(aside[0])).toBe(text);
    expect(st.getItem(AUTOSAVE_KEY)).toBeNull();
    expect(r && 'problem' in r && r.problem).toContain(aside[0]);
  });

  it('returns null when nothing is saved', () => {
    expect(restoreAutosave(new MemoryStorage())).toBeNull();
  });
});
