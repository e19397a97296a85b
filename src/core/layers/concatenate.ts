import { defineLayer, noWeights, formatShape, ShapeError } from './define';
import { axisArg as axisArgText, num, step, tracing } from './trace';
import type { Shape } from '../graph/types';
import { p } from './params';
import { concatMask } from './shared/mask';

/**
 * Joins its inputs along `axis` (negative counts from the end).
 * Shape (Keras `Concatenate.compute_output_shape`, tfjs-layers merge.ts `Concatenate`): every input has
 * the same rank and equal sizes on all axes but `axis`; the output's `axis` is their sum. No weights.
 */
export const concatenate = defineLayer({
  kind: 'Concatenate',
  category: 'Merge',
  description: 'Joins two or more tensors along one axis; all other axes must match.',
  shapeRule: '(batch, …, a) + (batch, …, b) → (batch, …, a+b) on axis −1',
  inputs: { min: 2, max: Infinity },
  params: {
    axis: p.int({ default: -1, min: -8, max: 8, help: 'Axis to join along; −1 is the last. The batch axis (0) cannot be joined.' }),
  },
  outputShape: (xs, q) => {
    const axisArg = q.axis;
    const rank = xs[0].length;
    for (let i = 1; i < xs.length; i++)
      if (xs[i].length !== rank)
        throw new ShapeError(
          'shape/concat-mismatch',
          `input ${i + 1} has shape ${formatShape(xs[i])} but input 1 has ${formatShape(xs[0])}; all inputs need the same rank and all axes but axis ${axisArg} must match`,
        );
    const axis = axisArg < 0 ? rank + axisArg : axisArg;
    if (axis < 1 || axis >= rank)
      throw new ShapeError(
        'shape/bad-axis',
        `axis ${axisArg} does not name a non-batch axis of rank-${rank} inputs; use 1 to ${rank - 1} or −1 to −${rank - 1}`,
      );
    // tfjs 4.22 runs any negative axis as the last one (tfjs-layers backend/tfjs_backend.ts
    // `concatenate`), while declaring the Keras shape: its model would not have the shapes it reports.
    if (axisArg < -1)
      throw new ShapeError(
        'shape/bad-axis',
        `axis ${axisArg} counts from the end, which tfjs 4.22 runs as axis -1; write the same axis as ${axis} (counted from the batch axis)`,
      );
    const out: Shape = [...xs[0]];
    for (let i = 1; i < xs.length; i++) {
      for (let a = 1; a < rank; a++) {
        if (a === axis) continue;
        if (xs[i][a] !== null && xs[0][a] !== null && xs[i][a] !== xs[0][a])
          throw new ShapeError(
            'shape/concat-mismatch',
            `input ${i + 1} has shape ${formatShape(xs[i])} but input 1 has ${formatShape(xs[0])}; all axes but axis ${axisArg} must match`,
          );
      }
      const a = out[axis];
      const b = xs[i][axis];
      out[axis] = a === null || b === null ? null : a + b;
    }
    if (tracing()) step(axisArgText(axisArg), xs.map((s) => num(s[axis])).join(' + '), out[axis]);
    return out;
  },
  weights: noWeights,
  keyParams: (q) => (q.axis === -1 ? '' : `axis ${q.axis}`),
  kerasClass: 'Concatenate',
  tfjsFactory: 'concatenate',
  inputSpec: null,
  mask: (xs, ms, q) => concatMask(xs, ms, q.axis),
});
