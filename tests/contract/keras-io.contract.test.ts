/**
 * Keras / tfjs JSON import and export, checked against tfjs itself: what Layerlab exports loads in
 * `tf.models.modelFromJSON` with the same shapes and counts; what tfjs writes imports back to the
 * same graph; every form in docs/keras-facts.md §1 is read.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { analyze, importKerasJson, summarize, TEMPLATES, type Graph } from '../../src/core';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { buildGraph } from '../../src/core/templates/build';
import { structure } from '../helpers/graphs';
import { asTfjsListForm, exported, imported } from '../helpers/kerasJson';
import { tpl } from '../helpers/templates';
import { cpuBackend } from '../helpers/tfjs';
import { fastSubset } from '../full';

beforeAll(cpuBackend);

/** Pooling `strides: null` means "= pool_size", which tfjs writes out: compared as written out. */
const poolStrides = ({ params: p }: Graph['nodes'][number]) => ('pool_size' in p && p.strides === null ? { ...p, strides: p.pool_size } : p);
/** The graph without ids and positions (see `structure`), pooling strides written out. */
const compared = (g: Graph) => structure(g, poolStrides);

const fixture = (f: string) => readFileSync(new URL(`../fixtures/keras/${f}`, import.meta.url), 'utf8');

// Full-size zoo models are built in tfjs once, by templates.contract.test.ts; here the smaller ones.
const SMALL = TEMPLATES.filter((t) => analyze(t.build()).totals.total <= 2_000_000);

/** Templates whose recurrent layers take 2–5 s per test on Node's cpu backend (orthogonal initializers): `npm run test:contract`. */
const SLOW = new Set(['encoder-decoder', 'text-classifier']);

describe.each(
  fastSubset(
    'Keras JSON template contract',
    SMALL.map((t) => [t.id, t] as const),
    ([id]) => SLOW.has(id),
  ),
)('template %s', (_id, t) => {
  it('exports Keras JSON that tfjs loads with the same layers, shapes and parameter counts', () => {
    const g = t.build();
    // Attention calls are exported in Keras 3's form, which tfjs reads only rewritten as lists (asTfjsListForm).
    const { file } = asTfjsListForm(exported(g));
    const model = tf.models.modelFromJSON(file as Parameters<typeof tf.models.modelFromJSON>[0]) as unknown as tf.LayersModel;
    return Promise.resolve(model).then((m) => {
      const rows = summarize(g, analyze(g)).rows;
      expect(m.layers.filter((l) => rows.some((r) => r.name === l.name)).length).toBe(rows.length);
      for (const row of rows) {
        const l = m.getLayer(row.name);
        // A layer with several outputs (an LSTM with return_state): tfjs gives the list of their shapes.
        expect([row.name, l.outputShape, l.countParams()]).toEqual([row.name, row.outputShapes ?? row.outputShape, row.params]);
      }
      // The model's outputs are the core's output tensors, in order (an LSTM's state among them by its tensor index).
      const a = analyze(g);
      expect(m.outputs.map((t) => t.shape)).toEqual(
        a.outputTensors.map((t) => (t.output ? a.nodes.get(t.node)!.moreOutputs[t.output - 1] : a.nodes.get(t.node)!.outputShape)),
      );
      expect(m.countParams()).toBe(analyze(g).totals.total);
      // Keras's initializer is written out (tfjs's own default would be glorotNormal).
      const withKernel = m.layers.filter((l) => 'kernelInitializer' in l.getConfig());
      expect(withKernel.length).toBeGreaterThan(0);
      for (const l of withKernel) expect((l.getConfig().kernelInitializer as { className: string }).className).toMatch(/GlorotUniform|VarianceScaling/);
      m.dispose();
    });
  });

  it('round-trips: export → import gives back the same graph', () => {
    const g = t.build();
    expect(compared(imported(exported(g)).graph)).toEqual(compared(g));
  });

  it('imports what tfjs writes (toJSON, model.json, converter model.json) as the same graph', () => {
    const g = t.build();
    const model = buildModel(tf, g);
    const topology = model.toJSON(null, false) as object;
    model.dispose();
    const plain = compared(g);
    // tf.sequential names its implicit input '<first layer>_input', and tfjs's LayerNormalization writes the axis it
    // resolved when built (tfjs-layers normalization.ts: −1 on a rank-3 input is saved as 2, the same axis);
    // everything else must match exactly.
    const inputName = g.nodes.find((n) => n.kind === 'Input')!.name;
    const ranks = new Map([...analyze(g).nodes].map(([id, info]) => [id, info.inputShapes[0]?.length ?? 0]));
    const sameBut = (x: Graph) =>
      compared({
        ...x,
        nodes: x.nodes.map((n) => {
          if (n.kind === 'Input' && /_input$/.test(n.name) && !x.nodes.some((m) => m.name === inputName)) return { ...n, name: inputName };
          const rank = ranks.get(g.nodes.find((m) => m.name === n.name)?.id ?? '') ?? 0;
          if (n.kind === 'LayerNormalization' && n.params.axis === rank - 1) return { ...n, params: { ...n.params, axis: -1 } };
          return n;
        }),
      });
    expect(sameBut(imported(topology).graph)).toEqual(plain);
    const modelJson = {
      modelTopology: topology,
      format: 'layers-model',
      generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
      convertedBy: null,
      weightsManifest: [],
    };
    const r1 = importKerasJson(JSON.stringify(modelJson));
    expect(r1.ok && r1.format).toBe('tfjs model.json');
    expect(sameBut(imported(modelJson).graph)).toEqual(plain);
    const converter = { modelTopology: { keras_version: '2.2.4', backend: 'tensorflow', model_config: topology }, weightsManifest: [] };
    const r2 = importKerasJson(JSON.stringify(converter));
    expect(r2.ok && r2.format).toBe('tfjs model.json (Python converter)');
    expect(sameBut(imported(converter).graph)).toEqual(plain);
  });
});

describe('forms written by Keras (fixtures written from docs/keras-facts.md §1)', () => {
  it.each([
    ['keras2_legacy_sequential_list.json', 'Keras ≤ 2.2 Sequential JSON', 8 * 12 + 12 + 12 * 8 + 8 + 9],
    ['keras3_sequential.json', 'Keras Sequential JSON', 320 + 5408 * 10 + 10],
    ['keras3_functional_two_inputs.json', 'Keras 3 Functional JSON', 16 * 8 + 8 + 17],
    ['keras2_model_functional.json', 'Keras 2 Functional JSON ("Model")', 3 * 3 * 3 * 8 + 8 + 5 * 5 * 3 * 8 + 8 + 16 * 16 * 16 * 10 + 10],
  ])('%s is read as %s with the right parameter count, agreeing with tfjs', async (file, format, params) => {
    const r = importKerasJson(fixture(file));
    if (!r.ok) throw new Error(r.reason);
    expect(r.format).toBe(format);
    const a = analyze(r.graph);
    expect(a.diagnostics).toEqual([]);
    expect(a.totals.total).toBe(params);
    const model = buildModel(tf, r.graph);
    expect(model.countParams()).toBe(params);
    model.dispose();
  });

  it('maps Keras 3 names tfjs lacks (silu → swish) and reads kernel_size given as one number', () => {
    const g = imported(fixture('keras3_functional_two_inputs.json')).graph;
    expect(g.nodes.find((n) => n.name === 'left_dense')!.params.activation).toBe('swish');
    const g2 = imported(fixture('keras2_model_functional.json')).graph;
    expect(g2.nodes.find((n) => n.name === 'conv_b')!.params.kernel_size).toEqual([5, 5]);
    expect(g2.nodes.find((n) => n.name === 'pool')!.params.strides).toBeNull();
  });

  it('keeps input order of merge layers and model inputs', () => {
    const g = imported(fixture('keras3_functional_two_inputs.json')).graph;
    expect(compared(g).inputs).toEqual(['concatenate ← left_dense, right', 'left ← ', 'left_dense ← left', 'out ← concatenate', 'right ← ']);
    expect(analyze(g).inputs.map((id) => g.nodes.find((n) => n.id === id)!.name)).toEqual(['left', 'right']);
  });
});

describe('shared layers in Keras JSON', () => {
  it('the siamese template exports one layer entry per shared layer with an inbound node per call, loads in tfjs, and round-trips', async () => {
    const g = tpl('siamese');
    const text = exported(g);
    const json = JSON.parse(text);
    const enc = json.config.layers.find((l: { name: string }) => l.name === 'encoder_embedding');
    expect(enc.inbound_nodes).toEqual([[['encoder_hidden', 0, 0, {}]], [['encoder_hidden', 1, 0, {}]]]);
    expect(json.config.layers.filter((l: { name: string }) => l.name === 'encoder_hidden')).toHaveLength(1);
    const model = (await tf.models.modelFromJSON(json)) as tf.LayersModel;
    expect(model.countParams()).toBe(analyze(g).totals.total);
    expect(model.getLayer('encoder_hidden').inboundNodes).toHaveLength(2);
    model.dispose();
    const back = imported(text).graph;
    expect(compared(back)).toEqual(compared(g));
    expect(back.nodes.filter((n) => n.name === 'encoder_hidden').map((n) => !!n.layerOf)).toEqual([false, true]);
  });
});

describe('nested models (a model used as a layer) are flattened', () => {
  it.each(['sequential', 'functional'] as const)("a %s tower called on two inputs becomes shared layers, with tfjs's parameter count", async (kind) => {
    const tower =
      kind === 'sequential'
        ? tf.sequential({
            name: 'tower',
            layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }), tf.layers.dense({ units: 3, name: 'embed' })],
          })
        : (() => {
            const x = tf.input({ shape: [4], name: 'tower_in' });
            const h = tf.layers.dense({ units: 8, activation: 'relu', name: 'hidden' }).apply(x) as tf.SymbolicTensor;
            return tf.model({ name: 'tower', inputs: x, outputs: tf.layers.dense({ units: 3, name: 'embed' }).apply(h) as tf.SymbolicTensor });
          })();
    const a = tf.input({ shape: [4], name: 'a' });
    const b = tf.input({ shape: [4], name: 'b' });
    const ya = tower.apply(a) as tf.SymbolicTensor;
    const yb = tower.apply(b) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ name: 'joined' }).apply([ya, yb]) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 1, activation: 'sigmoid', name: 'out' }).apply(joined) as tf.SymbolicTensor;
    const model = tf.model({ name: 'outer', inputs: [a, b], outputs: out });
    const json = JSON.stringify(model.toJSON(null, false));
    const count = model.countParams();
    model.dispose();
    const g = imported(json).graph;
    const an = analyze(g);
    expect(an.diagnostics).toEqual([]);
    expect(an.totals.total).toBe(count);
    expect(g.nodes.filter((n) => n.name === 'hidden')).toHaveLength(2);
    expect(compared(g).inputs).toEqual(expect.arrayContaining(['joined ← embed, embed', 'out ← joined']));
    const rebuilt = buildModel(tf, g);
    expect(rebuilt.countParams()).toBe(count);
    disposeModel(tf, rebuilt);
  });

  it('refuses a nested model that cannot be flattened, saying why', () => {
    const r = importKerasJson(
      JSON.stringify({
        class_name: 'Functional',
        config: {
          name: 'm',
          layers: [{ name: 'inner', class_name: 'Sequential', config: { name: 'inner', layers: [] }, inbound_nodes: [] }],
          input_layers: [],
          output_layers: [],
        },
      }),
    );
    expect(!r.ok && r.reason).toMatch(/nested model 'inner' has no layers/);
  });
});

describe('layers with several outputs in the form tfjs writes', () => {
  it("an LSTM's states started a second LSTM (apply with initialState) and are model outputs: import matches tfjs, export loads back in tfjs", async () => {
    const x = tf.input({ shape: [7, 5], name: 'x' });
    const [seq, h, c] = tf.layers.lstm({ units: 4, returnSequences: true, returnState: true, name: 'encoder' }).apply(x) as tf.SymbolicTensor[];
    const y = tf.layers.lstm({ units: 4, name: 'decoder' }).apply(seq, { initialState: [h, c] }) as tf.SymbolicTensor;
    const model = tf.model({ name: 'states', inputs: x, outputs: [c, y, h] });
    const topology = model.toJSON(null, false) as { config: { layers: { name: string; inbound_nodes: unknown }[]; output_layers: unknown } };
    // tfjs writes the states as further tensors of the decoder's node, each with its tensor index.
    expect(topology.config.layers.find((l) => l.name === 'decoder')!.inbound_nodes).toEqual([
      [
        ['encoder', 0, 0, {}],
        ['encoder', 0, 1, {}],
        ['encoder', 0, 2, {}],
      ],
    ]);
    expect(topology.config.output_layers).toEqual([
      ['encoder', 0, 2],
      ['decoder', 0, 0],
      ['encoder', 0, 1],
    ]);
    const count = model.countParams();
    const shapes = model.outputs.map((t) => t.shape);
    model.dispose();
    const g = imported(topology).graph;
    const a = analyze(g);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(count);
    const shapeOf = (t: { node: string; output: number }) => (t.output ? a.nodes.get(t.node)!.moreOutputs[t.output - 1] : a.nodes.get(t.node)!.outputShape);
    expect(a.outputTensors.map(shapeOf)).toEqual(shapes);
    const back = (await tf.models.modelFromJSON(JSON.parse(exported(g)))) as tf.LayersModel;
    expect([back.countParams(), back.outputs.map((t) => t.shape), back.outputNames]).toEqual([count, shapes, ['encoder', 'decoder', 'encoder']]);
    back.dispose();
  });
});

describe('MultiHeadAttention call arguments through the Keras 2 export', () => {
  it('a causal attention returning its scores loads in tfjs (call arguments in its config) with both outputs, shaped as the core says', async () => {
    const built = buildGraph('mha_scores', (b) => {
      const x = b.add('Input', { shape: [6, 8] }, 'x');
      const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4, use_causal_mask: true, return_attention_scores: true }, 'mha', [x]);
      b.add('Dense', { units: 3 }, 'head', [mha]);
    });
    // The scores are an output only when listed: the layer's first output is read by the Dense.
    const id = (name: string) => built.nodes.find((n) => n.name === name)!.id;
    const g: Graph = { ...built, outputs: [id('head'), { node: id('mha'), output: 1 }] };
    const { file } = asTfjsListForm(exported(g));
    const m = (await tf.models.modelFromJSON(file as Parameters<typeof tf.models.modelFromJSON>[0])) as tf.LayersModel;
    const a = analyze(g);
    const info = a.nodes.get(g.nodes.find((n) => n.name === 'mha')!.id)!;
    expect(m.getLayer('mha').outputShape).toEqual([info.outputShape, ...info.moreOutputs]);
    expect([m.outputNames, m.outputs.map((t) => t.shape), m.countParams()]).toEqual([['head', 'mha'], [[null, 6, 3], info.moreOutputs[0]], a.totals.total]);
    m.dispose();
  });
});
