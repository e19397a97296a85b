/**
 * How a layer's problems show on its node. A layer that has no connection at all yet (just dropped from the palette,
 * pasted alone) and whose only errors say so — it lacks its input (`arity/missing`) or no Input reaches it
 * (`graph/unreachable`) — has not had a chance to be wired: its node says "Not connected yet" quietly (dashed
 * outline, muted text) instead of turning red. Its problems stay listed in the inspector and the model overview, and
 * training still refuses the model; any other error (a bad value) shows in red at once, and so does a missing input
 * once the layer has any connection.
 */
import type { Diagnostic, Graph } from '../core';
import './nodeProblems.css';

/** Error codes that only say a layer is not wired yet. */
const UNWIRED: ReadonlySet<string> = new Set(['arity/missing', 'graph/unreachable']);

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
 * True when a node's errors should show as "Not connected yet" rather than in red: the node has no connection at
 * all and it has errors, all of them about missing connections (module comment).
 * @param diagnostics the node's diagnostics (any severity; warnings are ignored)
 * @param connected whether the node has at least one connection
 */
export function waitingForConnection(diagnostics: readonly Diagnostic[] | undefined, connected: boolean): boolean {
  if (connected || !diagnostics) return false;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return errors.length > 0 && errors.every((d) => UNWIRED.has(d.code));
}
