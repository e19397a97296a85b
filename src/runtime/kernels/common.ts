/**
 * Shared plumbing for Layerlab's wasm kernels: calling kernels the wasm backend already has at the backend
 * level (no engine bookkeeping, no tape), freeing intermediates, and the convolution geometry the gradient
 * kernels share. The tfjs module is passed in, as everywhere in src/runtime.
 *
 * A composite kernel works on `TensorInfo`s ({ dataId, shape, dtype }) owned by the backend: every
 * intermediate it creates must be freed with `backend.disposeData(dataId)`; the one it returns becomes the
 * engine's output tensor. This is how tfjs-backend-wasm composes its own kernels (e.g. BatchMatMul calls
 * Transpose).
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../buildModel';

export type TensorInfo = tfjs.TensorInfo;

/** What a composite kernel needs of the backend: freeing an intermediate's data. */
export interface BackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

/** The parts of tfjs-backend-wasm's BackendWasm the JavaScript kernels use (allocation and heap views). */
export interface WasmHeapBackend extends BackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Padding as tfjs kernels take it: a keyword, a number (all sides) or explicit [[0,0],[t,b],[l,r],[0,0]]. */
export type PadAttr = 'valid' | 'same' | number | readonly (readonly [number, number])[];

/**
 * Calls kernels by name on one backend, and frees intermediates.
 * `run(name, inputs, attrs)` returns the kernel's output (the first one for multi-output kernels).
 * `free(...infos)` releases intermediates; it skips the one given as `keep` and duplicates.
 */
export interface KernelCaller {
  run(name: string, inputs: Record<string, TensorInfo>, attrs?: Record<string, unknown>): TensorInfo;
  free(infos: readonly (TensorInfo | null | undefined)[], keep?: TensorInfo): void;
}

/**
 * A caller for `backendName`'s kernels on `backend`, read from tfjs's kernel registry at call time.
 * @throws Error when a kernel is not registered for that backend.
 */
export function kernelCaller(tf: TF, backend: BackendLike, backendName: string): KernelCaller {
  return {
    run(name, inputs, attrs = {}) {
      const k = tf.getKernel(name, backendName);
      if (!k) throw new Error(`Kernel '${name}' not registered for backend '${backendName}'.`);
      const out = k.kernelFunc({ inputs, attrs: attrs as tfjs.NamedAttrMap, backend: backend });
      return Array.isArray(out) ? out[0] : out;
    },
    free(infos, keep) {
      const seen = new Set<TensorInfo>();
      for (const t of infos) {
        if (!t || t === keep || seen.has(t)) continue;
        seen.add(t);
        backend.disposeData(t.dataId);
      }
    },
  };
}

/** [h, w] from a number or a pair (tfjs accepts both for strides, dilations, filter sizes). */
export const heightWidth = (v: number | readonly number[] | undefined, fallback = 1): [number, number] =>
  v === undefined || v === null ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** Padding and output size of a forward 2-D convolution or pooling (NHWC). */
export interface ConvGeometry {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * The padding and output size tfjs itself uses for a forward convolution (`backend_util.computeConv2DInfo`,
 * which follows TensorFlow: 'same' pads (out − 1)·s + k_eff − in in total, the smaller half before;
 * 'valid' pads nothing), so that a gradient kernel agrees with every other backend, including tfjs's quirks
 * (a numeric padding sizes both axes with the filter height and stride height).
 * @param xShape [N, H, W, C] (NHWC)
 * @param filterShape [kh, kw, C_in, C_out] (depthwise: [kh, kw, C, multiplier])
 */
export function convGeometry(
  tf: TF,
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | readonly number[],
  dilations: number | readonly number[] | undefined,
  pad: PadAttr,
  rounding: string | undefined,
  depthwise = false,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides as [number, number],
    (dilations ?? 1) as [number, number],
    pad as 'same',
    rounding as 'floor' | undefined,
    depthwise,
    'channelsLast',
  );
  const p = info.padInfo;
  return { top: p.top, bottom: p.bottom, left: p.left, right: p.right, outHeight: info.outHeight, outWidth: info.outWidth };
}

/** The same for a 2-D pooling (`backend_util.computePool2DInfo`, dilation 1). */
export function poolGeometry(
  tf: TF,
  xShape: readonly number[],
  filterSize: number | readonly number[],
  strides: number | readonly number[],
  pad: PadAttr,
  rounding: string | undefined,
): ConvGeometry {
  const info = tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    filterSize as [number, number],
    strides as [number, number],
    1,
    pad as 'same',
    rounding as 'floor' | undefined,
  );
  const p = info.padInfo;
  return { top: p.top, bottom: p.bottom, left: p.left, right: p.right, outHeight: info.outHeight, outWidth: info.outWidth };
}

/** `[[0,0],[top,bottom],[left,right],[0,0]]`, tfjs's explicit NHWC padding. */
export const explicitPad = (h: readonly [number, number], w: readonly [number, number]): [number, number][] => [
  [0, 0],
  [h[0], h[1]],
  [w[0], w[1]],
  [0, 0],
];

/** Attributes the two Conv2D gradient kernels share (tfjs-core Conv2DBackpropFilterAttrs / InputAttrs). */
export interface ConvGradAttrs {
  readonly strides: number | readonly number[];
  readonly pad: PadAttr;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: string;
}
