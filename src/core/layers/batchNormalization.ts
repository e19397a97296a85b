import { ZEROS, ONES } from './shared/initializers';
import { defineLayer, expectKnown } from './define';
import { p } from './params';
import { passMask } from './shared/mask';
import { centerScaleIssue, centerSpec, checkNormRank, epsilonSpec, scaleSpec } from './shared/norm';

/**
 * Batch normalization over the last (channel) axis: normalizes with the batch's mean and variance while
 * training and with moving averages of them at inference. Shape unchanged.
 * Weights (docs/keras-facts.md §4; Keras keras/src/layers/normalization/batch_normalization.py
 * `build`, tfjs-layers normalization.ts `BatchNormalization.build`): per channel C, gamma (scale) and beta
 * (center) trainable, moving_mean and moving_variance non-trainable, in that order, each (C,): 2·C + 2·C.
 * MACs: none counted: a scale and shift per value, element-wise, which at inference folds into the preceding
 * convolution's weights (validate/cost.ts).
 * `axis` is not offered (it is −1): tfjs 4.22 fails to train BatchNormalization on any other axis
 * ("Size(…) must match the product of shape …").
 */
export const batchNormalization = defineLayer({
  kind: 'BatchNormalization',
  category: 'Normalization',
  description: 'Normalizes each channel over the batch, then scales and shifts it; steadies training.',
  shapeRule: 'shape unchanged; 4 numbers per channel (2 trainable)',
  inputs: { min: 1, max: 1 },
  params: {
    momentum: p.float({ default: 0.99, min: 0, maxExclusive: 1, help: 'How slowly the moving mean and variance follow the batches.' }),
    epsilon: epsilonSpec(),
    center: centerSpec(),
    scale: scaleSpec(),
  },
  outputShape: ([x]) => {
    checkNormRank(x);
    expectKnown(x, [x.length - 1], 'channel (last) axis');
    return x;
  },
  weightShapes: ([x], q) => {
    const c = x[x.length - 1] as number;
    return [
      ...(q.scale ? [{ name: 'gamma', shape: [c], trainable: true }] : []),
      ...(q.center ? [{ name: 'beta', shape: [c], trainable: true }] : []),
      { name: 'moving_mean', shape: [c], trainable: false },
      { name: 'moving_variance', shape: [c], trainable: false },
    ];
  },
  keyParams: (q) => [q.center ? null : 'no center', q.scale ? null : 'no scale'].filter(Boolean).join(' · '),
  kerasClass: 'BatchNormalization',
  tfjsFactory: 'batchNormalization',
  inputSpec: ([x]) => ({ ndim: x.length, axes: { [x.length - 1]: x[x.length - 1] } }),
  keras: {
    positional: ['axis', 'momentum', 'epsilon', 'center', 'scale'],
    initializers: { beta_initializer: ZEROS, gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES },
    aliases: ['BatchNormalizationV1'],
    shapeKeys: {
      // The axis normalised: Layerlab models the last one only (an int or a one-entry list naming it).
      axis: (v, x) => {
        const axes = Array.isArray(v) ? (v as unknown[]) : [v];
        if (axes.length !== 1 || typeof axes[0] !== 'number') return 'refuse';
        if (axes[0] === -1) return 'ok';
        if (!x) return 'unchecked';
        return axes[0] === x.length - 1 ? 'ok' : 'refuse';
      },
    },
  },
  mask: passMask,
  trainingIssue: centerScaleIssue('BatchNormalization'),
});
