/**
 * DepthwiseConv2dNativeBackpropFilter and DepthwiseConv2dNativeBackpropInput for the wasm backend (stock
 * tfjs-backend-wasm 4.22 has neither, so DepthwiseConv2D and SeparableConv2D cannot train there), expressed
 * with XNNPACK's forward DepthwiseConv2dNative plus Transpose, Reshape, PadV2, Slice, Reverse and Sum.
 *
 * Forward (channel multiplier m; output channel c·m + j):
 *   y[n, i, q, c·m + j] = Σ_{a, b} x[n, i·sh + a·dh − pt, q·sw + b·dw − pl, c] · w[a, b, c, j].
 *
 * Filter gradient: dw[a, b, c, j] = Σ_{n, i, q} x[n, a·dh + i·sh − pt, b·dw + q·sw − pl, c] · dy[n, i, q, c·m + j].
 *   Put the batch into the channels: X = x as [1, H, W, N·C] (transpose to [H, W, N, C]), F = dy as
 *   [H', W', N·C, m] (transpose to [H', W', N, C·m]); then a depthwise convolution of X with F, stride
 *   (dh, dw), dilation (sh, sw) and the forward padding gives [1, kh + rh, kw + rw, N·C·m], whose first kh × kw
 *   rows and columns, reshaped to [kh, kw, N, C, m] and summed over N, are dw. (Output length
 *   ⌊(H + pt + pb − (H' − 1)·sh − 1) / dh⌋ + 1 ≥ kh, because (H' − 1)·sh + (kh − 1)·dh + 1 ≤ H + pt + pb.)
 *
 * Input gradient: dx[n, r, q, c] = Σ_{i, a: i·sh + a·dh − pt = r} Σ_{…} Σ_j dy[n, i, …, c·m + j] · w[a, b, c, j].
 *   Dilate dy by the strides (as in conv2dBackpropInput.ts), flip w spatially and view it as [kh, kw, C·m, 1];
 *   a stride-1 depthwise convolution with dilation (dh, dw) and padding (kh − 1)·dh − pt before gives
 *   [N, H, W, C·m]; reshaped to [N, H, W, C, m] and summed over m it is dx (no sum when m = 1).
 */
import type { TF } from '../buildModel';
import { convGeometry, explicitPad, kernelCaller, heightWidth, type BackendLike, type PadAttr, type TensorInfo } from './common';
import { backpropInputAxis } from './conv2dBackpropInput';

export interface DepthwiseBackpropAttrs {
  readonly strides: number | readonly number[];
  readonly dilations?: number | readonly number[];
  readonly pad: PadAttr;
  readonly dimRoundingMode?: string;
}

/**
 * DepthwiseConv2dNativeBackpropFilter: inputs { x: [N, H, W, C], dy: [N, H', W', C·m] }, attrs as tfjs's
 * (plus filterShape [kh, kw, C, m]). Returns dw: [kh, kw, C, m].
 * @throws Error when dy's shape does not match the forward output.
 */
export function depthwiseBackpropFilterWasm(tf: TF) {
  return ({
    inputs,
    backend,
    attrs,
  }: {
    inputs: { x: TensorInfo; dy: TensorInfo };
    backend: BackendLike;
    attrs: DepthwiseBackpropAttrs & { filterShape: readonly number[] };
  }): TensorInfo => {
    const k = kernelCaller(tf, backend, 'wasm');
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const { x, dy } = inputs;
      const [kh, kw, C, m] = attrs.filterShape;
      const [N, H, W] = x.shape;
      const [sh, sw] = heightWidth(attrs.strides);
      const [dh, dw] = heightWidth(attrs.dilations);
      const g = convGeometry(tf, x.shape, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
      const [, Ho, Wo] = dy.shape;
      if (g.outHeight !== Ho || g.outWidth !== Wo || dy.shape[3] !== C * m)
        throw new Error(
          `DepthwiseConv2dNativeBackpropFilter: dy has shape [${dy.shape.join(',')}] but the forward output is [${N},${g.outHeight},${g.outWidth},${C * m}].`,
        );
      // Taps the forward pass read beyond the padded input are zeros: pad more so the conv yields all of them.
      const bottom = Math.max(g.bottom, (kh - 1) * dh + (Ho - 1) * sh + 1 - H - g.top);
      const right = Math.max(g.right, (kw - 1) * dw + (Wo - 1) * sw + 1 - W - g.left);
      let X = x;
      if (N > 1) X = keep(k.run('Transpose', { x }, { perm: [1, 2, 0, 3] }));
      X = keep(k.run('Reshape', { x: X }, { shape: [1, H, W, N * C] }));
      let F = dy;
      if (N > 1) F = keep(k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
      F = keep(k.run('Reshape', { x: F }, { shape: [Ho, Wo, N * C, m] }));
      let out = keep(
        k.run(
          'DepthwiseConv2dNative',
          { x: X, filter: F },
          {
            strides: [dh, dw],
            dilations: [sh, sw],
            pad: explicitPad([g.top, bottom], [g.left, right]),
            dimRoundingMode: undefined,
            dataFormat: 'NHWC',
          },
        ),
      );
      if (out.shape[1] !== kh || out.shape[2] !== kw) out = keep(k.run('Slice', { x: out }, { begin: [0, 0, 0, 0], size: [1, kh, kw, N * C * m] }));
      if (N === 1) return k.run('Reshape', { x: out }, { shape: [kh, kw, C, m] });
      const r = keep(k.run('Reshape', { x: out }, { shape: [kh, kw, N, C * m] }));
      const s = keep(k.run('Sum', { x: r }, { axis: [2], keepDims: false }));
      return k.run('Reshape', { x: s }, { shape: [kh, kw, C, m] });
    } finally {
      k.free(temps);
    }
  };
}

/**
 * DepthwiseConv2dNativeBackpropInput: inputs { dy: [N, H', W', C·m], filter: [kh, kw, C, m] }, attrs as tfjs's
 * (plus inputShape [N, H, W, C]). Returns dx with shape inputShape.
 * @throws Error when dy's shape does not match the forward output.
 */
export function depthwiseBackpropInputWasm(tf: TF) {
  return ({
    inputs,
    backend,
    attrs,
  }: {
    inputs: { dy: TensorInfo; filter: TensorInfo };
    backend: BackendLike;
    attrs: DepthwiseBackpropAttrs & { inputShape: readonly number[] };
  }): TensorInfo => {
    const k = kernelCaller(tf, backend, 'wasm');
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const { dy, filter } = inputs;
      const [N, H, W, C] = attrs.inputShape;
      const [kh, kw, , m] = filter.shape;
      const [sh, sw] = heightWidth(attrs.strides);
      const [dh, dw] = heightWidth(attrs.dilations);
      const g = convGeometry(tf, attrs.inputShape, filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
      const [, Ho, Wo] = dy.shape;
      if (g.outHeight !== Ho || g.outWidth !== Wo || dy.shape[3] !== C * m)
        throw new Error(
          `DepthwiseConv2dNativeBackpropInput: dy has shape [${dy.shape.join(',')}] but the forward output is [${N},${g.outHeight},${g.outWidth},${C * m}].`,
        );
      // The effective (dilated) kernel is what the padding arithmetic sees.
      const ah = backpropInputAxis(H, Ho, (kh - 1) * dh + 1, sh, g.top);
      const aw = backpropInputAxis(W, Wo, (kw - 1) * dw + 1, sw, g.left);
      let dyd = dy;
      if (sh > 1 || sw > 1) {
        const r = keep(k.run('Reshape', { x: dy }, { shape: [N, Ho, 1, Wo, 1, C * m] }));
        const p = keep(
          k.run(
            'PadV2',
            { x: r },
            {
              paddings: [
                [0, 0],
                [0, 0],
                [0, sh - 1],
                [0, 0],
                [0, sw - 1],
                [0, 0],
              ],
              constantValue: 0,
            },
          ),
        );
        dyd = keep(k.run('Reshape', { x: p }, { shape: [N, ah.dilatedLen, aw.dilatedLen, C * m] }));
      }
      if (ah.sliceBegin > 0 || aw.sliceBegin > 0 || ah.sliceEnd < ah.dilatedLen || aw.sliceEnd < aw.dilatedLen)
        dyd = keep(
          k.run(
            'Slice',
            { x: dyd },
            { begin: [0, ah.sliceBegin, aw.sliceBegin, 0], size: [N, ah.sliceEnd - ah.sliceBegin, aw.sliceEnd - aw.sliceBegin, C * m] },
          ),
        );
      const flipped = keep(k.run('Reverse', { x: filter }, { dims: [0, 1] }));
      const wf = keep(k.run('Reshape', { x: flipped }, { shape: [kh, kw, C * m, 1] }));
      const out = k.run(
        'DepthwiseConv2dNative',
        { x: dyd, filter: wf },
        {
          strides: [1, 1],
          dilations: [dh, dw],
          pad: explicitPad([ah.padBefore, ah.padAfter], [aw.padBefore, aw.padAfter]),
          dimRoundingMode: undefined,
          dataFormat: 'NHWC',
        },
      );
      if (m === 1) return out;
      keep(out);
      const r = keep(k.run('Reshape', { x: out }, { shape: [N, H, W, C, m] }));
      const s = keep(k.run('Sum', { x: r }, { axis: [4], keepDims: false }));
      return k.run('Reshape', { x: s }, { shape: [N, H, W, C] });
    } finally {
      k.free(temps);
    }
  };
}
