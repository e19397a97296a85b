import { defineLayer, noWeights, formatShape, product, ShapeError } from './define';
import { num, step, tracing } from './trace';

/**
 * Flattens every axis but the batch axis.
 * Shape (tfjs-layers core.ts `Flatten`, inputSpec minNDim 3): (batch, d1, …, dn) → (batch, d1·…·dn).
 * tfjs refuses rank-2 inputs and unknown dimensions, so the core does too. No weights.
 */
export const flatten = defineLayer({
  kind: 'Flatten',
  category: 'Core',
  description: 'Unrolls each sample into one vector, e.g. before a Dense layer.',
  shapeRule: '(batch, d1, …, dn) → (batch, d1·…·dn)',
  inputs: { min: 1, max: 1 },
  params: {},
  outputShape: ([x]) => {
    if (x.length < 3) throw new ShapeError('shape/already-flat', `expects an input of rank ≥ 3 but ${formatShape(x)} is already flat; remove this Flatten`);
    const n = product(x.slice(1));
    if (n === null) throw new ShapeError('shape/unknown-dim', `needs every axis but the batch axis known, got ${formatShape(x)}`);
    if (tracing()) step('features', x.slice(1).map(num).join(' × '), n);
    return [x[0], n];
  },
  weights: noWeights,
  keyParams: () => '',
  kerasClass: 'Flatten',
  tfjsFactory: 'flatten',
  keras: { positional: ['data_format'] },
  inputSpec: () => ({ minNdim: 3 }),
});
