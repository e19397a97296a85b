import { ZEROS } from './shared/initializers';
import type { Shape } from '../graph/types';
import { defineLayer, expectKnown, formatShape, ShapeError } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/** PReLU's alpha shape: the input's shape without the batch axis, 1 on each shared axis. @throws ShapeError for an axis past the rank. */
function alphaShape(x: Shape, q: { readonly shared_axes: readonly number[] | null }): Shape {
  const shared = q.shared_axes ?? [];
  const bad = shared.find((a) => a >= x.length);
  if (bad !== undefined) throw new ShapeError('shape/bad-axis', `shared_axes names axis ${bad}, but ${formatShape(x)} has axes 1 to ${x.length - 1} only`);
  const shape = x.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : d));
  expectKnown(
    [null, ...shape],
    shape.map((_d, i) => i + 1),
    'size on every axis that is not shared',
  );
  return shape;
}

/**
 * PReLU: LeakyReLU with a learned slope alpha per value (or shared along shared_axes). Shape unchanged.
 * Weights (Keras keras/src/layers/activations/prelu.py `build`, tfjs-layers advanced_activations.ts
 * `PReLU.build`): alpha of the input's shape without the batch axis, with 1 on every shared axis; trainable.
 */
export const pReLU = defineLayer({
  kind: 'PReLU',
  category: 'Activation',
  description: 'Leaky ReLU whose negative slope is learned, per value or shared along some axes.',
  shapeRule: 'shape unchanged; one learned slope per value (1 along shared_axes)',
  inputs: { min: 1, max: 1 },
  params: {
    shared_axes: p.intList({
      default: null,
      nullable: true,
      min: 1,
      minLength: 1,
      maxLength: 4,
      unique: true,
      help: 'Axes that share one slope, e.g. 1, 2 for one slope per channel of an image; empty means none.',
    }),
  },
  outputShape: ([x], q) => {
    alphaShape(x, q);
    return x;
  },
  weightShapes: ([x], q) => [{ name: 'alpha', shape: alphaShape(x, q) as number[], trainable: true }],
  keyParams: (q) => (q.shared_axes === null ? '' : `shared ${q.shared_axes.join(', ')}`),
  kerasClass: 'PReLU',
  tfjsFactory: 'prelu',
  // tfjs fixes every axis's size only with shared_axes; without, its call still fails on another shape.
  inputSpec: ([x], q) => (q.shared_axes === null ? { ndim: x.length } : { ndim: x.length, axes: Object.fromEntries(x.slice(1).map((d, i) => [i + 1, d])) }),
  fixedWhenBuilt: 'shape',
  keras: {
    positional: ['alpha_initializer', 'alpha_regularizer', 'alpha_constraint', 'shared_axes'],
    initializers: { alpha_initializer: ZEROS },
  },
  mask: passMask,
});
