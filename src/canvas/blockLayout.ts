/**
 * The layout of a model whose nested models come in as blocks (an opened Keras file): the outer model is laid out
 * with each block call as one node (core `collapseBlocks`), each nested model's layers on their own, and each block's
 * layers placed with their top left at its node, every block collapsed. Expanding a block then makes its room
 * (store `reflowForBlock`).
 */
import { collapseBlocks, hasBlocks, type Graph, type XY } from '../core';

/**
 * `graph` laid out by `layout` (a layout of the whole page, e.g. app/files.ts `layoutForPage`) as described above;
 * a graph without blocks is simply `layout(graph)`.
 */
export async function layoutCollapsed(graph: Graph, layout: (g: Graph) => Graph | Promise<Graph>): Promise<Graph> {
  if (!hasBlocks(graph)) return layout(graph);
  const view = collapseBlocks(graph);
  const outer = await layout(view.graph);
  const at = new Map<string, XY>(outer.nodes.map((n) => [n.id, n.position]));
  const pos = new Map<string, XY>();
  for (const [id, itf] of view.interfaces) {
    const p = at.get(id);
    if (!p) continue;
    const inside = new Set(itf.members);
    const nested: Graph = {
      name: itf.block.name,
      nodes: graph.nodes.filter((n) => inside.has(n.id)).map(({ block: _b, ...n }) => n),
      edges: graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target)),
    };
    const laid = nested.nodes.length > 1 ? await layout(nested) : nested;
    const x0 = Math.min(...laid.nodes.map((n) => n.position.x));
    const y0 = Math.min(...laid.nodes.map((n) => n.position.y));
    for (const n of laid.nodes) pos.set(n.id, { x: p.x + n.position.x - x0, y: p.y + n.position.y - y0 });
  }
  return {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? at.get(n.id) ?? n.position })),
    blocks: (graph.blocks ?? []).map((b) => ({ ...b, collapsed: true })),
  };
}
