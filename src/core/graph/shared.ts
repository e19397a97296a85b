/**
 * Shared layers (Keras: one layer instance called on several tensors, with one set of weights). On the
 * canvas each call is a node; the first is the layer's owner, later calls name it in `layerOf`. Edit
 * operations keep every call's `name` and `params` equal to the owner's, so everything that reads a
 * node reads the layer's values.
 */
import type { Graph, LayerNode } from './types';
import { topologicalOrder } from './topology';

/** The id of the layer a node calls: its owner's id, or its own for an owner or an ordinary node. */
export const layerIdOf = (n: LayerNode): string => n.layerOf ?? n.id;

/**
 * The calls of every layer, in graph order, keyed by layer (owner) id. The owner is call 0, as in
 * Keras's `inbound_nodes`; a call whose owner is missing counts as a layer of its own.
 */
export function callsByLayer(graph: Graph): Map<string, LayerNode[]> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const m = new Map<string, LayerNode[]>();
  for (const n of graph.nodes) {
    const key = n.layerOf && ids.has(n.layerOf) ? n.layerOf : n.id;
    const calls = m.get(key);
    if (calls) calls.push(n);
    else m.set(key, [n]);
  }
  for (const [key, calls] of m) {
    if (calls.length < 2) continue;
    const owner = calls.findIndex((c) => c.id === key);
    if (owner > 0) calls.unshift(...calls.splice(owner, 1));
  }
  return m;
}

/**
 * `callsByLayer` by node position (`indexOf`: id → position in `graph.nodes`, as `indexGraph` gives it):
 * the calls of every layer as positions, the owner first, layers in the order of `callsByLayer`. Null when
 * no node calls another's layer, i.e. when every node is a layer of its own, in graph order.
 */
export function callGroups(graph: Graph, indexOf: ReadonlyMap<string, number>): number[][] | null {
  const nodes = graph.nodes;
  let key: Int32Array | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const l = nodes[i].layerOf;
    if (!l) continue;
    const k = indexOf.get(l);
    if (k === undefined || k === i) continue;
    if (!key) {
      key = new Int32Array(nodes.length);
      for (let j = 0; j < nodes.length; j++) key[j] = j;
    }
    key[i] = k;
  }
  if (!key) return null;
  const slot = new Int32Array(nodes.length).fill(-1);
  const groups: number[][] = [];
  for (let i = 0; i < nodes.length; i++) {
    const k = key[i];
    if (slot[k] < 0) {
      slot[k] = groups.length;
      groups.push([i]);
    } else groups[slot[k]].push(i);
  }
  for (const calls of groups) {
    if (calls.length < 2) continue;
    const owner = calls.indexOf(key[calls[0]]);
    if (owner > 0) calls.unshift(...calls.splice(owner, 1));
  }
  return groups;
}

/**
 * For each node id, the index of its call on its layer: Keras's node index (`name[node][0]` in the
 * summary's "Connected to", the second entry of an `inbound_nodes` reference). Keras numbers a layer's
 * nodes in the order the calls happen, i.e. in data-flow (topological) order — usually the owner first,
 * but not when the owner reads a further call's output (found by the Keras oracle, tests/keras/). Nodes
 * on a cycle come last, in graph order.
 */
export function callIndex(graph: Graph): Map<string, number> {
  const at = new Map(topologicalOrder(graph).order.map((id, i) => [id, i]));
  const rank = (n: LayerNode) => at.get(n.id) ?? Number.MAX_SAFE_INTEGER;
  const out = new Map<string, number>();
  for (const calls of callsByLayer(graph).values()) [...calls].sort((x, y) => rank(x) - rank(y)).forEach((c, i) => out.set(c.id, i));
  return out;
}

/** True when some layer of the graph is called more than once. */
export const hasSharedLayers = (graph: Graph): boolean => {
  for (const calls of callsByLayer(graph).values()) if (calls.length > 1) return true;
  return false;
};
