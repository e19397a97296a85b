/**
 * Graph structure: inputs of a node in order, consumers, topological order, cycles.
 */
import type { Edge, Graph } from './types';

/** Incoming edges of each node id, in `graph.edges` order (= input 1, input 2, …). */
export function incoming(graph: Graph): Map<string, Edge[]> {
  const m = new Map<string, Edge[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) m.get(e.target)?.push(e);
  return m;
}

/** Outgoing edges of each node id. */
export function outgoing(graph: Graph): Map<string, Edge[]> {
  const m = new Map<string, Edge[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) m.get(e.source)?.push(e);
  return m;
}

/**
 * Kahn's algorithm. Ties are broken by the nodes' order in `graph.nodes`, so the order is
 * stable. `cyclic` lists the ids left over when there is a cycle (the nodes on or after it).
 */
export function topologicalOrder(graph: Graph): { order: string[]; cyclic: string[] } {
  const indeg = new Map(graph.nodes.map((n) => [n.id, 0]));
  const known = new Set(indeg.keys());
  for (const e of graph.edges) if (known.has(e.source) && known.has(e.target)) indeg.set(e.target, indeg.get(e.target)! + 1);
  const out = outgoing(graph);
  const rank = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const ready = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const e of out.get(id) ?? []) {
      if (!known.has(e.target)) continue;
      const d = indeg.get(e.target)! - 1;
      indeg.set(e.target, d);
      if (d === 0) ready.push(e.target);
    }
  }
  const done = new Set(order);
  return { order, cyclic: graph.nodes.filter((n) => !done.has(n.id)).map((n) => n.id) };
}

/**
 * One cycle through the given leftover nodes, as ids in edge order (first id not repeated),
 * found by walking edges that stay inside the leftover set. Empty when there is none.
 */
export function findCycle(graph: Graph, among: readonly string[]): string[] {
  const inSet = new Set(among);
  const out = outgoing(graph);
  const state = new Map<string, 1 | 2>(); // 1 on stack, 2 done
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    stack.push(id);
    for (const e of out.get(id) ?? []) {
      if (!inSet.has(e.target)) continue;
      const s = state.get(e.target);
      if (s === 1) return stack.slice(stack.indexOf(e.target));
      if (s === undefined) {
        const c = visit(e.target);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const id of among) if (!state.has(id)) {
    const c = visit(id);
    if (c) return c;
  }
  return [];
}

/** True when a path of edges leads from `from` to `to` (or from === to). */
export function reaches(graph: Graph, from: string, to: string): boolean {
  const out = outgoing(graph);
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const id = todo.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of out.get(id) ?? []) todo.push(e.target);
  }
  return false;
}
