/**
 * What the attention kinds share (MultiHeadAttention, Attention, AdditiveAttention): their inputs are
 * query, value and an optional key (key = value when absent), in that order — or one input, attending over
 * itself (query = value = key; LayerDef.selfCall) —, and their checks.
 */
import type { Shape } from '../../graph/types';
import { formatShape, ShapeError } from '../define';
import { step, tracing } from '../trace';

/** Query, value and key: the key is the value when two inputs are connected, all three the one input when one is (self-attention, LayerDef.selfCall). */
export const qvk = (inputs: readonly Shape[]): { q: Shape; v: Shape; k: Shape } => ({
  q: inputs[0],
  v: inputs[1] ?? inputs[0],
  k: inputs[2] ?? inputs[1] ?? inputs[0],
});

/** The input's name in messages: 'query (input 1)', 'value (input 2)', 'key (input 3)'. */
export const inputName = (i: 0 | 1 | 2): string => ['query (input 1)', 'value (input 2)', 'key (input 3)'][i];

/**
 * Checks the ranks (all equal, at least `minRank`, at most `maxRank`) and that the feature (last) axes are known.
 * @throws ShapeError 'shape/rank' or 'shape/unknown-dim' naming the input.
 */
export function checkAttentionInputs(inputs: readonly Shape[], minRank: number, maxRank: number, form: string): void {
  inputs.forEach((x, i) => {
    const name = inputName(i as 0 | 1 | 2);
    if (x.length < minRank || x.length > maxRank)
      throw new ShapeError(
        'shape/rank',
        `expects ${minRank === maxRank ? `rank-${minRank}` : `rank ${minRank} to ${maxRank}`} inputs ${form} but the ${name} is ${formatShape(x)} (rank ${x.length})`,
      );
    if (x[x.length - 1] === null) throw new ShapeError('shape/unknown-dim', `needs a known last axis (features) of the ${name} but got ${formatShape(x)}`);
  });
  const rank = inputs[0].length;
  inputs.forEach((x, i) => {
    if (x.length !== rank)
      throw new ShapeError('shape/rank', `needs the ${inputName(i as 0 | 1 | 2)} ${formatShape(x)} to have the rank of the query ${formatShape(inputs[0])}`);
  });
}

/**
 * Checks that key and value have the same positions (every axis but the batch and the last, where known).
 * @throws ShapeError 'shape/dot-mismatch' naming both shapes.
 */
export function checkKeyValuePositions(v: Shape, k: Shape): void {
  for (let a = 1; a < v.length - 1; a++)
    if (v[a] !== null && k[a] !== null && v[a] !== k[a])
      throw new ShapeError(
        'shape/dot-mismatch',
        `needs the key ${formatShape(k)} and the value ${formatShape(v)} to have the same positions (all axes but the batch and the last): axis ${a} is ${k[a]} against ${v[a]}`,
      );
}

/** The number of positions of a (batch, …positions, features) shape, or null when one is unknown. */
export function positions(x: Shape): number | null {
  let n = 1;
  for (const d of x.slice(1, -1)) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/**
 * Output shape of Attention and AdditiveAttention (Keras 3 keras/src/layers/attention/attention.py
 * `compute_output_shape`): query (batch, Tq, dim), value (batch, Tv, dv), key (batch, Tv, dim) or the value →
 * (batch, Tq, dv). `verb` says how the kind combines query and key in the message ('compares', 'adds').
 * @throws ShapeError 'shape/rank' for inputs not of rank 3, the key/value position mismatch, or
 *   'shape/dot-mismatch' when the query's and the key's last axes differ.
 */
export function scoreAttentionShape(inputs: readonly Shape[], verb: 'compares the query' | 'adds the query'): Shape {
  checkAttentionInputs(inputs, 3, 3, '(batch, positions, features)');
  const { q, v, k } = qvk(inputs);
  checkKeyValuePositions(v, k);
  if (q[2] !== k[2]) {
    const other = inputs.length > 2 ? 'key' : inputs.length > 1 ? 'value (the key when none is connected)' : 'itself';
    const joiner = verb === 'compares the query' ? 'with' : 'to';
    throw new ShapeError(
      'shape/dot-mismatch',
      `${verb} ${formatShape(q)} ${joiner} the ${other} ${formatShape(k)}: their last axes must be equal (${q[2]} against ${k[2]})`,
    );
  }
  if (tracing()) {
    step('steps', 'Tq, from the query', q[1]);
    step('features', 'dv, from the value', v[2]);
  }
  return [q[0], q[1], v[2]];
}
