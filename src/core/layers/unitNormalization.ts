import { defineLayer, formatShape, noWeights, resolveAxis, ShapeError } from './define';
import { p } from './params';
import { passMask } from './shared/mask';

/**
 * Unit normalization: divides each sample by its L2 norm over `axis` (one axis or several), so that the
 * values along those axes have length 1: x · min(1/√Σx², 10¹²). Shape unchanged; no weights.
 * Source: Keras keras/src/layers/normalization/unit_normalization.py (`ops.normalize(order=2, epsilon=1e-12)`,
 * keras/src/ops/nn.py `_normalize`); no InputSpec. tfjs 4.22 has no such layer: Layerlab's runtime defines it
 * (runtime/layers/unitNormalization.ts).
 */
export const unitNormalization = defineLayer({
  kind: 'UnitNormalization',
  category: 'Normalization',
  description: 'Divides each sample by its length (L2 norm) over the chosen axes, so that it has length 1 there.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    axis: p.intList({
      default: [-1],
      min: -5,
      max: 5,
      minLength: 1,
      maxLength: 5,
      unique: true,
      help: 'The axis or axes the norm is taken over; −1 is the last (features). The batch axis (0) cannot be used.',
    }),
  },
  outputShape: ([x], q) => {
    const seen = new Set<number>();
    for (const axis of q.axis) {
      const a = resolveAxis(axis, x.length);
      if (a === null)
        throw new ShapeError(
          'shape/bad-axis',
          `axis ${axis} does not name an axis of ${formatShape(x)} other than the batch axis; use 1 to ${x.length - 1} or −1 to −${x.length - 1}`,
        );
      if (seen.has(a)) throw new ShapeError('shape/bad-axis', `axis ${q.axis.join(', ')} names axis ${a} of ${formatShape(x)} twice`);
      seen.add(a);
    }
    return x;
  },
  weights: noWeights,
  keyParams: (q) => (q.axis.length === 1 && q.axis[0] === -1 ? '' : `axis ${q.axis.join(', ')}`),
  kerasClass: 'UnitNormalization',
  tfjsFactory: 'unitNormalization',
  customLayer: true,
  inputSpec: null,
  mask: passMask,
});
