/**
 * Shared layers (Keras: one layer instance called on several tensors, with one set of weights). On the
 * canvas each call is a node; the first is the layer's owner, later calls name it in `layerOf`. Edit
 * operations keep every call's `name` and `params` equal to the owner's, so everything that reads a
 * node reads the layer's values.
 */
import type { Graph, LayerNode } from './types';

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
    m.set(key, [...(m.get(key) ?? []), n]);
  }
  for (const [key, calls] of m) {
    const owner = calls.findIndex((c) => c.id === key);
    if (owner > 0) calls.unshift(...calls.splice(owner, 1));
  }
  return m;
}

/** For each node id, the index of its call on its layer (0 for the owner), Keras's node index. */
export function callIndex(graph: Graph): Map<string, number> {
  const out = new Map<string, number>();
  for (const calls of callsByLayer(graph).values()) calls.forEach((c, i) => out.set(c.id, i));
  return out;
}

/** True when some layer of the graph is called more than once. */
export const hasSharedLayers = (graph: Graph): boolean => [...callsByLayer(graph).values()].some((c) => c.length > 1);
