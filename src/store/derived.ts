/**
 * Derived data, memoised per graph object: the graph is immutable, so a WeakMap keyed by it
 * computes each analysis once however many components ask.
 */
import { analyze, callsByLayer, graphCost, summarize, type Analysis, type Graph, type GraphCost, type Summary } from '../core';
import { useEditor } from './editor';

const analyses = new WeakMap<Graph, Analysis>();
const summaries = new WeakMap<Graph, Summary>();
const costs = new WeakMap<Graph, GraphCost>();

/** The validator's result for a graph (cached). */
export function analysisOf(graph: Graph): Analysis {
  let a = analyses.get(graph);
  if (!a) analyses.set(graph, (a = analyze(graph)));
  return a;
}

/** The Keras-style summary rows for a graph (cached). */
export function summaryOf(graph: Graph): Summary {
  let s = summaries.get(graph);
  if (!s) summaries.set(graph, (s = summarize(graph, analysisOf(graph))));
  return s;
}

/** Parameters, MACs and output size of every node, with totals and maxima (cached; core/validate/cost.ts). */
export function costOf(graph: Graph): GraphCost {
  let c = costs.get(graph);
  if (!c) costs.set(graph, (c = graphCost(graph, analysisOf(graph))));
  return c;
}

/** Hook: the current graph's analysis. */
export const useAnalysis = (): Analysis => analysisOf(useEditor((s) => s.graph));

/** Hook: the current graph's cost. */
export const useCost = (): GraphCost => costOf(useEditor((s) => s.graph));

/** For each node of a shared layer: its call number (0 = the owner) and the layer's number of calls. */
export interface CallInfo {
  readonly index: number;
  readonly count: number;
  readonly layer: string;
}
const callInfos = new WeakMap<Graph, ReadonlyMap<string, CallInfo>>();

/** Call numbers of every node (cached); ordinary layers have count 1. */
export function callsOf(graph: Graph): ReadonlyMap<string, CallInfo> {
  let m = callInfos.get(graph);
  if (!m) {
    const out = new Map<string, CallInfo>();
    for (const [layer, calls] of callsByLayer(graph)) calls.forEach((c, index) => out.set(c.id, { index, count: calls.length, layer }));
    callInfos.set(graph, (m = out));
  }
  return m;
}
