/**
 * The validator's blocks pass reads the graph through the context's index (core/validate/passes/blocks.ts,
 * `membersProblem` with a `MembersIndex`): checking every call of a nested model reads each member's edges, not
 * every edge of the graph per call (bench/blocks-pass.bench.ts has the times). The indexed check answers exactly
 * as the plain one, for every selection of a small graph with a shared layer and a long way round.
 */
import { describe, expect, it } from 'vitest';
import { analyze, groupIntoBlock, indexGraph, layerIdOf, membersProblem, repeatBlock, type Graph, type MembersIndex, type TensorRef } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { createContext } from '../../src/core/validate/context';
import { blocksPass } from '../../src/core/validate/passes/blocks';

/** A residual block (3 layers) called `1 + n` times with shared weights, chained. */
function calls(n: number): Graph {
  const g = buildGraph('many_calls', (b) => {
    const x = b.add('Input', { shape: [16] }, 'features');
    const d1 = b.add('Dense', { units: 32, activation: 'relu' }, 'expand', [x]);
    const d2 = b.add('Dense', { units: 16 }, 'project', [d1]);
    const add = b.add('Add', {}, 'residual', [x, d2]);
    b.add('Dense', { units: 4, activation: 'softmax' }, 'classes', [add]);
  });
  const once = groupIntoBlock(
    g,
    ['expand', 'project', 'residual'].map((name) => g.nodes.find((m) => m.name === name)!.id),
    'res_block',
  );
  if (!once.ok) throw new Error(once.reason);
  const a = analyze(once.graph);
  const r = repeatBlock(once.graph, once.id, n, 'calls', (t: TensorRef) => a.nodes.get(t.node)?.outputShape ?? null);
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
}

/** `g` whose edge list counts every element read (index access and iteration both go through `get`). */
function counting(g: Graph): { graph: Graph; reads: () => number } {
  let n = 0;
  const edges = new Proxy([...g.edges], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { graph: { ...g, edges }, reads: () => n };
}

describe('the blocks pass reads the index', () => {
  it('101 calls of a nested model: the pass reads the edge list a few times in all (1,812 reads of 405 edges), not several times per call (244,215 before)', () => {
    const g = calls(100);
    expect(g.blocks).toHaveLength(101);
    const { graph, reads } = counting(g);
    const ctx = createContext(graph);
    const before = reads();
    blocksPass.run(ctx);
    expect(ctx.diags).toEqual([]);
    // The nested model's interface (core blockInterface, once per graph) reads the edges a few times; the rest reads
    // only the members' edges.
    expect(reads() - before).toBeLessThan(10 * g.edges.length);
  });

  it('a further call wired differently is still reported (the first call’s connections, read once, are compared)', () => {
    const g = calls(2);
    const third = g.blocks![2].id;
    const members = g.nodes.filter((n) => n.block === third);
    const expand = members.find((n) => n.name === 'expand')!;
    const residual = members.find((n) => n.name === 'residual')!;
    // The third call's residual Add reads the expand output instead of project's: same count of edges, other wiring.
    const project = members.find((n) => n.name === 'project')!;
    const rewired: Graph = {
      ...g,
      edges: g.edges.map((e) => (e.source === project.id && e.target === residual.id ? { ...e, source: expand.id } : e)),
    };
    const messages = analyze(rewired)
      .diagnostics.filter((d) => d.code === 'block/call')
      .map((d) => d.message);
    expect(messages).toEqual([
      "Block 'res_block' is a further call of a nested model: its layers are not connected as in the first call 'res_block'; a call of a nested model repeats its connections.",
    ]);
  });
});

describe('membersProblem with an index answers as without', () => {
  it('every selection of a graph with a shared layer, a long way round and a cycle-free branch', () => {
    const g = buildGraph('mixed', (b) => {
      const x = b.add('Input', { shape: [8] }, 'x');
      const a = b.add('Dense', { units: 8 }, 'a', [x]);
      const c = b.add('Dense', { units: 8 }, 'c', [a]);
      const d = b.add('Dense', { units: 8 }, 'd', [c]);
      const e = b.add('Add', {}, 'e', [a, d]);
      const f = b.add('Dense', { units: 8 }, 'f', [e]);
      b.add('Concatenate', {}, 'h', [f, c]);
    });
    // 'f2' is a further call of 'a' (a shared layer), on e.
    const aId = g.nodes.find((n) => n.name === 'a')!.id;
    const eId = g.nodes.find((n) => n.name === 'e')!.id;
    const shared: Graph = {
      ...g,
      nodes: [...g.nodes, { id: 'f2', kind: 'Dense', name: 'a', params: g.nodes.find((n) => n.id === aId)!.params, position: { x: 0, y: 0 }, layerOf: aId }],
      edges: [...g.edges, { id: 'ef2', source: eId, target: 'f2' }],
    };
    const ctx = createContext(shared);
    const rank = new Float64Array(shared.nodes.length).fill(Infinity);
    ctx.order.forEach((p, j) => (rank[p] = j));
    const callMap = new Map<string, string[]>();
    for (const n of shared.nodes) callMap.set(layerIdOf(n), [...(callMap.get(layerIdOf(n)) ?? []), n.id]);
    const indexed: MembersIndex = { index: indexGraph(shared), rank, calls: callMap };
    const ids = shared.nodes.map((n) => n.id);
    let problems = 0;
    for (let mask = 1; mask < 1 << ids.length; mask++) {
      const set = ids.filter((_, k) => mask & (1 << k));
      const plain = membersProblem(shared, set, 'blk');
      expect(membersProblem(shared, set, 'blk', new Set(), indexed), set.join(',')).toBe(plain);
      if (plain) problems++;
    }
    // Most selections are refused, each kind of reason among them.
    expect(problems).toBeGreaterThan(100);
  });
});
