/**
 * Derived data, memoised per model: the graph is immutable, so a WeakMap keyed by it computes each analysis once
 * however many components ask; and a graph that differs from the previous one only in node positions (a drag, a
 * nudge, a layout) stands for the same model (`modelOf`), so moving nodes never re-runs the analysis. Per-node
 * results are kept identical (the same object) from one analysis to the next while their content is equal
 * (`nodeInfosOf`, `nodeCostsOf`, `edgeShapesOf`), so the canvas redraws only the nodes and edges an edit changed.
 */
import {
  analyze,
  callsByLayer,
  graphCost,
  summarize,
  type Analysis,
  type Graph,
  type GraphCost,
  type LayerNode,
  type NodeCost,
  type NodeInfo,
  type Shape,
  type Summary,
} from '../core';
import { useEditor } from './editor';

/**
 * True when `a` and `b` describe the same model: the same graph fields (compared by identity) but for
 * `nodes`, whose members may differ only in `position` (every other field compared by identity). O(nodes).
 */
export function sameModel(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof Graph)[];
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (k !== 'nodes' && a[k] !== b[k]) return false;
  if (a.nodes === b.nodes) return true;
  if (a.nodes.length !== b.nodes.length) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const x = a.nodes[i];
    const y = b.nodes[i];
    if (x === y) continue;
    const kx = Object.keys(x) as (keyof LayerNode)[];
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) if (k !== 'position' && x[k] !== y[k]) return false;
  }
  return true;
}

const models = new WeakMap<Graph, Graph>();
let lastModel: Graph | null = null;

/**
 * The graph that stands for `graph`'s model: the previous one asked about when the two differ only in node positions
 * (`sameModel`), else `graph` itself. Analyses, costs, summaries and call numbers are cached on it, so they do not
 * depend on positions (the analysis never reads them). Cached per graph.
 */
export function modelOf(graph: Graph): Graph {
  let m = models.get(graph);
  if (!m) {
    m = lastModel && sameModel(lastModel, graph) ? lastModel : graph;
    models.set(graph, m);
    lastModel = m;
  }
  return m;
}

/** Structural equality of plain data (primitives, arrays, plain objects), as analysis results are made of. */
export function equalData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!equalData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/**
 * `next` with each value replaced by `prev`'s value for the same key when the two are equal (`equalData`): values
 * that did not change keep their identity, so a component selecting one re-renders only when it changed. O(size).
 */
export function keepEqual<V>(prev: ReadonlyMap<string, V> | undefined, next: ReadonlyMap<string, V>): ReadonlyMap<string, V> {
  if (!prev) return next;
  const out = new Map<string, V>();
  for (const [k, v] of next) {
    const p = prev.get(k);
    out.set(k, p !== undefined && equalData(p, v) ? p : v);
  }
  return out;
}

const analyses = new WeakMap<Graph, Analysis>();
const summaries = new WeakMap<Graph, Summary>();
const costs = new WeakMap<Graph, GraphCost>();

/** The validator's result for a graph (cached per model: moving nodes does not recompute it). */
export function analysisOf(graph: Graph): Analysis {
  const m = modelOf(graph);
  let a = analyses.get(m);
  if (!a) analyses.set(m, (a = analyze(m)));
  return a;
}

/** The Keras-style summary rows for a graph (cached per model). */
export function summaryOf(graph: Graph): Summary {
  const m = modelOf(graph);
  let s = summaries.get(m);
  if (!s) summaries.set(m, (s = summarize(m, analysisOf(m))));
  return s;
}

/** Parameters, MACs and output size of every node, with totals and maxima (cached per model; core/validate/cost.ts). */
export function costOf(graph: Graph): GraphCost {
  const m = modelOf(graph);
  let c = costs.get(m);
  if (!c) costs.set(m, (c = graphCost(m, analysisOf(m))));
  return c;
}

/** Makes a per-model cache of a map whose equal values keep their identity from one model to the next (`keepEqual`). */
function stableMap<V>(of: (graph: Graph) => ReadonlyMap<string, V>): (graph: Graph) => ReadonlyMap<string, V> {
  const cache = new WeakMap<Graph, ReadonlyMap<string, V>>();
  let last: ReadonlyMap<string, V> | undefined;
  return (graph) => {
    const m = modelOf(graph);
    let r = cache.get(m);
    if (!r) {
      cache.set(m, (r = keepEqual(last, of(m))));
      last = r;
    }
    return r;
  };
}

/** Each node's analysis (shapes, counts, diagnostics) by id; an entry keeps its identity while its content is unchanged. */
export const nodeInfosOf: (graph: Graph) => ReadonlyMap<string, NodeInfo> = stableMap((g) => analysisOf(g).nodes);
/** Each node's cost by id; an entry keeps its identity while its content is unchanged. */
export const nodeCostsOf: (graph: Graph) => ReadonlyMap<string, NodeCost> = stableMap((g) => costOf(g).nodes);
/** Each edge's tensor shape by id; an entry keeps its identity while its content is unchanged. */
export const edgeShapesOf: (graph: Graph) => ReadonlyMap<string, Shape | null> = stableMap((g) => analysisOf(g).edgeShapes);

const nodeMaps = new WeakMap<readonly LayerNode[], ReadonlyMap<string, LayerNode>>();

/** The graph's nodes by id (cached per nodes array; the last node with an id wins, as `indexGraph`). */
export function nodesById(graph: Graph): ReadonlyMap<string, LayerNode> {
  let m = nodeMaps.get(graph.nodes);
  if (!m) nodeMaps.set(graph.nodes, (m = new Map(graph.nodes.map((n) => [n.id, n]))));
  return m;
}

/** Hook: the current graph's analysis (redraws the component when the model changes, not when layers only move). */
export const useAnalysis = (): Analysis => analysisOf(useEditor((s) => modelOf(s.graph)));

/** Hook: the current graph's cost (redraws the component when the model changes, not when layers only move). */
export const useCost = (): GraphCost => costOf(useEditor((s) => modelOf(s.graph)));

/** For each node of a shared layer: its call number (0 = the owner) and the layer's number of calls. */
export interface CallInfo {
  readonly index: number;
  readonly count: number;
  readonly layer: string;
}
const callInfos = new WeakMap<Graph, ReadonlyMap<string, CallInfo>>();

/** Call numbers of every node (cached per model); ordinary layers have count 1. */
export function callsOf(graph: Graph): ReadonlyMap<string, CallInfo> {
  const g = modelOf(graph);
  let m = callInfos.get(g);
  if (!m) {
    const out = new Map<string, CallInfo>();
    for (const [layer, calls] of callsByLayer(g)) calls.forEach((c, index) => out.set(c.id, { index, count: calls.length, layer }));
    callInfos.set(g, (m = out));
  }
  return m;
}
