/**
 * Copy and paste of blocks (Keras nested models) through the clipboard text (core/graph/clipboard.ts): a block copied
 * whole pastes as a new block with its layers, a free name (layers and block), its collapsed or expanded state and the
 * summary row and totals of the original (totals asked of tfjs); further calls copied with their first call stay
 * calls, one copied alone becomes a nested model of its own; layers of a block copied in part paste outside any block,
 * and `partialBlocks` names them.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, blockInterface, summarize, type Graph, type LayerNode } from '../../src/core';
import { copyToText, partialBlocks, pasteContent, readClipboardText, type ClipboardContent } from '../../src/core/graph/clipboard';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';
import { blockGraphs } from '../helpers/blockGraphs';
import { undo, useEditor } from '../../src/store/editor';

beforeAll(cpuBackend);

const read = (text: string | null): ClipboardContent => {
  const r = readClipboardText(text ?? '');
  if (!r.ok) throw new Error(r.reason);
  expect(r.notes).toEqual([]);
  return r.content;
};
const graphs = new Map(blockGraphs());
const graph = (what: string): Graph => graphs.get(what)!;
const all = (g: Graph) => g.nodes.map((n) => n.id);
const byName = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!;
/** tfjs's parameter count of the flat graph (the runtime ignores blocks). */
function tfjsCount(g: Graph): number {
  const m = buildModel(tf, g);
  const n = m.countParams();
  disposeModel(tf, m);
  return n;
}
/** The summary rows of the nested models (class Functional / Sequential): name, class and parameters. */
const blockRows = (g: Graph) =>
  summarize(g, analyze(g))
    .rows.filter((r) => r.className === 'Functional' || r.className === 'Sequential')
    .map((r) => [r.name, r.className, r.params]);
const empty = (): Graph => ({ name: 'other', nodes: [], edges: [] });

describe('a whole model with blocks, copied and pasted into an empty canvas', () => {
  it.each([...graphs.keys()])('%s: same blocks, names, collapsed state, summary rows and totals (tfjs)', (what) => {
    const g0 = graph(what);
    // Collapse the first block, so both states travel.
    const g: Graph = { ...g0, blocks: g0.blocks!.map((b, i) => (i === 0 ? { ...b, collapsed: true } : b)) };
    const pasted = pasteContent(empty(), read(copyToText(g, all(g))), { at: { x: 0, y: 0 } }).graph;
    expect(pasted.blocks!.map((b) => [b.name, !!b.collapsed, b.callOf ? 'call' : 'first'])).toEqual(
      g.blocks!.map((b) => [b.name, !!b.collapsed, b.callOf ? 'call' : 'first']),
    );
    expect(analyze(pasted).diagnostics).toEqual(analyze(g).diagnostics.map((d) => ({ ...d, nodeId: d.nodeId && expect.any(String) })));
    expect(blockRows(pasted)).toEqual(blockRows(g));
    expect(analyze(pasted).totals).toEqual(analyze(g).totals);
    expect(tfjsCount(pasted)).toBe(analyze(g).totals.total);
    // Every block keeps its members (same names: all free in an empty canvas).
    const members = (x: Graph) => x.blocks!.map((b) => x.nodes.filter((n) => n.block === b.id).map((n) => n.name));
    expect(members(pasted)).toEqual(members(g));
  });
});

describe('a block copied into the same canvas', () => {
  it('a collapsed block with the Input feeding it: a new block, collapsed, free names, the same summary row and tfjs count', () => {
    const g0 = graph('a block called once');
    const g: Graph = { ...g0, blocks: g0.blocks!.map((b) => ({ ...b, collapsed: true })) };
    const block = g.blocks![0];
    const ids = [byName(g, 'features').id, ...g.nodes.filter((n) => n.block === block.id).map((n) => n.id)];
    const r = pasteContent(g, read(copyToText(g, ids)));
    expect(r.blocks).toHaveLength(1);
    const copy = r.graph.blocks!.find((b) => b.id === r.blocks[0])!;
    expect(copy).toMatchObject({ name: 'res_block_1', collapsed: true });
    expect(copy.callOf).toBeUndefined();
    // Layer and block names unique together.
    const names = [...r.graph.nodes.filter((n) => !n.layerOf).map((n) => n.name), ...r.graph.blocks!.map((b) => b.name)];
    expect(new Set(names).size).toBe(names.length);
    expect(r.graph.nodes.filter((n) => n.block === copy.id).map((n) => n.name)).toEqual(['expand_1', 'project_1', 'residual_1']);
    const a = analyze(r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rows = summarize(r.graph, a).rows;
    expect(rows.find((x) => x.name === 'res_block_1')!.params).toBe(rows.find((x) => x.name === 'res_block')!.params);
    // The copy has its own weights: tfjs counts the block twice.
    expect(tfjsCount(r.graph)).toBe(analyze(g).totals.total + rows.find((x) => x.name === 'res_block')!.params);
    expect(a.totals.total).toBe(tfjsCount(r.graph));
    // Its interface is the original's: one input (the pasted Input), one output.
    const itf = blockInterface(r.graph, copy.id)!;
    expect([itf.inputs.length, itf.outputs.length]).toEqual([1, 1]);
    expect(r.graph.nodes.find((n) => n.id === itf.inputs[0].tensor.node)!.name).toBe('features_1');
  });

  it('further calls copied with their first call stay calls of the copy (weights counted once); a further call alone becomes a model of its own', () => {
    const g = graph('a block called three times (shared weights)');
    const [first, second, third] = g.blocks!;
    expect(second.callOf).toBe(first.id);
    const r = pasteContent(g, read(copyToText(g, all(g))));
    const pastedBlocks = r.graph.blocks!.filter((b) => r.blocks.includes(b.id));
    expect(pastedBlocks.map((b) => [b.name, b.callOf ? r.graph.blocks!.find((x) => x.id === b.callOf)!.name : null])).toEqual([
      ['res_block_1', null],
      ['res_block_1', 'res_block_1'],
      ['res_block_1', 'res_block_1'],
    ]);
    expect(analyze(r.graph).diagnostics).toEqual([]);
    expect(tfjsCount(r.graph)).toBe(2 * analyze(g).totals.total);
    expect(analyze(r.graph).totals.total).toBe(2 * analyze(g).totals.total);

    // The third call with what feeds it (the second call's layers, copied whole too): the second becomes the first.
    const ids = g.nodes.filter((n) => n.block === second.id || n.block === third.id).map((n) => n.id);
    const alone = pasteContent(g, read(copyToText(g, ids)));
    const made = alone.graph.blocks!.filter((b) => alone.blocks.includes(b.id));
    expect(made.map((b) => !!b.callOf)).toEqual([false, true]);
    expect(made[1].callOf).toBe(made[0].id);
    expect(analyze(alone.graph).diagnostics.filter((d) => d.code.startsWith('block/') || d.code.startsWith('shared/'))).toEqual([]);
    // The first pasted call's layers own their weights (no layer of the original is called by the copies).
    const original = new Set(all(g));
    expect(alone.graph.nodes.filter((n) => alone.nodes.includes(n.id) && n.layerOf && original.has(n.layerOf))).toEqual([]);
  });

  it('keeps the outputs of a nested model whose tensor is read only outside the copied layers', () => {
    // pair_block outputs d and e, read by 't' outside: copied without 't', both stay outputs of the pasted block.
    const g = graph('a block with two inputs and two outputs');
    const block = g.blocks![0];
    const ids = [byName(g, 'p').id, byName(g, 'q').id, ...g.nodes.filter((n) => n.block === block.id).map((n) => n.id)];
    const r = pasteContent(g, read(copyToText(g, ids)));
    const itf = blockInterface(r.graph, r.blocks[0])!;
    const orig = blockInterface(g, block.id)!;
    const names = (x: Graph, ts: readonly { node: string }[]) => ts.map((t) => x.nodes.find((n) => n.id === t.node)!.name.replace(/_\d+$/, ''));
    expect(names(r.graph, itf.outputs)).toEqual(names(g, orig.outputs));
    expect(itf.inputs.length).toBe(orig.inputs.length);
  });
});

describe('a selection with part of a block', () => {
  it('pastes those layers outside any block, with their own weights, and partialBlocks names them', () => {
    const g = graph('a block called three times (shared weights)');
    const first = g.blocks![0];
    const part = g.nodes.filter((n) => n.block === first.id && n.name !== 'residual').map((n) => n.id);
    expect(partialBlocks(g, part)).toEqual([{ block: 'res_block', layers: ['expand', 'project'], of: 3 }]);
    expect(partialBlocks(g, all(g))).toEqual([]);
    // With a whole further call: the whole call is a block, the part of the first call is plain layers.
    const second = g.blocks![1];
    const ids = [...part, ...g.nodes.filter((n) => n.block === second.id).map((n) => n.id)];
    const r = pasteContent(g, read(copyToText(g, ids)));
    const pasted = r.graph.nodes.filter((n) => r.nodes.includes(n.id));
    expect(pasted.filter((n) => n.block === undefined).map((n) => n.name)).toEqual(['expand_1', 'project_1']);
    expect(r.blocks).toHaveLength(1);
    // No layer is shared between the pasted block and the plain copies (the block rules hold).
    expect(analyze(r.graph).diagnostics.filter((d) => d.code.startsWith('block/'))).toEqual([]);
    expect(pasted.filter((n) => n.layerOf)).toEqual([]);
  });
});

describe('pasteContent keeps every field of a copied layer', () => {
  it('a field it does not know of (a frozen flag) is pasted as copied', () => {
    const g = graph('a block called once');
    const content = read(copyToText(g, all(g)));
    const frozen: ClipboardContent = { ...content, nodes: content.nodes.map((n) => (n.name === 'expand' ? ({ ...n, trainable: false } as LayerNode) : n)) };
    const r = pasteContent(empty(), frozen);
    expect((byName(r.graph, 'expand') as LayerNode & { trainable?: boolean }).trainable).toBe(false);
  });
});

describe('the editor store', () => {
  const load = (g: Graph, ids: string[]) => {
    useEditor.setState({ graph: g, selection: { nodes: ids, edges: [] } });
    useEditor.temporal.getState().clear();
  };

  it('Ctrl+D on a whole collapsed block duplicates it as a new collapsed block in one undo step', () => {
    const g0 = graph('a block called once');
    const g: Graph = { ...g0, blocks: g0.blocks!.map((b) => ({ ...b, collapsed: true })) };
    load(
      g,
      g.nodes.filter((n) => n.block !== undefined).map((n) => n.id),
    );
    useEditor.getState().duplicateSelection();
    const after = useEditor.getState().graph;
    expect(after.blocks!.map((b) => [b.name, !!b.collapsed])).toEqual([
      ['res_block', true],
      ['res_block_1', true],
    ]);
    // The copies are selected: the new block's layers, beside the originals (their span and 60 px to the right).
    const sel = useEditor.getState().selection.nodes;
    expect(sel.map((id) => after.nodes.find((n) => n.id === id)!.block)).toEqual([after.blocks![1].id, after.blocks![1].id, after.blocks![1].id]);
    const xs = g.nodes.filter((n) => n.block !== undefined).map((n) => n.position.x);
    const span = Math.max(...xs) + 190 - Math.min(...xs);
    expect(after.nodes.find((n) => n.id === sel[0])!.position).toEqual({ x: byName(g, 'expand').position.x + span + 60, y: byName(g, 'expand').position.y });
    expect(useEditor.temporal.getState().pastStates).toHaveLength(1);
    undo();
    expect(useEditor.getState().graph).toBe(g);
  });

  it('copyNote names the block a selection takes only part of, and is null for whole blocks', () => {
    const g = graph('a block called once');
    load(g, [byName(g, 'expand').id, byName(g, 'project').id, byName(g, 'classes').id]);
    expect(useEditor.getState().copyNote()).toBe(
      "Copied 2 of the 3 layers of block 'res_block' (expand, project): a part of a block pastes as plain layers, outside any block. To copy a block, select it whole (click its node, or its frame's title).",
    );
    load(g, all(g));
    expect(useEditor.getState().copyNote()).toBeNull();
  });

  it('paste of a copied block selects the new layers; the pasted block is a block of the graph', () => {
    const g = graph('a block called once');
    load(g, all(g));
    const text = useEditor.getState().copySelection()!;
    expect(useEditor.getState().paste(text, { x: 900, y: 0 })).toEqual({ ok: true, notes: [] });
    const after = useEditor.getState().graph;
    expect(after.blocks).toHaveLength(2);
    expect(useEditor.getState().selection.nodes).toHaveLength(g.nodes.length);
    expect(after.nodes.filter((n) => n.block === after.blocks![1].id).map((n) => n.name)).toEqual(['expand_1', 'project_1', 'residual_1']);
  });
});
