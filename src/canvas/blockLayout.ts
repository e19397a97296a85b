/**
 * The layout of a model with blocks (Layout, an opened Keras file): the outer model is laid out with each block call
 * as one node (core `collapseBlocks`), each nested model's layers on their own, and each block's layers placed with
 * their top left at its node (a node of the size BlockNodeView draws, core `blockNodeSize`); then each expanded block makes its room (store `reflowForBlock`), so no frame holds a
 * layer of the outer model and nothing overlaps.
 */
import { collapseBlocks, hasBlocks, type Graph, type LayoutDirection, type XY } from '../core';
import { reflowForBlock } from '../store/editor';

/**
 * `graph` laid out by `layout` (a layout of a graph without blocks, e.g. dagre's) in `direction` as described above;
 * with `collapseAll` every block comes out collapsed (an opened file), else each keeps its `collapsed` flag. A graph
 * without blocks is simply `layout(graph)`.
 */
export async function layoutCollapsed(
  graph: Graph,
  layout: (g: Graph) => Graph | Promise<Graph>,
  direction: LayoutDirection = 'TB',
  collapseAll = true,
): Promise<Graph> {
  if (!hasBlocks(graph)) return layout(graph);
  const view = collapseBlocks(graph);
  // Each block node as large as BlockNodeView draws it (core `nodeSize` reads these params of a BLOCK_KIND node).
  const calls = new Map<string, number>();
  for (const itf of view.interfaces.values()) calls.set(itf.first.id, (calls.get(itf.first.id) ?? 0) + 1);
  const sized: Graph = {
    ...view.graph,
    nodes: view.graph.nodes.map((n) => {
      const itf = view.interfaces.get(n.id);
      if (!itf) return n;
      const params = {
        block_inputs: itf.inputs.length,
        block_outputs: itf.outputs.length,
        block_shared: (calls.get(itf.first.id) ?? 1) > 1,
        block_lr: direction === 'LR',
      };
      return { ...n, params };
    }),
  };
  const outer = await layout(sized);
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
  let out: Graph = {
    ...graph,
    nodes: graph.nodes.map((n) => ({ ...n, position: pos.get(n.id) ?? at.get(n.id) ?? n.position })),
    ...(collapseAll ? { blocks: (graph.blocks ?? []).map((b) => ({ ...b, collapsed: true })) } : {}),
  };
  // Laid out as nodes, the expanded blocks open their room, last first (each moves what comes after it).
  if (!collapseAll)
    for (const b of [...(graph.blocks ?? [])].reverse()) if (!b.collapsed && view.interfaces.has(b.id)) out = reflowForBlock(out, b.id, false, direction);
  return out;
}
