import { defineLayer, noWeights } from './define';
import { p } from './params';

/**
 * Rescaling: x · scale + offset, e.g. pixel values 0–255 → 0–1 with scale 1/255. Shape unchanged, no weights
 * (Keras keras/src/layers/preprocessing/rescaling.py, tfjs-layers preprocessing/image_preprocessing.ts).
 */
export const rescaling = defineLayer({
  kind: 'Rescaling',
  category: 'Preprocessing',
  description: 'Multiplies every value by scale and adds offset, e.g. 1/255 to bring pixels into 0–1.',
  shapeRule: 'shape unchanged',
  inputs: { min: 1, max: 1 },
  params: {
    scale: p.float({ default: 1 / 255, always: true, help: 'Factor every value is multiplied by (1/255 ≈ 0.00392 for pixels).' }),
    offset: p.float({ default: 0, help: 'Added after scaling, e.g. −1 with scale 1/127.5 for the range −1…1.' }),
  },
  outputShape: ([x]) => x,
  weights: noWeights,
  keyParams: (q) => [`×${Number(q.scale.toPrecision(4))}`, q.offset !== 0 ? `+${q.offset}` : null].filter(Boolean).join(' '),
  kerasClass: 'Rescaling',
  tfjsFactory: 'rescaling',
  keras: { required: ['scale'] },
  inputSpec: null,
});
