/**
 * Contract: the configurations the core warns about (`LayerDef.trainingIssue`, diagnostic
 * 'train/unsupported') are exactly those tfjs 4.22 builds but cannot train. Each case is trained for one
 * batch on the cpu backend through the runtime (`trainModel`): with a warning it must fail with tfjs's
 * error, and the same graph without the offending setting must train and get no warning.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, LAYER_DEFS, type Graph, type Params } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { trainModel } from '../../src/runtime/train';
import { cpuBackend } from '../helpers/tfjs';

interface IssueCase {
  readonly what: string;
  readonly kind: string;
  /** Parameters tfjs cannot train, and a variant it can. */
  readonly bad: Params;
  readonly good: Params;
  readonly input: number[];
  /** A trainable Dense before the layer (a gradient has to pass through it). */
  readonly dense?: boolean;
  /** A trainable Dense before the layer in the bad case only. */
  readonly denseOnlyWhenBad?: boolean;
  readonly error: RegExp;
}

const CASES: readonly IssueCase[] = [
  {
    what: 'Conv1D with dilation_rate 2',
    kind: 'Conv1D',
    bad: { filters: 2, kernel_size: [2], dilation_rate: [2] },
    good: { filters: 2, kernel_size: [2] },
    input: [6, 1],
    error: /dilation rates greater than 1/,
  },
  {
    what: 'Conv2D with dilation_rate 2',
    kind: 'Conv2D',
    bad: { filters: 2, kernel_size: [2, 2], dilation_rate: [2, 2] },
    good: { filters: 2, kernel_size: [2, 2] },
    input: [5, 5, 1],
    error: /dilation rates greater than 1/,
  },
  {
    what: 'Conv3D with dilation_rate 2',
    kind: 'Conv3D',
    bad: { filters: 1, kernel_size: [2, 2, 2], dilation_rate: [2, 1, 1] },
    good: { filters: 1, kernel_size: [2, 2, 2] },
    input: [4, 3, 3, 1],
    error: /dilation rates greater than 1/,
  },
  {
    what: 'SeparableConv2D with dilation_rate 2',
    kind: 'SeparableConv2D',
    bad: { filters: 2, kernel_size: [2, 2], dilation_rate: [2, 2] },
    good: { filters: 2, kernel_size: [2, 2] },
    input: [5, 5, 1],
    error: /dilation rates greater than 1/,
  },
  {
    what: 'BatchNormalization without center',
    kind: 'BatchNormalization',
    bad: { center: false },
    good: {},
    input: [3],
    dense: true,
    error: /Cannot read properties of undefined/,
  },
  {
    what: 'BatchNormalization without scale',
    kind: 'BatchNormalization',
    bad: { scale: false },
    good: {},
    input: [3],
    dense: true,
    error: /Cannot read properties of undefined/,
  },
  {
    what: 'LayerNormalization without center',
    kind: 'LayerNormalization',
    bad: { center: false },
    good: {},
    input: [3],
    dense: true,
    error: /Cannot read properties of undefined/,
  },
  {
    what: 'LayerNormalization without scale',
    kind: 'LayerNormalization',
    bad: { scale: false },
    good: {},
    input: [3],
    dense: true,
    error: /Cannot read properties of undefined/,
  },
  {
    what: 'ThresholdedReLU after a Dense',
    kind: 'ThresholdedReLU',
    bad: {},
    good: {},
    input: [3],
    denseOnlyWhenBad: true,
    error: /gradient function not found for Greater/,
  },
  { what: 'Masking after a Dense', kind: 'Masking', bad: {}, good: {}, input: [3, 2], denseOnlyWhenBad: true, error: /gradient function not found for Any/ },
];

/** Input → [Dense] → the layer → [Flatten] → Dense(2, softmax). */
function graph(c: IssueCase, params: Params, dense: boolean): Graph {
  return buildGraph(`issue_${c.kind}`, (b) => {
    let x = b.add('Input', { shape: c.input }, 'x');
    if (dense) x = b.add('Dense', { units: c.input[c.input.length - 1] }, 'pre', [x]);
    x = b.add(c.kind, params, 'layer', [x]);
    if (c.input.length > 1) x = b.add('Flatten', {}, 'flat', [x]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [x]);
  });
}

const settings = { ...DEFAULT_TRAINING, epochs: 1, batchSize: 4, samples: 4 };
const warnings = (g: Graph) => analyze(g).diagnostics.filter((d) => d.code === 'train/unsupported');

beforeAll(cpuBackend);

describe.each(CASES.map((c) => [c.what, c] as const))('%s', (_w, c) => {
  it('the core warns, the model is valid, and tfjs fails to train it', async () => {
    const g = graph(c, c.bad, !!c.dense || !!c.denseOnlyWhenBad);
    const a = analyze(g);
    expect(a.valid).toBe(true);
    expect(warnings(g).map((d) => d.nodeId)).toEqual([g.nodes.find((n) => n.name === 'layer')!.id]);
    await expect(trainModel(tf, g, settings)).rejects.toThrow(c.error);
  });

  it('without the setting: no warning, and it trains', async () => {
    const g = graph(c, c.good, !!c.dense);
    expect(warnings(g)).toEqual([]);
    const r = await trainModel(tf, g, settings);
    expect(r.epochsRun).toBe(1);
  });
});

it('every kind that can warn has a case here', () => {
  const kinds = LAYER_DEFS.filter((d) => d.trainingIssue)
    .map((d) => d.kind)
    .sort();
  expect(kinds.length).toBeGreaterThan(0);
  expect([...new Set(CASES.map((c) => c.kind))].sort()).toEqual(kinds);
});
