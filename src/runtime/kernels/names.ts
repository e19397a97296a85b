/**
 * The names of the tfjs kernels Layerlab registers for the wasm backend (src/runtime/kernels/index.ts).
 * A dependency-free list, so the pure backend rule (backend.ts) can tell which of wasm's missing gradients
 * Layerlab supplies without loading any kernel code. kernels.test.ts checks it equals what is registered.
 */
export const LAYERLAB_WASM_KERNELS: readonly string[] = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'MaxPoolGrad',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'BatchMatMul',
  'Sum',
  'UnsortedSegmentSum',
];
