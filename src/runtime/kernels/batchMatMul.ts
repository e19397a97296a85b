/**
 * BatchMatMul for the wasm backend with transposed operands made explicit. Stock tfjs-backend-wasm 4.22
 * multiplies a transposed operand in a slow path: for the seed CNN's 12,544 × 64 Dense layer the weight
 * gradient xᵀ·dy takes ≈ 20 ms and the input gradient dy·wᵀ ≈ 16 ms (Node, one thread), against ≈ 3.5 ms and
 * ≈ 6.5 ms when the operand is first transposed with the Transpose kernel and the product taken untransposed
 * (XNNPACK's fast path). The result is the same product: (Aᵀ)·B with Aᵀ materialised.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { TF } from '../buildModel';
import { kernelCaller, type BackendLike, type TensorInfo } from './common';

export interface BatchMatMulAttrs {
  readonly transposeA?: boolean;
  readonly transposeB?: boolean;
}

/** Swaps the last two axes of a rank-r shape: the permutation for Transpose. */
const swapLast = (rank: number): number[] => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];

/**
 * The kernel function: inputs { a: [..., M, K] (or [..., K, M] with transposeA), b: [..., K, N] (or [..., N, K]
 * with transposeB) }, float32. Transposed operands are materialised, then the stock kernel multiplies.
 * @param stock the stock wasm BatchMatMul kernel function.
 */
export function batchMatMulWasm(tf: TF, stock: tfjs.KernelFunc) {
  return ({ inputs, backend, attrs }: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendLike; attrs: BatchMatMulAttrs }): TensorInfo => {
    if (!attrs.transposeA && !attrs.transposeB) return stock({ inputs, backend: backend, attrs: attrs as tfjs.NamedAttrMap }) as TensorInfo;
    const k = kernelCaller(tf, backend, 'wasm');
    const temps: TensorInfo[] = [];
    try {
      let { a, b } = inputs;
      if (attrs.transposeA) temps.push((a = k.run('Transpose', { x: a }, { perm: swapLast(a.shape.length) })));
      if (attrs.transposeB) temps.push((b = k.run('Transpose', { x: b }, { perm: swapLast(b.shape.length) })));
      return stock({ inputs: { a, b }, backend: backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    } finally {
      k.free(temps);
    }
  };
}
