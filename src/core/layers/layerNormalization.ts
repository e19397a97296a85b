import { ZEROS, ONES } from './shared/initializers';
import { defineLayer, formatShape, ShapeError } from './define';
import { p } from './params';
import { passMask } from './shared/mask';
import { centerScaleIssue, centerSpec, checkNormRank, epsilonSpec, scaleSpec } from './shared/norm';

/**
 * Layer normalization: normalizes each sample over `axis` (its own mean and variance), then scales and
 * shifts. Shape unchanged.
 * Weights (Keras keras/src/layers/normalization/layer_normalization.py `build`, tfjs-layers
 * normalization.ts `LayerNormalization.build`): gamma (when scale) then beta (when center), each (d,) with
 * d = input[axis], trainable.
 * MACs: none counted (mean, variance, scale and shift are element-wise; validate/cost.ts).
 */
export const layerNormalization = defineLayer({
  kind: 'LayerNormalization',
  category: 'Normalization',
  description: 'Normalizes each sample on its own over one axis (features), then scales and shifts it.',
  shapeRule: 'shape unchanged; 2 numbers per feature on axis',
  inputs: { min: 1, max: 1 },
  params: {
    axis: p.int({ default: -1, min: -4, max: 3, help: 'The axis to normalize over; −1 is the last (features). The batch axis (0) cannot be used.' }),
    epsilon: epsilonSpec(),
    center: centerSpec(),
    scale: scaleSpec(),
  },
  outputShape: ([x], q) => {
    checkNormRank(x);
    const axis = q.axis;
    const a = axis < 0 ? x.length + axis : axis;
    const use = `use 1 to ${x.length - 1} or −1 to −${x.length - 1}`;
    if (a < 0 || a >= x.length) throw new ShapeError('shape/bad-axis', `axis ${axis} does not name an axis of ${formatShape(x)}; ${use}`);
    // The batch axis has no fixed size, so gamma and beta cannot be made for it (without them, both
    // Keras and tfjs normalize over the batch).
    if (x[a] === null && (q.center || q.scale))
      throw new ShapeError(
        'shape/bad-axis',
        `axis ${axis} is the batch axis of ${formatShape(x)}, whose size is unknown, so its scale and offset weights cannot be made; ${use}`,
      );
    return x;
  },
  weightShapes: ([x], q) => {
    const axis = q.axis;
    const d = x[axis < 0 ? x.length + axis : axis] ?? 0;
    return [...(q.scale ? [{ name: 'gamma', shape: [d], trainable: true }] : []), ...(q.center ? [{ name: 'beta', shape: [d], trainable: true }] : [])];
  },
  keyParams: (q) => [q.axis !== -1 ? `axis ${q.axis}` : null, q.center ? null : 'no center', q.scale ? null : 'no scale'].filter(Boolean).join(' · '),
  kerasClass: 'LayerNormalization',
  tfjsFactory: 'layerNormalization',
  inputSpec: null,
  fixedWhenBuilt: 'rank',
  keras: { initializers: { beta_initializer: ZEROS, gamma_initializer: ONES } },
  mask: passMask,
  trainingIssue: centerScaleIssue('LayerNormalization'),
});
