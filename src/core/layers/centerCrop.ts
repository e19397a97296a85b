import { defineLayer, expectRank, noWeights } from './define';
import { num, step, tracing } from './trace';
import { p } from './params';

/**
 * CenterCrop: keeps the centred height × width window of every image; an image smaller than that on either
 * side is instead cropped to the target's aspect ratio and resized (bilinear) to height × width, as Keras 3
 * does (`image_utils.smart_resize`). Channels unchanged; no weights.
 * Source: Keras keras/src/layers/preprocessing/image_preprocessing/center_crop.py (`transform_images`,
 * `compute_output_shape`: height and width replace axes 1 and 2 of (batch, height, width, channels)).
 * tfjs 4.22's own CenterCrop declares a wrong output shape and overwrites its input's, so Layerlab's runtime
 * defines it (runtime/layers/resizing.ts), registered under the same class name. Cropping is a slice (trains on
 * stock wasm); resizing a smaller image gathers, whose gradient needs the UnsortedSegmentSum kernel Layerlab
 * registers for wasm.
 */
export const centerCrop = defineLayer({
  kind: 'CenterCrop',
  category: 'Preprocessing',
  description: 'Crops the centre of each image to a fixed height and width (resizing images that are smaller).',
  shapeRule: '(batch, h, w, c) → (batch, height, width, c)',
  inputs: { min: 1, max: 1 },
  params: {
    height: p.int({ default: 224, min: 1, max: 1 << 24, always: true, help: 'Height of the cropped images, in pixels.' }),
    width: p.int({ default: 224, min: 1, max: 1 << 24, always: true, help: 'Width of the cropped images, in pixels.' }),
  },
  outputShape: ([x], q) => {
    expectRank(x, 4, '(batch, height, width, channels)');
    if (tracing()) {
      // An image smaller than the target on either side is resized instead (see above).
      const how = (x[1] !== null && x[1] < q.height) || (x[2] !== null && x[2] < q.width) ? 'resized (smaller than the target) to' : 'cropped at the center to';
      step('height', `${num(x[1])} ${how} height`, q.height);
      step('width', `${num(x[2])} ${how} width`, q.width);
    }
    return [x[0], q.height, q.width, x[3]];
  },
  weights: noWeights,
  keyParams: (q) => `${q.height}×${q.width}`,
  kerasClass: 'CenterCrop',
  tfjsFactory: 'centerCrop',
  keras: { required: ['height', 'width'] },
  customLayer: true,
  inputSpec: null,
});
