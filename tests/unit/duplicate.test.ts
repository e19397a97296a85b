/**
 * Duplicating a selection (Ctrl+D): the copies get the names `autoName` gives when the layers are added one
 * by one (Keras's first free `dense_N`), the edges among them are copied, and a 5,000-layer selection is
 * copied without the quadratic work the one-by-one version did (the issue 8 route: import 5,000 layers,
 * select all, duplicate). Speed is printed, not asserted.
 */
import { describe, expect, it } from 'vitest';
import { addNode, autoName, duplicate, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { denseChain } from '../helpers/graphs';

/** The reference: add each copy with addNode (autoName over every name so far), as duplicate did before. */
function oneByOne(graph: Graph, ids: readonly string[]): string[] {
  let g = graph;
  const names: string[] = [];
  for (const n of graph.nodes.filter((x) => ids.includes(x.id))) {
    const r = addNode(g, n.kind, n.position, {
      params: n.params,
      name: autoName(
        n.kind,
        g.nodes.map((x) => x.name),
      ),
    });
    g = r.graph;
    names.push(r.node.name);
  }
  return names;
}

describe('duplicate', () => {
  it('names the copies as adding them one by one would, including gaps freed by deletion, and copies the inner edges', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'input_layer');
      const a = b.add('Dense', { units: 3 }, 'dense', [x]);
      const c = b.add('Dense', { units: 2 }, 'dense_2', [a]); // dense_1 is free
      b.add('Dropout', { rate: 0.5 }, 'dropout', [c]);
    });
    const ids = g.nodes.map((n) => n.id);
    const r = duplicate(g, ids);
    const copies = r.graph.nodes.slice(g.nodes.length);
    expect(copies.map((n) => n.name)).toEqual(oneByOne(g, ids));
    expect(copies.map((n) => n.name)).toEqual(['input_layer_1', 'dense_1', 'dense_3', 'dropout_1']);
    expect(copies.map((n) => n.params)).toEqual(g.nodes.map((n) => n.params));
    expect(r.ids).toEqual(copies.map((n) => n.id));
    expect(r.graph.edges).toHaveLength(2 * g.edges.length);
    const byId = new Map(r.graph.nodes.map((n) => [n.id, n.name]));
    expect(r.graph.edges.slice(g.edges.length).map((e) => `${byId.get(e.source)}→${byId.get(e.target)}`)).toEqual([
      'input_layer_1→dense_1',
      'dense_1→dense_3',
      'dense_3→dropout_1',
    ]);
  });

  it('copies a 5,000-layer selection with the same names as one by one, in linear time', () => {
    const small = denseChain(500);
    const smallIds = small.nodes.map((n) => n.id);
    expect(
      duplicate(small, smallIds)
        .graph.nodes.slice(500)
        .map((n) => n.name),
    ).toEqual(oneByOne(small, smallIds));
    const time = (n: number) => {
      const g = denseChain(n);
      const ids = g.nodes.map((x) => x.id);
      const t0 = performance.now();
      const r = duplicate(g, ids);
      const ms = performance.now() - t0;
      expect(r.graph.nodes).toHaveLength(2 * n);
      expect(new Set(r.graph.nodes.map((x) => x.name)).size).toBe(2 * n);
      return ms;
    };
    time(1000); // warm-up
    const t1 = time(1000);
    const t5 = time(5000);
    console.info(`duplicate: 1,000 layers ${t1.toFixed(1)} ms, 5,000 layers ${t5.toFixed(1)} ms (ratio ${(t5 / t1).toFixed(1)}; linear ≈ 5, quadratic ≈ 25)`);
  });
});
