/**
 * THE rule for what a layer is called on: one tensor, or a list of tensors. Keras's merge layers (Add,
 * Concatenate, Dot, …; keras/src/layers/merging/base_merge.py `build` / `call`) take a list, even of one
 * tensor; every other layer takes a single tensor, except that a recurrent layer given initial states is called on
 * `[x, ...states]` by tfjs (Keras: `layer(x, initial_state=states)`, which the code generators write) (keras/src/layers/layer.py `__call__`; tfjs-layers
 * src/engine/topology.ts `Layer.apply` with a SymbolicTensor or SymbolicTensor[]). Layerlab reads it from the
 * kind's declared arity: a kind that accepts more than one input is called on a list. The runtime's
 * `buildModel` and both code generators follow this one rule.
 */
import { layerDef } from '../layers/registry';

/** True when a layer of this kind is called on a list of tensors (its definition allows more than one input). Unknown kinds: false. */
export function takesInputList(kind: string): boolean {
  const def = layerDef(kind);
  return (def?.inputs.max ?? 1) > 1 && def?.callForm !== 'initialState';
}

/**
 * What to call a layer of `kind` on, given what feeds it in input order: the list itself for a kind that
 * takes a list (`takesInputList`), otherwise its first (only) item. Works on tensors (runtime) and on
 * variable names (code generators) alike; a list is a new array.
 * @throws Error when a single-input kind is given no source (the validator reports such a graph first).
 */
export function callInput<T>(kind: string, sources: readonly T[]): T | T[] {
  // Self-attention on one input: Keras is called on it twice (query = value; LayerDef.selfCall).
  if (sources.length === 1 && layerDef(kind)?.selfCall) return [sources[0], sources[0]];
  // A layer called on one tensor or on a list as its file called it (LayerDef.singleWhenOne: an opaque Lambda).
  if (sources.length === 1 && layerDef(kind)?.singleWhenOne) return sources[0];
  // A recurrent layer with initial states (callForm 'initialState'): tfjs's RNN.apply reads [x, ...states].
  if (sources.length > 1 && layerDef(kind)?.callForm === 'initialState') return [...sources];
  if (takesInputList(kind)) return [...sources];
  if (!sources.length) throw new Error(`A ${kind} layer has nothing to be called on: connect an input to it.`);
  return sources[0];
}
