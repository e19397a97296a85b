import { describe, expect, it } from 'vitest';
import { addCall, analyze, apiPlan, connect, removeNodes, rename, setParam, summarize } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { tpl } from '../helpers/templates';

const siamese = () => tpl('siamese');
const byName = (g: ReturnType<typeof siamese>, name: string) => g.nodes.filter((n) => n.name === name);

describe('shared layers', () => {
  it('the siamese template counts its shared encoder once', () => {
    const g = siamese();
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    // encoder_hidden 64·32+32, encoder_embedding 32·16+16, same 1·1+1; each shared layer once.
    expect(a.totals.total).toBe(64 * 32 + 32 + 32 * 16 + 16 + 2);
    const s = summarize(g, a);
    const enc = s.rows.find((r) => r.name === 'encoder_hidden')!;
    expect(enc.calls).toBe(2);
    expect(enc.params).toBe(64 * 32 + 32);
    expect(enc.connectedTo).toEqual(['left[0][0]', 'right[0][0]']);
    expect(s.rows.find((r) => r.name === 'encoder_embedding')!.connectedTo).toEqual(['encoder_hidden[0][0]', 'encoder_hidden[1][0]']);
    expect(s.rows.find((r) => r.name === 'cosine')!.connectedTo).toEqual(['encoder_embedding[0][0]', 'encoder_embedding[1][0]']);
    expect(s.rows.filter((r) => r.name === 'encoder_hidden')).toHaveLength(1);
  });

  it('makes Sequential impossible, saying why', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'x');
      const d = b.add('Dense', { units: 4 }, 'd', [x]);
      b.call(d, [d]);
    });
    const plan = apiPlan(g);
    expect(plan.kind).toBe('functional');
    if (plan.kind === 'functional') expect(plan.reason).toMatch(/'d' is a shared layer, called 2 times/);
    expect(analyze(g).diagnostics).toEqual([]);
  });

  it('edits parameters and the name once for every call', () => {
    const g = siamese();
    const call = byName(g, 'encoder_hidden')[1];
    const r = setParam(g, call.id, 'units', 8);
    if (!r.ok) throw new Error(r.reason);
    expect(byName(r.graph, 'encoder_hidden').map((n) => n.params.units)).toEqual([8, 8]);
    const r2 = rename(r.graph, call.id, 'enc');
    if (!r2.ok) throw new Error(r2.reason);
    expect(byName(r2.graph, 'enc')).toHaveLength(2);
    expect(analyze(r2.graph).diagnostics).toEqual([]);
    expect(rename(r2.graph, call.id, 'left').ok).toBe(false);
  });

  it('checks every call against the one set of weights', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [8] }, 'x');
      const y = b.add('Input', { shape: [5] }, 'y');
      const d = b.add('Dense', { units: 4 }, 'd', [x]);
      b.call(d, [y]);
    });
    const d = analyze(g).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['shared/incompatible']);
    expect(d[0].message).toMatch(/'d' is a shared layer: this call on \(None, 5\) would need 24 weights, but its weights \(36\) were made for \(None, 8\)/);
  });

  it('deleting the owner keeps the layer: the next call becomes the owner', () => {
    const g = siamese();
    const [owner, call] = byName(g, 'encoder_hidden');
    const g2 = removeNodes(g, [owner.id]);
    const left = byName(g2, 'encoder_hidden');
    expect(left).toHaveLength(1);
    expect(left[0].id).toBe(call.id);
    expect(left[0].layerOf).toBeUndefined();
    expect(byName(g2, 'encoder_embedding').every((n) => n.layerOf === undefined || g2.nodes.some((m) => m.id === n.layerOf))).toBe(true);
  });

  it('an Input cannot be called again', () => {
    const g = siamese();
    expect(addCall(g, byName(g, 'left')[0].id, { x: 0, y: 0 }).ok).toBe(false);
  });

  it('a call is connected like any layer and refuses a cycle', () => {
    const g = siamese();
    const call = byName(g, 'encoder_embedding')[1];
    expect(connect(g, call.id, byName(g, 'encoder_hidden')[1].id).ok).toBe(false);
  });
});
