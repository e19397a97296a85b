/**
 * The parameter schemas added for issue #3 (intList, nullable float, grouped tuples, fixed values,
 * wrapped layers) and how args.ts turns them into Keras and tfjs arguments.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  CATEGORIES,
  checkParam,
  defaultParams,
  innerLayer,
  kerasArgs,
  LAYER_DEFS,
  layerDef,
  paramApplies,
  tfjsArgs,
  tfjsNote,
  type LayerNode,
  type Params,
} from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { paramSpec } from '../helpers/graphs';

const node = (kind: string, params: Params): LayerNode => {
  const g = buildGraph('t', (b) => void b.add(kind, params, 'n'));
  return g.nodes[0];
};

describe('every registered kind', () => {
  it.each(LAYER_DEFS.map((d) => [d.kind, d] as const))('%s: valid defaults, node text, description and shape rule', (_k, d) => {
    const defaults = defaultParams(d);
    for (const [key, s] of Object.entries(d.params)) expect([key, checkParam(s, defaults[key])]).toEqual([key, null]);
    expect(typeof d.keyParams(defaults)).toBe('string');
    expect(d.description).toMatch(/^[A-Z].*\.$/);
    expect(d.shapeRule.length).toBeGreaterThan(0);
    expect(CATEGORIES).toContain(d.category);
  });
});

describe('checkParam on the new schemas', () => {
  it('Reshape target_shape: whole numbers ≥ 1, at most one −1', () => {
    const s = paramSpec('Reshape', 'target_shape');
    expect(checkParam(s, [2, -1])).toBeNull();
    expect(checkParam(s, [-1, -1])).toMatch(/at most one −1/);
    expect(checkParam(s, [0, 4])).toMatch(/≥ 1 or one −1/);
    expect(checkParam(s, [])).toMatch(/1 to 6 numbers/);
    expect(checkParam(s, null)).toMatch(/list of whole numbers/);
  });

  it('Permute dims: the axes 1…n once each', () => {
    const s = paramSpec('Permute', 'dims');
    expect(checkParam(s, [3, 1, 2])).toBeNull();
    expect(checkParam(s, [1, 3])).toMatch(/axes 1 to 2 once each/);
    expect(checkParam(s, [2, 2])).toMatch(/axes 1 to 2 once each/);
  });

  it('PReLU shared_axes: none, or distinct axes', () => {
    const s = paramSpec('PReLU', 'shared_axes');
    expect(checkParam(s, null)).toBeNull();
    expect(checkParam(s, [1, 2])).toBeNull();
    expect(checkParam(s, [1, 1])).toMatch(/must not repeat/);
  });

  it('ReLU max_value: none or a number ≥ 0', () => {
    const s = paramSpec('ReLU', 'max_value');
    expect(checkParam(s, null)).toBeNull();
    expect(checkParam(s, 6)).toBeNull();
    expect(checkParam(s, -1)).toMatch(/≥ 0/);
    expect(checkParam(paramSpec('Masking', 'mask_value'), null)).toMatch(/must be a number \(got null\)/);
  });

  it('a value tfjs refuses is fixed (ELU alpha); GRU reset_after is a choice (Layerlab runs True with its own class)', () => {
    expect(checkParam(paramSpec('GRU', 'reset_after'), false)).toBeNull();
    expect(checkParam(paramSpec('GRU', 'reset_after'), true)).toBeNull();
    expect(checkParam(paramSpec('Bidirectional', 'reset_after'), true)).toBeNull();
    expect(checkParam(paramSpec('ELU', 'alpha'), 0.5)).toMatch(/must stay 1: tfjs 4.22’s ELU layer supports only alpha = 1/);
  });

  it('the wrapped layer kind is one of the options', () => {
    expect(checkParam(paramSpec('Bidirectional', 'layer'), 'GRU')).toBeNull();
    expect(checkParam(paramSpec('Bidirectional', 'layer'), 'Dense')).toMatch(/one of 'LSTM', 'GRU', 'SimpleRNN'/);
  });
});

describe('arguments for Keras and tfjs', () => {
  it('grouped tuples are written as tuples of tuples', () => {
    const n = node('ZeroPadding2D', { padding: [1, 2, 0, 3] });
    expect(kerasArgs(n)).toEqual([
      [
        'padding',
        [
          [1, 2],
          [0, 3],
        ],
      ],
    ]);
    expect(tfjsArgs(n)).toEqual({
      padding: [
        [1, 2],
        [0, 3],
      ],
    });
  });

  it('a parameter tfjs names differently (LeakyReLU negative_slope → alpha)', () => {
    expect(tfjsArgs(node('LeakyReLU', { negative_slope: 0.1 }))).toEqual({ alpha: 0.1 });
    expect(kerasArgs(node('LeakyReLU', { negative_slope: 0.1 }))).toEqual([['negative_slope', 0.1]]);
  });

  it('defaults that differ between Keras and tfjs are written for the one that differs', () => {
    const lstm = node('LSTM', { units: 4 });
    // tfjs defaults to hardSigmoid: TypeScript names Keras's sigmoid; Python leaves it out.
    expect(tfjsArgs(lstm, { onlyNonDefault: true })).toEqual({ units: 4, recurrentActivation: 'sigmoid' });
    expect(kerasArgs(lstm, { onlyNonDefault: true })).toEqual([['units', 4]]);
    // Keras 3 defaults to reset_after=True, Layerlab and tfjs to False: Python names False; TypeScript leaves it out.
    const gru = node('GRU', { units: 4 });
    expect(kerasArgs(gru, { onlyNonDefault: true })).toEqual([
      ['units', 4],
      ['reset_after', false],
    ]);
    expect(tfjsArgs(gru, { onlyNonDefault: true })).toEqual({ units: 4, recurrentActivation: 'sigmoid' });
    // reset_after=True: Keras's default, so Python leaves it out; tfjs gets resetAfter (Layerlab's GRU class reads it).
    const gruAfter = node('GRU', { units: 4, reset_after: true });
    expect(kerasArgs(gruAfter, { onlyNonDefault: true })).toEqual([['units', 4]]);
    expect(tfjsArgs(gruAfter, { onlyNonDefault: true })).toEqual({ units: 4, recurrentActivation: 'sigmoid', resetAfter: true });
    // tfjs's Softmax defaults to axis 1.
    expect(tfjsArgs(node('Softmax', {}), { onlyNonDefault: true })).toEqual({ axis: -1 });
  });

  it('tfjs arrays are copies (tfjs mutates some, e.g. Reshape turns −1 into null)', () => {
    const n = node('Reshape', { target_shape: [2, -1] });
    const a = tfjsArgs(n).targetShape as number[];
    a[1] = 99;
    expect(n.params.target_shape).toEqual([2, -1]);
  });

  it('Reshape: tfjs gets the −1 resolved from the input shape, with a note for generated code', () => {
    const n = node('Reshape', { target_shape: [2, -1] });
    expect(tfjsArgs(n, {}, [[null, 3, 4]])).toEqual({ targetShape: [2, 6] });
    expect(tfjsArgs(n)).toEqual({ targetShape: [2, -1] });
    expect(tfjsNote(n, [[null, 3, 4]])).toMatch(/−1 resolved/);
    expect(tfjsNote(node('Reshape', { target_shape: [12] }), [[null, 3, 4]])).toBeNull();
  });

  it('a wrapper: its own arguments, and the wrapped layer as a node of its kind', () => {
    const n = node('Bidirectional', { layer: 'GRU', units: 8, return_sequences: true, merge_mode: 'sum', recurrent_activation: 'tanh' });
    expect(kerasArgs(n)).toEqual([['merge_mode', 'sum']]);
    expect(tfjsArgs(n)).toEqual({ mergeMode: 'sum' });
    const inner = innerLayer(n)!;
    expect(inner.kind).toBe('GRU');
    expect(inner.params).toMatchObject({ units: 8, return_sequences: true, recurrent_activation: 'tanh', reset_after: false, go_backwards: false });
    expect(innerLayer(node('Dense', {}))).toBeNull();
  });

  it('a wrapped kind without a parameter: SimpleRNN has no recurrent_activation', () => {
    const def = layerDef('Bidirectional')!;
    expect(paramApplies(def, { layer: 'LSTM' }, 'recurrent_activation')).toBe(true);
    expect(paramApplies(def, { layer: 'SimpleRNN' }, 'recurrent_activation')).toBe(false);
    expect(paramApplies(def, { layer: 'SimpleRNN' }, 'merge_mode')).toBe(true);
    expect(innerLayer(node('Bidirectional', { layer: 'SimpleRNN', recurrent_activation: 'tanh' }))!.params).not.toHaveProperty('recurrent_activation');
  });
});

describe('validator', () => {
  it('strides > 1 with dilation_rate > 1 is one error naming both', () => {
    const g = buildGraph('m', (b) => void b.add('Conv2D', { strides: [2, 2], dilation_rate: [2, 2] }, 'c', [b.add('Input', { shape: [9, 9, 1] }, 'x')]));
    const d = analyze(g).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['param/conflict']);
    expect(d[0].message).toMatch(/strides 2×2 and dilation_rate 2×2/);
  });

  it('a configuration tfjs cannot train is a warning: the model stays valid', () => {
    const g = buildGraph('m', (b) => void b.add('BatchNormalization', { center: false }, 'bn', [b.add('Input', { shape: [4] }, 'x')]));
    const a = analyze(g);
    expect(a.valid).toBe(true);
    expect(a.diagnostics.map((x) => [x.code, x.severity])).toEqual([['train/unsupported', 'warning']]);
  });

  it('ThresholdedReLU warns only when a layer with weights comes before it', () => {
    const first = buildGraph('m', (b) => void b.add('Dense', { units: 2 }, 'd', [b.add('ThresholdedReLU', {}, 't', [b.add('Input', { shape: [4] }, 'x')])]));
    expect(analyze(first).diagnostics).toEqual([]);
    const after = buildGraph('m', (b) => void b.add('ThresholdedReLU', {}, 't', [b.add('Dense', { units: 2 }, 'd', [b.add('Input', { shape: [4] }, 'x')])]));
    expect(analyze(after).diagnostics.map((x) => x.code)).toEqual(['train/unsupported']);
  });

  it('Bidirectional and TimeDistributed count the wrapped layer', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [5, 2] }, 'x');
      b.add('Bidirectional', { layer: 'LSTM', units: 3, return_sequences: true }, 'bi', [x]);
      b.add('TimeDistributed', { layer: 'Dense', units: 4 }, 'td', [x]);
    });
    const a = analyze(g);
    const by = (name: string) => a.nodes.get(g.nodes.find((n) => n.name === name)!.id)!;
    expect(by('bi').outputShape).toEqual([null, 5, 6]);
    expect(by('bi').weights).toEqual({ trainable: 2 * 4 * (2 * 3 + 3 * 3 + 3), nonTrainable: 0 });
    expect(by('td').outputShape).toEqual([null, 5, 4]);
    expect(by('td').weights).toEqual({ trainable: 2 * 4 + 4, nonTrainable: 0 });
  });
});
