import { GLOROT_UNIFORM, ZEROS } from './shared/initializers';
import { defineLayer, ShapeError, formatShape, sizeOf } from './define';
import { num, step, tracing } from './trace';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * Dense: `output = activation(dot(input, kernel) + bias)` on the last axis.
 * Shape (Keras `Dense.compute_output_shape`, tfjs-layers core.ts `Dense`): (…, d) → (…, units);
 * the input needs rank ≥ 2 and a known last axis.
 * Weights (keras/src/layers/core/dense.py `build`): kernel (d, units), bias (units,) when use_bias.
 * MACs (validate/cost.ts): d·units per position of the leading axes: (…, d) → positions·d·units, where
 * positions is the product of the axes between batch and last (1 for a (batch, d) input).
 */
export const dense = defineLayer({
  kind: 'Dense',
  category: 'Core',
  description: 'Fully connected layer: every output unit sees every value of the last axis.',
  shapeRule: '(batch, …, d) → (batch, …, units)',
  inputs: { min: 1, max: 1 },
  params: {
    units: p.int({ default: 32, min: 1, always: true, help: 'Number of output units (size of the last axis of the output).' }),
    activation: p.activation(),
    use_bias: p.bool({ default: true, help: 'Add a learned bias to each unit.' }),
  },
  outputShape: ([x], q) => {
    if (x.length < 2) throw new ShapeError('shape/rank', `expects an input of rank ≥ 2 but got ${formatShape(x)}`);
    if (x[x.length - 1] === null) throw new ShapeError('shape/unknown-dim', `needs a known last axis but got ${formatShape(x)}`);
    if (tracing()) step('last axis', `${num(x[x.length - 1])} → units`, q.units);
    return [...x.slice(0, -1), q.units];
  },
  weightShapes: ([x], q) => {
    const d = x[x.length - 1] as number;
    return [{ name: 'kernel', shape: [d, q.units], trainable: true }, ...(q.use_bias ? [{ name: 'bias', shape: [q.units], trainable: true }] : [])];
  },
  macs: ([x], q) => {
    const positions = sizeOf(x, 1, x.length - 1);
    return positions === null ? null : positions * (x[x.length - 1] as number) * q.units;
  },
  keyParams: (q) => [q.units, q.activation !== 'linear' ? q.activation : null].filter((v) => v !== null).join(' · '),
  kerasClass: 'Dense',
  tfjsFactory: 'dense',
  inputSpec: ([x]) => ({ minNdim: 2, axes: { [-1]: x[x.length - 1] } }),
  keras: {
    required: ['units'],
    initializers: { kernel_initializer: GLOROT_UNIFORM, bias_initializer: ZEROS },
  },
  mask: passMask,
});
