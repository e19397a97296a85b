/**
 * Keras masks as tfjs 4.22 runs them. Masking and Embedding(mask_zero=True) make a mask (a boolean per
 * time step); tfjs's executor (tfjs-layers engine/executor.ts `execute`) hands each layer its first
 * input's mask as `kwargs.mask`, and keeps a layer's output mask only when the layer `supportsMasking`
 * (from its `computeMask`); other layers drop it. Where tfjs then fails, Keras 3 mostly does not: these
 * are tfjs's limits, reported as 'shape/mask'. A mask is described by its shape (batch axis null).
 */
import type { Dim, Shape } from '../../graph/types';
import { formatShape, ShapeError } from '../define';

/** The mask of a layer that supports masking without its own `computeMask`: its first input's (tfjs `Layer.computeMask`). */
export const passMask = (_x: readonly Shape[], masks: readonly (Shape | null)[]): Shape | null => masks[0];

const why = (m: Shape) =>
  `receives the Keras mask ${formatShape(m)} of a Masking or Embedding(mask_zero) layer run before it, and tfjs 4.22 fails on it (Keras does not); remove the mask, or use the mask only on a path that ends in a recurrent layer`;

/**
 * Broadcast of two shapes as tfjs-core broadcasts real tensors, the batch axis (null) standing for any batch
 * size: it matches itself or 1 only. @returns null when they cannot broadcast for every batch size.
 */
function broadcastReal(a: readonly Dim[], b: readonly Dim[]): Dim[] | null {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 1; i <= n; i++) {
    const x = i <= a.length ? a[a.length - i] : 1;
    const y = i <= b.length ? b[b.length - i] : 1;
    if (x === y) out.unshift(x);
    else if (x === 1) out.unshift(y);
    else if (y === 1) out.unshift(x);
    else return null;
  }
  return out;
}

/**
 * A recurrent layer (or Bidirectional) runs its steps under the mask it receives, which must be (batch,
 * steps') with at least as many steps as its input (tfjs-layers recurrent.ts `rnn` unstacks it per step);
 * its output keeps its input's mask only with return_sequences (`RNN.computeMask`).
 * @throws ShapeError 'shape/mask' for any other received mask (e.g. one an element-wise merge gave a leading 1).
 */
export function rnnMask([x]: readonly Shape[], [m]: readonly (Shape | null)[], returnSequences: boolean, received: Shape | null): Shape | null {
  // A rank-3 mask whose last axis is 1 is used as tfjs uses a rank-2 one after expanding it (`rnn` expands a
  // mask of rank ndim − 1 to (batch, steps, 1)); any other shape fails.
  const asSteps = received && received.length === 3 && received[2] === 1 ? received.slice(0, 2) : received;
  if (asSteps && (asSteps.length !== 2 || (asSteps[1] !== null && x[1] !== null && asSteps[1] < x[1]))) throw new ShapeError('shape/mask', why(received!));
  return returnSequences ? m : null;
}

/**
 * Softmax adds a large negative number where the mask it receives is 0, broadcasting it against its input
 * (tfjs-layers advanced_activations.ts `Softmax.call`); the mask lacks the last axis, so this fails for
 * real batch sizes unless the last axis is 1. The output has no mask (Softmax does not support masking).
 * @throws ShapeError 'shape/mask' when the shapes do not broadcast.
 */
export function softmaxMask([x]: readonly Shape[], received: Shape | null): null {
  if (received && !broadcastReal(x, received)) throw new ShapeError('shape/mask', why(received));
  return null;
}

/**
 * An element-wise merge's mask (tfjs-layers merge.ts `Merge.computeMask`): when any input is masked, each
 * mask gets a leading axis of 1 and the masks of inputs 1 … n−1 (not the last: a tfjs off-by-one) are
 * combined with logicalAnd — which fails when one of those is missing; with two inputs the result is the
 * first input's mask (or none).
 * @throws ShapeError 'shape/mask' when tfjs would combine a missing mask or masks that do not broadcast.
 */
export function mergeMask(_x: readonly Shape[], masks: readonly (Shape | null)[]): Shape | null {
  if (masks.every((m) => m === null)) return null;
  const used = masks.slice(0, Math.max(1, masks.length - 1));
  if (masks.length > 2 && used.some((m) => m === null)) {
    const i = used.findIndex((m) => m === null);
    throw new ShapeError(
      'shape/mask',
      `input ${i + 1} has no Keras mask while another input has one (from a Masking or Embedding(mask_zero) layer); tfjs 4.22 then fails to combine the masks of a merge of 3 or more inputs (Keras does not); mask every input or none`,
    );
  }
  if (used[0] === null) return null;
  let out: Dim[] = [1, ...used[0]];
  for (const m of used.slice(1)) {
    const next = broadcastReal(out, [1, ...m!]);
    if (!next) throw new ShapeError('shape/mask', why(m!));
    out = next;
  }
  return out;
}

/**
 * Concatenate's mask (tfjs-layers merge.ts `Concatenate.computeMask`): a missing mask becomes all-true of
 * the input's shape, a mask with fewer axes than its input gets a trailing axis of 1, the masks are joined
 * on the layer's axis and reduced over the last axis.
 * @throws ShapeError 'shape/mask' when the masks cannot be joined (e.g. axis 1 with a masked input).
 */
export function concatMask(xs: readonly Shape[], masks: readonly (Shape | null)[], axisArg: number): Shape | null {
  if (masks.every((m) => m === null)) return null;
  const parts = xs.map((x, i) => {
    const m = masks[i];
    if (m === null) return x;
    return m.length < x.length ? [...m, 1] : m;
  });
  const rank = parts[0].length;
  const axis = axisArg < 0 ? rank + axisArg : axisArg;
  const ok = parts.every((s) => s.length === rank && s.every((d, a) => a === axis || d === parts[0][a]));
  if (!ok || axis < 0 || axis >= rank) throw new ShapeError('shape/mask', why(masks.find((m) => m !== null)!));
  const joined = parts[0].map((d, a) => (a === axis ? parts.reduce<Dim>((s, p) => (s === null || p[a] === null ? null : s + p[a]), 0) : d));
  return joined.slice(0, -1);
}
