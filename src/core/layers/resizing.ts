import { defineLayer, expectRank, noWeights } from './define';
import { num, step, tracing } from './trace';
import { p } from './params';

/** Interpolations Keras 3's Resizing offers that tfjs 4.22 has no kernel for (keras/src/backend/jax/image.py RESIZE_INTERPOLATIONS). */
const UNSUPPORTED_INTERPOLATIONS = ['bicubic', 'lanczos3', 'lanczos5', 'area'];

/**
 * Resizing: resizes every image of the batch to height × width (bilinear or nearest-neighbour interpolation,
 * half-pixel centers as Keras 3's jax / TensorFlow backends compute it), optionally cropping the largest
 * centred window of the target's aspect ratio first. Channels unchanged; no weights.
 * Source: Keras keras/src/layers/preprocessing/image_preprocessing/resizing.py (`compute_output_shape`: height and
 * width replace axes 1 and 2 of a (batch, height, width, channels) input) and keras/src/backend/jax/image.py
 * `resize` (`crop_to_aspect_ratio`). tfjs 4.22's own Resizing declares a wrong output shape, so Layerlab's runtime
 * defines it (runtime/layers/resizing.ts), registered under the same class name.
 */
export const resizing = defineLayer({
  kind: 'Resizing',
  category: 'Preprocessing',
  description: 'Resizes images to a fixed height and width (bilinear or nearest), optionally cropping to the aspect ratio first.',
  shapeRule: '(batch, h, w, c) → (batch, height, width, c)',
  inputs: { min: 1, max: 1 },
  params: {
    height: p.int({ default: 224, min: 1, max: 1 << 24, always: true, help: 'Height of the output images, in pixels.' }),
    width: p.int({ default: 224, min: 1, max: 1 << 24, always: true, help: 'Width of the output images, in pixels.' }),
    interpolation: p.choice({
      default: 'bilinear',
      options: ['bilinear', 'nearest'],
      help: "How new pixels are computed: 'bilinear' blends the 4 nearest input pixels, 'nearest' copies the nearest one. (tfjs has no bicubic, lanczos or area resizing.)",
    }),
    crop_to_aspect_ratio: p.bool({
      default: false,
      help: 'Crop the largest centred window with the output’s aspect ratio before resizing, so that images are not stretched.',
    }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    if (tracing()) {
      step('height', `${num(x[1])} resized to height`, q.height);
      step('width', `${num(x[2])} resized to width`, q.width);
    }
    return [x[0], q.height, q.width, x[3]];
  },
  weights: noWeights,
  keyParams: (q) =>
    [`${q.height}×${q.width}`, q.interpolation === 'bilinear' ? null : q.interpolation, q.crop_to_aspect_ratio ? 'crop' : null].filter(Boolean).join(' · '),
  kerasClass: 'Resizing',
  tfjsFactory: 'resizing',
  customLayer: true,
  inputSpec: null,
  // The class resizes with gathers, whose gradient is an UnsortedSegmentSum (Layerlab registers it for wasm).
  wasmGradient: 'UnsortedSegmentSum',
  keras: {
    required: ['height', 'width'],
    refuse: (args) =>
      typeof args.interpolation === 'string' && UNSUPPORTED_INTERPOLATIONS.includes(args.interpolation)
        ? `resizes with interpolation='${args.interpolation}', which TensorFlow.js 4.22 cannot compute (it resizes with 'bilinear' or 'nearest' only); nothing was changed.`
        : null,
  },
});
