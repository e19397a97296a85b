/**
 * Renaming a block (its Keras nested model's name, core `renameBlock`, store `renameBlock`): every call of the nested
 * model takes the name; names are validated as layer names are (a valid Keras name, unique among layers and blocks)
 * and a layer cannot take a block's name either; the summary row and the Python code follow; one undo step (the
 * keystrokes of one visit to the name field too).
 */
import { describe, expect, it } from 'vitest';
import { analyze, rename, renameBlock, summarize, DEFAULT_TRAINING, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen';
import { undo, useEditor } from '../../src/store/editor';
import { blockGraphs } from '../helpers/blockGraphs';

const graphs = new Map(blockGraphs());
const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error((r as unknown as { reason: string }).reason);
  return r as Extract<T, { ok: true }>;
};
const refused = (r: { ok: true } | { ok: false; reason: string }) => (r.ok ? 'accepted' : r.reason);

describe('renameBlock', () => {
  it('renames every call of the nested model; the summary row and the Python code follow', () => {
    const g = graphs.get('a block called three times (shared weights)')!;
    const third = g.blocks![2];
    const r = ok(renameBlock(g, third.id, 'encoder'));
    expect(r.graph.blocks!.map((b) => b.name)).toEqual(['encoder', 'encoder', 'encoder']);
    expect(analyze(r.graph).diagnostics).toEqual([]);
    const rows = summarize(r.graph, analyze(r.graph)).rows.filter((x) => x.className === 'Functional');
    expect(rows.map((x) => x.name)).toEqual(['encoder']);
    const code = generatePython(r.graph, DEFAULT_TRAINING, 'functional');
    if (!code.ok) throw new Error(code.reason);
    const py = code.code;
    expect(py).toMatch(/encoder = keras\.Model\([^)]*name="encoder",?\s*\)/);
    expect(py.match(/= encoder\(/g)).toHaveLength(3);
    expect(py).not.toMatch(/res_block/);
  });

  it('refuses an invalid name, a layer’s name and another block’s name, each with the reason; the same name changes nothing', () => {
    const g = graphs.get('a block and a copy (weights of its own)')!;
    const [first, copy] = g.blocks!;
    expect(refused(renameBlock(g, first.id, 'a/b'))).toMatch(/'\/'/);
    expect(refused(renameBlock(g, first.id, ''))).toMatch(/empty|name/i);
    expect(refused(renameBlock(g, first.id, 'expand'))).toBe("A layer is already named 'expand'; a block's name must differ from every layer's name.");
    expect(refused(renameBlock(g, first.id, copy.name))).toBe(`Another block is already named '${copy.name}'; each nested model needs a name of its own.`);
    expect(refused(renameBlock(g, 'nope', 'x'))).toBe('No such block.');
    expect(ok(renameBlock(g, first.id, first.name)).graph).toBe(g);
  });

  it('a layer cannot take a block’s name (the validator would flag both)', () => {
    const g = graphs.get('a block called once')!;
    const layer = g.nodes.find((n) => n.name === 'classes')!;
    expect(refused(rename(g, layer.id, 'res_block'))).toBe(
      "A block (nested model) is already named 'res_block'; a layer's name must differ from every block's name.",
    );
  });
});

describe('store renameBlock', () => {
  const load = (g: Graph) => {
    useEditor.setState({ graph: g, selection: { nodes: [], edges: [] } });
    useEditor.temporal.getState().clear();
  };

  it('is one undo step, and the keystrokes of one field are one step', () => {
    const g = graphs.get('a block called once')!;
    const id = g.blocks![0].id;
    load(g);
    expect(useEditor.getState().renameBlock(id, 'stem')).toBeNull();
    expect(useEditor.getState().graph.blocks![0].name).toBe('stem');
    expect(useEditor.temporal.getState().pastStates).toHaveLength(1);
    undo();
    expect(useEditor.getState().graph).toBe(g);
    // Typing 'a', 'ab', 'abc' in the inspector's field: one step back to the original name.
    for (const t of ['a', 'ab', 'abc']) expect(useEditor.getState().renameBlock(id, t, `block-name:${id}`)).toBeNull();
    expect(useEditor.temporal.getState().pastStates).toHaveLength(1);
    expect(useEditor.getState().renameBlock(id, 'expand', `block-name:${id}`)).toMatch(/A layer is already named 'expand'/);
    expect(useEditor.getState().graph.blocks![0].name).toBe('abc');
    undo();
    expect(useEditor.getState().graph.blocks![0].name).toBe('res_block');
  });
});
