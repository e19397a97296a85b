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
      const out = k.kernelFunc({ inputs, attrs: attrs as tfjs.NamedAttrMap, backend: backend as unknown as tfjs.KernelBackend });
      return Array.isArray(out) ? out[0] : (out as TensorInfo);
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
export const pair = (v: number | readonly number[] | undefined, fallback = 1): [number, number] =>
  v === undefined || v === null ? [fallback, fallback] : typeof v === 'number' ? [v, v] : [v[0], v[1] ?? v[0]];

/** Explicit padding of one spatial axis. */
export interface AxisPad {
  readonly before: number;
  readonly after: number;
  /** Output length of the forward operation along this axis. */
  readonly out: number;
}

/**
 * Padding and output length of a forward convolution / pooling along one axis, as tfjs-core computes them
 * (conv_util.getPadAndOutInfo, which follows TensorFlow):
 * - 'same': out = ⌈in / s⌉, total = max(0, (out − 1)·s + k_eff − in), before = ⌊total / 2⌋, after = total − before;
 * - 'valid': out = ⌈(in − k_eff + 1) / s⌉, no padding;
 * - a number p: p on both sides, out = round((in − k_eff + 2p) / s + 1) (truncated unless `rounding` says);
 * - explicit [before, after]: out = round((in − k_eff + before + after) / s + 1).
 * k_eff = (k − 1)·d + 1 for dilation d.
 * @param rounding tfjs's dimRoundingMode ('floor' | 'round' | 'ceil'; undefined = truncate).
 */
export function axisPad(pad: PadAttr, axis: 1 | 2, inLen: number, k: number, s: number, d = 1, rounding?: string): AxisPad {
  const kEff = (k - 1) * d + 1;
  const rnd = (v: number) => (rounding === 'ceil' ? Math.ceil(v) : rounding === 'round' ? Math.round(v) : rounding === 'floor' ? Math.floor(v) : Math.trunc(v));
  if (pad === 'same') {
    const out = Math.ceil(inLen / s);
    const total = Math.max(0, (out - 1) * s + kEff - inLen);
    return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), out };
  }
  if (pad === 'valid') return { before: 0, after: 0, out: Math.ceil((inLen - kEff + 1) / s) };
  if (typeof pad === 'number') return { before: pad, after: pad, out: rnd((inLen - kEff + 2 * pad) / s + 1) };
  const [before, after] = pad[axis];
  return { before, after, out: rnd((inLen - kEff + before + after) / s + 1) };
}

/** `[[0,0],[top,bottom],[left,right],[0,0]]`, tfjs's explicit NHWC padding. */
export const explicitPad = (h: readonly [number, number], w: readonly [number, number]): [number, number][] => [[0, 0], [h[0], h[1]], [w[0], w[1]], [0, 0]];
