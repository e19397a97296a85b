/**
 * Frozen layers (Keras trainable=False, LayerNode.trainable): the analysis counts a frozen layer's weights as
 * non-trainable (a shared layer's calls and a frozen nested model's layers too), the edit operations set the flag on
 * the whole layer, the project file and the clipboard keep it, the Keras JSON importer reads it on a layer, a wrapped
 * layer, a nested model and the model, and both Keras exports write it back.
 */
import { describe, expect, it } from 'vitest';
import {
  addCall,
  allFrozen,
  analyze,
  duplicate,
  blockFrozenState,
  exportKeras3Json,
  exportKerasJson,
  importKerasJson,
  parseProjectJson,
  PROJECT_VERSION,
  repeatBlock,
  setBlockTrainable,
  setTrainable,
  toProjectJson,
  trainingBlock,
  type Graph,
  type TensorRef,
} from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { copyToText, pasteContent, readClipboardText } from '../../src/core/graph/clipboard';
import { DEFAULT_TRAINING } from '../../src/core/training';
import { blockGraphs } from '../helpers/blockGraphs';
import { inp, lay } from '../helpers/kerasJson';

const byName = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!;
const ok = <T extends { ok: true; graph: Graph } | { ok: false; reason: string }>(r: T): Graph => {
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
};

/** Input(8) → Dense 4 → BatchNormalization → Dense 2, and a further call of the first Dense is not possible here (shapes). */
const chain = (): Graph =>
  buildGraph('chain', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    const d = b.add('Dense', { units: 4 }, 'd1', [x]);
    const bn = b.add('BatchNormalization', {}, 'bn', [d]);
    b.add('Dense', { units: 2 }, 'd2', [bn]);
  });

/** Two inputs of the same shape through one shared Dense (two calls of one layer), then a Concatenate. */
const siamese = (): Graph =>
  buildGraph('siamese', (b) => {
    const a = b.add('Input', { shape: [5] }, 'a');
    const c = b.add('Input', { shape: [5] }, 'c');
    const enc = b.add('Dense', { units: 3 }, 'enc', [a]);
    const enc2 = b.call(enc, [c]);
    b.add('Concatenate', {}, 'cat', [enc, enc2]);
  });

describe('analysis', () => {
  it('counts every weight of a frozen layer as non-trainable (BatchNormalization gamma and beta too); the total is unchanged', () => {
    const g = chain();
    const open = analyze(g).totals;
    const frozen = ok(setTrainable(g, [byName(g, 'd1').id, byName(g, 'bn').id], false));
    const a = analyze(frozen);
    // Dense(4) on 8: 8·4 + 4 = 36; BatchNormalization(4): 4 gamma + 4 beta trainable, 8 moving stats non-trainable.
    expect(open).toEqual({ total: 36 + 16 + 10, trainable: 36 + 8 + 10, nonTrainable: 8 });
    expect(a.totals).toEqual({ total: open.total, trainable: 10, nonTrainable: 36 + 16 });
    expect(a.nodes.get(byName(frozen, 'bn').id)!.weights).toEqual({ trainable: 0, nonTrainable: 16 });
  });

  it('a shared layer is frozen in every call, counted once', () => {
    const g = siamese();
    const calls = g.nodes.filter((n) => n.name === 'enc');
    expect(calls).toHaveLength(2);
    // Freezing the further call freezes the layer: both calls carry the flag.
    const frozen = ok(setTrainable(g, [calls[1].id], false));
    expect(frozen.nodes.filter((n) => n.name === 'enc').every((n) => n.trainable === false)).toBe(true);
    expect(analyze(frozen).totals).toEqual({ total: 18, trainable: 0, nonTrainable: 18 });
    const back = ok(setTrainable(frozen, [calls[0].id], true));
    expect(back.nodes.some((n) => 'trainable' in n)).toBe(false);
    expect(analyze(back).totals).toEqual(analyze(g).totals);
  });

  it('freezing a block freezes its layers and those of its further calls; its state reads all, some, none', () => {
    const [, twice] = blockGraphs()[1];
    const first = twice.blocks!.find((b) => !b.callOf)!;
    const call = twice.blocks!.find((b) => b.callOf)!;
    const open = analyze(twice).totals;
    const frozen = ok(setBlockTrainable(twice, call.id, false));
    expect(blockFrozenState(frozen, first.id)).toBe('all');
    expect(blockFrozenState(frozen, call.id)).toBe('all');
    const members = frozen.nodes.filter((n) => n.block !== undefined);
    expect(members.every((n) => n.trainable === false)).toBe(true);
    const a = analyze(frozen).totals;
    // The head (Dense 4 on 16 with softmax: 68) stays trainable; the block's weights (counted once) do not.
    expect(a).toEqual({ total: open.total, trainable: 16 * 4 + 4, nonTrainable: open.total - (16 * 4 + 4) });
    const one = ok(setTrainable(frozen, [members[0].id], true));
    expect(blockFrozenState(one, first.id)).toBe('some');
    expect(blockFrozenState(ok(setBlockTrainable(frozen, first.id, true)), first.id)).toBe('none');
  });

  it('every weight frozen: a train/frozen warning that blocks training (tfjs cannot fit it), the model still valid', () => {
    const g = chain();
    const all = ok(
      setTrainable(
        g,
        g.nodes.map((n) => n.id),
        false,
      ),
    );
    const a = analyze(all);
    expect(a.valid).toBe(true);
    expect(a.totals.trainable).toBe(0);
    expect(trainingBlock(a)).toMatch(/^Every layer with weights is frozen \(trainable=False\)/);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['train/frozen']);
    // One layer trainable again: nothing blocks training.
    expect(trainingBlock(analyze(ok(setTrainable(all, [byName(all, 'd2').id], true))))).toBeNull();
    expect(trainingBlock(analyze(g))).toBeNull();
  });

  it('a further call and a duplicate of a frozen layer are frozen too', () => {
    const g = chain();
    const frozen = ok(setTrainable(g, [byName(g, 'd2').id], false));
    const again = addCall(frozen, byName(frozen, 'd2').id, { x: 0, y: 0 });
    if (!again.ok) throw new Error(again.reason);
    expect(again.graph.nodes.find((n) => n.id === again.id)!.trainable).toBe(false);
    const dup = duplicate(frozen, [byName(frozen, 'd1').id, byName(frozen, 'd2').id]);
    const copies = dup.graph.nodes.filter((n) => dup.ids.includes(n.id));
    expect(copies.map((n) => [n.kind, n.trainable])).toEqual([
      ['Dense', undefined],
      ['Dense', false],
    ]);
  });

  it('repeating a frozen block keeps its layers frozen, as copies (weights of their own) and as calls', () => {
    const [, once] = blockGraphs()[0];
    const frozen = ok(setBlockTrainable(once, once.blocks![0].id, false));
    const a = analyze(frozen);
    const shapeOf = (t: TensorRef) => (t.output === 0 ? a.nodes.get(t.node)?.outputShape : a.nodes.get(t.node)?.moreOutputs[t.output - 1]) ?? null;
    for (const mode of ['copies', 'calls'] as const) {
      const r = repeatBlock(frozen, once.blocks![0].id, 1, mode, shapeOf);
      if (!r.ok) throw new Error(r.reason);
      const members = r.graph.nodes.filter((n) => n.block !== undefined);
      expect(members.length, mode).toBeGreaterThan(3);
      expect(
        members.every((n) => n.trainable === false),
        mode,
      ).toBe(true);
      for (const b of r.graph.blocks!) expect(blockFrozenState(r.graph, b.id), mode).toBe('all');
    }
  });

  it('refuses an unknown node or block, and leaves the graph as it is when nothing changes', () => {
    const g = chain();
    expect(setTrainable(g, ['nope'], false)).toEqual({ ok: false, reason: 'No such layer.' });
    expect(setBlockTrainable(g, 'nope', false)).toEqual({ ok: false, reason: 'No such nested model.' });
    expect(ok(setTrainable(g, [byName(g, 'd1').id], true))).toBe(g);
    // An Input has no weights and no flag.
    expect(ok(setTrainable(g, [byName(g, 'x').id], false))).toBe(g);
  });
});

describe('project file and clipboard', () => {
  it('saves and loads the flag (version 6), as a file of this version with no notes', () => {
    const g = ok(setTrainable(chain(), [byName(chain(), 'd1').id], false));
    const text = toProjectJson({ graph: g, training: DEFAULT_TRAINING });
    expect(JSON.parse(text).version).toBe(PROJECT_VERSION);
    expect(PROJECT_VERSION).toBeGreaterThanOrEqual(6);
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes).toEqual([]);
    expect(byName(r.project.graph, 'd1').trainable).toBe(false);
    expect(analyze(r.project.graph).totals).toEqual(analyze(g).totals);
  });

  it('refuses a flag that is not true or false, naming where', () => {
    const g = chain();
    const file = JSON.parse(toProjectJson({ graph: g, training: DEFAULT_TRAINING }));
    file.graph.nodes[1].trainable = 'no';
    const r = parseProjectJson(JSON.stringify(file));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/graph\.nodes\.1\.trainable: must be true or false/);
  });

  it('copy and paste keep a frozen layer frozen, and its further call too', () => {
    const g = siamese();
    const frozen = ok(setTrainable(g, [byName(g, 'enc').id], false));
    const text = copyToText(
      frozen,
      frozen.nodes.filter((n) => n.kind !== 'Input').map((n) => n.id),
    )!;
    const r = readClipboardText(text);
    if (!r.ok) throw new Error(r.reason);
    const p = pasteContent(frozen, r.content);
    const pasted = p.graph.nodes.filter((n) => p.nodes.includes(n.id) && n.kind === 'Dense');
    expect(pasted).toHaveLength(2);
    expect(pasted.every((n) => n.trainable === false)).toBe(true);
  });
});

describe('Keras JSON', () => {
  const model = (layers: unknown[], extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      class_name: 'Functional',
      config: { name: 'm', ...extra, layers, input_layers: [['x', 0, 0]], output_layers: [['d2', 0, 0]] },
    });

  it('reads trainable=false on a layer, on a wrapped layer and on the model', () => {
    const layers = [
      inp('x', [6, 3]),
      lay('Bidirectional', 'bi', { layer: { class_name: 'LSTM', config: { name: 'f', units: 2, trainable: false } }, merge_mode: 'concat' }, 'x'),
      lay('Dense', 'd1', { units: 4, trainable: false }, 'bi'),
      lay('Dense', 'd2', { units: 2 }, 'd1'),
    ];
    const r = importKerasJson(model(layers));
    if (!r.ok) throw new Error(r.reason);
    expect(byName(r.graph, 'bi').trainable).toBe(false);
    expect(byName(r.graph, 'd1').trainable).toBe(false);
    expect(byName(r.graph, 'd2').trainable).toBeUndefined();
    // LSTM(2) on 3 features, both ways: 2 · 4·2·(3 + 2 + 1) = 96; Dense 4·4 + 4 = 20; Dense 4·2 + 2 = 10.
    expect(analyze(r.graph).totals).toEqual({ total: 126, trainable: 10, nonTrainable: 116 });
    const all = importKerasJson(model(layers, { trainable: false }));
    if (!all.ok) throw new Error(all.reason);
    expect(analyze(all.graph).totals).toEqual({ total: 126, trainable: 0, nonTrainable: 126 });
    expect(all.graph.nodes.filter((n) => n.kind !== 'Input').every((n) => n.trainable === false)).toBe(true);
  });

  it('a wrapper marked trainable=false around a trainable layer is read as trainable, as Keras 3 and tfjs count it, with a note', () => {
    const layers = [
      inp('x', [6, 3]),
      lay(
        'Bidirectional',
        'bi',
        { trainable: false, layer: { class_name: 'LSTM', config: { name: 'f', units: 2, trainable: true } }, merge_mode: 'concat' },
        'x',
      ),
      lay('Dense', 'd2', { units: 2 }, 'bi'),
    ];
    const r = importKerasJson(model(layers));
    if (!r.ok) throw new Error(r.reason);
    expect(byName(r.graph, 'bi').trainable).toBeUndefined();
    expect(analyze(r.graph).totals).toEqual({ total: 96 + 10, trainable: 96 + 10, nonTrainable: 0 });
    expect(r.warnings.join('\n')).toMatch(/'bi' \(Bidirectional\) is marked trainable=false but the layer it wraps is not/);
  });

  it('reads a frozen nested model: its layers frozen, but one whose own flag says trainable stays so (Keras 3 counts it trainable)', () => {
    const nested = {
      name: 'base',
      class_name: 'Sequential',
      config: {
        name: 'base',
        trainable: false,
        layers: [
          { class_name: 'Dense', config: { name: 'inner1', units: 3, batch_input_shape: [null, 4], trainable: true } },
          { class_name: 'Dense', config: { name: 'inner2', units: 3, trainable: false } },
          // No flag of its own (a hand-made file): it follows the nested model.
          { class_name: 'Dense', config: { name: 'inner3', units: 3 } },
        ],
      },
      inbound_nodes: [[['x', 0, 0, {}]]],
    };
    const text = JSON.stringify({
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [inp('x', [4]), nested, lay('Dense', 'd2', { units: 2 }, 'base')],
        input_layers: [['x', 0, 0]],
        output_layers: [['d2', 0, 0]],
      },
    });
    for (const nestedAs of ['blocks', 'flatten'] as const) {
      const r = importKerasJson(text, { nested: nestedAs });
      if (!r.ok) throw new Error(r.reason);
      expect(byName(r.graph, 'inner1').trainable).toBeUndefined();
      expect(byName(r.graph, 'inner2').trainable).toBe(false);
      expect(byName(r.graph, 'inner3').trainable).toBe(false);
      // inner1 4·3 + 3 = 15 and the head 3·2 + 2 = 8 trainable; inner2 and inner3 3·3 + 3 = 12 each frozen.
      expect(analyze(r.graph).totals).toEqual({ total: 47, trainable: 23, nonTrainable: 24 });
    }
  });

  it.each([
    ['Keras 2 / tfjs', exportKerasJson],
    ['Keras 3', (g: Graph) => exportKeras3Json(g, true)],
  ])('the %s export writes trainable: false for frozen layers and reads back to the same counts', (_form, exp) => {
    const g = chain();
    const frozen = ok(setTrainable(g, [byName(g, 'd1').id, byName(g, 'bn').id], false));
    const r = exp(frozen);
    if (!r.ok) throw new Error(r.reason);
    const layers = (JSON.parse(r.json).config.layers as { config: { name: string; trainable?: boolean } }[]).map((l) => l.config);
    expect(layers.find((l) => l.name === 'd1')!.trainable).toBe(false);
    expect(layers.find((l) => l.name === 'd2')!.trainable).toBe(true);
    const back = importKerasJson(r.json);
    if (!back.ok) throw new Error(back.reason);
    expect(analyze(back.graph).totals).toEqual(analyze(frozen).totals);
    expect(byName(back.graph, 'bn').trainable).toBe(false);
  });

  it('the Keras 3 export writes a block whose layers are all frozen as a frozen nested model', () => {
    const [, once] = blockGraphs()[0];
    const block = once.blocks![0];
    const frozen = ok(setBlockTrainable(once, block.id, false));
    const r = exportKeras3Json(frozen);
    if (!r.ok) throw new Error(r.reason);
    const json = JSON.parse(r.json);
    expect(json.config.trainable).toBe(true);
    // The outer chain is a Sequential holding the nested model (its entries carry their name in their config only).
    const entry = (json.config.layers as { config: { name: string; trainable: boolean } }[]).find((l) => l.config.name === block.name)!;
    expect(entry.config.trainable).toBe(false);
    expect(allFrozen(frozen)).toBe(false);
    const back = importKerasJson(r.json);
    if (!back.ok) throw new Error(back.reason);
    expect(analyze(back.graph).totals).toEqual(analyze(frozen).totals);
  });
});
