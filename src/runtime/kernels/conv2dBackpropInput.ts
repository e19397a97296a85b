/**
 * Conv2DBackpropInput for the wasm backend. Stock tfjs-backend-wasm 4.22 has one, but it is a scalar loop
 * (about half of a training step of the seed CNN, docs/browser-runtime.md); this one is XNNPACK's forward
 * Conv2D on rearranged tensors.
 *
 * Forward: y[n, i, j, o] = Σ_{a, b, c} x[n, i·sh + a − pt, j·sw + b − pl, c] · w[a, b, c, o]. So
 *   dx[n, r, q, c] = Σ_{i, a: i·sh + a − pt = r} Σ_{j, b: j·sw + b − pl = q} Σ_o dy[n, i, j, o] · w[a, b, c, o].
 * With dy "dilated" by the stride (sh − 1 zero rows between rows, likewise columns: dyd[i·sh] = dy[i]) and
 * the filter flipped in both spatial axes with its channels swapped (wf[a, b, o, c] = w[kh−1−a, kw−1−b, c, o]),
 * this is a stride-1 forward convolution:
 *   dx = conv2d(pad(dyd), wf), padding kh − 1 − pt rows before and H − 1 − (H' − 1)·sh + pt rows after
 *   (the same for columns), which makes the output exactly H × W.
 * Dilation is reshape dy to [N, H', 1, W', 1, C] → pad the unit axes to (sh, sw) with zeros → reshape to
 * [N, H'·sh, W'·sw, C]; that leaves sh − 1 trailing zero rows, which count towards the bottom padding. A
 * negative padding (an explicit padding larger than the kernel) becomes a slice of dyd.
 */
import type { TF } from '../buildModel';
import { convGeometry, explicitPad, kernelCaller, heightWidth, type BackendLike, type ConvGradAttrs, type TensorInfo } from './common';

export interface Conv2DBackpropInputAttrs extends ConvGradAttrs {
  /** The forward input's shape, [N, H, W, C_in] (NCHW: [N, C_in, H, W]). */
  readonly inputShape: readonly number[];
}

/**
 * One spatial axis of the input gradient: what to slice from the dilated dy (length `dilatedLen`) and how
 * much to pad it, so that a stride-1 'valid' convolution with a k-tap filter yields `inLen` outputs.
 */
export function backpropInputAxis(inLen: number, outLen: number, k: number, s: number, padBefore: number) {
  const dilatedLen = outLen * s; // including s − 1 trailing zeros
  const before = k - 1 - padBefore; // zeros wanted before dyd[0]
  const end = (outLen - 1) * s + 1 + (inLen - 1 - (outLen - 1) * s + padBefore); // = inLen + padBefore: dyd rows + after-zeros wanted
  return {
    sliceBegin: Math.max(0, -before),
    sliceEnd: Math.min(dilatedLen, end),
    padBefore: Math.max(0, before),
    padAfter: Math.max(0, end - dilatedLen),
    dilatedLen,
  };
}

/**
 * The kernel function: inputs { dy: [N, H', W', C_out], filter: [kh, kw, C_in, C_out] }, attrs as tfjs's
 * Conv2DBackpropInput. Returns dx with shape `inputShape`, float32.
 * @throws Error when dy's spatial size is not the forward output size for inputShape, the filter and the padding.
 */
export function conv2dBackpropInputWasm(tf: TF) {
  return ({
    inputs,
    backend,
    attrs,
  }: {
    inputs: { dy: TensorInfo; filter: TensorInfo };
    backend: BackendLike;
    attrs: Conv2DBackpropInputAttrs;
  }): TensorInfo => {
    const k = kernelCaller(tf, backend, 'wasm');
    const temps: TensorInfo[] = [];
    const keep = (t: TensorInfo) => (temps.push(t), t);
    try {
      const nchw = attrs.dataFormat === 'NCHW';
      let { dy } = inputs;
      const { filter } = inputs;
      if (nchw) dy = keep(k.run('Transpose', { x: dy }, { perm: [0, 2, 3, 1] }));
      const s = attrs.inputShape;
      const [N, H, W, cIn] = nchw ? [s[0], s[2], s[3], s[1]] : [s[0], s[1], s[2], s[3]];
      const [kh, kw, , cOut] = filter.shape;
      const [sh, sw] = heightWidth(attrs.strides);
      const g = convGeometry(tf, [N, H, W, cIn], filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
      const [, Ho, Wo] = dy.shape;
      if (g.outHeight !== Ho || g.outWidth !== Wo)
        throw new Error(
          `Conv2DBackpropInput: dy is ${Ho}×${Wo} but the forward output for input ${H}×${W}, this filter and padding is ${g.outHeight}×${g.outWidth}.`,
        );
      const ah = backpropInputAxis(H, Ho, kh, sh, g.top);
      const aw = backpropInputAxis(W, Wo, kw, sw, g.left);
      let dyd = dy;
      if (sh > 1 || sw > 1) {
        const r = keep(k.run('Reshape', { x: dy }, { shape: [N, Ho, 1, Wo, 1, cOut] }));
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
        dyd = keep(k.run('Reshape', { x: p }, { shape: [N, ah.dilatedLen, aw.dilatedLen, cOut] }));
      }
      if (ah.sliceBegin > 0 || aw.sliceBegin > 0 || ah.sliceEnd < ah.dilatedLen || aw.sliceEnd < aw.dilatedLen)
        dyd = keep(
          k.run(
            'Slice',
            { x: dyd },
            { begin: [0, ah.sliceBegin, aw.sliceBegin, 0], size: [N, ah.sliceEnd - ah.sliceBegin, aw.sliceEnd - aw.sliceBegin, cOut] },
          ),
        );
      const flipped = keep(k.run('Reverse', { x: filter }, { dims: [0, 1] }));
      const wf = keep(k.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }));
      let dx = k.run(
        'Conv2D',
        { x: dyd, filter: wf },
        {
          strides: [1, 1],
          pad: explicitPad([ah.padBefore, ah.padAfter], [aw.padBefore, aw.padAfter]),
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        },
      );
      if (dx.shape[1] !== H || dx.shape[2] !== W || dx.shape[3] !== cIn) {
        k.free([dx]);
        throw new Error(`Conv2DBackpropInput: internal shape error (${dx.shape.join(',')} for input ${attrs.inputShape.join(',')}).`);
      }
      if (nchw) {
        const t = k.run('Transpose', { x: dx }, { perm: [0, 3, 1, 2] });
        k.free([dx]);
        dx = t;
      }
      return dx;
    } finally {
      k.free(temps);
    }
  };
}
