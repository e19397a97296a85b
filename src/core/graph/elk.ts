/**
 * The ELK layered layout (Eclipse Layout Kernel, run by elkjs) as pure data: the graph in ELK's JSON
 * form and positions read back from ELK's result. Running ELK — in a Web Worker in the page, in
 * process in tests — is the caller's business, so the core stays free of workers and timers.
 */
import type { Graph } from './types';
import { nodeSize, type LayoutDirection } from './layout';

/** ELK's JSON graph, as much of it as Layerlab uses (elkjs `ElkNode`). */
export interface ElkGraph {
  id: string;
  layoutOptions?: Record<string, string>;
  children?: { id: string; width?: number; height?: number; x?: number; y?: number }[];
  edges?: { id: string; sources: string[]; targets: string[] }[];
}

/**
 * Layered, top to bottom, keeping the graph's node and edge order where crossings allow (so merge
 * inputs read left to right in input order), with room between layers for the shape labels.
 * Option names: https://eclipse.dev/elk/reference/algorithms/org-eclipse-elk-layered.html
 */
export const ELK_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '50',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.layering.strategy': 'LONGEST_PATH_SOURCE',
};

/**
 * The graph in ELK's form: one child per node of its size (`nodeSize`: a layer with several outputs is wider, a
 * collapsed block's node is as BlockNodeView draws it), one edge per connection; `direction` 'LR' lays it
 * out left to right (ELK's `elk.direction` RIGHT) instead of top to bottom (DOWN).
 */
export function toElk(graph: Graph, direction: LayoutDirection = 'TB'): ElkGraph {
  return {
    id: 'root',
    layoutOptions: { ...ELK_OPTIONS, 'elk.direction': direction === 'LR' ? 'RIGHT' : 'DOWN' },
    children: graph.nodes.map((n) => {
      const size = nodeSize(n);
      return { id: n.id, width: size.width, height: size.height };
    }),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

/** The graph with positions from ELK's laid-out result (nodes ELK did not place keep theirs). */
export function fromElk(graph: Graph, laidOut: ElkGraph): Graph {
  const at = new Map((laidOut.children ?? []).map((c) => [c.id, c]));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const c = at.get(n.id);
      return c && c.x !== undefined && c.y !== undefined ? { ...n, position: { x: Math.round(c.x), y: Math.round(c.y) } } : n;
    }),
  };
}
