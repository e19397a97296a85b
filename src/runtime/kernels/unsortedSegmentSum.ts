/**
 * UnsortedSegmentSum for the wasm backend, which tfjs-backend-wasm 4.22 lacks: it is the gradient of
 * Gather, so without it an Embedding cannot train on wasm (docs/keras-facts.md §6, tfjs #8082).
 * out[s, …] = Σ over i with segmentIds[i] = s of x[i, …] (tfjs-core unsorted_segment_sum.ts semantics: the
 * ids are a prefix of x's shape; ids outside [0, numSegments) are dropped). A JavaScript pass over the wasm
 * heap: x is read once as a [P, C] matrix (P = the ids' element count), each row added into its segment's
 * float64 accumulator row, written out as float32.
 */
import type { TensorInfo, WasmHeapBackend } from './common';

export interface UnsortedSegmentSumAttrs {
  readonly numSegments: number;
}

/**
 * Segment sums of a row-major [P, C] matrix into `out` ([numSegments, C]), accumulated in float64.
 * @param ids P segment ids; rows whose id is outside [0, numSegments) are skipped.
 */
export function segmentSumInto(x: Float32Array, ids: ArrayLike<number>, P: number, C: number, numSegments: number, out: Float32Array): void {
  const acc = new Float64Array(numSegments * C);
  for (let p = 0; p < P; p++) {
    const s = ids[p];
    if (!(s >= 0 && s < numSegments)) continue;
    const from = p * C;
    const to = s * C;
    for (let c = 0; c < C; c++) acc[to + c] += x[from + c];
  }
  out.set(acc);
}

/** The kernel function: inputs { x, segmentIds }, attrs { numSegments }, as tfjs's UnsortedSegmentSum. */
export function unsortedSegmentSumWasm() {
  return (args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: WasmHeapBackend; attrs: UnsortedSegmentSumAttrs }): TensorInfo => {
    const {
      inputs: { x, segmentIds },
      backend,
      attrs,
    } = args;
    const P = segmentIds.shape.reduce((p, d) => p * d, 1);
    const rest = x.shape.slice(segmentIds.shape.length);
    const C = rest.reduce((p, d) => p * d, 1);
    const out = backend.makeOutput([attrs.numSegments, ...rest], 'float32');
    // Views after the allocation: growing the wasm memory detaches earlier views.
    const ids = backend.typedArrayFromHeap(segmentIds) as ArrayLike<number>;
    segmentSumInto(backend.typedArrayFromHeap(x) as Float32Array, ids, P, C, attrs.numSegments, backend.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}
