/**
 * Automatic layout of a graph, top to bottom the way Keras's `plot_model` draws a model (`rankdir='TB'`), or left to
 * right (`rankdir='LR'`, LayoutDirection 'LR': inputs on the left, each layer right of the layers it reads). Three engines,
 * none of which can hang or overflow the stack on the graphs Layerlab accepts (up to 5,000 layers):
 * - `chainLayout`: a chain (every node at most one input and one output) as one column; linear time.
 * - dagre (a Sugiyama-style layered layout that minimises crossings) for graphs up to DAGRE_MAX_NODES
 *   nodes: it recurses over the graph, and overflows the stack on a 5,000-layer chain.
 * - `layeredLayout`: longest-path layers without recursion, O(nodes + edges + a sort per layer), for
 *   everything larger (and when dagre fails); the page also uses it when ELK runs out of time.
 * Used for templates, imports and the Layout button.
 */
import dagre from '@dagrejs/dagre';
import type { Graph, Params } from './types';
import { outputNamesOf } from '../layers/registry';
import { indexGraph, topologicalIndices } from './topology';

/**
 * Size assumed for every node, in canvas pixels. The node component is 190 px wide; its height varies from
 * about 50 px (an Input) to about 115 px (a layer with weights: two cost lines, and a long shape that wraps
 * its size onto a second line); 96 leaves room for an edge label between two of the tallest.
 */
export const NODE_SIZE = { width: 190, height: 96 } as const;

/**
 * The size assumed for one node: NODE_SIZE, taller and wider for a layer with several outputs, whose node shows a
 * column (name and shape) per output above its handles (src/canvas/LayerNodeView.tsx): about 24 px more and 80 px
 * per column. A collapsed block's node in an outer model (kind BLOCK_KIND, `collapseBlocks`) whose params carry
 * `block_inputs`, `block_outputs`, `block_shared` and `block_lr` (canvas/blockLayout.ts sets them) is `blockNodeSize`.
 * A new object each call (dagre writes its positions into the object it is given).
 */
export function nodeSize(node: { readonly kind: string; readonly params: Params }): { width: number; height: number } {
  if (node.kind === 'Functional' && typeof node.params.block_inputs === 'number') {
    const p = node.params;
    return blockNodeSize(p.block_inputs as number, Number(p.block_outputs), p.block_shared === true, p.block_lr === true ? 'LR' : 'TB');
  }
  const outputs = outputNamesOf(node).length;
  if (outputs === 1) return { width: NODE_SIZE.width, height: NODE_SIZE.height };
  return { width: Math.max(NODE_SIZE.width, outputs * 80), height: NODE_SIZE.height + 24 };
}

/**
 * The size of a collapsed block's node, in canvas pixels, as canvas/BlockNodeView.tsx draws it (it sets this size, so
 * the layouts, `reflowForBlock` and the drawing agree): a layer node's 190 × 96 for one input and one output; top to
 * bottom, the inputs are one row of columns and the outputs another (110 px a column from three on), left to right
 * each input and output is a row of 20 px (the head and the counts take 48 px); a nested model called more than once
 * shows its call on a further line (16 px).
 * @param inputs the nested model's input count (0 when nothing feeds it yet)
 * @param outputs its output count
 * @param shared true when the nested model is called more than once
 */
export function blockNodeSize(inputs: number, outputs: number, shared: boolean, direction: LayoutDirection = 'TB'): { width: number; height: number } {
  const call = shared ? 16 : 0;
  if (direction === 'LR') return { width: NODE_SIZE.width, height: Math.max(NODE_SIZE.height, 48 + 20 * (inputs + outputs) + call) };
  const columns = Math.max(inputs, outputs);
  return { width: columns > 2 ? Math.max(NODE_SIZE.width, 110 * columns) : NODE_SIZE.width, height: NODE_SIZE.height + call };
}

/**
 * Which way a layout runs: 'TB' top to bottom (inputs on the top row), 'LR' left to right (inputs in the left column),
 * as Keras's `plot_model(rankdir=…)` and dagre's `rankdir` name them.
 */
export type LayoutDirection = 'TB' | 'LR';

/** Gap between layers and between nodes of one layer, in canvas pixels (as dagre's ranksep / nodesep), in either direction. */
const LAYER_GAP = 56;
const NODE_GAP = 50;

/**
 * Largest graph dagre lays out. dagre recurses over the graph (its depth-first searches and network
 * simplex): a 5,000-layer chain overflows the stack and 1,000 layers take seconds. 400 keeps the
 * templates (ResNet50: 177 layers) and the 301-layer InceptionV3-sized test graph on dagre.
 */
export const DAGRE_MAX_NODES = 400;

/** Widest row of `layeredLayout`: a layer with more nodes wraps onto further rows (a 4,000-input merge stays viewable). */
export const MAX_ROW = 40;

/**
 * True when the graph is a chain: every node has at most one input and at most one output (edges whose
 * ends are missing ignored). Several separate chains count too. Linear time.
 */
export function isChain(graph: Graph): boolean {
  const x = indexGraph(graph);
  const n = graph.nodes.length;
  for (let i = 0; i < n; i++) if (x.inStart[i + 1] - x.inStart[i] > 1 || x.outStart[i + 1] - x.outStart[i] > 1) return false;
  return true;
}

/**
 * Lays out a chain (`isChain`) as one column, top to bottom in edge order, each node NODE_SIZE.height +
 * 56 px below its input (or, `direction` 'LR', as one row, each node NODE_SIZE.width + 56 px right of its input);
 * several chains side by side (at most MAX_ROW across, then wrapped). It is `layeredLayout`, which on a chain has
 * one node per layer: linear time, no recursion, no sorting work.
 */
export function chainLayout(graph: Graph, direction: LayoutDirection = 'TB'): Graph {
  return layeredLayout(graph, MAX_ROW, direction);
}

/**
 * A layered layout without recursion, linear in nodes and edges but for a sort within each layer:
 * - layer of a node = the longest path to it from a node without inputs (Kahn's order on `indexGraph`), so
 *   every node is at least one layer below each of its inputs and every Input is on the top layer; nodes
 *   on or after a cycle (no valid order) go one layer below their placed inputs, in graph order;
 * - order within a layer: by the mean x of the node's inputs (one downward barycentre sweep, so a branch
 *   stays under its stem and merge inputs read in input order when they sit in one layer), ties by graph order;
 * - a layer wider than `maxRow` nodes wraps onto further rows (the next layer starts below the last);
 * - rows are centred on x = 0; nodes are NODE_SIZE apart plus a 50 px gap across and 56 px down.
 * `direction` 'LR' turns the same layout a quarter: layers are columns from left to right, a layer's nodes stacked
 * top to bottom (centred on y = 0), NODE_SIZE apart plus 56 px across and 50 px down.
 * Never overlaps two nodes. Returns the graph with new positions (top-left corners, canvas pixels).
 * @param maxRow widest row (or, LR, tallest column) in nodes (default MAX_ROW; at least 1)
 * @param direction 'TB' (default) or 'LR'
 */
export function layeredLayout(graph: Graph, maxRow: number = MAX_ROW, direction: LayoutDirection = 'TB'): Graph {
  const lr = direction === 'LR';
  maxRow = Math.max(1, Math.floor(maxRow) || MAX_ROW);
  const nodes = graph.nodes;
  const n = nodes.length;
  if (!n) return graph;
  const x = indexGraph(graph);
  const { inStart, inEdge, source } = x;
  const order = topologicalIndices(x);
  const placed = new Uint8Array(n);
  for (let j = 0; j < order.length; j++) placed[order[j]] = 1;
  // Nodes left out (a cycle) follow in graph order, reading only the inputs placed before them.
  const seq: number[] = Array.from(order);
  if (order.length < n) for (let i = 0; i < n; i++) if (!placed[i]) seq.push(i);
  const done = new Uint8Array(n);
  const layer = new Int32Array(n);
  let layers = 0;
  for (const v of seq) {
    let l = 0;
    for (let p = inStart[v]; p < inStart[v + 1]; p++) {
      const u = source[inEdge[p]];
      if (done[u] && layer[u] + 1 > l) l = layer[u] + 1;
    }
    layer[v] = l;
    done[v] = 1;
    if (l + 1 > layers) layers = l + 1;
  }
  // Members of each layer in graph order (counting sort).
  const start = new Int32Array(layers + 1);
  for (let i = 0; i < n; i++) start[layer[i] + 1]++;
  for (let l = 0; l < layers; l++) start[l + 1] += start[l];
  const members = new Int32Array(n);
  const next = start.slice(0, layers);
  for (let i = 0; i < n; i++) members[next[layer[i]]++] = i;
  // Across a layer (x for TB, y for LR): each node's centre, `step` apart; along the layers (y for TB, x for LR): each
  // layer's near edge, advanced by its largest node plus LAYER_GAP.
  const step = lr ? NODE_SIZE.height + NODE_GAP : NODE_SIZE.width + NODE_GAP;
  const px = new Float64Array(n); // centre across
  const py = new Float64Array(n); // near edge along
  const key = new Float64Array(n);
  let y = 0;
  for (let l = 0; l < layers; l++) {
    const row = Array.from(members.subarray(start[l], start[l + 1]));
    if (l > 0) {
      for (const v of row) {
        let sum = 0;
        let k = 0;
        for (let p = inStart[v]; p < inStart[v + 1]; p++) {
          const u = source[inEdge[p]];
          if (done[u] && layer[u] < l) {
            sum += px[u];
            k++;
          }
        }
        key[v] = k ? sum / k : 0;
      }
      row.sort((a, b) => key[a] - key[b] || a - b);
    }
    for (let b = 0; b < row.length; b += maxRow) {
      const part = Math.min(maxRow, row.length - b);
      let tallest: number = lr ? NODE_SIZE.width : NODE_SIZE.height;
      for (let c = 0; c < part; c++) {
        const v = row[b + c];
        px[v] = (c - (part - 1) / 2) * step;
        py[v] = y;
        const size = nodeSize(nodes[v]);
        tallest = Math.max(tallest, lr ? size.width : size.height);
      }
      y += tallest + LAYER_GAP;
    }
  }
  return {
    ...graph,
    nodes: nodes.map((nd, i) => ({
      ...nd,
      position: lr
        ? { x: Math.round(py[i]), y: Math.round(px[i] - NODE_SIZE.height / 2) }
        : { x: Math.round(px[i] - NODE_SIZE.width / 2), y: Math.round(py[i]) },
    })),
  };
}

/**
 * Returns the graph with new positions (top-left corners, canvas pixels): inputs at the top,
 * each layer below the layers it reads, branches side by side — or, `direction` 'LR', inputs on the left, each
 * layer right of the layers it reads, branches one above the other.
 * A chain gets `chainLayout`; a graph of up to DAGRE_MAX_NODES nodes dagre's layout (edge crossings
 * minimised; node and edge order kept; merge inputs tend to read left to right (LR: top to bottom) in input order;
 * every Input on the top row (LR: in the left column)); a larger graph, or one dagre fails on, `layeredLayout`.
 * Never throws.
 */
export function autoLayout(graph: Graph, direction: LayoutDirection = 'TB'): Graph {
  if (graph.nodes.length > 1 && isChain(graph)) return chainLayout(graph, direction);
  if (graph.nodes.length > DAGRE_MAX_NODES) return layeredLayout(graph, MAX_ROW, direction);
  try {
    return dagreLayout(graph, direction);
  } catch {
    return layeredLayout(graph, MAX_ROW, direction);
  }
}

/** dagre's layered layout (see `autoLayout`); may throw or overflow the stack on large graphs. */
function dagreLayout(graph: Graph, direction: LayoutDirection): Graph {
  const lr = direction === 'LR';
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: direction, nodesep: 50, ranksep: 56, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, nodeSize(n));
  for (const e of graph.edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const at = (id: string): { x: number; y: number } => g.node(id) as { x: number; y: number };
  // In a top-to-bottom layout `across` is x and `along` y; left to right, the other way round.
  const across = (p: { x: number; y: number }) => (lr ? p.y : p.x);
  // dagre minimises crossings but ignores input order; mirror the layout when that puts more merge
  // inputs right-to-left (LR: bottom to top) than the other way, so input 1 of a merge layer tends to come first.
  let balance = 0;
  for (const n of graph.nodes) {
    const xs = graph.edges.filter((e) => e.target === n.id).map((e) => across(at(e.source)));
    for (let i = 1; i < xs.length; i++) balance += Math.sign(xs[i] - xs[i - 1]);
  }
  if (balance < 0)
    for (const n of graph.nodes) {
      const p = at(n.id);
      if (lr) p.y = -p.y;
      else p.x = -p.x;
    }
  // Model inputs all start on the first row (LR: column), as in Keras's plot_model.
  const first = Math.min(...graph.nodes.map((n) => (lr ? at(n.id).x : at(n.id).y)));
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      const p = at(n.id);
      const size = nodeSize(n);
      if (lr) {
        const x = n.kind === 'Input' ? first - NODE_SIZE.width / 2 : p.x - size.width / 2;
        return { ...n, position: { x: Math.round(x), y: Math.round(p.y - size.height / 2) } };
      }
      const y = n.kind === 'Input' ? first - NODE_SIZE.height / 2 : p.y - size.height / 2;
      return { ...n, position: { x: Math.round(p.x - size.width / 2), y: Math.round(y) } };
    }),
  };
}
