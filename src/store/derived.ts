/**
 * Derived data, memoised per graph object: the graph is immutable, so a WeakMap keyed by it
 * computes each analysis once however many components ask.
 */
import { analyze, apiPlan, summarize, type Analysis, type ApiPlan, type Graph, type Summary } from '../core';
import { useEditor } from './editor';

const analyses = new WeakMap<Graph, Analysis>();
const summaries = new WeakMap<Graph, Summary>();
const plans = new WeakMap<Graph, ApiPlan>();

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

/** Sequential or Functional, and why (cached). */
export function planOf(graph: Graph): ApiPlan {
  let p = plans.get(graph);
  if (!p) plans.set(graph, (p = apiPlan(graph)));
  return p;
}

/** Hook: the current graph's analysis. */
export const useAnalysis = (): Analysis => analysisOf(useEditor((s) => s.graph));
