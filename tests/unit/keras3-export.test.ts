/**
 * The Keras 3 form of the Keras JSON export (`exportKeras3Json`, src/core/serialize/kerasExport3.ts): the
 * layout Keras 3's own `model.to_json()` writes (checked against Keras 3.15 itself by the Keras oracle,
 * tests/keras/), and Layerlab reading both of its own exports back to the same graph.
 */
import { describe, expect, it } from 'vitest';
import { addNode, analyze, connect, exportedNode, exportKeras3Json, exportKerasJson, importKerasJson, TEMPLATES, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { LAYER_GRAPHS } from '../contract/layers/graphs';
import { callBeforeOwner, structure } from '../helpers/graphs';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The Keras 3 export of `g`, parsed. @throws Error with the exporter's reason when it refuses the graph. */
function keras3(g: Graph): Json {
  const r = exportKeras3Json(g);
  if (!r.ok) throw new Error(`${g.name}: ${r.reason}`);
  return JSON.parse(r.json) as Json;
}

/** A layer of a parsed export by its name. */
const layer = (model: Json, name: string): Json => (model.config.layers as Json[]).find((l) => l.config.name === name)!;

/** A tensor of an inbound node written as `layer[call][tensor] shape`. */
const tensorText = (t: Json) => `${t.config.keras_history[0]}[${t.config.keras_history[1]}][${t.config.keras_history[2]}] ${JSON.stringify(t.config.shape)}`;

/** Two inputs, a shared Dense called on each, a merge of both calls, a Bidirectional and a TimeDistributed layer, self- and cross-attention. */
const mixed = (): Graph =>
  buildGraph('mixed', (b) => {
    const left = b.add('Input', { shape: [6, 8] }, 'left');
    const right = b.add('Input', { shape: [4, 8] }, 'right');
    const shared = b.add('Dense', { units: 8, activation: 'relu' }, 'shared', [left]);
    const again = b.call(shared, [right]);
    const self = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4 }, 'self_att', [shared]);
    const cross = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4 }, 'cross_att', [self, again, right]);
    const bi = b.add('Bidirectional', { layer: 'LSTM', units: 3, return_sequences: true }, 'bi', [cross]);
    const td = b.add('TimeDistributed', { layer: 'Dense', units: 5 }, 'per_step', [bi]);
    const pooled = b.add('GlobalAveragePooling1D', {}, 'pool', [td]);
    const other = b.add('GlobalAveragePooling1D', {}, 'pool_right', [again]);
    b.add('Concatenate', { axis: -1 }, 'joined', [pooled, other]);
  });

describe('Keras 3 JSON export: the layout of Keras 3 `to_json()`', () => {
  it('a Functional model: module/class/registered_name, DTypePolicy, build_config, {args, kwargs} inbound nodes', () => {
    const g = mixed();
    const m = keras3(g);
    expect({ module: m.module, class_name: m.class_name, registered_name: m.registered_name, build_config: m.build_config }).toEqual({
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      registered_name: 'Functional',
      build_config: { input_shape: null },
    });
    expect(Object.keys(m.config)).toEqual(['name', 'trainable', 'layers', 'input_layers', 'output_layers']);
    // Several inputs: a list of triples; one output: one triple.
    expect(m.config.input_layers).toEqual([
      ['left', 0, 0],
      ['right', 0, 0],
    ]);
    expect(m.config.output_layers).toEqual(['joined', 0, 0]);
    const input = layer(m, 'left');
    expect(input).toEqual({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: { batch_shape: [null, 6, 8], dtype: 'float32', sparse: false, name: 'left' },
      registered_name: null,
      name: 'left',
      inbound_nodes: [],
    });
    const shared = layer(m, 'shared');
    expect(shared.config.dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
    expect(shared.config.kernel_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'GlorotUniform',
      config: { seed: null },
      registered_name: null,
    });
    expect(shared.build_config).toEqual({ input_shape: [null, 6, 8] });
    // A shared layer: one inbound node per call; the second call's output is shared[1][0].
    expect(shared.inbound_nodes.map((n: Json) => n.args.map(tensorText))).toEqual([['left[0][0] [null,6,8]'], ['right[0][0] [null,4,8]']]);
    expect(shared.inbound_nodes.map((n: Json) => n.kwargs)).toEqual([{}, {}]);
    // Self-attention: the tensor twice as positional arguments; cross-attention: query, value, key.
    const self = layer(m, 'self_att');
    expect(self.inbound_nodes[0].args.map(tensorText)).toEqual(['shared[0][0] [null,6,8]', 'shared[0][0] [null,6,8]']);
    expect(self.build_config).toEqual({ shapes_dict: { query_shape: [null, 6, 8], value_shape: [null, 6, 8] } });
    const cross = layer(m, 'cross_att');
    expect(cross.inbound_nodes[0].args.map(tensorText)).toEqual(['self_att[0][0] [null,6,8]', 'shared[1][0] [null,4,8]', 'right[0][0] [null,4,8]']);
    expect(cross.build_config).toEqual({ shapes_dict: { query_shape: [null, 6, 8], value_shape: [null, 4, 8], key_shape: [null, 4, 8] } });
    expect(cross.module).toBe('keras.layers');
    // Layerlab's importer recognises the form.
    const back = importKerasJson(JSON.stringify(m));
    expect(back.ok && back.format).toBe('Keras 3 Functional JSON');
    // A merge: the list is one argument.
    const joined = layer(m, 'joined');
    expect(joined.inbound_nodes[0].args.map((a: Json[]) => a.map(tensorText))).toEqual([['pool[0][0] [null,5]', 'pool_right[0][0] [null,8]']]);
    expect(joined.build_config).toEqual({
      input_shape: [
        [null, 5],
        [null, 8],
      ],
    });
  });

  it('wrappers: Bidirectional writes forward and backward layers, TimeDistributed its layer with the step shape', () => {
    const m = keras3(mixed());
    const bi = layer(m, 'bi').config;
    expect([bi.layer.module, bi.layer.class_name, bi.layer.config.name, bi.layer.config.go_backwards, bi.layer.build_config]).toEqual([
      'keras.layers',
      'LSTM',
      'forward_lstm',
      false,
      { input_shape: [null, 6, 8] },
    ]);
    expect([bi.backward_layer.class_name, bi.backward_layer.config.name, bi.backward_layer.config.go_backwards]).toEqual(['LSTM', 'backward_lstm', true]);
    expect(bi.layer.config.dtype.class_name).toBe('DTypePolicy');
    expect(bi.layer.config.recurrent_initializer.module).toBe('keras.initializers');
    const td = layer(m, 'per_step').config;
    expect([td.layer.class_name, td.layer.build_config]).toEqual(['Dense', { input_shape: [null, 6] }]);
  });

  it("wrapped layers are named as Keras names the generated code's unnamed layers; SpatialDropout writes dtype as a string and no trainable", () => {
    const g = buildGraph('names', (b) => {
      let x = b.add('Input', { shape: [6, 4] }, 'x');
      x = b.add('SpatialDropout1D', { rate: 0.1 }, 'sdrop', [x]);
      x = b.add('Bidirectional', { layer: 'LSTM', units: 3, return_sequences: true }, 'bi1', [x]);
      x = b.add('Bidirectional', { layer: 'LSTM', units: 3, return_sequences: true }, 'bi2', [x]);
      b.add('TimeDistributed', { layer: 'Dense', units: 2 }, 'td', [x]);
    });
    const m = keras3(g);
    expect([layer(m, 'bi1').config.layer.config.name, layer(m, 'bi1').config.backward_layer.config.name]).toEqual(['forward_lstm', 'backward_lstm']);
    expect([layer(m, 'bi2').config.layer.config.name, layer(m, 'bi2').config.backward_layer.config.name]).toEqual(['forward_lstm_1', 'backward_lstm_1']);
    expect(layer(m, 'td').config.layer.config.name).toBe('dense');
    const sdrop = layer(m, 'sdrop').config;
    expect(sdrop.dtype).toBe('float32');
    expect(sdrop).not.toHaveProperty('trainable');
  });

  it('a Sequential model: its InputLayer first, dtype and build_input_shape in its config, build_config on it and on each layer', () => {
    const g = buildGraph('chain', (b) => {
      let x = b.add('Input', { shape: [4] }, 'x');
      x = b.add('Dense', { units: 3 }, 'd', [x]);
      b.add('ThresholdedReLU', { theta: 0.5 }, 'thr', [x]);
    });
    const m = keras3(g);
    expect([m.module, m.class_name, m.registered_name, m.build_config]).toEqual(['keras', 'Sequential', null, { input_shape: [null, 4] }]);
    expect(Object.keys(m.config)).toEqual(['name', 'trainable', 'dtype', 'layers', 'build_input_shape']);
    expect(m.config.build_input_shape).toEqual([null, 4]);
    expect(m.config.layers.map((l: Json) => [l.class_name, l.config.name, l.build_config ?? null])).toEqual([
      ['InputLayer', 'x', null],
      ['Dense', 'd', { input_shape: [null, 4] }],
      // Keras 3 has no ThresholdedReLU: the class the Python code writes.
      ['ReLU', 'thr', { input_shape: [null, 3] }],
    ]);
    expect(m.config.layers[2].config).toMatchObject({ threshold: 0.5 });
  });

  it('refuses a graph with errors, saying which problem, as the Keras 2 form does', () => {
    const g = buildGraph('bad', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      b.add('Conv2D', { filters: 2, kernel_size: [3, 3] }, 'conv', [x]);
    });
    const r = exportKeras3Json(g);
    const two = exportKerasJson(g);
    expect(r.ok).toBe(false);
    expect(r).toEqual(two);
    if (!r.ok) expect(r.reason).toMatch(/^Fix the problem first: .*conv/);
    expect(exportKeras3Json({ name: 'empty', nodes: [], edges: [] })).toEqual({ ok: false, reason: 'The model has no layers to export.' });
  });
});

/**
 * Keras 3.15's own `to_json()` of Input(4) → Dense(4) → Lambda(lambda t: t * 2.0, output_shape=(4,)) → Dense(2),
 * as Keras wrote it (the Lambda's code is marshalled Python, base64).
 */
const KERAS3_LAMBDA = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'lam',
    trainable: true,
    layers: [
      {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'x', optional: false },
        registered_name: null,
        name: 'x',
        inbound_nodes: [],
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          name: 'd',
          trainable: true,
          dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          units: 4,
          activation: 'linear',
          use_bias: true,
          kernel_initializer: {
            module: 'keras.initializers',
            class_name: 'GlorotUniform',
            config: { seed: null, input_axes: null, output_axes: null },
            registered_name: null,
          },
          bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
          kernel_regularizer: null,
          bias_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          quantization_config: null,
        },
        registered_name: null,
        build_config: { input_shape: [null, 4] },
        name: 'd',
        inbound_nodes: [{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['x', 0, 0] } }], kwargs: {} }],
      },
      {
        module: 'keras.layers',
        class_name: 'Lambda',
        config: {
          name: 'double',
          trainable: true,
          dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          function: {
            class_name: '__lambda__',
            config: {
              code: '4wEAAAAAAAAAAAAAAAIAAAADAAAA8wwAAACXAHwAZAF6BQAAUwApAk7nAAAAAAAAAECpACkB2gF0\ncwEAAAAg+g0vdG1wL2UzL3MzLnB5+gg8bGFtYmRhPnIGAAAABwAAAHMKAAAAgACYQaADmUeAAPMA\nAAAA\n',
              defaults: null,
              closure: null,
            },
          },
          output_shape: [4],
          arguments: {},
        },
        registered_name: null,
        build_config: { input_shape: [null, 4] },
        name: 'double',
        inbound_nodes: [
          { args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['d', 0, 0] } }], kwargs: { mask: null } },
        ],
      },
      {
        module: 'keras.layers',
        class_name: 'Dense',
        config: {
          name: 'out',
          trainable: true,
          dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null },
          units: 2,
          activation: 'linear',
          use_bias: true,
          kernel_initializer: {
            module: 'keras.initializers',
            class_name: 'GlorotUniform',
            config: { seed: null, input_axes: null, output_axes: null },
            registered_name: null,
          },
          bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
          kernel_regularizer: null,
          bias_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          quantization_config: null,
        },
        registered_name: null,
        build_config: { input_shape: [null, 4] },
        name: 'out',
        inbound_nodes: [
          { args: [{ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['double', 0, 0] } }], kwargs: {} },
        ],
      },
    ],
    input_layers: ['x', 0, 0],
    output_layers: ['out', 0, 0],
  },
  registered_name: 'Functional',
  build_config: { input_shape: null },
  compile_config: {},
};

describe('a layer Layerlab keeps as its file wrote it (an opaque Lambda)', () => {
  it('goes back into the Keras 3 form as Keras wrote it: module, class, config, registered_name, build_config', () => {
    const r = importKerasJson(JSON.stringify(KERAS3_LAMBDA));
    if (!r.ok) throw new Error(r.reason);
    const original = KERAS3_LAMBDA.config.layers.find((l) => l.name === 'double')!;
    const { inbound_nodes: originalNodes, name: _name, ...originalEntry } = original;
    // A chain: the export writes it as a Sequential model (no inbound nodes).
    const m = keras3(r.graph);
    expect(m.class_name).toBe('Sequential');
    expect(layer(m, 'double')).toEqual(originalEntry);
    // As a Functional model (a second output makes it one): the same entry and the same call.
    const branched = addNode(r.graph, 'Dense', { x: 0, y: 0 }, { name: 'side' });
    const from = r.graph.nodes.find((n) => n.name === 'd')!.id;
    const wired = connect(branched.graph, from, branched.node.id);
    if (!wired.ok) throw new Error(wired.reason);
    const f = keras3(wired.graph);
    expect(f.class_name).toBe('Functional');
    const { inbound_nodes: nodes, ...entry } = layer(f, 'double');
    expect(entry).toEqual({ ...originalEntry, name: 'double' });
    // Keras's `mask: null` keyword is not written (Keras recomputes masks); the tensor is the same.
    expect(nodes).toEqual(originalNodes.map((n) => ({ ...n, kwargs: {} })));
    for (const model of [m, f]) {
      const back = importKerasJson(JSON.stringify(model));
      if (!back.ok) throw new Error(back.reason);
      expect(structure(back.graph).nodes.double).toEqual(structure(r.graph).nodes.double);
    }
  });

  it('a Lambda from a Keras 2 file (no module) is written with module keras.layers', () => {
    const k2 = JSON.parse(JSON.stringify(KERAS3_LAMBDA)) as Json;
    const double = (k2.config.layers as Json[]).find((l) => l.name === 'double')!;
    delete double.module;
    delete double.registered_name;
    delete double.build_config;
    const r = importKerasJson(JSON.stringify(k2));
    if (!r.ok) throw new Error(r.reason);
    const entry = layer(keras3(r.graph), 'double');
    expect([entry.module, entry.class_name, entry.config.output_shape, 'registered_name' in entry]).toEqual(['keras.layers', 'Lambda', [4], false]);
  });
});

describe('Layerlab reads its own export back in both forms', () => {
  const graphs: { id: string; graph: Graph }[] = [
    ...TEMPLATES.map((t) => ({ id: `template:${t.id}`, graph: t.build() })),
    ...LAYER_GRAPHS.map((t) => ({ id: `layers:${t.id}`, graph: t.build() })),
    { id: 'mixed', graph: mixed() },
    { id: 'call-before-owner', graph: callBeforeOwner() },
  ];
  /** The Keras 2 form writes a Reshape's −1 as the size it stands for (tfjs cannot load it); the Keras 3 form keeps it. */
  const resolved = (g: Graph): Graph => {
    const a = analyze(g);
    return { ...g, nodes: g.nodes.map((n) => exportedNode(n, a.nodes.get(n.id)!.inputShapes)) };
  };
  for (const [form, write, expected] of [
    ['Keras 3', exportKeras3Json, (g: Graph) => g],
    ['Keras 2', exportKerasJson, resolved],
  ] as const)
    it(`${form}: every template and layer-kind graph comes back with the same layers, parameters, connections and totals`, () => {
      for (const { id, graph } of graphs) {
        const r = write(graph);
        if (!r.ok) throw new Error(`${id}: ${r.reason}`);
        const back = importKerasJson(r.json);
        if (!back.ok) throw new Error(`${id} (${form}): ${back.reason}`);
        expect({ id, ...structure(back.graph) }).toEqual({ id, ...structure(expected(graph)) });
        expect({ id, totals: analyze(back.graph).totals }).toEqual({ id, totals: analyze(graph).totals });
      }
    });
});
