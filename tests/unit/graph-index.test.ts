/**
 * The graph structure the validator builds once per analysis (src/core/graph/topology.ts `indexGraph`,
 * `topologicalIndices`; shared.ts `callGroups`) against the plain definitions it replaces, on random graphs
 * with cycles, self-loops, repeated and dangling edges and shared-layer calls; and the premise that lets
 * the mask pass be skipped (masks.ts `startsMask`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  analyze,
  callGroups,
  callsByLayer,
  defaultParams,
  findCycle,
  incoming,
  indexGraph,
  LAYER_DEFS,
  layerDef,
  outgoing,
  topologicalOrder,
  type Edge,
  type Graph,
  type LayerNode,
  type Shape,
} from '../../src/core';
import { startsMask, tfjsExecutionOrder } from '../../src/core/validate/masks';
import { node } from '../helpers/graphs';

const SEED = 20261121;

/** Random graphs: `size` nodes, edges between any two of them or to ids that do not exist, some nodes further calls of another. */
const graphArb: fc.Arbitrary<Graph> = fc
  .record({
    size: fc.integer({ min: 0, max: 12 }),
    edges: fc.array(fc.tuple(fc.integer({ min: -1, max: 12 }), fc.integer({ min: -1, max: 12 })), { maxLength: 30 }),
    calls: fc.array(fc.option(fc.integer({ min: -1, max: 12 }), { freq: 2 }), { minLength: 12, maxLength: 12 }),
  })
  .map(({ size, edges, calls }) => {
    const id = (i: number) => (i >= 0 && i < size ? `n${i}` : `missing${i}`);
    const nodes: LayerNode[] = Array.from({ length: size }, (_, i) => ({
      id: `n${i}`,
      kind: 'Dense',
      name: `d${i}`,
      params: {},
      position: { x: 0, y: 0 },
      ...(calls[i] !== null ? { layerOf: id(calls[i]!) } : {}),
    }));
    return { name: 'g', nodes, edges: edges.map(([s, t], j): Edge => ({ id: `e${j}`, source: id(s), target: id(t) })) };
  });

/** Kahn's algorithm as first written: sort the ready nodes by graph position at every step. */
function referenceOrder(g: Graph): { order: string[]; cyclic: string[] } {
  const ids = new Set(g.nodes.map((n) => n.id));
  const edges = g.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const indeg = new Map(g.nodes.map((n) => [n.id, edges.filter((e) => e.target === n.id).length]));
  const rank = new Map(g.nodes.map((n, i) => [n.id, i]));
  const ready = g.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    ready.sort((a, b) => rank.get(a)! - rank.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const e of edges) if (e.source === id && indeg.set(e.target, indeg.get(e.target)! - 1).get(e.target) === 0) ready.push(e.target);
  }
  return { order, cyclic: g.nodes.map((n) => n.id).filter((id) => !order.includes(id)) };
}

describe('graph index', () => {
  it('lists each node’s incoming and outgoing edges in graph order, dropping edges to or from missing nodes', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const x = indexGraph(g);
        const kept = g.edges.filter((e) => x.indexOf.has(e.source) && x.indexOf.has(e.target));
        expect(x.edges).toEqual(kept);
        const ins = incoming({ ...g, edges: kept });
        const outs = outgoing({ ...g, edges: kept });
        g.nodes.forEach((n, i) => {
          expect([...x.inEdge.subarray(x.inStart[i], x.inStart[i + 1])].map((j) => x.edges[j])).toEqual(ins.get(n.id));
          expect([...x.outEdge.subarray(x.outStart[i], x.outStart[i + 1])].map((j) => x.edges[j])).toEqual(outs.get(n.id));
        });
        kept.forEach((e, j) => expect([g.nodes[x.source[j]].id, g.nodes[x.target[j]].id]).toEqual([e.source, e.target]));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('topological order: ties go to the node earlier in the graph, as a sort of the ready nodes at every step gives', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        expect(topologicalOrder(g)).toEqual(referenceOrder(g));
      }),
      { seed: SEED, numRuns: 1000 },
    );
    // Reversed node order: the same DAG, the other tie-break.
    const g: Graph = {
      name: 'g',
      nodes: ['c', 'b', 'a', 'x'].map((id) => ({ id, kind: 'Dense', name: id, params: {}, position: { x: 0, y: 0 } })),
      edges: [
        { id: 'e1', source: 'x', target: 'a' },
        { id: 'e2', source: 'x', target: 'b' },
        { id: 'e3', source: 'x', target: 'c' },
      ],
    };
    expect(topologicalOrder(g).order).toEqual(['x', 'c', 'b', 'a']);
  });

  it('finds a cycle among the nodes left out of the order, following edges', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const { cyclic } = topologicalOrder(g);
        const cycle = findCycle(g, cyclic);
        if (!cyclic.length) {
          expect(cycle).toEqual([]);
          return;
        }
        expect(cycle.length).toBeGreaterThan(0);
        expect(new Set(cycle).size).toBe(cycle.length);
        cycle.forEach((id, k) => {
          expect(cyclic).toContain(id);
          const next = cycle[(k + 1) % cycle.length];
          expect(g.edges.some((e) => e.source === id && e.target === next)).toBe(true);
        });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('finds a cycle thousands of nodes long without running out of stack', () => {
    const n = 50_000;
    const nodes = Array.from({ length: n }, (_, i): LayerNode => ({ id: `n${i}`, kind: 'Dense', name: `d${i}`, params: {}, position: { x: 0, y: 0 } }));
    const edges = nodes.map((v, i): Edge => ({ id: `e${i}`, source: v.id, target: nodes[(i + 1) % n].id }));
    const g = { name: 'ring', nodes, edges };
    const { order, cyclic } = topologicalOrder(g);
    expect(order).toEqual([]);
    expect(findCycle(g, cyclic)).toEqual(nodes.map((v) => v.id));
  });

  it('call groups are callsByLayer by position: owner first, layers in its order', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const groups = callGroups(g, indexGraph(g).indexOf);
        const expected = [...callsByLayer(g).values()].map((cs) => cs.map((c) => g.nodes.indexOf(c)));
        if (groups === null) expect(expected).toEqual(g.nodes.map((_, i) => [i]));
        else expect(groups).toEqual(expected);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('masks', () => {
  // analyze skips the mask pass when no node starts a mask: every other rule must give no mask, and fail
  // on none, when its inputs carry none and it receives none.
  it('only Masking and Embedding(mask_zero) make a mask out of none', () => {
    const x: Shape = [null, 4, 3];
    for (const def of LAYER_DEFS) {
      if (!def.mask) continue;
      const node = (params = defaultParams(def)): LayerNode => ({ id: 'n', kind: def.kind, name: 'n', params, position: { x: 0, y: 0 } });
      for (const k of [def.inputs.min, def.inputs.min + 1].filter((k) => k >= 1 && k <= def.inputs.max)) {
        const out = def.mask(Array(k).fill(x), Array(k).fill(null), defaultParams(def), null);
        expect({ kind: def.kind, makesMask: out !== null }).toEqual({ kind: def.kind, makesMask: startsMask(node()) });
      }
      if (def.kind === 'Embedding') {
        const p = { ...defaultParams(def), mask_zero: true };
        expect(startsMask(node(p))).toBe(true);
        expect(def.mask([x], [null], p, null)).not.toBeNull();
      }
    }
    expect(startsMask({ id: 'n', kind: 'Masking', name: 'n', params: defaultParams(layerDef('Masking')!), position: { x: 0, y: 0 } })).toBe(true);
  });

  it('the execution-order walk ends on a cycle', () => {
    const ring: Graph = {
      name: 'ring',
      nodes: [node('in', 'Input'), node('a', 'Dense'), node('b', 'Dense')],
      edges: [
        { id: 'e1', source: 'a', target: 'b' },
        { id: 'e2', source: 'b', target: 'a' },
      ],
    };
    expect(tfjsExecutionOrder(ring, ['a'])).toEqual(['b', 'a']);
    // Two nodes sharing an id (a malformed graph: project files refuse it) merge into a cycle there.
    const twins: Graph = {
      name: 'twins',
      nodes: [
        node('in', 'Input', { shape: [3, 2] }),
        node('m', 'Masking', { mask_value: 0 }),
        node('x', 'LSTM', { units: 2 }),
        node('x', 'Dense', { units: 2 }),
      ],
      edges: [
        { id: 'e1', source: 'in', target: 'm' },
        { id: 'e2', source: 'm', target: 'x' },
        { id: 'e3', source: 'x', target: 'x' },
      ],
    };
    const a = analyze(twins);
    expect(a.valid).toBe(false);
    expect(a.diagnostics.map((d) => d.code)).toContain('cycle');
  });
});
