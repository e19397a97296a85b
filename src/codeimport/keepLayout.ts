/**
 * Applying imported code to the canvas without losing the user's arrangement: layers whose names survive keep their
 * node ids (so the selection and React Flow's measured sizes stay) and their positions; new layers keep the positions
 * the import's layout gave them, moved by the average offset between the survivors' old and laid-out positions, so
 * they land beside their neighbours; blocks whose names survive keep their collapsed or expanded state. Pure.
 */
import type { Graph, LayerNode } from '../core';

/** A node's identity across imports: its layer name and which call of the layer it is (0 for the layer itself). */
function callKeys(graph: Graph): Map<string, LayerNode> {
  const seen = new Map<string, number>();
  const keys = new Map<string, LayerNode>();
  for (const n of graph.nodes) {
    const k = seen.get(n.name) ?? 0;
    seen.set(n.name, k + 1);
    keys.set(`${n.name}\u0000${k}`, n);
  }
  return keys;
}

/**
 * `next` (a graph just imported and laid out) with the ids and positions of `previous`'s nodes of the same layer name
 * and call (the k-th node named 'x' in each graph). Edges and shared-layer links are renamed along; new nodes are
 * offset as described above. When no name survives, `next` is returned as it is.
 * @returns the graph to load and how many layers kept their place.
 */
export function keepLayout(previous: Graph, next: Graph): { graph: Graph; kept: number } {
  const old = callKeys(previous);
  const idMap = new Map<string, string>();
  let dx = 0;
  let dy = 0;
  for (const [key, n] of callKeys(next)) {
    const o = old.get(key);
    if (!o || o.kind !== n.kind) continue;
    idMap.set(n.id, o.id);
    dx += o.position.x - n.position.x;
    dy += o.position.y - n.position.y;
  }
  const kept = idMap.size;
  if (!kept) return { graph: next, kept };
  dx /= kept;
  dy /= kept;
  // A new layer whose id an old node (now another layer's) takes over gets a fresh id.
  const used = new Set(idMap.values());
  for (const n of next.nodes) {
    if (idMap.has(n.id)) continue;
    let nid = n.id;
    for (let k = 1; used.has(nid); k++) nid = `${n.id}_${k}`;
    used.add(nid);
    idMap.set(n.id, nid);
  }
  const oldById = new Map(previous.nodes.map((n) => [n.id, n]));
  const id = (x: string) => idMap.get(x) ?? x;
  const nodes = next.nodes.map((n): LayerNode => {
    const before = oldById.get(id(n.id));
    const survived = !!before && before.name === n.name && before.kind === n.kind;
    const position = survived ? before.position : { x: Math.round(n.position.x + dx), y: Math.round(n.position.y + dy) };
    return { ...n, id: id(n.id), position, ...(n.layerOf ? { layerOf: id(n.layerOf) } : {}) };
  });
  const edges = next.edges.map((e) => ({ ...e, source: id(e.source), target: id(e.target) }));
  const outputs = next.outputs?.map((o) => (typeof o === 'string' ? id(o) : { ...o, node: id(o.node) }));
  const blocks = sameBlockState(previous, next);
  return { graph: { ...next, nodes, edges, ...(outputs ? { outputs } : {}), ...(blocks ? { blocks } : {}) }, kept };
}

/**
 * `next`'s blocks with the collapsed or expanded state of `previous`'s block of the same name and call (the k-th call
 * of a nested model named 'x' in each graph), so an Apply leaves the blocks the user opened open; undefined when
 * `next` has no blocks.
 */
function sameBlockState(previous: Graph, next: Graph): Graph['blocks'] {
  if (!next.blocks?.length) return undefined;
  const calls = (g: Graph) => {
    const seen = new Map<string, number>();
    const out = new Map<string, boolean>();
    for (const b of g.blocks ?? []) {
      const k = seen.get(b.name) ?? 0;
      seen.set(b.name, k + 1);
      out.set(`${b.name}\u0000${k}`, !!b.collapsed);
    }
    return out;
  };
  const was = calls(previous);
  const seen = new Map<string, number>();
  return next.blocks.map((b) => {
    const k = seen.get(b.name) ?? 0;
    seen.set(b.name, k + 1);
    const collapsed = was.get(`${b.name}\u0000${k}`);
    if (collapsed === undefined || collapsed === !!b.collapsed) return b;
    const { collapsed: _c, ...rest } = b;
    return collapsed ? { ...rest, collapsed: true } : rest;
  });
}
