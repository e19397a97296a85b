import type { Shape } from '../graph/types';
import { defineLayer, formatShape, noWeights, product, ShapeError } from './define';
import { axisName, num, step, tracing } from './trace';
import { p } from './params';

/**
 * Keras's Reshape output shape: `compute_reshape_output_shape(input_shape[1:], target_shape)` in
 * keras/src/ops/operation_utils.py — a −1 takes the size left over (the total must divide evenly);
 * without −1 the sizes must multiply to the input's; with an unknown input dimension a −1 stays unknown.
 * @throws ShapeError 'shape/reshape-size' when the sizes do not fit.
 */
export function reshapeOutput(x: Shape, target: readonly number[]): Shape {
  const total = product(x.slice(1));
  const rank = target.length + 1;
  if (total === null) {
    if (tracing())
      target.forEach((d, i) =>
        d === -1
          ? step(axisName(rank, i + 1), `the −1 of an input with an unknown size (${formatShape(x)}) stays unknown`, null)
          : step(axisName(rank, i + 1), 'from target_shape', d),
      );
    return [x[0], ...target.map((d) => (d === -1 ? null : d))];
  }
  const known = target.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const wild = target.indexOf(-1);
  if (wild < 0) {
    if (tracing()) target.forEach((d, i) => step(axisName(rank, i + 1), 'from target_shape', d, i === 0 ? `${num(total)} values per sample` : undefined));
    if (known !== total)
      throw new ShapeError(
        'shape/reshape-size',
        `cannot reshape ${formatShape(x)} (${total} values per sample) to ${formatShape([x[0], ...target])} (${known} values); the sizes must multiply to ${total}`,
      );
    return [x[0], ...target];
  }
  if (total % known !== 0)
    throw new ShapeError(
      'shape/reshape-size',
      `cannot reshape ${formatShape(x)} (${total} values per sample) to ${formatShape([x[0], ...target])}: ${total} is not a multiple of ${known}, so the −1 has no whole size`,
    );
  if (tracing()) {
    const others = target.filter((d) => d !== -1).map(num);
    const divisor = others.length === 0 ? '1' : others.length === 1 ? others[0] : `(${others.join(' × ')})`;
    target.forEach((d, i) =>
      d === -1
        ? step(axisName(rank, i + 1), `${num(total)} / ${divisor}`, total / known, 'the −1: the values left')
        : step(axisName(rank, i + 1), 'from target_shape', d),
    );
  }
  return [x[0], ...target.map((d) => (d === -1 ? total / known : d))];
}

/**
 * Reshape: the same values in a new shape; `target_shape` excludes the batch axis and may hold one −1.
 * Shape: `reshapeOutput` (Keras). No weights.
 * tfjs 4.22's symbolic Reshape (tfjs-layers core.ts `Reshape.computeOutputShape`) leaves a −1 unknown,
 * because it counts the unknown batch axis as an unknown input dimension; so tfjs is given the resolved
 * target shape (`tfjsParams`), and the summary, the runtime and the generated TypeScript agree with Keras.
 */
export const reshape = defineLayer({
  kind: 'Reshape',
  category: 'Core',
  description: 'Rearranges each sample into a new shape with the same number of values (one size may be −1).',
  shapeRule: '(batch, d1, …, dn) → (batch, *target_shape), same number of values',
  inputs: { min: 1, max: 1 },
  params: {
    target_shape: p.intList({
      default: [-1],
      min: 1,
      minLength: 1,
      maxLength: 6,
      wildcard: true,
      always: true,
      help: 'New shape of one sample, without the batch axis; one entry may be −1 for "whatever is left".',
    }),
  },
  outputShape: ([x], q) => reshapeOutput(x, q.target_shape),
  weights: noWeights,
  keyParams: (q) => `→ ${q.target_shape.join('×')}`,
  kerasClass: 'Reshape',
  tfjsFactory: 'reshape',
  keras: { required: ['target_shape'] },
  inputSpec: null,
  tfjsParams: (q, [x]) => {
    const target = q.target_shape;
    if (!target.includes(-1) || product(x.slice(1)) === null) return null;
    let out: number[];
    try {
      out = reshapeOutput(x, target).slice(1) as number[];
    } catch {
      return null; // the validator reports it; tfjs gets the −1 as it is
    }
    return {
      params: { ...q, target_shape: out },
      note: `target_shape (${target.join(', ')}) is written with the −1 resolved: tfjs 4.22 leaves a −1 unknown when it builds a model.`,
    };
  },
});
