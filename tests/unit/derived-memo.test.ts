/** store/derived.ts: analyses are cached per model, so moving nodes never re-runs them, and per-node results keep their identity while unchanged. */
import { describe, expect, it } from 'vitest';
import { moveNodes, setParam, TEMPLATES, type Graph } from '../../src/core';
import { analysisOf, costOf, edgeShapesOf, equalData, keepEqual, modelOf, nodeCostsOf, nodeInfosOf, nodesById, sameModel } from '../../src/store/derived';

const chain = (): Graph => TEMPLATES.find((t) => t.id === 'product-classifier')!.build();
const moved = (g: Graph, dx: number): Graph => moveNodes(g, new Map(g.nodes.map((n) => [n.id, { x: n.position.x + dx, y: n.position.y }])));

describe('derived data per model', () => {
  it('a graph that differs only in positions is the same model: same analysis, cost and per-node objects', () => {
    const g = chain();
    const a = analysisOf(g);
    const c = costOf(g);
    const infos = nodeInfosOf(g);
    const h = moved(g, 37);
    expect(h).not.toBe(g);
    expect(sameModel(g, h)).toBe(true);
    expect(modelOf(h)).toBe(modelOf(g));
    expect(analysisOf(h)).toBe(a);
    expect(costOf(h)).toBe(c);
    expect(nodeInfosOf(h)).toBe(infos);
  });

  it('a parameter change is a new model; only the changed nodes get new info objects', () => {
    const g = chain();
    const infos = nodeInfosOf(g);
    const costs = nodeCostsOf(g);
    const shapes = edgeShapesOf(g);
    const last = g.nodes[g.nodes.length - 1];
    const dense = g.nodes.find((n) => n.kind === 'Dense' && n.id !== last.id)!;
    const r = setParam(g, dense.id, 'units', Number(dense.params.units) + 1);
    if (!r.ok) throw new Error(r.reason);
    expect(sameModel(g, r.graph)).toBe(false);
    expect(analysisOf(r.graph)).not.toBe(analysisOf(g));
    const after = nodeInfosOf(r.graph);
    // The changed layer's output shape and its reader's count change; the layers before it keep their objects.
    expect(after.get(dense.id)).not.toBe(infos.get(dense.id));
    expect(after.get(dense.id)!.outputShape).toEqual([null, Number(dense.params.units) + 1]);
    const before = g.nodes.slice(0, g.nodes.indexOf(dense));
    expect(before.length).toBeGreaterThan(0);
    for (const n of before) {
      expect(after.get(n.id)).toBe(infos.get(n.id));
      expect(nodeCostsOf(r.graph).get(n.id)).toBe(costs.get(n.id));
    }
    const into = g.edges.find((e) => e.target === dense.id)!;
    const out = g.edges.find((e) => e.source === dense.id)!;
    expect(edgeShapesOf(r.graph).get(into.id)).toBe(shapes.get(into.id));
    expect(edgeShapesOf(r.graph).get(out.id)).not.toBe(shapes.get(out.id));
  });

  it('keepEqual keeps equal values, replaces changed ones; equalData compares plain data', () => {
    const prev = new Map([
      ['a', { s: [1, 2] }],
      ['b', { s: [3] }],
    ]);
    const next = keepEqual(
      prev,
      new Map([
        ['a', { s: [1, 2] }],
        ['b', { s: [4] }],
      ]),
    );
    expect(next.get('a')).toBe(prev.get('a'));
    expect(next.get('b')).toEqual({ s: [4] });
    expect(equalData([null, { x: NaN }], [null, { x: NaN }])).toBe(true);
    expect(equalData({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(equalData([1], { 0: 1 })).toBe(false);
  });

  it('nodesById finds every node of the graph by id', () => {
    const g = chain();
    const m = nodesById(g);
    expect(m.size).toBe(g.nodes.length);
    for (const n of g.nodes) expect(m.get(n.id)).toBe(n);
  });
});
