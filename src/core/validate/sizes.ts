/**
 * The validator's size limit: every dimension, output size, parameter count and MAC count, of a layer or of
 * the model, must be an exact count (at most 2⁵³ − 1), or it is refused with `size/too-large`.
 */
import type { Shape } from '../graph/types';
import type { WeightCount } from '../layers/define';
import { formatApprox, formatCount } from '../format';
import type { Entry } from './context';

/** The largest count the validator accepts: 2⁵³ − 1, the largest integer a double holds exactly. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** A count too large to hold exactly, in words: "about 1.21e+20", "more than can be counted (Infinity)". */
export function describeHuge(x: number): string {
  if (Number.isNaN(x)) return 'a number too large to compute';
  return Number.isFinite(x) ? `about ${formatApprox(x)}` : 'more than can be counted (Infinity)';
}
const LIMIT_TEXT = `${formatCount(MAX_EXACT)} (2⁵³ − 1, the largest count Layerlab and JavaScript hold exactly)`;
const tooBig = (x: number): boolean => !(x <= MAX_EXACT); // also true for NaN

/** `x` when it is an exact count (≤ 2⁵³ − 1), otherwise Infinity: a figure shown is exact or '∞'. */
export const exactOrInfinity = (x: number): number => (tooBig(x) ? Infinity : x);

/**
 * Why a layer's figures are too large to be exact, or null: any output dimension, the output's values per
 * sample (product of the dimensions after the batch axis), the parameter count or the MACs per sample
 * beyond 2⁵³ − 1 or not finite.
 * @returns the end of a sentence that starts with the layer's name and kind.
 */
export function sizeProblem(out: Shape, w: WeightCount, macs: number | null): string | null {
  let size = 1;
  for (let k = 0; k < out.length; k++) {
    const d = out[k];
    if (d === null) continue;
    if (!Number.isInteger(d) || tooBig(d))
      return `would have an output dimension of ${describeHuge(d)}, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
    if (k > 0) size *= d;
  }
  if (tooBig(size)) return `would output ${describeHuge(size)} values per sample, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  const params = w.trainable + w.nonTrainable;
  if (tooBig(w.trainable) || tooBig(w.nonTrainable) || tooBig(params))
    return `would have ${describeHuge(params)} parameters, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  if (macs !== null && tooBig(macs))
    return `would compute ${describeHuge(macs)} multiply-accumulates per sample, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  return null;
}

/**
 * Why the model's totals are too large to be exact, or null: parameters (a shared layer once), output
 * values per sample summed over every node (Inputs included, as cost.ts sums them) and MACs per sample
 * summed over every call, each at most 2⁵³ − 1.
 * @returns a whole sentence.
 */
export function totalsProblem(params: number, entries: readonly Entry[], macsAt: Float64Array): string | null {
  if (tooBig(params)) return `The model would have ${describeHuge(params)} parameters in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  let values = 0;
  let macs = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!e?.outputShape) continue;
    let size = 1;
    for (let k = 1; k < e.outputShape.length; k++) size *= e.outputShape[k] ?? 1;
    values += size;
    macs += macsAt[i];
  }
  if (tooBig(values))
    return `The model's layers would output ${describeHuge(values)} values per sample in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  if (tooBig(macs))
    return `The model would compute ${describeHuge(macs)} multiply-accumulates per sample in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  return null;
}
