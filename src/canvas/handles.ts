/**
 * React Flow handle ids for layers with several outputs (an LSTM with return_state: output, state_h, state_c;
 * core `outputNamesOf`), and the names of a recurrent layer's inputs. Output 0 keeps React Flow's default handle
 * (no id), so graphs with one output per layer, and edges without `output`, draw exactly as before; output k ≥ 1
 * has the handle `out-k`.
 */
import { layerDef, type Params } from '../core';

/** The source handle id of output `k` of a node: undefined (React Flow's default handle) for 0, `out-k` after. */
export const outputHandleId = (k: number): string | undefined => (k > 0 ? `out-${k}` : undefined);

/**
 * The output index a source handle id stands for (`Edge.output`): k for `out-k`, 0 for the default handle (null,
 * undefined or any other id).
 */
export function outputOfHandle(id: string | null | undefined): number {
  const m = /^out-(\d+)$/.exec(id ?? '');
  return m ? Number(m[1]) : 0;
}

/**
 * What each input of a layer stands for, when its inputs are not interchangeable: a recurrent layer (callForm
 * 'initialState') reads the sequence, then optionally its initial states — `['sequence', 'initial state_h',
 * 'initial state_c']` for an LSTM, `['sequence', 'initial state']` for GRU and SimpleRNN (the state names of its
 * `multiOutput` with the parameter on: Keras's `layer(x, initial_state=[h, c])`). Null for every other kind.
 */
export function inputNamesOf(node: { readonly kind: string; readonly params: Params }): readonly string[] | null {
  const def = layerDef(node.kind);
  if (def?.callForm !== 'initialState' || !def.multiOutput) return null;
  try {
    const states = def.multiOutput.names({ ...node.params, [def.multiOutput.param]: true }).slice(1);
    return ['sequence', ...states.map((s) => `initial ${s}`)];
  } catch {
    return null;
  }
}
