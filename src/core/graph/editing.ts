/**
 * Editing gestures of the canvas that work on a selection or on one connection: selecting what feeds or what is
 * fed by the selection, and inserting a layer on a connection (the context menu's "Insert a layer here…", a
 * palette item dropped on an edge).
 */
import { layerDef } from '../layers/registry';
import { analyze } from '../validate/analyze';
import { addNode, newId } from './ops';
import type { Edge, Graph, XY } from './types';

/**
 * The nodes `ids` and every node that feeds them, directly or not (their ancestors), in graph order.
 * Linear in the graph's size. Unknown ids are ignored.
 */
export function upstreamOf(graph: Graph, ids: Iterable<string>): string[] {
  return closure(graph, ids, 'up');
}

/** The nodes `ids` and every node they feed, directly or not (their descendants), in graph order. Linear. */
export function downstreamOf(graph: Graph, ids: Iterable<string>): string[] {
  return closure(graph, ids, 'down');
}

function closure(graph: Graph, ids: Iterable<string>, dir: 'up' | 'down'): string[] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) {
    const [from, to] = dir === 'up' ? [e.target, e.source] : [e.source, e.target];
    const l = next.get(from);
    if (l) l.push(to);
    else next.set(from, [to]);
  }
  const known = new Set(graph.nodes.map((n) => n.id));
  const seen = new Set<string>();
  const stack = [...ids].filter((id) => known.has(id));
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const m of next.get(id) ?? []) if (!seen.has(m)) stack.push(m);
  }
  return graph.nodes.filter((n) => seen.has(n.id)).map((n) => n.id);
}

/** What `insertOnEdge` gives: the graph with the new layer and its id, or why it is refused (the graph unchanged). */
export type InsertResult = { ok: true; graph: Graph; id: string } | { ok: false; reason: string };

/**
 * Splits the connection `edgeId` (source → target) with a new layer of `kind`, Keras's defaults and an auto-name:
 * source → new → target. The new layer reads the same output of the source (`Edge.output`), and the target keeps
 * its input position (the edge into it takes the old edge's place in `graph.edges`, which orders a merge's
 * inputs). Placed at `position`, or half-way between source and target, and at least ROW_GAP below the source when
 * the edge runs downwards; when the target then sits less than
 * ROW_GAP below the new layer, the target and every layer it feeds move down to make room (so the new layer does not
 * cover them).
 *
 * Refused, with the reason, when the edge does not exist, the kind is unknown or takes no input (an Input), or the
 * new layer cannot take the tensor the edge carries with its default settings: the validator's first error on the
 * new layer, e.g. "'conv2d' (Conv2D) expects a 4D input … got (None, 10)". Errors the insertion causes further
 * down (the target receiving another shape) are left to the canvas, as for any edit.
 */
export function insertOnEdge(graph: Graph, edgeId: string, kind: string, position?: XY): InsertResult {
  const r = splitEdge(graph, edgeId, kind, position);
  if (!r.ok) return r;
  const node = r.graph.nodes.find((n) => n.id === r.id)!;
  const target = r.graph.nodes.find((n) => n.id === r.target)!;
  const dy = Math.ceil(node.position.y + ROW_GAP - target.position.y);
  if (dy <= 0) return { ok: true, graph: r.graph, id: r.id };
  const below = new Set(downstreamOf(r.graph, [r.target]));
  const nodes = r.graph.nodes.map((n) => (below.has(n.id) ? { ...n, position: { x: n.position.x, y: n.position.y + dy } } : n));
  return { ok: true, graph: { ...r.graph, nodes }, id: r.id };
}

/** Vertical distance, in canvas pixels, from an inserted layer's top to the top of the layer it feeds (a node is about 80 px tall). */
export const ROW_GAP = 120;

function splitEdge(
  graph: Graph,
  edgeId: string,
  kind: string,
  position?: XY,
): { ok: true; graph: Graph; id: string; target: string } | { ok: false; reason: string } {
  const at = graph.edges.findIndex((e) => e.id === edgeId);
  if (at < 0) return { ok: false, reason: 'That connection no longer exists.' };
  const def = layerDef(kind);
  if (!def) return { ok: false, reason: `There is no layer kind '${kind}'.` };
  if (def.inputs.max === 0) return { ok: false, reason: `${kind} takes no input, so it cannot be inserted on a connection.` };
  const edge = graph.edges[at];
  const s = graph.nodes.find((n) => n.id === edge.source);
  const t = graph.nodes.find((n) => n.id === edge.target);
  if (!s || !t) return { ok: false, reason: 'That connection no longer exists.' };
  const asked = position ?? { x: Math.round((s.position.x + t.position.x) / 2), y: Math.round((s.position.y + t.position.y) / 2) };
  // Below its source (when the edge runs downwards, as models read), so it covers neither end.
  const pos = t.position.y > s.position.y ? { x: asked.x, y: Math.max(asked.y, s.position.y + ROW_GAP) } : asked;
  const added = addNode(graph, kind, pos);
  const node = added.node;
  const into: Edge = { id: newId('e'), source: edge.source, target: node.id, ...(edge.output ? { output: edge.output } : {}) };
  const out: Edge = { id: newId('e'), source: node.id, target: edge.target };
  const edges = [...graph.edges];
  edges.splice(at, 1, out);
  const next: Graph = { ...added.graph, edges: [...edges, into] };
  const before = new Set(analyze(graph).diagnostics.map((d) => d.message));
  const problem = analyze(next).diagnostics.find((d) => d.severity === 'error' && d.nodeId === node.id && !before.has(d.message));
  if (problem) return { ok: false, reason: `${kind} cannot go on the connection ${s.name} → ${t.name}: ${problem.message}` };
  return { ok: true, graph: next, id: node.id, target: t.id };
}
