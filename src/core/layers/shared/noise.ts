/** What the noise and dropout kinds share: a rate or stddev parameter, shape unchanged, no weights. */
import type { Shape } from '../../graph/types';
import { defineLayer, noWeights, type LayerDef } from '../define';
import { p, type ParamSpec } from '../params';
import { passMask } from './mask';

/**
 * A regularization layer that only acts while training. Shape unchanged (`check` may require a rank),
 * no weights; Keras keras/src/layers/regularization/*.py and tfjs-layers noise.ts / core.ts.
 */
export function noiseLayer(o: {
  kind: string;
  description: string;
  tfjsFactory: string;
  param: 'rate' | 'stddev';
  check?: (x: Shape) => void;
  shapeRule?: string;
  /** The InputSpec tfjs gives the built layer (LayerDef.inputSpec); none when absent. */
  inputSpec?: LayerDef['inputSpec'];
  keras?: LayerDef['keras'];
  /** tfjs lacks the class: Layerlab's runtime defines it (LayerDef.customLayer). */
  customLayer?: true;
}): LayerDef {
  const spec: ParamSpec =
    o.param === 'rate'
      ? p.rate({ default: 0.5, always: true, help: 'Fraction of the inputs affected while training, 0 ≤ rate < 1.' })
      : p.float({ default: 0.1, min: 0, always: true, help: 'Standard deviation of the noise added while training.' });
  return defineLayer({
    kind: o.kind,
    category: 'Regularization',
    description: o.description,
    shapeRule: o.shapeRule ?? 'shape unchanged',
    inputs: { min: 1, max: 1 },
    params: { [o.param]: spec },
    outputShape: ([x]) => {
      o.check?.(x);
      return x;
    },
    weights: noWeights,
    keyParams: (q) => `${o.param} ${String(q[o.param])}`,
    kerasClass: o.kind,
    tfjsFactory: o.tfjsFactory,
    inputSpec: o.inputSpec ?? null,
    // Keras requires the rate (stddev) argument: `Dropout()` raises (LayerDef keras.required).
    keras: { required: [o.param], ...o.keras },
    customLayer: o.customLayer,
    mask: passMask,
  });
}
