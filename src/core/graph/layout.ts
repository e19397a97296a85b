/**
 * Automatic top-to-bottom layout of a graph with dagre (a layered, Sugiyama-style layout), the way
 * Keras's `plot_model` draws a model. Used for templates and the Layout button.
 */
import dagre from '@dagrejs/dagre';
import type { Graph } from './types';

/**
 * Size assumed for every node, in canvas pixels. The node component is 190 px wide; its height varies from
 * about 50 px (an Input) to about 115 px (a layer with weights: two cost lines, and a long shape that wraps
 * its size onto a second line); 96 leaves room for an edge label between two of the tallest.
 */
export const NODE_SIZE = { width: 190, height: 96 } as const;

/**
 * Returns the graph with new positions (top-left corners, canvas pixels): inputs at the top,
 * each layer below the layers it reads, branches side by side, edge crossings minimised.
 * Node and edge order in the graph is kept; merge inputs tend to read left to right in input order,
 * and every Input is put on the top row.
 */
export function autoLayout(graph: Graph): Graph {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 50, ranksep: 56, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  // dagre minimises crossings but ignores input order; mirror the layout when that puts more merge
  // inputs right-to-left than left-to-right, so input 1 of a merge layer tends to be on the left.
  let balance = 0;
  for (const n of graph.nodes) {
    const xs = graph.edges.filter((e) => e.target === n.id).map((e) => g.node(e.source).x);
    for (let i = 1; i < xs.length; i++) balance += Math.sign(xs[i] - xs[i - 1]);
  }
  if (balance < 0) for (const n of graph.nodes) g.node(n.id).x = -g.node(n.id).x;
  const top = Math.min(...graph.nodes.map((n) => g.node(n.id).y));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = g.node(n.id);
      // Model inputs all start on the top row, as in Keras's plot_model.
      const y = n.kind === 'Input' ? top : p.y;
      return { ...n, position: { x: Math.round(p.x - NODE_SIZE.width / 2), y: Math.round(y - NODE_SIZE.height / 2) } };
    }),
  };
}
