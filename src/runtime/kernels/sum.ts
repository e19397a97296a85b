/**
 * Sum for the wasm backend, fast for reductions over leading axes — the bias gradients of Conv2D and Dense
 * (dy summed over batch, height and width). Stock tfjs-backend-wasm 4.22 first transposes the reduced axes
 * to the end, then adds rows (≈ 10 ms for the seed CNN's first-layer dy, 32 × 62 × 62 × 32, in Node). Here
 * x is read once as a [P, C] matrix (P = product of the reduced leading axes) in JavaScript on the wasm heap,
 * adding each row into a float64 accumulator of C values, and the C sums are written as float32. (A matrix
 * product ones[1, P] · x is no faster: XNNPACK repacks x as weights on every call.)
 * Any other reduction goes to the stock kernel. Accumulating in float64 is at least as accurate as the
 * stock kernel's float32 and is what the cpu backend does.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../buildModel';
import type { TensorInfo, WasmHeapBackend } from './common';

export interface SumAttrs {
  readonly axis: number | readonly number[];
  readonly keepDims: boolean;
}

/**
 * Column sums of a row-major [P, C] matrix into `out` (length C), accumulated in float64.
 * @param x at least P·C values
 */
export function sumRowsInto(x: Float32Array, P: number, C: number, out: Float32Array): void {
  const acc = new Float64Array(C);
  for (let p = 0, base = 0; p < P; p++, base += C) for (let c = 0; c < C; c++) acc[c] += x[base + c];
  out.set(acc);
}

/**
 * The kernel function: inputs { x }, attrs { axis, keepDims } as tfjs's Sum.
 * @param stock the stock wasm Sum, used for every reduction that is not over leading axes of a float32 tensor.
 */
export function sumWasm(tf: TF, stock: tfjs.KernelFunc) {
  return (args: { inputs: { x: TensorInfo }; backend: WasmHeapBackend; attrs: SumAttrs }): TensorInfo => {
    const {
      inputs: { x },
      backend,
      attrs,
    } = args;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(attrs.axis as number[], x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return stock(args as unknown as Parameters<tfjs.KernelFunc>[0]) as TensorInfo;
    const P = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
    const rest = x.shape.slice(axes.length);
    const C = rest.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput(attrs.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
    // Views after the allocation: growing the wasm memory detaches earlier views.
    sumRowsInto(backend.typedArrayFromHeap(x) as Float32Array, P, C, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}
