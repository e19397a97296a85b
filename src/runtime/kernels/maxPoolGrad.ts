/**
 * MaxPoolGrad for the wasm backend: one pass over the pooling windows in JavaScript on the wasm heap.
 * Stock tfjs-backend-wasm 4.22's MaxPoolGrad was the largest single cost of a training step of the seed CNN
 * (≈ 74 of 260 ms per batch of 32 in Node); this pass takes a few ms for the same tensors.
 *
 * Semantics are the cpu backend's (tfjs-backend-cpu pool_utils.maxPoolPositions and MaxPoolGrad): in each
 * window, scanned row by row, the gradient goes to the first element strictly greater than everything before
 * it (starting from −∞; a window of only NaN or −∞ passes no gradient), and an input element that is the
 * maximum of several (overlapping) windows receives the sum of their gradients. Padding positions never win.
 * Geometry as tfjs-core's computePool2DInfo (dilation 1).
 *
 * Cost: one read of every window element (out·kh·kw·C) and one write of dx; memory: dx plus two
 * per-channel scratch rows.
 */
import type { TF } from '../buildModel';
import { axisPad, pair, type PadAttr, type TensorInfo } from './common';

/** The parts of tfjs-backend-wasm's BackendWasm this kernel uses. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

export interface MaxPoolGradAttrs {
  readonly filterSize: number | readonly number[];
  readonly strides: number | readonly number[];
  readonly pad: PadAttr;
  readonly dimRoundingMode?: string;
}

/**
 * The gradient itself on plain arrays (NHWC, float32), also usable without a backend.
 * @param x input of the forward pooling, shape [N, H, W, C]
 * @param dy gradient of its output, shape [N, Ho, Wo, C]
 * @param dx output, shape of x; overwritten
 */
export function maxPoolGradInto(
  x: Float32Array, xShape: readonly number[], dy: Float32Array, dyShape: readonly number[], dx: Float32Array,
  kh: number, kw: number, sh: number, sw: number, padTop: number, padLeft: number,
): void {
  const [N, H, W, C] = xShape;
  const [, Ho, Wo] = dyShape;
  dx.fill(0);
  const best = new Float32Array(C);
  const pos = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    const xn = n * H * W * C;
    for (let i = 0; i < Ho; i++) {
      const r0 = i * sh - padTop;
      const rMin = Math.max(0, r0);
      const rMax = Math.min(H, r0 + kh);
      for (let j = 0; j < Wo; j++) {
        const c0 = j * sw - padLeft;
        const cMin = Math.max(0, c0);
        const cMax = Math.min(W, c0 + kw);
        best.fill(-Infinity);
        pos.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let q = cMin; q < cMax; q++) {
            const base = xn + (r * W + q) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                pos[c] = base + c;
              }
            }
          }
        }
        const dyBase = ((n * Ho + i) * Wo + j) * C;
        for (let c = 0; c < C; c++) if (pos[c] >= 0) dx[pos[c]] += dy[dyBase + c];
      }
    }
  }
}

/**
 * The kernel function: inputs { dy: [N, Ho, Wo, C], input: [N, H, W, C], output } (output is not needed:
 * the window scan finds the maximum itself), attrs as tfjs's MaxPoolGrad. Returns dx with input's shape.
 * @throws Error when dy's shape is not the pooling's output shape.
 */
export function maxPoolGradWasm(_tf: TF) {
  return ({ inputs, backend, attrs }: { inputs: { dy: TensorInfo; input: TensorInfo; output?: TensorInfo }; backend: WasmHeapBackend; attrs: MaxPoolGradAttrs }): TensorInfo => {
    const { dy, input } = inputs;
    const [kh, kw] = pair(attrs.filterSize as number | number[]);
    const [sh, sw] = pair(attrs.strides as number | number[]);
    const [N, H, W, C] = input.shape;
    const ph = axisPad(attrs.pad, 1, H, kh, sh, 1, attrs.dimRoundingMode);
    const pw = axisPad(attrs.pad, 2, W, kw, sw, 1, attrs.dimRoundingMode);
    if (dy.shape[0] !== N || dy.shape[1] !== ph.out || dy.shape[2] !== pw.out || dy.shape[3] !== C)
      throw new Error(`MaxPoolGrad: dy has shape [${dy.shape}] but the pooling's output is [${N},${ph.out},${pw.out},${C}].`);
    const dx = backend.makeOutput([...input.shape], 'float32');
    // Views after the allocation: growing the wasm memory detaches earlier views.
    const xs = backend.typedArrayFromHeap(input) as Float32Array;
    const dys = backend.typedArrayFromHeap(dy) as Float32Array;
    const dxs = backend.typedArrayFromHeap(dx) as Float32Array;
    maxPoolGradInto(xs, input.shape, dys, dy.shape, dxs, kh, kw, sh, sw, ph.before, pw.before);
    return dx;
  };
}
