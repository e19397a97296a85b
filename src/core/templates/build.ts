/**
 * A small builder for graphs written in code (templates, tests): layers are added with their
 * Keras names and inputs, then laid out top to bottom by depth.
 */
import { addNode, connect } from '../graph/ops';
import type { Graph, Params } from '../graph/types';

/** Horizontal and vertical spacing of the depth layout, in canvas pixels. */
export const LAYOUT = { dx: 250, dy: 120 } as const;

export interface GraphBuilder {
  /**
   * Adds a layer fed by `inputs` (ids returned by earlier calls) and returns its id.
   * @throws Error when a connection is refused (a bug in the template).
   */
  add(kind: string, params?: Params, name?: string, inputs?: readonly string[]): string;
}

/** Builds a graph with `fn` and places nodes in rows by their depth from the inputs. */
export function buildGraph(name: string, fn: (b: GraphBuilder) => void): Graph {
  let g: Graph = { name, nodes: [], edges: [] };
  let k = 0;
  fn({
    add(kind, params = {}, layerName, inputs = []) {
      const r = addNode(g, kind, { x: 0, y: 0 }, { id: `${name}_${k++}`, params, ...(layerName ? { name: layerName } : {}) });
      g = r.graph;
      for (const src of inputs) {
        const c = connect(g, src, r.node.id, `${name}_e${k++}`);
        if (!c.ok) throw new Error(c.reason);
        g = c.graph;
      }
      return r.node.id;
    },
  });
  return layoutByDepth(g);
}

/**
 * Places nodes in rows: row = longest path from an input; nodes in a row are centred around x = 0
 * in the order they were added. Cheap and readable for templates; imported graphs use ELK (issue #4).
 */
export function layoutByDepth(g: Graph): Graph {
  const depth = new Map<string, number>();
  const ins = new Map<string, string[]>(g.nodes.map((n) => [n.id, []]));
  for (const e of g.edges) ins.get(e.target)?.push(e.source);
  const d = (id: string, seen = new Set<string>()): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const v = Math.max(-1, ...ins.get(id)!.map((s) => d(s, seen))) + 1;
    depth.set(id, v);
    return v;
  };
  g.nodes.forEach((n) => d(n.id));
  const rows = new Map<number, string[]>();
  for (const n of g.nodes) rows.set(depth.get(n.id)!, [...(rows.get(depth.get(n.id)!) ?? []), n.id]);
  const pos = new Map<string, { x: number; y: number }>();
  for (const [r, ids] of rows) ids.forEach((id, i) => pos.set(id, { x: (i - (ids.length - 1) / 2) * LAYOUT.dx, y: r * LAYOUT.dy }));
  return { ...g, nodes: g.nodes.map((n) => ({ ...n, position: pos.get(n.id)! })) };
}
