/**
 * Explanations of shapes and counts (core/validate/explain.ts), for every kind's contract cases
 * (tests/contract/layers/*.cases.ts, whose shapes and counts the layer contract compares with tfjs): the weight
 * tensors sum to the count the validator computes, a kind with weights declares them, and every shape step ends
 * with the size of the output axis it names. Then the texts a teacher sees for the issue's examples.
 */
import { describe, expect, it } from 'vitest';
import { analyze, formatShape, layerDef, type Graph, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { countWeights } from '../../src/core/layers/define';
import { rnnWeightShapes } from '../../src/core/layers/shared/rnn';
import { traceSteps, tracing } from '../../src/core/layers/trace';
import { explainNode, type Explanation } from '../../src/core/validate/explain';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';

/** The axis names a step may use, by the output's rank (steps: a sequence's axis 1 whatever follows it): index of the axis they name (written out here, not read from the core). */
const NAMED: Readonly<Record<number, Readonly<Record<string, number>>>> = {
  2: { features: 1, channels: 1 },
  3: { steps: 1, features: 2, channels: 2 },
  4: { steps: 1, height: 1, width: 2, channels: 3 },
  5: { steps: 1, depth: 1, height: 2, width: 3, channels: 4 },
};

/** The output axis a step's name refers to: a named axis of the rank, 'last axis', 'axis k' or 'axis −k'. */
function axisIndex(name: string, rank: number): number | undefined {
  if (name === 'last axis') return rank - 1;
  const m = /^axis (−?)(\d+)$/.exec(name);
  if (m) return m[1] ? rank - Number(m[2]) : Number(m[2]);
  return NAMED[rank]?.[name];
}

/**
 * A step split into the axis it names and its result: `<axis>: <arithmetic> = <N>` with an optional trailing
 * ` (<note>)`; N with thousands commas, or None. Null when the step is not in that form.
 */
function parseStep(text: string): { axis: string; result: number | null } | null {
  const head = /^([^:]+): /.exec(text);
  if (!head) return null;
  let body = text.slice(head[0].length);
  // Drop one trailing parenthesised note (it may hold parentheses of its own).
  if (body.endsWith(')')) {
    let depth = 0;
    for (let i = body.length - 1; i >= 0; i--) {
      if (body[i] === ')') depth++;
      else if (body[i] === '(' && --depth === 0) {
        if (body.slice(0, i).endsWith(' ') && /= (None|[\d,]+) $/.test(body.slice(0, i))) body = body.slice(0, i - 1);
        break;
      }
    }
  }
  const m = /= (None|[\d,]+)$/.exec(body);
  if (!m) return null;
  return { axis: head[1], result: m[1] === 'None' ? null : Number(m[1].replace(/,/g, '')) };
}

/** The explanation of the one layer of a one-layer graph, and what the validator computed for it. */
function explainCase(kind: string, c: (typeof LAYER_TABLES)[string]['valid'][number]) {
  const { graph, id } = singleLayerGraph(kind, c);
  const a = analyze(graph);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const info = a.nodes.get(id)!;
  return { e: explainNode(graph, a, id)!, info };
}

const cases = LAYER_KINDS.flatMap((kind) => LAYER_TABLES[kind].valid.map((c, i) => [`${kind} #${i + 1}`, kind, c] as const));

describe('every kind’s contract cases: the explanation equals what the validator computes', () => {
  it.each(cases)('%s', (_name, kind, c) => {
    const { e, info } = explainCase(kind, c);
    expect(e).not.toBeNull();
    const count = info.weights!;
    // A kind with weights lists them (weightShapes), and they sum to the count, trainable and not apart.
    if (count.trainable + count.nonTrainable > 0) {
      expect(layerDef(kind)!.weightShapes, `${kind} counts weights but does not declare weightShapes`).toBeDefined();
      expect(e.weights).not.toBeNull();
    }
    if (e.weights) {
      const sum = (t: boolean) => e.weights!.filter((w) => w.trainable === t).reduce((s, w) => s + w.size, 0);
      expect({ trainable: sum(true), nonTrainable: sum(false) }).toEqual(count);
      expect(e.countText === null).toBe(e.weights.length === 0);
      // The text ends with the total (after ' = ', or a lone vector's size), a note aside.
      if (e.countText)
        expect(e.countText.replace(/ \([^)]*\)$/, '')).toMatch(new RegExp(` ${(count.trainable + count.nonTrainable).toLocaleString('en-US')}$`));
    }
    // Every step names an output axis and ends with its size.
    const out = info.outputShape!;
    const named = new Set<number>();
    for (const s of e.shapeSteps) {
      const parsed = parseStep(s);
      expect(parsed, `step not in the form '<axis>: … = N': ${s}`).not.toBeNull();
      const i = axisIndex(parsed!.axis, out.length);
      expect(i, `step names no axis of ${JSON.stringify(out)}: ${s}`).toBeDefined();
      expect(parsed!.result, s).toBe(out[i!]);
      named.add(i!);
    }
    // A rule that changes a size explains it: with the rank kept, every changed axis has a step; otherwise some step.
    const x = info.inputShapes[0] as Shape;
    if (x.length === out.length) {
      const changed = out.map((_d, i) => i).filter((i) => i > 0 && out[i] !== x[i]);
      expect(changed.filter((i) => !named.has(i))).toEqual([]);
    } else expect(e.shapeSteps.length).toBeGreaterThan(0);
    // A layer with several outputs explains each further one with the shape the validator computed for it, in its own
    // words (one step naming the output); one output: none.
    expect(e.moreOutputs.map((o) => o.shape)).toEqual((info.moreOutputs ?? []).map(formatShape));
    for (const o of e.moreOutputs) expect(o.steps.map((t) => t.split(':')[0])).toEqual([o.name]);
    // No step or count text leaks an internal value.
    for (const t of [...e.shapeSteps, e.countText ?? '', ...e.moreOutputs.flatMap((o) => o.steps)])
      expect(t).not.toMatch(/NaN|undefined|\[object|function |Infinity/);
  });
});

/** One layer on inputs of the given shapes (batch axis left out), explained. */
function explain(kind: string, params: Record<string, unknown>, ...inputs: number[][]): Explanation {
  let id = '';
  const graph: Graph = buildGraph('t', (b) => {
    const ins = inputs.map((s, i) => b.add('Input', { shape: s }, `in_${i}`));
    id = b.add(kind, params as never, 'layer', ins);
  });
  const a = analyze(graph);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return explainNode(graph, a, id)!;
}

describe('the texts of the issue’s examples', () => {
  it('Conv2D 3×3, 3 → 32 channels on 64×64: the window arithmetic and (3 × 3 × 3 + 1) × 32 = 896', () => {
    const e = explain('Conv2D', { filters: 32, kernel_size: [3, 3] }, [64, 64, 3]);
    expect(e.shapes).toBe('(None, 64, 64, 3) → (None, 62, 62, 32)');
    expect(e.shapeSteps).toEqual(['height: ⌊(64 − 3) / 1⌋ + 1 = 62', 'width: ⌊(64 − 3) / 1⌋ + 1 = 62', 'channels: filters = 32']);
    expect(e.countText).toBe('kernel 3 × 3 × 3 × 32 = 864 + bias 32 = 896');
  });

  it('Dense 3,136 → 64: kernel 3,136 × 64 = 200,704 + bias 64 = 200,768', () => {
    const e = explain('Dense', { units: 64 }, [3136]);
    expect(e.shapeSteps).toEqual(['last axis: 3,136 → units = 64']);
    expect(e.countText).toBe('kernel 3,136 × 64 = 200,704 + bias 64 = 200,768');
  });

  it('BatchNormalization: gamma and beta trainable, moving_mean and moving_variance not', () => {
    const e = explain('BatchNormalization', {}, [7, 7, 64]);
    expect(e.weights!.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ['gamma', [64], true],
      ['beta', [64], true],
      ['moving_mean', [64], false],
      ['moving_variance', [64], false],
    ]);
    expect(e.countText).toBe('gamma 64 + beta 64 + moving_mean 64 (non-trainable) + moving_variance 64 (non-trainable) = 256');
    expect(e.shapeSteps).toEqual([]); // the shape passes through
  });

  it('LSTM: the four gates in the kernel shape (d, 4·units), said once in the count', () => {
    const e = explain('LSTM', { units: 32 }, [10, 8]);
    expect(e.weights!.map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [8, 128]],
      ['recurrent_kernel', [32, 128]],
      ['bias', [128]],
    ]);
    expect(e.countText).toBe(
      'kernel 8 × 128 = 1,024 (128 = 4 gates × 32 units: input, forget, cell and output gates) + recurrent_kernel 32 × 128 = 4,096 + bias 128 = 5,248',
    );
    expect(e.shapeSteps).toEqual(["features: the last step's state only, units = 32 (return_sequences off: the steps axis goes)"]);
    expect(explain('LSTM', { units: 32, return_sequences: true }, [10, 8]).shapeSteps).toEqual([
      "steps: every step's state kept (return_sequences) = 10",
      'features: units = 32',
    ]);
  });

  it('GRU names its three blocks; Bidirectional doubles the units with concat', () => {
    expect(explain('GRU', { units: 4 }, [5, 3]).countText).toContain('12 = 3 gates × 4 units: update, reset and candidate blocks');
    const b = explain('Bidirectional', { layer: 'LSTM', units: 16 }, [10, 8]);
    expect(b.weights!.map((w) => w.name)).toEqual([
      'forward_lstm/kernel',
      'forward_lstm/recurrent_kernel',
      'forward_lstm/bias',
      'backward_lstm/kernel',
      'backward_lstm/recurrent_kernel',
      'backward_lstm/bias',
    ]);
    expect(b.shapeSteps).toEqual([
      "features: the last step's state only, 2 directions × units 16 = 32 (return_sequences off: the steps axis goes; merge_mode 'concat': forward and backward side by side)",
    ]);
  });

  it('Flatten, Reshape’s −1, Concatenate, UpSampling, Cropping, ZeroPadding, Conv2DTranspose, Embedding, global pooling', () => {
    expect(explain('Flatten', {}, [12, 12, 64]).shapeSteps).toEqual(['features: 12 × 12 × 64 = 9,216']);
    expect(explain('Reshape', { target_shape: [4, 64, -1] }, [9216]).shapeSteps).toEqual([
      'height: from target_shape = 4',
      'width: from target_shape = 64',
      'channels: 9,216 / (4 × 64) = 36 (the −1: the values left)',
    ]);
    expect(explain('Concatenate', { axis: -1 }, [10, 32], [10, 64]).shapeSteps).toEqual(['axis −1: 32 + 64 = 96']);
    expect(explain('UpSampling2D', { size: [2, 2] }, [14, 14, 8]).shapeSteps).toEqual(['height: 14 × 2 = 28', 'width: 14 × 2 = 28']);
    expect(explain('Cropping2D', { cropping: [1, 1, 2, 0] }, [28, 28, 1]).shapeSteps).toEqual(['height: 28 − 1 − 1 = 26', 'width: 28 − 2 − 0 = 26']);
    expect(explain('ZeroPadding1D', { padding: [2, 1] }, [10, 3]).shapeSteps).toEqual(['steps: 10 + 2 + 1 = 13']);
    expect(explain('Conv2DTranspose', { filters: 2, kernel_size: [3, 3], strides: [2, 2] }, [5, 5, 1]).shapeSteps).toEqual([
      'height: 5 × 2 + max(3 − 2, 0) = 11',
      'width: 5 × 2 + max(3 − 2, 0) = 11',
      'channels: filters = 2',
    ]);
    expect(explain('Embedding', { input_dim: 1000, output_dim: 64 }, [10]).shapeSteps).toEqual([
      'last axis: each id of (None, 10) becomes a vector of output_dim = 64 (a new axis)',
    ]);
    expect(explain('GlobalAveragePooling2D', {}, [7, 7, 512]).shapeSteps).toEqual(['channels: height 7 and width 7 averaged away, each channel kept = 512']);
    expect(explain('GlobalMaxPooling1D', {}, [10, 8]).shapeSteps).toEqual(['channels: steps 10 max-pooled away, each channel kept = 8']);
    expect(explain('CenterCrop', { height: 6, width: 4 }, [3, 8, 2]).shapeSteps).toEqual([
      'height: 3 resized (smaller than the target) to height = 6',
      'width: 8 resized (smaller than the target) to width = 4',
    ]);
  });

  it('a GRU with reset_after (Keras 3’s default; Layerlab’s GRU class runs it) has two biases, (2, 3·units)', () => {
    // keras/src/layers/rnn/gru.py GRUCell.build: bias_shape (2, 3 * units) with reset_after, else (3 * units,);
    // Keras counts GRU(4) on 3 features with reset_after=True as 3·(3·4 + 4·4 + 2·4) = 108.
    const shapes = (reset: boolean) =>
      rnnWeightShapes([null, 5, 3], { units: 4, use_bias: true, return_sequences: false, go_backwards: false, reset_after: reset }, 3);
    expect(shapes(true).map((w) => [w.name, w.shape])).toEqual([
      ['kernel', [3, 12]],
      ['recurrent_kernel', [4, 12]],
      ['bias', [2, 12]],
    ]);
    expect(countWeights(shapes(true))).toEqual({ trainable: 108, nonTrainable: 0 });
    expect(shapes(false)[2].shape).toEqual([12]);
  });

  it('further outputs: LSTM state_h and state_c, GRU state, MultiHeadAttention attention_scores (batch, heads, T, S)', () => {
    expect(explain('LSTM', { units: 8, return_state: true }, [5, 3]).moreOutputs).toEqual([
      { name: 'state_h', shape: '(None, 8)', steps: ['state_h: the final state, (batch, units) = (None, 8)'] },
      { name: 'state_c', shape: '(None, 8)', steps: ['state_c: the final cell state, (batch, units) = (None, 8)'] },
    ]);
    expect(explain('GRU', { units: 4, return_state: true, reset_after: false }, [5, 3]).moreOutputs.map((o) => o.name)).toEqual(['state']);
    const mha = explain('MultiHeadAttention', { num_heads: 2, key_dim: 4, return_attention_scores: true }, [10, 16], [12, 16]);
    expect(mha.moreOutputs).toEqual([
      {
        name: 'attention_scores',
        shape: '(None, 2, 10, 12)',
        steps: [
          "attention_scores: (batch, num_heads, query positions, key positions) = (None, 2, 10, 12) (softmax over the key positions: each query's weights sum to 1)",
        ],
      },
    ]);
    expect(explain('LSTM', { units: 8 }, [5, 3]).moreOutputs).toEqual([]);
  });

  it('one tensor is its own total; a layer without weights has no count text', () => {
    expect(explain('Dense', { units: 3, use_bias: false }, [8]).countText).toBe('kernel 8 × 3 = 24');
    expect(explain('PReLU', {}, [4]).countText).toBe('alpha 4');
    const d = explain('Dropout', { rate: 0.5 }, [4]);
    expect([d.weights, d.countText, d.shapeSteps]).toEqual([null, null, []]);
  });

  it('unknown sizes read None, and a dilated window says what it spans', () => {
    expect(explain('Conv1D', { filters: 4, kernel_size: [3] }, [null as never, 2]).shapeSteps).toEqual([
      'steps: an unknown size stays unknown = None',
      'features: filters = 4',
    ]);
    expect(explain('Conv2D', { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, [9, 9, 1]).shapeSteps[0]).toBe(
      'height: ⌊(9 − 5) / 1⌋ + 1 = 5 (window 3 dilated by 2 spans 3 + 2 × 1 = 5)',
    );
  });

  it('steps are recorded only inside traceSteps: the validator does not build them', () => {
    const def = layerDef('Conv2D')!;
    const p = { ...explainParams(def), filters: 4, kernel_size: [3, 3] };
    expect(tracing()).toBe(false);
    const traced = traceSteps(() => def.outputShape([[null, 8, 8, 1]], p));
    expect(traced.steps.length).toBe(3);
    expect(tracing()).toBe(false);
  });
});

/** A definition's default parameters (what a new node gets). */
function explainParams(def: NonNullable<ReturnType<typeof layerDef>>) {
  return Object.fromEntries(Object.entries(def.params).map(([k, s]) => [k, s.default]));
}
