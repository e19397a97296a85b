/**
 * Import that never shows a wrong number (issue 8): hand-written Keras files (the forms of
 * docs/keras-facts.md §1) whose `input_layers` / `output_layers`, nested Sequentials and shape-relevant settings used to be
 * ignored. tfjs is the oracle: each file tfjs can load is loaded with `tf.models.modelFromJSON` (cpu) and
 * its inputs, outputs (names, in order), per-layer output shapes and counts, trainable count and total are
 * compared with Layerlab's `analyze` / `summarize` after import, and with the model Layerlab builds.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { analyze, exportKerasJson, importKerasJson, summarize, type Graph } from '../../src/core';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { LAYER_GRAPHS } from './layers/graphs';
import { imported, inp, lay, type Json } from '../helpers/kerasJson';
import { cpuBackend, weightCount } from '../helpers/tfjs';

beforeAll(cpuBackend);

const dense = (name: string, units: number, ...from: string[]) => lay('Dense', name, { units, activation: 'linear', use_bias: true }, ...from);
const functional = (layers: Json[], ins: string[], outs: (string | [string, number, number])[]): Json => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: ins.map((n) => [n, 0, 0]), output_layers: outs.map((o) => (Array.isArray(o) ? o : [o, 0, 0])) },
  keras_version: '2.15.0',
  backend: 'tensorflow',
});

/** The same model in Keras 3's form: `batch_shape`, DTypePolicy dicts, dict-form inbound nodes (tfjs cannot load it). */
function asKeras3(obj: Json): Json {
  const c = obj.config as { layers: Json[] };
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const layers = c.layers.map((l) => {
    const { batch_input_shape, ...config } = l.config as Json;
    const cfg = l.class_name === 'InputLayer' ? { ...config, batch_shape: batch_input_shape } : { ...config, dtype: policy };
    const nodes = (l.inbound_nodes as unknown[][][]).map((node) => ({
      args: [node.length === 1 ? tensor(node[0]) : node.map(tensor)],
      kwargs: {},
    }));
    return { module: 'keras.layers', ...l, config: cfg, inbound_nodes: nodes };
  });
  return { module: 'keras', class_name: 'Functional', config: { ...(obj.config as Json), layers, trainable: true }, registered_name: 'Functional' };
}
const tensor = (ref: unknown[]) => ({ class_name: '__keras_tensor__', config: { shape: [null, 1], dtype: 'float32', keras_history: ref.slice(0, 3) } });

const names = (g: Graph, ids: readonly string[]) => ids.map((id) => g.nodes.find((n) => n.id === id)!.name);

/**
 * Loads `obj` in tfjs and compares it with Layerlab's import: inputs and outputs in order, every layer's
 * output shape and count, trainable count and total; then builds Layerlab's graph in tfjs and compares again.
 */
async function sameAsTfjs(obj: Json): Promise<{ graph: Graph; warnings: readonly string[]; outputs: string[] }> {
  const m = (await tf.models.modelFromJSON(obj as never)) as tf.LayersModel;
  const { graph, warnings } = imported(obj);
  const a = analyze(graph);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const tfIns = m.inputs.map((t) => t.sourceLayer.name);
  const tfOuts = m.outputs.map((t) => t.sourceLayer.name);
  expect(names(graph, a.inputs)).toEqual(tfIns);
  expect(names(graph, a.outputs)).toEqual(tfOuts);
  expect(a.totals.total).toBe(m.countParams());
  expect(a.totals.trainable).toBe(m.trainableWeights.reduce((s, w) => s + w.shape.reduce((x: number, y) => x * (y ?? 1), 1), 0));
  const summary = summarize(graph, a);
  const rows = summary.rows;
  for (const l of m.layers) {
    const row = rows.find((r) => r.name === l.name);
    if (l.getClassName() === 'InputLayer' && !row) continue;
    expect([l.name, row?.outputShape, row?.params]).toEqual([l.name, l.outputShape, l.countParams()]);
  }
  // A single chain is summarised as Keras prints a Sequential model: without the InputLayer row.
  // tfjs leaves an unused model input out of model.layers (Layerlab's summary lists it last, to be seen).
  const unusedInputs = rows.filter((r) => r.className === 'InputLayer' && tfIns.includes(r.name) && !m.layers.some((l) => l.name === r.name));
  expect(rows.length - unusedInputs.length).toBe(m.layers.filter((l) => !(summary.sequential && l.getClassName() === 'InputLayer')).length);
  m.dispose();
  const built = buildModel(tf, graph);
  // tf.sequential names its implicit input '<first layer>_input'; a Functional build keeps the names.
  if (summary.sequential) expect(built.inputs.length).toBe(tfIns.length);
  else expect(built.inputs.map((t) => t.sourceLayer.name)).toEqual(tfIns);
  expect(built.outputs.map((t) => t.sourceLayer.name)).toEqual(tfOuts);
  expect(built.countParams()).toBe(a.totals.total);
  disposeModel(tf, built);
  return { graph, warnings, outputs: tfOuts };
}

describe('input_layers and output_layers are honoured', () => {
  it('keeps an output that another layer also reads (tfjs: 2 outputs)', async () => {
    const obj = functional([inp('x', [4]), dense('mid', 3, 'x'), dense('top', 2, 'mid')], ['x'], ['mid', 'top']);
    const r = await sameAsTfjs(obj);
    expect(r.outputs).toEqual(['mid', 'top']);
    expect(r.graph.outputs).toBeDefined();
    // The same in Keras 3's form.
    const k3 = imported(asKeras3(obj));
    expect(names(k3.graph, analyze(k3.graph).outputs)).toEqual(['mid', 'top']);
  });

  it('leaves out a dead head missing from output_layers, naming it (36 parameters, not 536)', async () => {
    const obj = functional([inp('x', [8]), dense('head', 4, 'x'), dense('dead', 50, 'x')], ['x'], ['head']);
    const r = await sameAsTfjs(obj);
    expect(analyze(r.graph).totals.total).toBe(36);
    expect(r.graph.nodes.map((n) => n.name)).not.toContain('dead');
    expect(r.warnings.join(' ')).toMatch(/Left out 1 layer that no output of the model depends on \('dead'\)/);
  });

  it('keeps reversed input and output orders (no silent swap in code or export)', async () => {
    const layers = [inp('a', [3]), inp('b', [5]), lay('Concatenate', 'cat', { axis: -1 }, 'a', 'b'), dense('p', 2, 'cat'), dense('q', 1, 'cat')];
    const obj = functional(layers, ['b', 'a'], ['q', 'p']);
    const r = await sameAsTfjs(obj);
    expect(r.outputs).toEqual(['q', 'p']);
    // The export writes the same order, and tfjs reads it back the same.
    const ex = exportKerasJson(r.graph);
    if (!ex.ok) throw new Error(ex.reason);
    const back = JSON.parse(ex.json);
    expect(back.config.input_layers.map((x: unknown[]) => x[0])).toEqual(['b', 'a']);
    expect(back.config.output_layers.map((x: unknown[]) => x[0])).toEqual(['q', 'p']);
    await sameAsTfjs(back);
    // Keras 3 form: same order.
    const k3 = imported(asKeras3(obj)).graph;
    const a3 = analyze(k3);
    expect([names(k3, a3.inputs), names(k3, a3.outputs)]).toEqual([
      ['b', 'a'],
      ['q', 'p'],
    ]);
  });

  it('leaves out an unused InputLayer that is not in input_layers, with a warning', async () => {
    const obj = functional([inp('x', [4]), inp('spare', [7]), dense('d', 2, 'x')], ['x'], ['d']);
    const r = await sameAsTfjs(obj);
    expect(r.graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['x']);
    expect(r.warnings.join(' ')).toMatch(/unused InputLayer 'spare'/);
  });

  it('keeps an unused InputLayer that input_layers lists (tfjs keeps it as a model input)', async () => {
    const r = await sameAsTfjs(functional([inp('x', [4]), inp('extra', [2]), dense('d', 2, 'x')], ['x', 'extra'], ['d']));
    expect(r.graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['x', 'extra']);
  });

  it('refuses an output listed twice, naming it', () => {
    const obj = functional([inp('x', [4]), dense('d', 2, 'x')], ['x'], ['d', 'd']);
    const r = importKerasJson(JSON.stringify(obj));
    expect(!r.ok && r.reason).toMatch(/lists 'd' twice among its outputs/);
  });

  it('a shared layer whose second call is the output keeps its first call only where an output needs it', async () => {
    const layers = [inp('x', [4]), { ...dense('s', 4, 'x'), inbound_nodes: [[['x', 0, 0, {}]], [['s', 0, 0, {}]]] }, dense('out', 2, 's')];
    (layers[2] as { inbound_nodes: unknown }).inbound_nodes = [[['s', 1, 0, {}]]];
    await sameAsTfjs(functional(layers, ['x'], ['out']));
  });
});

describe('a Sequential nested in a Sequential (transfer learning) is flattened', () => {
  const base = {
    class_name: 'Sequential',
    config: {
      name: 'base',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, name: 'base_in' } },
        {
          class_name: 'Conv2D',
          config: {
            name: 'c1',
            trainable: true,
            dtype: 'float32',
            filters: 4,
            kernel_size: [3, 3],
            strides: [1, 1],
            padding: 'valid',
            data_format: 'channels_last',
            dilation_rate: [1, 1],
            groups: 1,
            activation: 'relu',
            use_bias: true,
          },
        },
        { class_name: 'Flatten', config: { name: 'flat', trainable: true, dtype: 'float32', data_format: 'channels_last' } },
      ],
    },
  };
  it("imports with tfjs's counts and shapes", async () => {
    const outer = {
      class_name: 'Sequential',
      config: { name: 'outer', layers: [base, { class_name: 'Dense', config: { name: 'cls', units: 3, activation: 'softmax', use_bias: true } }] },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const m = (await tf.models.modelFromJSON(outer as never)) as tf.LayersModel;
    const { graph } = imported(outer);
    const a = analyze(graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(m.countParams());
    expect(a.nodes.get(a.outputs[0])!.outputShape).toEqual(m.outputs[0].shape);
    const built = buildModel(tf, graph);
    expect(built.countParams()).toBe(m.countParams());
    disposeModel(tf, built);
    m.dispose();
  });

  it('also two levels deep, and with an InputLayer before the nested model', async () => {
    const mid = { class_name: 'Sequential', config: { name: 'mid', layers: [base, { class_name: 'Dense', config: { name: 'hidden', units: 5 } }] } };
    const outer = {
      class_name: 'Sequential',
      config: {
        name: 'outer',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 3], name: 'pic' } },
          mid,
          { class_name: 'Dense', config: { name: 'cls', units: 2 } },
        ],
      },
    };
    const m = (await tf.models.modelFromJSON(outer as never)) as tf.LayersModel;
    const { graph } = imported(outer);
    expect(analyze(graph).totals.total).toBe(m.countParams());
    m.dispose();
  });

  it("reads a frozen nested model (trainable=false): its layers frozen (tfjs and Keras 3 read only the layers' own flags)", async () => {
    // As Keras writes it after base.trainable = False: the nested model's flag and each layer's.
    const layers = base.config.layers.map((l) => (l.class_name === 'InputLayer' ? l : { ...l, config: { ...l.config, trainable: false } }));
    const frozen = { ...base, config: { ...base.config, trainable: false, layers } };
    const file = { class_name: 'Sequential', config: { name: 'o', layers: [frozen, { class_name: 'Dense', config: { name: 'd', units: 2 } }] } };
    const { graph } = imported(file);
    expect(graph.nodes.filter((n) => n.kind !== 'Input' && n.name !== 'd').every((n) => n.trainable === false)).toBe(true);
    const m = (await tf.models.modelFromJSON(file as never)) as tf.LayersModel;
    try {
      const a = analyze(graph);
      expect(a.totals).toEqual({ total: m.countParams(), trainable: weightCount(m.trainableWeights), nonTrainable: weightCount(m.nonTrainableWeights) });
      expect(a.totals.nonTrainable).toBeGreaterThan(0);
    } finally {
      m.dispose();
    }
  });
});

describe('shape-relevant settings: modelled exactly or refused', () => {
  it("accepts BatchNormalization axis=3 (= −1) and [3] on a rank-4 input with tfjs's count, refuses axis=1", async () => {
    for (const axis of [3, [3], -1]) {
      const obj = functional(
        [inp('x', [6, 6, 3]), lay('BatchNormalization', 'bn', { axis, momentum: 0.99, epsilon: 0.001, center: true, scale: true }, 'x')],
        ['x'],
        ['bn'],
      );
      await sameAsTfjs(obj);
    }
    const bad = functional([inp('x', [3, 32, 32]), lay('BatchNormalization', 'bn', { axis: 1 }, 'x')], ['x'], ['bn']);
    const r = importKerasJson(JSON.stringify(bad));
    expect(!r.ok && r.reason).toMatch(/Layer 'bn' \(BatchNormalization\) uses axis=1, which Layerlab does not model yet/);
  });

  it('refuses channels_first (tfjs: 448 parameters on [3, 32, 32]; Layerlab would count 4,624)', () => {
    const obj = functional(
      [inp('x', [3, 32, 32]), lay('Conv2D', 'conv1', { filters: 16, kernel_size: [3, 3], data_format: 'channels_first' }, 'x')],
      ['x'],
      ['conv1'],
    );
    const r = importKerasJson(JSON.stringify(obj));
    expect(!r.ok && r.reason).toMatch(/Layer 'conv1' \(Conv2D\) uses data_format='channels_first', which Layerlab does not model yet/);
  });

  it("accepts Embedding input_length equal to the input length with tfjs's count, refuses another", async () => {
    const ok = functional([inp('ids', [12]), lay('Embedding', 'emb', { input_dim: 100, output_dim: 4, input_length: 12 }, 'ids')], ['ids'], ['emb']);
    await sameAsTfjs(ok);
    const bad = functional([inp('ids', [12]), lay('Embedding', 'emb', { input_dim: 100, output_dim: 4, input_length: 30 }, 'ids')], ['ids'], ['emb']);
    const r = importKerasJson(JSON.stringify(bad));
    expect(!r.ok && r.reason).toMatch(/'emb' \(Embedding\) uses input_length=30/);
  });
});

describe("tfjs's own model.json of a model with reversed inputs and an output another layer reads", () => {
  it("imports with tfjs's inputs and outputs in order", async () => {
    const layers = [inp('a', [3]), inp('b', [5]), lay('Concatenate', 'cat', { axis: -1 }, 'a', 'b'), dense('p', 2, 'cat'), dense('q', 1, 'p')];
    const m = (await tf.models.modelFromJSON(functional(layers, ['b', 'a'], ['q', 'p']) as never)) as tf.LayersModel;
    const modelJson = {
      modelTopology: m.toJSON(null, false),
      format: 'layers-model',
      generatedBy: 'TensorFlow.js tfjs-layers v4.22.0',
      convertedBy: null,
      weightsManifest: [],
    };
    const { graph } = imported(modelJson);
    const a = analyze(graph);
    expect([names(graph, a.inputs), names(graph, a.outputs)]).toEqual([m.inputs.map((t) => t.sourceLayer.name), m.outputs.map((t) => t.sourceLayer.name)]);
    expect(a.totals.total).toBe(m.countParams());
    m.dispose();
  });
});

/**
 * Files Keras 3.15 wrote itself (tests/fixtures/keras/gen_keras3.py: every layer kind, a Sequential nested in
 * a Sequential, reversed inputs, an output another layer reads), with Keras's own counts, inputs and outputs
 * in keras3_generated.meta.json (tfjs cannot load Keras 3 files; Keras is the oracle here).
 */
describe('files written by Keras 3 itself', () => {
  const dir = new URL('../fixtures/keras/', import.meta.url);
  const meta = JSON.parse(readFileSync(new URL('keras3_generated.meta.json', dir), 'utf8')) as Record<
    string,
    { total: number; trainable: number; inputs: string[]; outputs: string[] }
  >;
  it.each(Object.entries(meta))("%s imports with Keras's counts, inputs and outputs, without a warning", (file, k) => {
    const r = imported(JSON.parse(readFileSync(new URL(file, dir), 'utf8')));
    const a = analyze(r.graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect([a.totals.total, a.totals.trainable]).toEqual([k.total, k.trainable]);
    expect([names(r.graph, a.inputs), names(r.graph, a.outputs)]).toEqual([k.inputs, k.outputs]);
  });
});

/**
 * What tfjs writes for models using every layer kind: every config key it writes is accounted for, and the
 * import means what tfjs itself reads back from the same file. (Compared with tfjs's reload, not with the
 * model that wrote it: tfjs 4.22's SeparableConv2D.getConfig omits depth_multiplier, so its own file
 * reloads with depth_multiplier 1 — in tfjs as in Layerlab.)
 */
describe.each(LAYER_GRAPHS.map((g) => [g.id, g] as const))('tfjs toJSON of %s', (_id, g) => {
  it('imports without a refusal or warning, with the count, inputs and outputs tfjs reads from it', async () => {
    const graph = g.build();
    const model = buildModel(tf, graph);
    const json = model.toJSON(null, false) as Json;
    disposeModel(tf, model);
    const r = await sameAsTfjs(json);
    // The one note such a file gets: a SeparableConv2D's depth_multiplier, which it does not say (no weights manifest).
    const seps = graph.nodes.filter((n) => n.kind === 'SeparableConv2D' && !n.layerOf).map((n) => n.name);
    expect(r.warnings).toEqual(
      seps.map((name) => expect.stringMatching(new RegExp(`^Layer '${name}' \\(SeparableConv2D\\): the file does not say its depth_multiplier`))),
    );
  });
});
