/**
 * Keras and tfjs JSON of layers with several outputs (issue 10): an edge reads output k of its source (Keras's
 * tensor_index), a recurrent layer takes initial states as inputs 2…, MultiHeadAttention's call arguments
 * (use_causal_mask, return_attention_scores) are parameters, output_layers may name one output of a layer.
 * Read in every form (Keras 2 / tfjs nested lists, Keras 3 `{args, kwargs}` with `initial_state`), written in both
 * export forms, and round-tripped. The Keras 3 files are Keras 3.15's own `to_json()` (tests/fixtures/keras/
 * gen_keras3_multi.py), with Keras's counts and output tensors in keras3_multi.meta.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, exportKeras3Json, exportKerasJson, importKerasJson, outputRef, type Graph, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { structure } from '../helpers/graphs';
import { exported, imported, inp, lay, type Json } from '../helpers/kerasJson';
import { LEAKS } from '../helpers/messages';
import { tpl } from '../helpers/templates';

const fixture = (f: string) => readFileSync(new URL(`../fixtures/keras/${f}`, import.meta.url), 'utf8');
const meta = JSON.parse(fixture('keras3_multi.meta.json')) as Record<
  string,
  { total: number; trainable: number; inputs: string[]; outputs: [string, number][]; output_shapes: Shape[] }
>;

/** The model's output tensors as [layer name, tensor index], and their shapes (from the core). */
function outputsOf(g: Graph): { tensors: [string, number][]; shapes: (Shape | null)[] } {
  const a = analyze(g);
  const name = (id: string) => g.nodes.find((n) => n.id === id)!.name;
  return {
    tensors: a.outputTensors.map((t) => [name(t.node), t.output]),
    shapes: a.outputTensors.map((t) => {
      const info = a.nodes.get(t.node)!;
      return t.output ? (info.moreOutputs[t.output - 1] ?? null) : info.outputShape;
    }),
  };
}

/** The inputs of the node named `name`, in order, as `source[tensor index]`. */
const inputsOf = (g: Graph, name: string) => {
  const id = g.nodes.find((n) => n.name === name)!.id;
  return g.edges.filter((e) => e.target === id).map((e) => `${g.nodes.find((n) => n.id === e.source)!.name}[${e.output ?? 0}]`);
};

function refused(file: unknown): string {
  const r = importKerasJson(typeof file === 'string' ? file : JSON.stringify(file));
  if (r.ok) throw new Error('the file was accepted');
  expect(r.reason).not.toMatch(LEAKS);
  return r.reason;
}

const functional = (layers: Json[], ins: string[], outs: [string, number][]): Json => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: ins.map((n) => [n, 0, 0]), output_layers: outs.map(([n, t]) => [n, 0, t]) },
});

/** A layer entry called once on the given tensors [layer, tensor index], with `kwargs` on each (tf.keras 2's form). */
const call = (cls: string, name: string, config: Json, from: [string, number][], kwargs: Json = {}): Json => ({
  ...lay(cls, name, config),
  inbound_nodes: [from.map(([f, t]) => [f, 0, t, kwargs])],
});

describe("Keras 3's own to_json() of models with several outputs imports with Keras's counts and output tensors", () => {
  it.each(Object.keys(meta))('%s', (file) => {
    const want = meta[file];
    const g = imported(fixture(file)).graph;
    const a = analyze(g);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(want.total);
    expect(a.totals.trainable).toBe(want.trainable);
    expect(a.inputs.map((id) => g.nodes.find((n) => n.id === id)!.name)).toEqual(want.inputs);
    const out = outputsOf(g);
    // A nested model's outputs are its inner layers' after flattening: compared by shape there.
    if (file !== 'keras3_nested_states.json') expect(out.tensors).toEqual(want.outputs);
    expect(out.shapes).toEqual(want.output_shapes);
  });

  it('the encoder-decoder: the decoder reads the embedding, then the encoder states (kwargs initial_state) as inputs 2 and 3', () => {
    const g = imported(fixture('keras3_encoder_decoder.json')).graph;
    expect(inputsOf(g, 'decoder')).toEqual(['decoder_embedding[0]', 'encoder[1]', 'encoder[2]']);
    expect(g.nodes.find((n) => n.name === 'encoder')!.params.return_state).toBe(true);
    expect(g.outputs).toBeUndefined();
    // The same graph as the template, which was built from Keras's RNN guide.
    expect(structure(g)).toEqual(structure(tpl('encoder-decoder')));
  });

  it("MultiHeadAttention's call kwargs use_causal_mask and return_attention_scores become its parameters; output_layers keeps [mha, 0, 1] first", () => {
    const g = imported(fixture('keras3_mha_scores.json')).graph;
    const mha = g.nodes.find((n) => n.name === 'mha')!;
    expect([mha.params.use_causal_mask, mha.params.return_attention_scores]).toEqual([true, true]);
    expect(g.outputs?.map(outputRef)).toEqual([
      { node: mha.id, output: 1 },
      { node: g.nodes.find((n) => n.name === 'head')!.id, output: 0 },
    ]);
  });

  it("a GRU's state read by a second GRU (initial_state=[h]) and listed as an output", () => {
    const g = imported(fixture('keras3_gru_state.json')).graph;
    expect(inputsOf(g, 'gru_b')).toEqual(['gru_a[0]', 'gru_a[1]']);
  });

  it("a nested model whose outputs are an LSTM's output and states: the outer layer reads the states it read", () => {
    const g = imported(fixture('keras3_nested_states.json')).graph;
    expect(inputsOf(g, 'joined')).toEqual(['inner_lstm[1]', 'inner_lstm[2]']);
    expect(g.nodes.find((n) => n.name === 'inner_lstm')!.params.return_state).toBe(true);
  });

  it('refuses initial states passed to a layer that takes none here (a Bidirectional), naming it', () => {
    const file = JSON.parse(fixture('keras3_encoder_decoder.json'));
    const decoder = file.config.layers.find((l: Json) => l.name === 'decoder');
    decoder.class_name = 'Bidirectional';
    decoder.config = { name: 'decoder', merge_mode: 'concat', layer: { class_name: 'LSTM', config: { name: 'forward', units: 64 } } };
    expect(refused(file)).toContain("'decoder' is called with initial_state tensors; Layerlab models initial states only on LSTM, GRU and SimpleRNN");
  });

  it('a nested model keeps the initial states (kwargs) and the call arguments of the layers inside it when flattened', () => {
    const g = imported(fixture('keras3_nested_calls.json')).graph;
    expect(inputsOf(g, 'nested_dec')).toEqual(['nested_enc[0]', 'nested_enc[1]', 'nested_enc[2]']);
    expect(g.nodes.find((n) => n.name === 'nested_mha')!.params.use_causal_mask).toBe(true);
  });
});

describe('the Keras 2 / tfjs form (nested lists, tensor_index in each reference)', () => {
  const encoderDecoder = (decoderInputs: [string, number][], outs: [string, number][] = [['dense', 0]]) =>
    functional(
      [
        inp('enc_in', [7, 5]),
        call('LSTM', 'encoder', { units: 4, return_state: true }, [['enc_in', 0]]),
        inp('dec_in', [6, 5]),
        call('LSTM', 'decoder', { units: 4 }, decoderInputs),
        call('Dense', 'dense', { units: 2 }, [['decoder', 0]]),
      ],
      ['enc_in', 'dec_in'],
      outs,
    );

  it('initial states as further tensors of the node ([x, h, c]) become inputs 2 and 3 with their tensor index', () => {
    const g = imported(
      encoderDecoder([
        ['dec_in', 0],
        ['encoder', 1],
        ['encoder', 2],
      ]),
    ).graph;
    expect(inputsOf(g, 'decoder')).toEqual(['dec_in[0]', 'encoder[1]', 'encoder[2]']);
    // LSTM(4) on 5 features: 4 gates · (4 · (5 + 4) + 4) = 160, twice; Dense(2) on 4: 10.
    expect(analyze(g).totals.total).toBe(2 * 160 + 10);
  });

  it('output_layers entries with a tensor index become Graph.outputs { node, output }, in the file order', () => {
    const g = imported(
      encoderDecoder(
        [
          ['dec_in', 0],
          ['encoder', 1],
          ['encoder', 2],
        ],
        [
          ['encoder', 2],
          ['dense', 0],
          ['encoder', 1],
        ],
      ),
    ).graph;
    expect(outputsOf(g).tensors).toEqual([
      ['encoder', 2],
      ['dense', 0],
      ['encoder', 1],
    ]);
    const ex = JSON.parse(exported(g)).config.output_layers;
    expect(ex).toEqual([
      ['encoder', 0, 2],
      ['dense', 0, 0],
      ['encoder', 0, 1],
    ]);
  });

  it('MultiHeadAttention call arguments in the kwargs dict of each tensor (tf.keras 2) are read', () => {
    const file = functional(
      [inp('x', [6, 8]), call('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4 }, [['x', 0]], { value: ['x', 0, 0], use_causal_mask: true })],
      ['x'],
      [['mha', 0]],
    );
    const mha = imported(file).graph.nodes.find((n) => n.name === 'mha')!;
    expect([mha.params.use_causal_mask, mha.params.return_attention_scores]).toEqual([true, false]);
  });

  it('the same arguments in the layer config (as tfjs writes its custom class) are read too', () => {
    const file = functional(
      [
        inp('x', [6, 8]),
        call('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4, return_attention_scores: true }, [
          ['x', 0],
          ['x', 0],
        ]),
        call('Dense', 'd', { units: 3 }, [['mha', 0]]),
      ],
      ['x'],
      [
        ['d', 0],
        ['mha', 1],
      ],
    );
    const g = imported(file).graph;
    expect(outputsOf(g).shapes).toEqual([
      [null, 6, 3],
      [null, 2, 6, 6],
    ]);
  });

  it.each([
    [
      'a state of an LSTM without return_state',
      [
        ['dec_in', 0],
        ['encoder', 1],
      ],
      "'decoder' reads output tensor_index=1 of 'encoder' (LSTM), which returns one tensor with return_state off",
    ],
    [
      'a fourth output of an LSTM with return_state',
      [
        ['dec_in', 0],
        ['encoder', 3],
        ['encoder', 2],
      ],
      "'decoder' reads output tensor_index=3 of 'encoder' (LSTM), which returns 3 (output, state_h, state_c: tensor_index 0 to 2)",
    ],
    ['a second output of an Input', [['dec_in', 1]], "'decoder' reads output tensor_index=1 of 'dec_in' (InputLayer), which returns one tensor"],
    ['a negative index', [['dec_in', -1]], "'decoder' reads output tensor_index=-1 of 'dec_in' (InputLayer), which returns one tensor"],
  ] as [string, [string, number][], string][])('refuses %s, naming both layers', (what, inputs, message) => {
    const file = encoderDecoder(inputs);
    if (what.startsWith('a state of')) ((file.config as Json).layers as Json[])[1] = call('LSTM', 'encoder', { units: 4 }, [['enc_in', 0]]);
    expect(refused(file)).toContain(message);
  });

  it('refuses an output_layers entry naming an output the layer does not return, and one listed twice', () => {
    const inputs: [string, number][] = [
      ['dec_in', 0],
      ['encoder', 1],
      ['encoder', 2],
    ];
    expect(refused(encoderDecoder(inputs, [['dense', 1]]))).toContain(
      "The model's output_layers names output tensor_index=1 of 'dense' (Dense), which returns one tensor",
    );
    expect(
      refused(
        encoderDecoder(inputs, [
          ['encoder', 1],
          ['encoder', 1],
        ]),
      ),
    ).toContain("lists output tensor_index=1 of 'encoder' twice among its outputs");
  });

  it('refuses a shared MultiHeadAttention whose calls pass different use_causal_mask, naming the layer', () => {
    const mha = {
      ...lay('MultiHeadAttention', 'mha', { num_heads: 2, key_dim: 4 }),
      inbound_nodes: [[['a', 0, 0, { value: ['a', 0, 0], use_causal_mask: true }]], [['b', 0, 0, { value: ['b', 0, 0] }]]],
    };
    const file: Json = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [inp('a', [6, 8]), inp('b', [6, 8]), mha],
        input_layers: [
          ['a', 0, 0],
          ['b', 0, 0],
        ],
        output_layers: [
          ['mha', 0, 0],
          ['mha', 1, 0],
        ],
      },
    };
    expect(refused(file)).toMatch(
      /Layer 'mha' \(MultiHeadAttention\) is called with use_causal_mask=true and with use_causal_mask=null; .*one use_causal_mask for every call/,
    );
  });
});

/** Input (6, 8) → MultiHeadAttention (causal, with scores) → Dense; the scores and the Dense are the outputs. */
const mhaGraph = () =>
  buildGraph('mha_scores', (b) => {
    const x = b.add('Input', { shape: [6, 8] }, 'x');
    const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4, use_causal_mask: true, return_attention_scores: true }, 'mha', [x]);
    b.add('Dense', { units: 3 }, 'head', [mha]);
  });

describe('export of layers with several outputs, in both forms, and back', () => {
  it("the Keras 3 form of the encoder-decoder template writes the encoder's and the decoder's calls as Keras 3.15's to_json() does", () => {
    const ours = JSON.parse((exportKeras3Json(tpl('encoder-decoder')) as { json: string }).json);
    const keras = JSON.parse(fixture('keras3_encoder_decoder.json'));
    const layer = (m: { config: { layers: Json[] } }, name: string) => m.config.layers.find((l) => l.name === name)!;
    // Keras also writes `training` and `mask` keywords on the encoder's call, which Keras recomputes on load.
    const call = (l: Json) => (l.inbound_nodes as Json[]).map((n) => ({ args: n.args, initial_state: (n.kwargs as Json).initial_state }));
    for (const name of ['encoder', 'decoder']) {
      expect(call(layer(ours, name))).toEqual(call(layer(keras, name)));
      expect(layer(ours, name).build_config).toEqual(layer(keras, name).build_config);
      expect((layer(ours, name).config as Json).return_state).toBe((layer(keras, name).config as Json).return_state);
    }
    expect(ours.config.output_layers).toEqual(keras.config.output_layers);
  });

  it('the Keras 2 form writes the states as further tensors of the decoder with their tensor index', () => {
    const j = JSON.parse(exported(tpl('encoder-decoder')));
    expect(j.config.layers.find((l: Json) => l.name === 'decoder').inbound_nodes).toEqual([
      [
        ['decoder_embedding', 0, 0, {}],
        ['encoder', 0, 1, {}],
        ['encoder', 0, 2, {}],
      ],
    ]);
  });

  it.each([
    ['Keras 2', exportKerasJson],
    ['Keras 3', exportKeras3Json],
  ])('%s form: the encoder-decoder template and an attention model with scores round-trip to the same graph and outputs', (_form, exporter) => {
    const m = mhaGraph();
    const id = (name: string) => m.nodes.find((n) => n.name === name)!.id;
    // Outputs listed in another order than the default (the Dense, then the scores), and the scores alone.
    const reordered: Graph = { ...m, outputs: [id('head'), { node: id('mha'), output: 1 }] };
    const scoresOnly: Graph = { ...m, outputs: [{ node: id('mha'), output: 1 }] };
    expect(outputsOf(reordered).tensors).toEqual([
      ['head', 0],
      ['mha', 1],
    ]);
    for (const g of [tpl('encoder-decoder'), m, reordered, scoresOnly]) {
      const ex = exporter(g);
      if (!ex.ok) throw new Error(ex.reason);
      const back = imported(ex.json).graph;
      expect(structure(back)).toEqual(structure(g));
      expect(outputsOf(back)).toEqual(outputsOf(g));
      expect(analyze(back).totals).toEqual(analyze(g).totals);
    }
  });

  it("MultiHeadAttention's call arguments are written in the call's kwargs (both forms), not in its config", () => {
    const g = mhaGraph();
    for (const ex of [exportKerasJson(g), exportKeras3Json(g)]) {
      if (!ex.ok) throw new Error(ex.reason);
      const mha = (JSON.parse(ex.json) as { config: { layers: Json[] } }).config.layers.find((l) => l.name === 'mha')!;
      expect((mha.inbound_nodes as { kwargs: Json }[]).map((n) => n.kwargs)).toEqual([{ use_causal_mask: true, return_attention_scores: true }]);
      expect(mha.config).not.toHaveProperty('use_causal_mask');
      expect(mha.config).not.toHaveProperty('return_attention_scores');
    }
  });
});
