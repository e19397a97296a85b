/**
 * What the pooling kinds share: MaxPooling1D/2D/3D and AveragePooling1D/2D/3D (window pooling), and
 * GlobalMaxPooling1D/2D/3D, GlobalAveragePooling1D/2D/3D (global pooling). Each kind's own file calls one of these.
 */
import { defineLayer, expectRank, formatPair, noWeights, tuple, type LayerDef } from '../define';
import { p, type BoolSpec } from '../params';
import type { Shape } from '../../graph/types';
import { num, step, tracing } from '../trace';
import { convForm, windowShape } from './conv';

const AXES = ['steps', 'height and width', 'depth, height and width'];
const RULES = [
  "(batch, steps, c) → (batch, ⌈(steps−p+1)/s⌉ or ⌈steps/s⌉ for 'same', c)",
  "(batch, h, w, c) → (batch, ⌈(h−p+1)/s⌉ or ⌈h/s⌉ for 'same', …, c)",
  "(batch, d, h, w, c) → (batch, ⌈(d−p+1)/s⌉ or ⌈d/s⌉ for 'same', …, c)",
];

/** Node text of a window pooling layer: '2×2 · /1 · same'. */
const poolKeyParams = (q: { readonly pool_size: readonly number[]; readonly strides: readonly number[] | null; readonly padding: string }): string =>
  [formatPair(q.pool_size), q.strides !== null ? `/${formatPair(q.strides)}` : null, q.padding === 'same' ? 'same' : null]
    .filter((v) => v !== null)
    .join(' · ');

/**
 * A rank-`rank` max or average pooling layer over channels-last inputs.
 * Shape (Keras `compute_pooling_output_shape` in keras/src/ops/operation_utils.py, tfjs-layers pooling.ts
 * `Pooling1D/2D/3D.computeOutputShape`): each spatial axis is conv_output_length(n, pool, padding, stride)
 * with strides defaulting to pool_size; channels kept. No weights.
 */
export function windowPooling(o: { kind: string; rank: 1 | 2 | 3; mode: 'max' | 'average'; tfjsFactory: string }): LayerDef {
  const r = o.rank;
  const what = o.mode === 'max' ? 'Keeps the largest value' : 'Averages the values';
  const where = ['shortens the sequence', 'shrinks height and width', 'shrinks depth, height and width'][r - 1];
  return defineLayer({
    kind: o.kind,
    category: 'Pooling',
    description: `${what} in each pool_size window; ${where}.`,
    shapeRule: RULES[r - 1],
    inputs: { min: 1, max: 1 },
    params: {
      pool_size: p.intTuple({ length: r, default: Array(r).fill(2), min: 1, always: true, help: `Size of the pooling window (${AXES[r - 1]}).` }),
      strides: p.intTuple({
        length: r,
        default: null,
        min: 1,
        nullable: true,
        nullText: 'same as pool_size',
        help: 'Step of the window; empty means equal to pool_size.',
      }),
      padding: p.padding(),
    },
    outputShape: ([x], q) => {
      const pool = tuple(q, 'pool_size');
      return windowShape(x, r, {
        kernel: pool,
        strides: q.strides === null ? pool : tuple(q, 'strides'),
        padding: q.padding,
        channels: x[r + 1],
        what: 'pool_size',
      });
    },
    weights: noWeights,
    keyParams: poolKeyParams,
    kerasClass: o.kind,
    tfjsFactory: o.tfjsFactory,
    keras: {
      // Keras 3.15: (pool_size, strides, padding, data_format); AveragePooling's pool_size has no default, MaxPooling's
      // is 2 (keras/src/layers/pooling/average_pooling2d.py, max_pooling2d.py).
      positional: ['pool_size', 'strides', 'padding', 'data_format'],
      ...(o.mode === 'average' ? { required: ['pool_size'] } : {}),
      // Keras 3's other names of the class (keras.layers.MaxPool2D is MaxPooling2D, AvgPool2D AveragePooling2D).
      aliases: [o.kind.replace('MaxPooling', 'MaxPool').replace('AveragePooling', 'AvgPool')],
    },
    inputSpec: () => ({ ndim: r + 2 }),
  });
}

const SPATIAL = [['steps'], ['height', 'width'], ['depth', 'height', 'width']];

/**
 * Records which axes a global pooling removes: `channels: steps 10 averaged away, each channel kept = 64`, or with
 * keepdims each pooled axis `height: 7 averaged to 1 = 1 (keepdims)`; max pooling says max-pooled.
 */
function globalSteps(x: Shape, rank: 1 | 2 | 3, mode: 'max' | 'average', keepdims: boolean): void {
  const how = mode === 'max' ? 'max-pooled' : 'averaged';
  const axes = SPATIAL[rank - 1];
  if (keepdims) {
    axes.forEach((axis, i) => step(axis, `${num(x[i + 1])} ${how} to 1`, 1, 'keepdims'));
    step('channels', 'each channel kept', x[rank + 1]);
  } else {
    const gone = axes.map((axis, i) => `${axis} ${num(x[i + 1])}`);
    const list = gone.length > 1 ? `${gone.slice(0, -1).join(', ')} and ${gone[gone.length - 1]}` : gone[0];
    step('channels', `${list} ${how} away, each channel kept`, x[rank + 1]);
  }
}

/**
 * A global max or average pooling layer: reduces every axis between the batch and the channels.
 * Shape (Keras keras/src/layers/pooling/base_global_pooling.py `compute_output_shape`, tfjs-layers
 * pooling.ts `GlobalPooling1D/2D.computeOutputShape`): (batch, …, c) → (batch, c), or with `keepdims`
 * (batch, 1, …, 1, c). No weights. Keras's keepdims is offered only where Layerlab's own class implements it
 * (`keepdims: true`, the 3-D kinds, custom layers); tfjs 4.22's global pooling layers have no such option.
 */
export function globalPooling(o: {
  kind: string;
  rank: 1 | 2 | 3;
  mode: 'max' | 'average';
  tfjsFactory: string;
  /** Offer Keras's keepdims argument (the runtime's class must implement it). */
  keepdims?: true;
  /** tfjs lacks the class: Layerlab's runtime defines it (LayerDef.customLayer). */
  customLayer?: true;
}): LayerDef {
  const what = o.mode === 'max' ? 'Keeps the largest value' : 'Averages the values';
  const over = ['all steps', 'the whole image', 'the whole volume'][o.rank - 1];
  const rule = ['(batch, steps, c) → (batch, c)', '(batch, h, w, c) → (batch, c)', '(batch, d, h, w, c) → (batch, c), or (batch, 1, 1, 1, c) with keepdims'][
    o.rank - 1
  ];
  const params: Readonly<Record<string, BoolSpec>> = o.keepdims
    ? { keepdims: p.bool({ default: false, help: 'Keep the pooled axes with size 1: (batch, 1, …, 1, c) instead of (batch, c).' }) }
    : {};
  return defineLayer({
    kind: o.kind,
    category: 'Pooling',
    description: `${what} of each channel over ${over}: one number per channel.`,
    shapeRule: rule,
    inputs: { min: 1, max: 1 },
    params: params,
    outputShape: ([x], q) => {
      expectRank(x, o.rank + 2, convForm(o.rank));
      if (tracing()) globalSteps(x, o.rank, o.mode, q.keepdims === true);
      return q.keepdims ? [x[0], ...new Array<number>(o.rank).fill(1), x[o.rank + 1]] : [x[0], x[o.rank + 1]];
    },
    weights: noWeights,
    keyParams: (q) => (q.keepdims ? 'keepdims' : ''),
    kerasClass: o.kind,
    tfjsFactory: o.tfjsFactory,
    // Keras 3.15: (data_format, keepdims) (keras/src/layers/pooling/base_global_pooling.py).
    keras: { positional: ['data_format', 'keepdims'], aliases: [o.kind.replace('MaxPooling', 'MaxPool').replace('AveragePooling', 'AvgPool')] },
    customLayer: o.customLayer,
    inputSpec: () => ({ ndim: o.rank + 2 }),
  });
}
