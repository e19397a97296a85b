/** What the element-wise merge kinds share (Add, Multiply, Average, Maximum, Minimum). */
import type { Dim, Shape } from '../../graph/types';
import { defineLayer, formatShape, noWeights, ShapeError, type LayerDef } from '../define';
import { mergeMask } from './mask';
import { num, step, tracing } from '../trace';

/**
 * Broadcast of two shapes without their batch axis, as Keras's and tfjs's merge layers do it: align
 * the shapes on the right; the longer one's leading axes are kept; on each aligned axis a size of 1
 * takes the other size, an unknown size gives unknown, equal sizes stay, anything else is an error.
 * Source: Keras keras/src/layers/merging/base_merge.py `_compute_elementwise_op_output_shape`, tfjs-layers
 * merge.ts `Merge.computeElementwiseOpOutputShape`.
 * @returns the broadcast shape, or null when the sizes clash.
 */
export function broadcastShapes(a: readonly Dim[], b: readonly Dim[]): Dim[] | null {
  if (a.length < b.length) return broadcastShapes(b, a);
  const out: Dim[] = a.slice(0, a.length - b.length);
  for (let k = 0; k < b.length; k++) {
    const i = a[a.length - b.length + k];
    const j = b[k];
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else return null;
  }
  return out;
}

/**
 * Records the axes where merging input `i + 1` into the shape so far broadcast (sizes differ): `axis 1: 1 and 5
 * broadcast = 5`; equal sizes pass through without a step. Axes are aligned on the right, as `broadcastShapes`.
 */
function broadcastSteps(a: readonly Dim[], b: readonly Dim[], out: readonly Dim[], i: number): void {
  out.forEach((d, k) => {
    const x = a[k - (out.length - a.length)];
    const y = b[k - (out.length - b.length)];
    if (x === y) return;
    const from = (v: Dim | undefined, what: string) => (v === undefined ? `(no such axis in ${what})` : num(v));
    step(`axis ${k + 1}`, `${from(x, i === 1 ? 'input 1' : 'the inputs before')} and ${from(y, `input ${i + 1}`)} broadcast`, d);
  });
}

/**
 * An element-wise merge layer of two or more inputs (at most `maxInputs`: Subtract takes exactly 2). Output
 * shape (see `broadcastShapes`): the inputs' shapes broadcast one after another, batch axis first. No weights.
 * `customLayer`: tfjs lacks the class and Layerlab's runtime defines it (LayerDef.customLayer).
 * @throws ShapeError 'shape/broadcast' naming the first input that does not broadcast.
 */
export function elementwiseMerge(o: {
  kind: string;
  description: string;
  formula: string;
  tfjsFactory: string;
  maxInputs?: number;
  customLayer?: true;
}): LayerDef {
  return defineLayer({
    kind: o.kind,
    category: 'Merge',
    description: o.description,
    shapeRule: `${o.formula}; shapes equal, or sizes of 1 broadcast (aligned on the right)`,
    inputs: { min: 2, max: o.maxInputs ?? Infinity },
    params: {},
    outputShape: (xs) => {
      let out: Dim[] = xs[0].slice(1);
      for (let i = 1; i < xs.length; i++) {
        const next = broadcastShapes(out, xs[i].slice(1));
        if (next === null)
          throw new ShapeError(
            'shape/broadcast',
            `input ${i + 1} has shape ${formatShape(xs[i])}, which does not match ${i === 1 ? 'input 1' : 'the inputs before it'} ${formatShape([null, ...out])}; element-wise merges need equal sizes, or 1 on an axis to broadcast`,
          );
        if (tracing()) broadcastSteps(out, xs[i].slice(1), next, i);
        out = next;
      }
      return [null, ...out] as Shape;
    },
    weights: noWeights,
    keyParams: () => '',
    kerasClass: o.kind,
    tfjsFactory: o.tfjsFactory,
    customLayer: o.customLayer,
    inputSpec: null,
    mask: mergeMask,
  });
}
