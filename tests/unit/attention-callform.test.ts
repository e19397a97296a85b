/**
 * How the attention kinds are called (core LayerDef.callForm, selfCall, callArgs): MultiHeadAttention
 * positionally (`mha(query, value, key)`), Attention and AdditiveAttention on a list, and each of them on one
 * input as self-attention (the input twice). Checked in the Python code, the Sequential-or-Functional decision,
 * the Keras JSON export (Keras 3's `args` form for MultiHeadAttention) and the import of the forms tf.keras 2 and
 * Keras 3 write. The Keras oracle (tests/keras) runs the generated Python and the export in Keras 3.
 */
import { describe, expect, it } from 'vitest';
import { apiPlan, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { generatePython } from '../../src/codegen';
import { attentionBlock } from '../contract/layers/graphs';
import { exported, imported, inp, lay, type Json } from '../helpers/kerasJson';

const SETTINGS = { samples: 2, batchSize: 2, epochs: 1, optimizer: 'adam', learningRate: 0.001 } as const;

/** Each node's name → the names of its inputs, in edge order. */
function inputsByName(g: Graph): Record<string, string[]> {
  const name = new Map(g.nodes.map((n) => [n.id, n.name]));
  const out: Record<string, string[]> = {};
  for (const n of g.nodes) out[n.name] = g.edges.filter((e) => e.target === n.id).map((e) => name.get(e.source)!);
  return out;
}

/** A Keras 3 `__keras_tensor__` reference to the first output of `layer`. */
const tensor = (layer: string, shape: (number | null)[]): Json => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] },
});

/** A Functional model file around `layers`. */
const model = (layers: Json[], inputs: string[], output: string): Json => ({
  class_name: 'Functional',
  config: { name: 'm', layers, input_layers: inputs.map((i) => [i, 0, 0]), output_layers: [[output, 0, 0]] },
});

describe('Python calls the attention kinds as Keras does', () => {
  const r = generatePython(attentionBlock(), SETTINGS as never, 'functional');
  const code = r.ok ? r.code : r.reason;
  it('MultiHeadAttention positionally: self-attention on one input twice, cross-attention (query, value)', () => {
    expect(code).toMatch(/self_attn = layers\.MultiHeadAttention\([^)]*\)\(embed, embed\)/);
    expect(code).toMatch(/layers\.MultiHeadAttention\([\s\S]*?\)\(norm, memory\)/);
    expect(code).not.toMatch(/MultiHeadAttention\([^)]*\)\(\[/);
  });
  it('Attention and AdditiveAttention on a list, self-attention as [x, x]', () => {
    expect(code).toMatch(/layers\.Attention\([^)]*\)\(\s*\[feed_forward, memory, memory_key\]\s*\)/);
    expect(code).toMatch(/layers\.AdditiveAttention\([^)]*\)\(\[dot_attn, dot_attn\]\)/);
  });
  it('a chain with self-attention is written as a Functional model, saying why', () => {
    const chain = buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [4, 6] }, 'x');
      b.add('MultiHeadAttention', { num_heads: 2, key_dim: 3 }, 'mha', [x]);
    });
    const plan = apiPlan(chain);
    expect(plan.kind).toBe('functional');
    expect(plan.kind === 'functional' && plan.reason).toMatch(/'mha' attends over its one input \(self-attention\)/);
  });
});

describe('Keras JSON export and import of the call forms', () => {
  it("writes MultiHeadAttention's calls in Keras 3's args form (tensors as separate arguments) and Attention's as a list", () => {
    const file = JSON.parse(exported(attentionBlock())) as { config: { layers: { name: string; inbound_nodes: unknown[] }[] } };
    const nodes = Object.fromEntries(file.config.layers.map((l) => [l.name, l.inbound_nodes]));
    expect(nodes.self_attn).toEqual([{ args: [tensor('embed', [null, 6, 8]), tensor('embed', [null, 6, 8])], kwargs: {} }]);
    expect(nodes.cross_attn).toEqual([{ args: [tensor('norm', [null, 6, 8]), tensor('memory', [null, 5, 6])], kwargs: {} }]);
    expect(nodes.dot_attn).toEqual([
      [
        ['feed_forward', 0, 0, {}],
        ['memory', 0, 0, {}],
        ['memory_key', 0, 0, {}],
      ],
    ]);
    expect(nodes.additive_attn).toEqual([
      [
        ['dot_attn', 0, 0, {}],
        ['dot_attn', 0, 0, {}],
      ],
    ]);
  });

  it('reads its own export back to the same layers and inputs (self-attention as one edge)', () => {
    const g = attentionBlock();
    const back = imported(exported(g)).graph;
    expect(inputsByName(back)).toEqual(inputsByName(g));
    expect(inputsByName(back).self_attn).toEqual(['embed']);
  });

  it("reads tf.keras 2's form: the value and key passed by keyword in the inbound node", () => {
    const mha = { num_heads: 2, key_dim: 3, value_dim: 3, dropout: 0, use_bias: true, output_shape: null, attention_axes: null };
    const file = model(
      [
        inp('q', [4, 6]),
        inp('v', [5, 6]),
        inp('k', [5, 2]),
        { ...lay('MultiHeadAttention', 'mha', mha), inbound_nodes: [[['q', 0, 0, { value: ['v', 0, 0], key: ['k', 0, 0] }]]] },
      ],
      ['q', 'v', 'k'],
      'mha',
    );
    expect(inputsByName(imported(file).graph).mha).toEqual(['q', 'v', 'k']);
  });

  it("reads Keras 3's forms: positional args, a value by keyword, the same tensor twice (self-attention), a key equal to the value", () => {
    const mha = {
      num_heads: 2,
      key_dim: 3,
      value_dim: 3,
      dropout: 0,
      use_bias: true,
      use_gate: false,
      output_shape: null,
      attention_axes: [1],
      sliding_window: null,
    };
    const call = (args: Json[], kwargs: Json = {}) => ({ ...lay('MultiHeadAttention', 'mha', mha), inbound_nodes: [{ args, kwargs }] });
    const q = tensor('q', [null, 4, 6]);
    const v = tensor('v', [null, 5, 6]);
    const of = (node: Json) => inputsByName(imported(model([inp('q', [4, 6]), inp('v', [5, 6]), node], ['q', 'v'], 'mha')).graph).mha;
    expect(of(call([q, v]))).toEqual(['q', 'v']);
    expect(of(call([q], { value: v }))).toEqual(['q', 'v']);
    expect(of(call([q, v, v]))).toEqual(['q', 'v']);
    const self = imported(model([inp('q', [4, 6]), call([q, q])], ['q'], 'mha')).graph;
    expect(inputsByName(self).mha).toEqual(['q']);
  });
});
