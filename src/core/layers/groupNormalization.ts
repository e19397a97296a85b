import { ONES, ZEROS } from './shared/initializers';
import { defineLayer, expectKnown, expectMinRank, formatShape, ShapeError } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * Group normalization: splits the channels (last axis) into `groups` groups of consecutive channels and
 * normalizes each sample within each group (mean and variance over every other axis but the batch and the
 * group), then scales by gamma and shifts by beta per channel. Shape unchanged.
 * Source: Keras keras/src/layers/normalization/group_normalization.py (`build`: gamma then beta, each of shape
 * (channels,); InputSpec ndim = rank, axes {−1: channels}; `groups=-1` means one group per channel; channels
 * must be known and divisible by groups). tfjs 4.22 has no such layer: Layerlab's runtime defines it
 * (runtime/layers/groupNormalization.ts). Channels last only: `axis` stays −1 (an imported file with another
 * axis is refused with the reason).
 * MACs: none counted (element-wise, validate/cost.ts).
 */
export const groupNormalization = defineLayer({
  kind: 'GroupNormalization',
  category: 'Normalization',
  description: 'Normalizes each sample within groups of channels, then scales and shifts each channel; independent of the batch size.',
  shapeRule: 'shape unchanged; channels divisible by groups; 2 numbers per channel',
  inputs: { min: 1, max: 1 },
  params: {
    groups: p.int({
      default: 32,
      min: -1,
      always: true,
      help: 'Number of groups the channels are split into; the channels must divide evenly. −1: one group per channel (instance normalization).',
    }),
    axis: p.int({
      default: -1,
      min: -1,
      max: -1,
      fixed: 'Layerlab groups the last axis (channels last) only',
      help: 'The channels axis; −1, the last.',
    }),
    epsilon: p.float({ default: 0.001, min: 0, help: 'Small number added to the variance to avoid dividing by zero.' }),
    center: p.bool({ default: true, help: 'Learn an offset beta per channel, added after normalizing.' }),
    scale: p.bool({ default: true, help: 'Learn a factor gamma per channel, applied after normalizing.' }),
  },
  outputShape: ([x], q) => {
    expectMinRank(x, 2, '(batch, …, channels)');
    expectKnown(x, [x.length - 1], 'number of channels (last axis)');
    const channels = x[x.length - 1]!;
    if (q.groups === 0) throw new ShapeError('param/invalid', 'groups must be a positive number of groups, or −1 for one group per channel (got 0)');
    const groups = q.groups === -1 ? channels : q.groups;
    if (groups > channels)
      throw new ShapeError('param/invalid', `groups ${groups} is more than the ${channels} channels of ${formatShape(x)}; use at most ${channels} groups`);
    if (channels % groups !== 0)
      throw new ShapeError(
        'param/invalid',
        `the ${channels} channels of ${formatShape(x)} do not split into ${groups} equal groups; use a number of groups that divides ${channels}`,
      );
    return x;
  },
  weightShapes: ([x], q) => {
    const c = x[x.length - 1] ?? 0;
    return [...(q.scale ? [{ name: 'gamma', shape: [c], trainable: true }] : []), ...(q.center ? [{ name: 'beta', shape: [c], trainable: true }] : [])];
  },
  keyParams: (q) =>
    [q.groups === -1 ? 'per channel' : `${q.groups} groups`, q.center ? null : 'no center', q.scale ? null : 'no scale'].filter(Boolean).join(' · '),
  kerasClass: 'GroupNormalization',
  tfjsFactory: 'groupNormalization',
  customLayer: true,
  inputSpec: ([x]) => ({ ndim: x.length, axes: { [-1]: x[x.length - 1] } }),
  keras: { initializers: { gamma_initializer: ONES, beta_initializer: ZEROS } },
  mask: passMask,
});
