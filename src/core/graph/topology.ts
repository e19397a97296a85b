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
 * A graph's structure by node position, built once (`indexGraph`) and shared by the validator's passes.
 * Nodes are numbered by their position in `graph.nodes`; only edges whose two ends exist are kept. A node's
 * incoming edges are `inEdge[inStart[i]]` … `inEdge[inStart[i + 1] − 1]` (indices into `edges`, in
 * `graph.edges` order: input 1, input 2, …), its outgoing ones likewise in `outStart` / `outEdge`.
 */
export interface GraphIndex {
  /** Node id → position in `graph.nodes` (the last node with that id, should two share one). */
  readonly indexOf: ReadonlyMap<string, number>;
  /** The edges whose source and target both exist, in `graph.edges` order (`graph.edges` itself when that is all of them). */
  readonly edges: readonly Edge[];
  /** Source and target position of each kept edge. */
  readonly source: Int32Array;
  readonly target: Int32Array;
  readonly inStart: Int32Array;
  readonly inEdge: Int32Array;
  readonly outStart: Int32Array;
  readonly outEdge: Int32Array;
}

/** Numbers a graph's nodes and lists each node's incoming and outgoing edges (see `GraphIndex`). Linear time. */
export function indexGraph(graph: Graph): GraphIndex {
  const nodes = graph.nodes;
  const n = nodes.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) indexOf.set(nodes[i].id, i);
  const all = graph.edges;
  const m = all.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const inStart = new Int32Array(n + 1);
  const outStart = new Int32Array(n + 1);
  let edges: readonly Edge[] = all;
  let kept: Edge[] | null = null;
  let k = 0;
  for (let j = 0; j < m; j++) {
    const e = all[j];
    const s = indexOf.get(e.source);
    const t = indexOf.get(e.target);
    if (s === undefined || t === undefined) {
      if (!kept) edges = kept = all.slice(0, j);
      continue;
    }
    if (kept) kept.push(e);
    source[k] = s;
    target[k] = t;
    k++;
    inStart[t + 1]++;
    outStart[s + 1]++;
  }
  for (let i = 0; i < n; i++) {
    inStart[i + 1] += inStart[i];
    outStart[i + 1] += outStart[i];
  }
  const inEdge = new Int32Array(k);
  const outEdge = new Int32Array(k);
  const inNext = inStart.slice(0, n);
  const outNext = outStart.slice(0, n);
  for (let j = 0; j < k; j++) {
    inEdge[inNext[target[j]]++] = j;
    outEdge[outNext[source[j]]++] = j;
  }
  return { indexOf, edges, source: source.subarray(0, k), target: target.subarray(0, k), inStart, inEdge, outStart, outEdge };
}

/**
 * Kahn's algorithm on node positions, the ready nodes in a binary heap by position (O(edges + nodes · log
 * nodes)): of the nodes whose inputs are all placed, the one earliest in `graph.nodes` comes next, so the
 * order is stable.
 * @returns the positions in topological order; fewer than the nodes when there is a cycle (the nodes on or
 *   after one are left out).
 */
export function topologicalIndices(index: GraphIndex): Int32Array {
  const { inStart, outStart, outEdge, target } = index;
  const n = inStart.length - 1;
  const indeg = new Int32Array(n);
  // Positions pushed in increasing order form a valid min-heap as they are.
  const heap = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) if ((indeg[i] = inStart[i + 1] - inStart[i]) === 0) heap[size++] = i;
  const order = new Int32Array(n);
  let k = 0;
  while (size > 0) {
    const v = heap[0];
    order[k++] = v;
    // Pop: move the last entry to the root and sift it down.
    const last = heap[--size];
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1] < heap[child]) child++;
      if (heap[child] >= last) break;
      heap[at] = heap[child];
      at = child;
    }
    if (size > 0) heap[at] = last;
    for (let j = outStart[v]; j < outStart[v + 1]; j++) {
      const t = target[outEdge[j]];
      if (--indeg[t] !== 0) continue;
      // Push: sift up.
      let c = size++;
      while (c > 0) {
        const parent = (c - 1) >> 1;
        if (heap[parent] <= t) break;
        heap[c] = heap[parent];
        c = parent;
      }
      heap[c] = t;
    }
  }
  return order.subarray(0, k);
}

/**
 * Kahn's algorithm. Ties are broken by the nodes' order in `graph.nodes`, so the order is
 * stable. `cyclic` lists the ids left over when there is a cycle (the nodes on or after it).
 * @param index `indexGraph(graph)`, when the caller already has it.
 */
export function topologicalOrder(graph: Graph, index: GraphIndex = indexGraph(graph)): { order: string[]; cyclic: string[] } {
  const nodes = graph.nodes;
  const placed = topologicalIndices(index);
  const order = new Array<string>(placed.length);
  for (let j = 0; j < placed.length; j++) order[j] = nodes[placed[j]].id;
  if (placed.length === nodes.length) return { order, cyclic: [] };
  const done = new Uint8Array(nodes.length);
  for (const i of placed) done[i] = 1;
  const cyclic: string[] = [];
  for (let i = 0; i < nodes.length; i++) if (!done[i]) cyclic.push(nodes[i].id);
  return { order, cyclic };
}

/**
 * One cycle through the given leftover nodes, as ids in edge order (first id not repeated),
 * found by walking edges that stay inside the leftover set. Empty when there is none.
 * @param index `indexGraph(graph)`, when the caller already has it.
 */
export function findCycle(graph: Graph, among: readonly string[], index: GraphIndex = indexGraph(graph)): string[] {
  const { indexOf, outStart, outEdge, target } = index;
  const nodes = graph.nodes;
  const inSet = new Uint8Array(nodes.length);
  for (const id of among) {
    const i = indexOf.get(id);
    if (i !== undefined) inSet[i] = 1;
  }
  // A depth-first walk without recursion: `path` holds the nodes on the walk, `next` each one's next edge.
  const state = new Uint8Array(nodes.length); // 1 on the walk, 2 done
  const path: number[] = [];
  const next: number[] = [];
  for (const id of among) {
    const start = indexOf.get(id);
    if (start === undefined || state[start]) continue;
    state[start] = 1;
    path.push(start);
    next.push(outStart[start]);
    while (path.length) {
      const top = path.length - 1;
      const v = path[top];
      const j = next[top];
      if (j === outStart[v + 1]) {
        path.pop();
        next.pop();
        state[v] = 2;
        continue;
      }
      next[top] = j + 1;
      const t = target[outEdge[j]];
      if (!inSet[t]) continue;
      if (state[t] === 1) return path.slice(path.indexOf(t)).map((i) => nodes[i].id);
      if (state[t] === 0) {
        state[t] = 1;
        path.push(t);
        next.push(outStart[t]);
      }
    }
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
