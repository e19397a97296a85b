/**
 * Layouts that can neither hang nor overflow the stack: the column layout of chains and the iterative
 * layered layout, on the sizes the importer accepts (5,000 layers) and a 4,000-input merge. Times are
 * printed (figures, not assertions, beyond a generous bound).
 */
import { describe, expect, it } from 'vitest';
import { autoLayout, chainLayout, isChain, layeredLayout, NODE_SIZE, type Edge, type Graph, type LayerNode } from '../../src/core';
import { denseChain, node } from '../helpers/graphs';
import { tpl } from '../helpers/templates';

/** `k` Inputs (or `k` Dense branches off one Input) into one Concatenate, then a Dense. */
function merge(k: number, branches: boolean): Graph {
  const nodes: LayerNode[] = [];
  const edges: Edge[] = [];
  if (branches) nodes.push(node('in', 'Input', { shape: [4] }));
  for (let i = 0; i < k; i++) {
    nodes.push(branches ? node(`b${i}`, 'Dense', { units: 2 }) : node(`b${i}`, 'Input', { shape: [2] }));
    if (branches) edges.push({ id: `i${i}`, source: 'in', target: `b${i}` });
  }
  nodes.push(node('cat', 'Concatenate'), node('out', 'Dense', { units: 1 }));
  for (let i = 0; i < k; i++) edges.push({ id: `c${i}`, source: `b${i}`, target: 'cat' });
  edges.push({ id: 'o', source: 'cat', target: 'out' });
  return { name: 'merge', nodes, edges };
}

/** Every node strictly below each node it reads, and no two nodes overlapping (a hash grid: linear). */
function expectSound(g: Graph, laid: Graph) {
  const pos = new Map(laid.nodes.map((n) => [n.id, n.position]));
  expect(laid.nodes.length).toBe(g.nodes.length);
  for (const n of laid.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y)).toBe(true);
  for (const e of g.edges) expect(pos.get(e.target)!.y, `${e.target} below ${e.source}`).toBeGreaterThanOrEqual(pos.get(e.source)!.y + NODE_SIZE.height);
  const cell = new Map<string, string[]>();
  const key = (cx: number, cy: number) => `${cx},${cy}`;
  for (const n of laid.nodes) {
    const cx = Math.floor(n.position.x / NODE_SIZE.width);
    const cy = Math.floor(n.position.y / NODE_SIZE.height);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const other of cell.get(key(cx + dx, cy + dy)) ?? []) {
          const p = pos.get(other)!;
          const apart = Math.abs(p.x - n.position.x) >= NODE_SIZE.width || Math.abs(p.y - n.position.y) >= NODE_SIZE.height;
          expect(apart, `${n.id} overlaps ${other}`).toBe(true);
        }
    const k = key(cx, cy);
    cell.set(k, [...(cell.get(k) ?? []), n.id]);
  }
}

const timed = <T>(label: string, f: () => T): T => {
  const t0 = performance.now();
  const r = f();
  console.log(`${label}: ${(performance.now() - t0).toFixed(1)} ms`);
  return r;
};

describe('layouts that cannot hang or crash', () => {
  it('lays out a 5,000-layer chain as a column, in linear time (dagre overflowed the stack here)', () => {
    const g = denseChain(5000);
    expect(isChain(g)).toBe(true);
    const laid = timed('autoLayout, 5,000-layer chain', () => autoLayout(g));
    expectSound(g, laid);
    expect(new Set(laid.nodes.map((n) => n.position.x)).size).toBe(1);
    const t0 = performance.now();
    expectSound(g, chainLayout(g));
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('lays out a 4,000-input Concatenate and a 3,997-branch merge without overlaps, wide layers wrapped', () => {
    for (const [k, branches] of [
      [4000, false],
      [3997, true],
    ] as const) {
      const g = merge(k, branches);
      expect(isChain(g)).toBe(false);
      const laid = timed(`layeredLayout, ${k}-input merge${branches ? ' (branches)' : ''}`, () => layeredLayout(g));
      expectSound(g, laid);
      const xs = laid.nodes.map((n) => n.position.x);
      // Wrapped at MAX_ROW nodes: the drawing stays about as wide as 40 nodes, not 4,000.
      expect(Math.max(...xs) - Math.min(...xs)).toBeLessThan(41 * (NODE_SIZE.width + 50));
      expectSound(
        g,
        timed(`autoLayout, ${k}-input merge`, () => autoLayout(g)),
      );
    }
  });

  it('lays out a 5,000-layer residual network (a skip into an Add every 3 layers) past dagre and ELK', () => {
    const nodes = [node('n0', 'Input', { shape: [8] })];
    const edges: Edge[] = [];
    let skip = 'n0';
    for (let i = 1; i < 5000; i++) {
      const add = i % 3 === 0;
      nodes.push(node(`n${i}`, add ? 'Add' : 'Dense', add ? {} : { units: 8 }));
      edges.push({ id: `e${i}`, source: `n${i - 1}`, target: `n${i}` });
      if (add) {
        edges.push({ id: `s${i}`, source: skip, target: `n${i}` });
        skip = `n${i}`;
      }
    }
    const g: Graph = { name: 'res', nodes, edges };
    expect(isChain(g)).toBe(false);
    expectSound(
      g,
      timed('autoLayout, 5,000-layer residual network', () => autoLayout(g)),
    );
  });

  it('the layered layout keeps Inputs on top, branches under their stems and merge inputs in input order', () => {
    const g = layeredLayout(tpl('purchase-predictor'));
    expectSound(tpl('purchase-predictor'), g);
    const at = (name: string) => g.nodes.find((n) => n.name === name)!.position;
    expect(at('image_features_input').y).toBe(at('text_features_input').y);
    expect(Math.min(...g.nodes.map((n) => n.position.y))).toBe(at('image_features_input').y);
    expect(at('dense_image_2').x).toBeLessThan(at('dense_text_2').x);
  });

  it('places every node of a graph with a cycle, and 5,000 unconnected Inputs', () => {
    const g = denseChain(6);
    const cyc: Graph = { ...g, edges: [...g.edges, { id: 'back', source: 'n5', target: 'n2' }] };
    const laid = layeredLayout(cyc);
    expect(laid.nodes.every((n) => Number.isFinite(n.position.y))).toBe(true);
    expect(new Set(laid.nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(6);
    const lone: Graph = { name: 'lone', nodes: Array.from({ length: 5000 }, (_, i) => node(`n${i}`, 'Input', { shape: [1] })), edges: [] };
    expectSound(
      lone,
      timed('autoLayout, 5,000 unconnected Inputs', () => autoLayout(lone)),
    );
  });
});
