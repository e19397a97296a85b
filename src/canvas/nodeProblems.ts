/**
 * How a layer's problems show on its node.
 * - A layer that has no connection at all yet (just dropped from the palette, pasted alone) and whose only errors say
 *   so — it lacks its input (`arity/missing`) or no Input reaches it (`graph/unreachable`) — has not had a chance to be
 *   wired: its node says "Not connected yet" quietly (dashed outline, muted text) instead of turning red.
 * - A connected layer whose only error is that no Input reaches it is a consequence of a problem before it (a chain
 *   broken by a delete leaves hundreds of them below the gap; the layer left without its input, or a cycle, is the
 *   cause and stays red): its node says "No Input reaches it yet" as quietly.
 * Their problems stay listed in the inspector (the causes first: `isConsequence`) and training still refuses the
 * model; any other error (a bad value) shows in red at once, and so does a missing input once the layer has any
 * connection.
 */
import type { Diagnostic, Graph } from '../core';
import './nodeProblems.css';

/** Error codes that only say a layer is not wired yet. */
const UNWIRED: ReadonlySet<string> = new Set(['arity/missing', 'graph/unreachable']);

/** True for an error that follows from a problem before the layer: no Input reaches it (`graph/unreachable`). */
export const isConsequence = (d: Diagnostic): boolean => d.code === 'graph/unreachable';

const connectedCache = new WeakMap<Graph['edges'], ReadonlySet<string>>();

/** The ids of the nodes that have at least one connection, cached per edge list (one pass over the edges per change). */
export function connectedIds(graph: Graph): ReadonlySet<string> {
  let s = connectedCache.get(graph.edges);
  if (!s) {
    const ids = new Set<string>();
    for (const e of graph.edges) {
      ids.add(e.source);
      ids.add(e.target);
    }
    s = ids;
    connectedCache.set(graph.edges, s);
  }
  return s;
}

/**
 * How a node's errors show (module comment): 'unwired' for a layer with no connection whose errors all say so,
 * 'unreached' for a connected one whose only errors are consequences (`isConsequence`), else null (red if any error).
 * @param diagnostics the node's diagnostics (any severity; warnings are ignored)
 * @param connected whether the node has at least one connection
 */
export function quietProblems(diagnostics: readonly Diagnostic[] | undefined, connected: boolean): 'unwired' | 'unreached' | null {
  if (!diagnostics) return null;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return null;
  if (!connected) return errors.every((d) => UNWIRED.has(d.code)) ? 'unwired' : null;
  return errors.every(isConsequence) ? 'unreached' : null;
}
