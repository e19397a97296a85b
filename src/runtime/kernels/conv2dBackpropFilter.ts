/**
 * Conv2DBackpropFilter for the wasm backend (stock tfjs-backend-wasm 4.22 has none, so Conv2D cannot train
 * there: tfjs #8474), expressed with kernels wasm has (XNNPACK's Conv2D, Transpose, Slice).
 *
 * Forward: y[n, i, j, o] = Σ_{a, b, c} x[n, i·sh + a − pt, j·sw + b − pl, c] · w[a, b, c, o].
 * So the filter gradient is
 *   dw[a, b, c, o] = Σ_{n, i, j} x[n, a + i·sh − pt, b + j·sw − pl, c] · dy[n, i, j, o],
 * which is a forward convolution whose "batch" is c, whose "input channels" are n, whose filter is dy with
 * dilation (sh, sw), stride 1 and the forward padding:
 *   xT = x transposed to [C_in, H, W, N];  dyT = dy transposed to [H', W', N, C_out];
 *   dwT = conv2d(xT, dyT, strides 1, dilations (sh, sw), padding [[pt, pb], [pl, pr]])  →  [C_in, kh + rh, kw + rw, C_out];
 *   dw = transpose(dwT[:, :kh, :kw, :], [1, 2, 0, 3]).
 * The conv's output has kh + rh rows, rh = (H + pt + pb − kh) mod sh being rows of x the forward pass never
 * reached; they are cut off. (Derivation: output length = H + pt + pb − ((H' − 1)·sh + 1) + 1, and
 * (H' − 1)·sh = H + pt + pb − kh − rh.) Source of the identity: the definition of the convolution above;
 * docs/browser-runtime.md records it measured against the cpu backend.
 */
import type { TF } from '../buildModel';
import { convGeometry, explicitPad, kernelCaller, heightWidth, type BackendLike, type ConvGradAttrs, type TensorInfo } from './common';

export interface Conv2DBackpropFilterAttrs extends ConvGradAttrs {
  /** [kh, kw, C_in, C_out]. */
  readonly filterShape: readonly number[];
}

/**
 * The kernel function: inputs { x: [N, H, W, C_in], dy: [N, H', W', C_out] } (NCHW is transposed to NHWC
 * first), attrs as tfjs's Conv2DBackpropFilter. Returns dw: [kh, kw, C_in, C_out], float32.
 * @throws Error when dy's spatial size is not the forward output size for x, the filter and the padding.
 */
export function conv2dBackpropFilterWasm(tf: TF) {
  return ({ inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: BackendLike; attrs: Conv2DBackpropFilterAttrs }): TensorInfo => {
    const k = kernelCaller(tf, backend, 'wasm');
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      let { x, dy } = inputs;
      if (attrs.dataFormat === 'NCHW') {
        x = keep(k.run('Transpose', { x }, { perm: [0, 2, 3, 1] }));
        dy = keep(k.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] }));
      }
      const [kh, kw, cIn, cOut] = attrs.filterShape;
      const [sh, sw] = heightWidth(attrs.strides);
      const [, H, W] = x.shape;
      const g = convGeometry(tf, x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      if (g.outHeight !== dy.shape[1] || g.outWidth !== dy.shape[2])
        throw new Error(
          `Conv2DBackpropFilter: dy is ${dy.shape[1]}×${dy.shape[2]} but the forward output for this input, filter and padding is ${g.outHeight}×${g.outWidth}.`,
        );
      // Rows the forward pass read beyond the padded input (a 'ceil' rounding mode, or tfjs sizing a numeric
      // padding's width with the filter height) are zeros: pad more so the conv yields all kh × kw taps.
      const bottom = Math.max(g.bottom, kh + (g.outHeight - 1) * sh - H - g.top);
      const right = Math.max(g.right, kw + (g.outWidth - 1) * sw - W - g.left);
      const xT = keep(k.run('Transpose', { x }, { perm: [3, 1, 2, 0] }));
      const dyT = keep(k.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }));
      let dwT = keep(
        k.run(
          'Conv2D',
          { x: xT, filter: dyT },
          {
            strides: [1, 1],
            pad: explicitPad([g.top, bottom], [g.left, right]),
            dataFormat: 'NHWC',
            dilations: [sh, sw],
            dimRoundingMode: undefined,
          },
        ),
      );
      if (dwT.shape[1] !== kh || dwT.shape[2] !== kw) dwT = keep(k.run('Slice', { x: dwT }, { begin: [0, 0, 0, 0], size: [cIn, kh, kw, cOut] }));
      const dw = k.run('Transpose', { x: dwT }, { perm: [1, 2, 0, 3] });
      return dw;
    } finally {
      k.free(temps);
    }
  };
}
