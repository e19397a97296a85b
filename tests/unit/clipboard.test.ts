/**
 * Copy and paste as text (core/graph/clipboard.ts) and the canvas gestures of core/graph/editing.ts: the round trip
 * keeps kinds, parameters, edges (with the output index of a layer with several outputs, and merge input order),
 * relative positions and shared calls; names are made unique; malformed text is refused with a reason; an edge is
 * split by an inserted layer or the insertion refused with the validator's reason; upstream / downstream closures.
 */
import { describe, expect, it } from 'vitest';
import { addCall, analyze, templateById, type Graph } from '../../src/core';
import { copyToText, pasteContent, readClipboardText, type ClipboardContent } from '../../src/core/graph/clipboard';
import { downstreamOf, insertOnEdge, ROW_GAP, upstreamOf } from '../../src/core/graph/editing';
import { denseChain, structure } from '../helpers/graphs';

const template = (id: string): Graph => templateById(id)!.build();
const read = (text: string): ClipboardContent => {
  const r = readClipboardText(text);
  if (!r.ok) throw new Error(r.reason);
  return r.content;
};
const all = (g: Graph) => g.nodes.map((n) => n.id);

describe('copy → paste round trip', () => {
  it.each(['siamese', 'encoder-decoder', 'inception-module', 'purchase-predictor'])('%s pasted into an empty canvas is the same model', (id) => {
    const g = template(id);
    const text = copyToText(g, all(g))!;
    const r = readClipboardText(text);
    expect(r.ok && r.notes).toEqual([]);
    const pasted = pasteContent({ name: 'other', nodes: [], edges: [] }, read(text), { at: { x: 0, y: 0 } }).graph;
    // Same kinds, parameters, names (all free in an empty canvas) and inputs, in order, with output indices.
    expect(structure(pasted)).toEqual(structure(g));
    // Shared calls stay calls of one layer: the analysis counts what it counted for the original.
    expect(analyze(pasted).totals).toEqual(analyze(g).totals);
    expect(pasted.nodes.filter((n) => n.layerOf).length).toBe(g.nodes.filter((n) => n.layerOf).length);
    // Relative positions kept: every offset from the first node is the same.
    const rel = (x: Graph) => x.nodes.map((n) => [n.position.x - x.nodes[0].position.x, n.position.y - x.nodes[0].position.y]);
    expect(rel(pasted)).toEqual(rel(g));
  });

  it('keeps the output index of an edge reading a state of an LSTM', () => {
    const g = template('encoder-decoder');
    expect(g.edges.some((e) => e.output)).toBe(true);
    const pasted = pasteContent(g, read(copyToText(g, all(g))!));
    const outputsOf = (x: Graph, ids: Set<string>) =>
      x.edges
        .filter((e) => ids.has(e.target))
        .map((e) => e.output ?? 0)
        .sort();
    expect(outputsOf(pasted.graph, new Set(pasted.nodes))).toEqual(outputsOf(g, new Set(all(g))));
  });

  it('pasting into the same graph gives new ids and unique names, shapes of the copies as the originals', () => {
    const g = denseChain(4);
    const ids = ['n1', 'n2', 'n3'];
    const r = pasteContent(g, read(copyToText(g, ids)!));
    expect(r.nodes).toHaveLength(3);
    expect(r.edges).toHaveLength(2); // n1→n2, n2→n3; the edge from the Input is outside the selection
    const names = r.graph.nodes.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(r.nodes.every((id) => !g.nodes.some((n) => n.id === id))).toBe(true);
    // Copies of dense, dense_1, dense_2 take the first free Keras names.
    expect(r.nodes.map((id) => r.graph.nodes.find((n) => n.id === id)!.name)).toEqual(['dense_3', 'dense_4', 'dense_5']);
    expect(analyze(r.graph).diagnostics.filter((d) => d.code === 'name/duplicate')).toEqual([]);
  });

  it('keeps a free custom name and numbers a taken one', () => {
    const g: Graph = { ...denseChain(2), nodes: denseChain(2).nodes.map((n) => (n.id === 'n1' ? { ...n, name: 'encoder' } : n)) };
    const text = copyToText(g, ['n1'])!;
    const into = pasteContent(g, read(text));
    expect(into.graph.nodes.find((n) => n.id === into.nodes[0])!.name).toBe('encoder_1');
    const elsewhere = pasteContent(denseChain(1), read(text));
    expect(elsewhere.graph.nodes.find((n) => n.id === elsewhere.nodes[0])!.name).toBe('encoder');
  });

  it('places the copies with their top-left at the pointer, or offset from the copied place (never on top of a layer)', () => {
    const g = denseChain(3);
    const moved: Graph = { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 100 + i * 10, y: 50 + i * 100 } })) };
    const text = copyToText(moved, ['n1', 'n2'])!;
    const at = pasteContent(moved, read(text), { at: { x: 500, y: 700 } });
    expect(at.nodes.map((id) => at.graph.nodes.find((n) => n.id === id)!.position)).toEqual([
      { x: 500, y: 700 },
      { x: 510, y: 800 },
    ]);
    const once = pasteContent(moved, read(text));
    const twice = pasteContent(once.graph, read(text));
    const pos = (r: typeof once) => r.nodes.map((id) => r.graph.nodes.find((n) => n.id === id)!.position);
    expect(pos(once)).toEqual([
      { x: 150, y: 190 },
      { x: 160, y: 290 },
    ]);
    expect(pos(twice)).toEqual([
      { x: 190, y: 230 },
      { x: 200, y: 330 },
    ]);
  });

  it('a shared layer whose owner is not copied becomes one new layer shared among the copied calls', () => {
    const g0 = template('siamese');
    const owner = g0.nodes.find((n) => g0.nodes.some((m) => m.layerOf === n.id))!;
    const more = addCall(g0, owner.id, { x: 900, y: 900 });
    if (!more.ok) throw new Error(more.reason);
    const g = more.graph;
    const calls = g.nodes.filter((n) => n.layerOf === owner.id);
    const r = pasteContent(
      g,
      read(
        copyToText(
          g,
          calls.map((c) => c.id),
        )!,
      ),
    );
    const copies = r.nodes.map((id) => r.graph.nodes.find((n) => n.id === id)!);
    expect(copies).toHaveLength(2);
    expect(copies[0].layerOf).toBeUndefined();
    expect(copies[1].layerOf).toBe(copies[0].id);
    expect(copies.every((c) => c.name === copies[0].name && c.name !== owner.name)).toBe(true);
    expect(copies.every((c) => c.params === copies[0].params || JSON.stringify(c.params) === JSON.stringify(owner.params))).toBe(true);
    // The original layer keeps its calls.
    expect(r.graph.nodes.filter((n) => n.layerOf === owner.id)).toHaveLength(calls.length);
  });
});

describe('clipboard text that is refused', () => {
  const good = JSON.parse(copyToText(denseChain(3), ['n1', 'n2'])!) as Record<string, unknown>;
  const refused = (text: string) => {
    const r = readClipboardText(text);
    expect(r.ok).toBe(false);
    const reason = r.ok ? '' : r.reason;
    expect(reason).not.toMatch(/NaN|undefined|\[object Object\]|function Object/);
    return reason;
  };
  it('says why, naming where', () => {
    expect(refused('')).toMatch(/clipboard is empty/);
    expect(refused('hello')).toMatch(/not JSON/);
    expect(refused('{"format":"something"}')).toMatch(/"format" should be "layerlab-clipboard"/);
    expect(refused(JSON.stringify({ ...good, version: 99 }))).toMatch(/newer Layerlab \(clipboard version 99/);
    expect(refused(JSON.stringify({ ...good, nodes: 'oops' }))).toMatch(/list of "nodes"/);
    expect(refused(JSON.stringify({ ...good, nodes: [] }))).toMatch(/holds no layers/);
    const nodes = good.nodes as Record<string, unknown>[];
    expect(refused(JSON.stringify({ ...good, nodes: [{ ...nodes[0], position: { x: 'left', y: 0 } }] }))).toBe(
      'The clipboard text is malformed at nodes.0.position.x: must be a finite number',
    );
    expect(refused(JSON.stringify({ ...good, nodes: [{ ...nodes[0], kind: 'Quantum' }] }))).toMatch(/unknown kind "Quantum" \(layer "dense"\)/);
    expect(refused(JSON.stringify({ ...good, projectVersion: 999 }))).toMatch(/project version 999/);
  });
  it('recognises a whole project or a Keras model JSON', () => {
    const p = readClipboardText('{"format":"layerlab-project","version":3,"graph":{"name":"m","nodes":[],"edges":[]}}');
    expect(!p.ok && p.whole).toBe('project');
    const k = readClipboardText('{"class_name":"Sequential","config":{"layers":[]}}');
    expect(!k.ok && k.whole).toBe('keras');
  });
  it('repairs what the project reader repairs, with a note', () => {
    const nodes = (good.nodes as Record<string, unknown>[]).map((n, i) => (i === 0 ? { ...n, params: { units: 8 } } : n));
    const r = readClipboardText(JSON.stringify({ ...good, nodes }));
    expect(r.ok).toBe(true);
    expect(r.ok && r.notes[0]).toMatch(/^nodes\.0\.params\.activation: missing; layer 'dense' gets Dense's default/);
  });
});

describe('insert a layer on an edge', () => {
  it('splits source → new → target, keeping the output index and the merge input order', () => {
    const g = template('inception-module');
    // An edge into the Concatenate that is not its first input.
    const concat = g.nodes.find((n) => n.kind === 'Concatenate')!;
    const into = g.edges.filter((e) => e.target === concat.id);
    const second = into[1];
    const r = insertOnEdge(g, second.id, 'Dropout');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const after = r.graph.edges.filter((e) => e.target === concat.id);
    expect(after.map((e) => e.source)).toEqual(into.map((e, i) => (i === 1 ? r.id : e.source)));
    expect(r.graph.edges.some((e) => e.source === second.source && e.target === r.id)).toBe(true);
    // Dropout changes no shape: the model's totals and output shapes are unchanged, and no error.
    expect(analyze(r.graph).totals).toEqual(analyze(g).totals);
    expect(analyze(r.graph).valid).toBe(true);
  });
  it('makes room: below the source, and the target and what it feeds move down when the new layer would cover them', () => {
    const spread = (gap: number): Graph => {
      const g = denseChain(4);
      return { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * gap } })) };
    };
    const r = insertOnEdge(spread(150), 'e2', 'Dropout', { x: 0, y: 200 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const y = (id: string) => r.graph.nodes.find((n) => n.id === id)!.position.y;
    // Asked for 200, only 50 below n1 (at 150): placed ROW_GAP below it.
    expect([y('n0'), y('n1'), y(r.id)]).toEqual([0, 150, 150 + ROW_GAP]);
    // n2 was at 300, less than ROW_GAP below the new layer: it and n3 move down by the same amount.
    expect(y('n2')).toBe(150 + 2 * ROW_GAP);
    expect(y('n3') - y('n2')).toBe(150);
    // Room enough already: the new layer goes where asked and nothing moves.
    const wide = insertOnEdge(spread(400), 'e2', 'Dropout', { x: 0, y: 560 });
    expect(wide.ok && wide.graph.nodes.map((n) => n.position.y)).toEqual([0, 400, 800, 1200, 560]);
  });

  it('reads the same output of a layer with several', () => {
    const g = template('encoder-decoder');
    const state = g.edges.find((e) => e.output)!;
    const r = insertOnEdge(g, state.id, 'Dense');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.graph.edges.find((e) => e.target === r.id)!.output).toBe(state.output);
  });
  it('is refused with the reason when the kind cannot take the tensor', () => {
    const g = denseChain(3);
    const r = insertOnEdge(g, 'e2', 'Conv2D');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^Conv2D cannot go on the connection dense → dense_1: .*conv2d/);
    expect(!r.ok && r.reason).not.toMatch(/NaN|undefined|\[object Object\]/);
    expect(insertOnEdge(g, 'e2', 'Input')).toEqual({ ok: false, reason: 'Input takes no input, so it cannot be inserted on a connection.' });
    expect(insertOnEdge(g, 'nope', 'Dense')).toEqual({ ok: false, reason: 'That connection no longer exists.' });
  });
});

describe('upstream / downstream', () => {
  it('gives the ancestors or descendants with the nodes themselves, in graph order', () => {
    const g = denseChain(5);
    expect(upstreamOf(g, ['n2'])).toEqual(['n0', 'n1', 'n2']);
    expect(downstreamOf(g, ['n2'])).toEqual(['n2', 'n3', 'n4']);
    expect(downstreamOf(g, ['n4', 'missing'])).toEqual(['n4']);
  });
  it('follows branches (inception module: everything is downstream of the Input)', () => {
    const g = template('inception-module');
    const input = g.nodes.find((n) => n.kind === 'Input')!;
    expect(downstreamOf(g, [input.id])).toEqual(all(g));
    const last = analyze(g).outputs[0];
    expect(upstreamOf(g, [last])).toEqual(all(g));
  });
});
