/**
 * The validator's pipeline (src/core/validate/passes): each pass reports only the codes it declares, passes
 * only append (a prefix of the pipeline gives a prefix of the diagnostics, and the whole gives `analyze`),
 * and an error is reported once: a node downstream of one, or on a cycle, gets no second error from a later
 * pass. Checked on the property test's random graphs and on mutations of them that break each rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCall, analyze, connect, type Diagnostic, type DiagnosticCode, type Graph } from '../../src/core';
import { createContext, type Context } from '../../src/core/validate/context';
import { PASSES } from '../../src/core/validate/passes';
import { shapesPass } from '../../src/core/validate/passes/shapes';
import { build, recipeArb } from '../property/arbitraries';
import { buildGraph } from '../../src/core/templates/build';

/** Random graphs, each also with a back edge (a cycle), an unknown kind, a duplicate name, a bad parameter, a lost edge and a further call on another tensor. */
function corpus(): Graph[] {
  const out: Graph[] = [];
  fc.sample(recipeArb, { seed: 9, numRuns: 400 }).forEach((r, k) => {
    const g = build(r);
    const n = g.nodes.length;
    const last = g.nodes[n - 1];
    const mid = g.nodes[Math.floor(n / 2)];
    out.push(g);
    if (n > 2) out.push({ ...g, edges: [...g.edges, { id: 'back', source: last.id, target: mid.id }] });
    out.push({ ...g, nodes: g.nodes.map((x) => (x === mid ? { ...x, kind: 'Bogus' } : x)) });
    out.push({ ...g, nodes: g.nodes.map((x) => (x === last ? { ...x, name: g.nodes[0].name } : x)) });
    const key = Object.keys(mid.params)[0];
    if (key) out.push({ ...g, nodes: g.nodes.map((x) => (x === mid ? { ...x, params: { ...x.params, [key]: -7 } } : x)) });
    if (g.edges.length) out.push({ ...g, edges: g.edges.filter((_, j) => j !== k % g.edges.length) });
    // A block holding the first node (an Input) and the last (block/input, or block/structure when apart).
    out.push({ ...g, blocks: [{ id: 'blk', name: 'blk' }], nodes: g.nodes.map((x) => (x === g.nodes[0] || x === last ? { ...x, block: 'blk' } : x)) });
    const layer = g.nodes.find((x) => x.kind !== 'Input');
    const c = layer && addCall(g, layer.id, { x: 0, y: 0 }, 'again');
    if (c?.ok) {
      const e = connect(c.graph, g.nodes[k % n].id, c.id!, 'e_again');
      out.push(e.ok ? e.graph : c.graph);
    }
  });
  return out;
}
const GRAPHS = corpus();

/** Runs the pipeline pass by pass; for each pass, the diagnostics it added. */
function runTraced(g: Graph): { ctx: Context; added: Diagnostic[][]; before: number[] } {
  const ctx = createContext(g);
  const added: Diagnostic[][] = [];
  const before: number[] = [];
  for (const p of PASSES) {
    before.push(ctx.diags.length);
    p.run(ctx);
    added.push(ctx.diags.slice(before[before.length - 1]));
  }
  return { ctx, added, before };
}

describe('the validator as passes', () => {
  it('each pass reports only the codes it declares, and the diagnostic passes all report on this corpus', () => {
    const seen = PASSES.map(() => new Set<DiagnosticCode>());
    for (const g of GRAPHS) {
      const { added } = runTraced(g);
      added.forEach((ds, k) => {
        for (const d of ds) {
          expect(PASSES[k].codes, `${PASSES[k].name} reported ${d.code}: ${d.message}`).toContain(d.code);
          seen[k].add(d.code);
        }
      });
    }
    const silent = PASSES.filter((p, k) => p.codes.length && !['masks', 'training rules', 'totals'].includes(p.name) && seen[k].size === 0);
    expect(silent.map((p) => p.name)).toEqual([]);
  });

  it('a code belongs to one pass, but parameter errors the shapes pass catches and the totals’ size check', () => {
    const owners = new Map<DiagnosticCode, string[]>();
    for (const p of PASSES) for (const c of p.codes) owners.set(c, [...(owners.get(c) ?? []), p.name]);
    const shared = [...owners].filter(([, ps]) => ps.length > 1);
    expect(Object.fromEntries(shared)).toEqual({ 'param/invalid': ['parameters and arity', 'shapes'], 'size/too-large': ['shapes', 'totals'] });
  });

  it('passes only append: the whole pipeline gives analyze’s diagnostics, each pass’s after the ones before', () => {
    for (const g of GRAPHS) {
      const { ctx, added } = runTraced(g);
      expect(added.flat()).toEqual(ctx.diags);
      expect(ctx.diags).toEqual(analyze(g).diagnostics);
    }
  });

  it('the shapes pass computes no node with an earlier error or an input of unknown shape: one mistake, one message', () => {
    let checked = 0;
    for (const g of GRAPHS) {
      const ctx = createContext(g);
      const k = PASSES.indexOf(shapesPass);
      for (const p of PASSES.slice(0, k)) p.run(ctx);
      const flagged = ctx.perNode.map((d) => !!d);
      shapesPass.run(ctx);
      ctx.perNode.forEach((ds, i) => {
        if (!ds || flagged[i]) return;
        checked++;
        expect(ctx.entries[i].inputShapes.every((s) => s !== null)).toBe(true);
        expect(ds).toHaveLength(1);
      });
      // A node with an error of its own before the shapes pass gets no shape, nor does anything it feeds.
      flagged.forEach((f, i) => f && expect(ctx.entries[i].outputShape).toBeNull());
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('a bad parameter upstream gives one error, and the layers after it none', () => {
    const g = buildGraph('m', (b) => {
      let x = b.add('Input', { shape: [8] }, 'x');
      x = b.add('Dense', { units: 0 }, 'bad', [x]);
      x = b.add('Dense', { units: 4 }, 'after', [x]);
      b.add('Reshape', { target_shape: [3, 5] }, 'reshape', [x]);
    });
    const a = analyze(g);
    expect(a.diagnostics.map((d) => [d.code, g.nodes.find((n) => n.id === d.nodeId)?.name])).toEqual([['param/invalid', 'bad']]);
    expect(a.nodes.get(g.nodes[3].id)!.outputShape).toBeNull();
  });

  it('a cycle is reported once per node on it, not also as unreachable or by the shapes pass', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      b.add('Dense', { units: 4 }, 'ok', [x]);
      const p = b.add('Dense', { units: 4 }, 'p', []);
      const q = b.add('Dense', { units: 4 }, 'q', [p]);
      b.add('Dense', { units: 4 }, 'after', [q]);
      return { p, q };
    });
    const p = g.nodes.find((n) => n.name === 'p')!;
    const q = g.nodes.find((n) => n.name === 'q')!;
    const cyclic = { ...g, edges: [...g.edges, { id: 'back', source: q.id, target: p.id }] };
    const { added } = runTraced(cyclic);
    const codes = added.map((ds) => ds.map((d) => d.code));
    expect(codes[PASSES.findIndex((x) => x.name === 'cycles')]).toEqual(['cycle', 'cycle']);
    expect(codes.flat()).toEqual(['cycle', 'cycle']);
  });
});
