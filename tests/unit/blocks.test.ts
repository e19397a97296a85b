/**
 * Blocks (Keras nested models, core/graph/blocks.ts): the interface of a block, the edit operations (group,
 * ungroup, repeat as copies or as calls), removal, the project file (version 5) and the validator's block rules.
 * Totals are asked of tfjs (the runtime's buildModel on the flat graph, cpu backend).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyze,
  blockInterface,
  exportKeras3Json,
  groupIntoBlock,
  importKerasJson,
  parseProjectJson,
  removeNodes,
  repeatBlock,
  summarize,
  toProjectJson,
  ungroupBlock,
  DEFAULT_TRAINING,
  PROJECT_VERSION,
  type Graph,
  type TensorRef,
} from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';
import { blockGraphs } from '../helpers/blockGraphs';

beforeAll(cpuBackend);

const idOf = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!.id;
const namesOf = (g: Graph, ids: readonly string[]) => ids.map((id) => g.nodes.find((n) => n.id === id)!.name);
const tensorNames = (g: Graph, ts: readonly TensorRef[]) => ts.map((t) => `${g.nodes.find((n) => n.id === t.node)!.name}:${t.output}`);
const ok = <T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> => {
  if (!r.ok) throw new Error((r as unknown as { reason: string }).reason);
  return r as Extract<T, { ok: true }>;
};
const codes = (g: Graph) => analyze(g).diagnostics.map((d) => d.code);
/** tfjs's parameter count of the flat graph (the runtime ignores blocks). */
function tfjsCount(g: Graph): number {
  const m = buildModel(tf, g);
  const n = m.countParams();
  disposeModel(tf, m);
  return n;
}

/** x → d1 → d2 → out, with a residual Add(x, d2) feeding out. */
const residual = () =>
  buildGraph('res', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    const d1 = b.add('Dense', { units: 8, activation: 'relu' }, 'd1', [x]);
    const d2 = b.add('Dense', { units: 8 }, 'd2', [d1]);
    const add = b.add('Add', {}, 'add', [x, d2]);
    b.add('Dense', { units: 2 }, 'out', [add]);
  });

/** Two inputs into a block with Concatenate → two Dense heads, concatenated again outside. */
const twoInTwoOut = () =>
  buildGraph('two', (b) => {
    const p = b.add('Input', { shape: [4] }, 'p');
    const q = b.add('Input', { shape: [6] }, 'q');
    const c = b.add('Concatenate', {}, 'c', [p, q]);
    const d = b.add('Dense', { units: 3 }, 'd', [c]);
    const e = b.add('Dense', { units: 5 }, 'e', [c]);
    b.add('Concatenate', {}, 't', [d, e]);
  });

describe('blockInterface', () => {
  it('a residual block: its inputs are the outer tensors feeding it, once each; its outputs the tensors read outside', () => {
    const g0 = residual();
    const r = ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2'), idOf(g0, 'add')], 'resblock'));
    const itf = blockInterface(r.graph, r.id)!;
    expect(namesOf(r.graph, itf.members)).toEqual(['d1', 'd2', 'add']);
    // x feeds d1 and add: one input with two slots.
    expect(itf.inputs.map((i) => [tensorNames(r.graph, [i.tensor])[0], i.slots.map((s) => `${namesOf(r.graph, [s.node])[0]}#${s.input}`)])).toEqual([
      ['x:0', ['d1#0', 'add#0']],
    ]);
    expect(tensorNames(r.graph, itf.outputs)).toEqual(['add:0']);
  });

  it('two inputs and two outputs, in input order and topological order', () => {
    const g0 = twoInTwoOut();
    const r = ok(
      groupIntoBlock(
        g0,
        ['c', 'd', 'e'].map((n) => idOf(g0, n)),
        'blk',
      ),
    );
    const itf = blockInterface(r.graph, r.id)!;
    expect(
      tensorNames(
        r.graph,
        itf.inputs.map((i) => i.tensor),
      ),
    ).toEqual(['p:0', 'q:0']);
    expect(tensorNames(r.graph, itf.outputs)).toEqual(['d:0', 'e:0']);
  });

  it('a member nothing reads is a model output, so an output of the block', () => {
    const g0 = residual();
    const r = ok(groupIntoBlock(g0, [idOf(g0, 'out')], 'head'));
    expect(tensorNames(r.graph, blockInterface(r.graph, r.id)!.outputs)).toEqual(['out:0']);
  });
});

describe('groupIntoBlock refuses, with the reason', () => {
  const g = residual();
  it.each([
    ['an Input', ['x', 'd1'], /^'x' is an Input: a block's inputs are the tensors that feed it from outside/],
    ['layers not connected among themselves', ['d1', 'out'], /^'out' is not connected to 'd1' within the selection/],
    ['a path that leaves and comes back (d1 → d2 → add with d2 outside)', ['d1', 'add'], /^'add' is not connected to 'd1'/],
    ['nothing', [], /^The selection is empty/],
  ])('%s', (_what, names, reason) => {
    const r = groupIntoBlock(
      g,
      names.map((n) => idOf(g, n)),
      'blk',
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('a set that is connected but not convex', () => {
    // a → b → c and a → c: {a, c} is connected (a → c) but the path a → b → c leaves and comes back.
    const h = buildGraph('h', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      const a = b.add('Dense', { units: 4 }, 'a', [x]);
      const m = b.add('Dense', { units: 4 }, 'b', [a]);
      b.add('Add', {}, 'c', [a, m]);
    });
    const r = groupIntoBlock(h, [idOf(h, 'a'), idOf(h, 'c')], 'blk');
    expect(!r.ok && r.reason).toBe(
      "The path from 'a' through 'b' leaves the selection and comes back into 'c': a nested model is called once, so 'b' must be inside it too or the path must not return.",
    );
  });

  it('a name a layer has, an invalid name, and layers already in a block', () => {
    const r1 = groupIntoBlock(g, [idOf(g, 'd1')], 'd2');
    expect(!r1.ok && r1.reason).toBe("'d2' is already the name of a layer or a block; a block needs a name of its own.");
    const r2 = groupIntoBlock(g, [idOf(g, 'd1')], 'a/b');
    expect(r2.ok).toBe(false);
    const first = ok(groupIntoBlock(g, [idOf(g, 'd1')], 'blk'));
    const r3 = groupIntoBlock(first.graph, [idOf(g, 'd1'), idOf(g, 'd2')], 'blk2');
    expect(!r3.ok && r3.reason).toBe("'d1' already belongs to block 'blk': ungroup it first (blocks do not nest yet).");
  });
});

describe('repeatBlock', () => {
  /** x → [d1 → d2] → out, the block (8) → (8). */
  const chain = () => {
    const g0 = buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'x');
      const d1 = b.add('Dense', { units: 16, activation: 'relu' }, 'd1', [x]);
      const d2 = b.add('Dense', { units: 8 }, 'd2', [d1]);
      b.add('Dense', { units: 3 }, 'out', [d2]);
    });
    return ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2')], 'blk'));
  };
  const shapeOf = (g: Graph) => {
    const a = analyze(g);
    return (t: TensorRef) => {
      const info = a.nodes.get(t.node);
      return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
    };
  };

  it('copies: two new nested models with weights of their own, chained; the totals are tfjs’s', () => {
    const { graph, id } = chain();
    const r = ok(repeatBlock(graph, id, 2, 'copies', shapeOf(graph)));
    expect(r.graph.blocks!.map((b) => b.name)).toEqual(['blk', 'blk_1', 'blk_2']);
    const a = analyze(r.graph);
    expect(a.valid).toBe(true);
    expect(a.totals.total).toBe(tfjsCount(r.graph));
    expect(a.totals.total).toBe(analyze(graph).totals.total + 2 * (8 * 16 + 16 + 16 * 8 + 8));
    // 'out' now reads the last copy's output.
    const last = blockInterface(r.graph, r.ids[1])!;
    expect(r.graph.edges.find((e) => e.target === idOf(graph, 'out'))!.source).toBe(last.outputs[0].node);
  });

  it('calls: two further calls of the same nested model (shared weights): the totals do not change, as in tfjs', () => {
    const { graph, id } = chain();
    const r = ok(repeatBlock(graph, id, 2, 'calls', shapeOf(graph)));
    expect(r.graph.blocks!.map((b) => [b.name, b.callOf ?? null])).toEqual([
      ['blk', null],
      ['blk', id],
      ['blk', id],
    ]);
    const a = analyze(r.graph);
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.total).toBe(analyze(graph).totals.total);
    expect(tfjsCount(r.graph)).toBe(a.totals.total);
    // The further calls' interface mirrors the first call's: called on the previous call's output.
    const second = blockInterface(r.graph, r.ids[0])!;
    expect(second.inputs[0].tensor.node).toBe(idOf(graph, 'd2'));
  });

  it('refuses a block whose output shape differs from its input shape, and one with two inputs', () => {
    const g0 = residual();
    const r0 = ok(groupIntoBlock(g0, [idOf(g0, 'out')], 'head'));
    const r = repeatBlock(r0.graph, r0.id, 1, 'copies', shapeOf(r0.graph));
    expect(!r.ok && r.reason).toBe(
      "Block 'head' turns (None, 8) into (None, 2): a repeat is called on the block's output, so the output must have the input's shape.",
    );
    const g1 = twoInTwoOut();
    const r1 = ok(
      groupIntoBlock(
        g1,
        ['c', 'd', 'e'].map((n) => idOf(g1, n)),
        'blk',
      ),
    );
    const r2 = repeatBlock(r1.graph, r1.id, 1, 'calls', shapeOf(r1.graph));
    expect(!r2.ok && r2.reason).toBe("Block 'blk' has 2 inputs and 2 outputs: only a block with one input and one output can be chained after itself.");
  });
});

describe('ungroupBlock and removeNodes', () => {
  it('ungrouping the first call ungroups its calls; their layers stay shared', () => {
    const g0 = residual();
    const b = ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2'), idOf(g0, 'add')], 'rb'));
    const r = ok(ungroupBlock(b.graph, b.id));
    expect(r.graph.blocks).toBeUndefined();
    expect(r.graph.nodes.some((n) => n.block)).toBe(false);
    expect(ungroupBlock(b.graph, 'nope')).toEqual({ ok: false, reason: 'No such block.' });
  });

  it('removing every member drops the block; removing the first call makes the next call the first', () => {
    const g0 = buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'x');
      const d1 = b.add('Dense', { units: 8 }, 'd1', [x]);
      b.add('Dense', { units: 3 }, 'out', [d1]);
    });
    const b = ok(groupIntoBlock(g0, [idOf(g0, 'd1')], 'blk'));
    const a = analyze(b.graph);
    const r = ok(repeatBlock(b.graph, b.id, 1, 'calls', (t) => a.nodes.get(t.node)!.outputShape));
    const gone = removeNodes(r.graph, [idOf(g0, 'd1')]);
    expect(gone.blocks).toEqual([{ id: r.ids[0], name: 'blk' }]);
    expect(gone.nodes.find((n) => n.block === r.ids[0])!.layerOf).toBeUndefined();
    expect(removeNodes(b.graph, [idOf(g0, 'd1')]).blocks).toBeUndefined();
  });
});

describe('project file version 5', () => {
  it('writes blocks and reads them back unchanged, without notes', () => {
    const g0 = residual();
    const b = ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2'), idOf(g0, 'add')], 'rb'));
    const text = toProjectJson({ graph: b.graph, training: DEFAULT_TRAINING });
    expect(JSON.parse(text).version).toBe(PROJECT_VERSION);
    const r = parseProjectJson(text);
    expect(r.ok && r.notes).toEqual([]);
    expect(r.ok && r.project.graph).toEqual(b.graph);
  });

  it('a node naming a missing block joins the outer model, a callOf naming no first call is dropped, each with a note', () => {
    const g0 = residual();
    const nodes = g0.nodes.map((n) => (n.name === 'd1' ? { ...n, block: 'ghost' } : n.name === 'd2' ? { ...n, block: 'b2' } : n));
    const text = JSON.stringify({ format: 'layerlab-project', version: 5, graph: { ...g0, nodes, blocks: [{ id: 'b2', name: 'two', callOf: 'zz' }] } });
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes.filter((n) => !n.startsWith('training'))).toEqual([
      "graph.blocks.0.callOf: 'zz' is not the first call of another block; block 'two' becomes a nested model of its own.",
      "graph.nodes.1.block: 'ghost' is not a block of this graph; layer 'd1' joins the outer model.",
    ]);
    expect(r.project.graph.blocks).toEqual([{ id: 'b2', name: 'two' }]);
  });
});

describe('validator: block rules', () => {
  const base = () => {
    const g0 = residual();
    return ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2'), idOf(g0, 'add')], 'rb'));
  };

  it('a valid block adds no diagnostic and changes no count', () => {
    const { graph } = base();
    expect(analyze(graph).diagnostics).toEqual([]);
    expect(analyze(graph).totals).toEqual(analyze(residual()).totals);
  });

  it('an Input inside, a layer’s name, a node naming no block, members no longer connected: each named', () => {
    const { graph, id } = base();
    const withInput: Graph = { ...graph, nodes: graph.nodes.map((n) => (n.name === 'x' ? { ...n, block: id } : n)) };
    const d = analyze(withInput).diagnostics.find((x) => x.code === 'block/input')!;
    expect(d.message).toBe(
      "Block 'rb' holds the Input 'x': a nested model receives the tensors that feed it from outside as its inputs; take the Input out of the block.",
    );
    expect(codes({ ...graph, blocks: [{ id, name: 'out' }] })).toEqual(['block/name']);
    expect(codes({ ...graph, nodes: graph.nodes.map((n) => (n.name === 'out' ? { ...n, block: 'nope' } : n)) })).toEqual(['block/unknown']);
    // d2 taken out of the block: d1 and add are no longer connected within it.
    const apart: Graph = { ...graph, nodes: graph.nodes.map(({ block, ...n }) => (n.name === 'd2' ? n : { ...n, ...(block ? { block } : {}) })) };
    const nc = analyze(apart).diagnostics;
    expect(nc.map((x) => x.code)).toEqual(['block/structure']);
    expect(nc[0].message).toBe("Block 'rb': 'add' is not connected to 'd1' within block 'rb': a block's layers must form one connected piece.");
  });

  it('a block a path leaves and comes back into', () => {
    const h = buildGraph('h', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      const a = b.add('Dense', { units: 4 }, 'a', [x]);
      const m = b.add('Dense', { units: 4 }, 'b', [a]);
      b.add('Add', {}, 'c', [a, m]);
    });
    const g: Graph = { ...h, blocks: [{ id: 'k', name: 'blk' }], nodes: h.nodes.map((n) => (n.name === 'a' || n.name === 'c' ? { ...n, block: 'k' } : n)) };
    expect(analyze(g).diagnostics.map((d) => d.message)).toEqual([
      "Block 'blk': The path from 'a' through 'b' leaves block 'blk' and comes back into 'c': a nested model is called once, so 'b' must be inside it too or the path must not return.",
    ]);
  });

  it('a further call that lacks a layer of its first call', () => {
    const g0 = buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'x');
      const d1 = b.add('Dense', { units: 8 }, 'd1', [x]);
      const d2 = b.add('Dense', { units: 8 }, 'd2', [d1]);
      b.add('Dense', { units: 3 }, 'out', [d2]);
    });
    const b = ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2')], 'blk'));
    const a = analyze(b.graph);
    const r = ok(repeatBlock(b.graph, b.id, 1, 'calls', (t) => a.nodes.get(t.node)!.outputShape));
    const second = r.graph.nodes.filter((n) => n.block === r.ids[0]);
    const broken = removeNodes(r.graph, [second[1].id]);
    const ds = analyze(broken).diagnostics.filter((x) => x.code === 'block/call');
    expect(ds.map((x) => x.message)).toEqual(["Block 'blk' is a further call of a nested model: it lacks a call of 'd2', which the first call 'blk' has."]);
  });
});

describe('summary and Python code of a model with blocks', () => {
  const twice = () => {
    const g0 = residual();
    const b = ok(groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2'), idOf(g0, 'add')], 'rb'));
    const a = analyze(b.graph);
    return ok(repeatBlock(b.graph, b.id, 1, 'calls', (t) => a.nodes.get(t.node)!.outputShape));
  };

  it('a block called twice is one Functional row with both calls’ connections, as Keras 3.15 prints it (tests/keras/blocks.oracle)', () => {
    const { graph } = twice();
    const s = summarize(graph, analyze(graph));
    expect(s.sequential).toBe(false);
    expect(s.rows.map((r) => [r.name, r.className, r.outputShape, r.params, r.connectedTo.join(', ')])).toEqual([
      ['x', 'InputLayer', [null, 8], 0, ''],
      ['rb', 'Functional', [null, 8], 8 * 8 + 8 + 8 * 8 + 8, 'x[0][0], rb[0][0]'],
      ['out', 'Dense', [null, 2], 18, 'rb[1][0]'],
    ]);
    // The rows' parameters add up to the totals (tfjs's count of the flat graph).
    expect(s.rows.reduce((t, r) => t + r.params, 0)).toBe(tfjsCount(graph));
  });

  it('Python writes the nested model first, then calls it; a call line maps to that call’s layers', () => {
    const { graph, ids } = twice();
    const c = generatePython(graph, DEFAULT_TRAINING, 'functional');
    if (!c.ok) throw new Error(c.reason);
    const lines = c.code.split('\n');
    const def = lines.findIndex((l) => l.startsWith('rb = keras.Model('));
    const calls = lines.map((l, i) => [l, i] as const).filter(([l]) => / = rb\(/.test(l));
    expect(def).toBeGreaterThan(0);
    expect(calls.map(([l]) => l)).toEqual(['add = rb(x_)', 'add_2 = rb(add)']);
    expect(calls.every(([, i]) => i > def)).toBe(true);
    const second = graph.nodes.filter((n) => n.block === ids[0]).map((n) => n.id);
    expect([...c.lineNodes[calls[1][1]]].sort()).toEqual([...second].sort());
  });

  it('the subclassing form builds the nested model in __init__ (tests/unit/codegen-block-forms); TypeScript declares it with tf.model and applies it', () => {
    const { graph } = twice();
    expect(generatePython(graph, DEFAULT_TRAINING, 'subclassing').ok).toBe(true);
    const ts = generateTypeScript(graph, DEFAULT_TRAINING, 'functional');
    if (!ts.ok) throw new Error(ts.reason);
    expect(ts.code).toContain("const rb = tf.model({\n  name: 'rb',");
    expect(ts.code.match(/= rb\.apply\(/g)).toHaveLength(2);
  });
});

describe('Keras JSON import keeps nested models as blocks', () => {
  const file = (name: string) => readFileSync(join(__dirname, '../fixtures/keras', name), 'utf8');

  it('a nested model: a block, one Functional row; flattened on request with the same totals, tfjs’s', () => {
    const r = importKerasJson(file('keras3_nested_calls.json'));
    if (!r.ok) throw new Error(r.reason);
    const blocks = r.graph.blocks ?? [];
    expect(blocks.map((b) => b.name)).toEqual(['block']);
    const a = analyze(r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const rows = summarize(r.graph, a).rows.filter((x) => x.className === 'Functional');
    expect(rows.map((x) => [x.name, x.calls])).toEqual([['block', 1]]);
    const flat = importKerasJson(file('keras3_nested_calls.json'), { nested: 'flatten' });
    if (!flat.ok) throw new Error(flat.reason);
    expect(flat.graph.blocks).toBeUndefined();
    expect(analyze(flat.graph).totals).toEqual(a.totals);
    expect(a.totals.total).toBe(tfjsCount(r.graph));
  });

  it('a nested model keeps the outputs its file declares, also those nothing reads (an LSTM’s output and two states)', () => {
    const r = importKerasJson(file('keras3_nested_states.json'));
    if (!r.ok) throw new Error(r.reason);
    const b = r.graph.blocks![0];
    expect(blockInterface(r.graph, b.id)!.outputs.map((t) => t.output)).toEqual([0, 1, 2]);
    const row = summarize(r.graph, analyze(r.graph)).rows.find((x) => x.name === b.name)!;
    expect(row.outputShapes).toHaveLength(3);
  });
});

describe('Keras 3 JSON export of blocks round-trips through the importer', () => {
  it.each(blockGraphs())('%s: same blocks, rows and totals', (_what, g) => {
    const e = exportKeras3Json(g);
    if (!e.ok) throw new Error(e.reason);
    const r = importKerasJson(e.json);
    if (!r.ok) throw new Error(r.reason);
    const shape = (x: Graph) => (x.blocks ?? []).map((b) => [b.name, b.callOf ? x.blocks!.findIndex((c) => c.id === b.callOf) : -1]);
    expect(shape(r.graph)).toEqual(shape(g));
    const rows = (x: Graph) =>
      summarize(x, analyze(x)).rows.map((row) => [row.name, row.className, row.outputShapes ?? row.outputShape, row.params, row.connectedTo]);
    expect(rows(r.graph)).toEqual(rows(g));
    expect(analyze(r.graph).totals).toEqual(analyze(g).totals);
  });
});
