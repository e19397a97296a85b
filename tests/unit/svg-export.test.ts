// @vitest-environment jsdom
/**
 * File → Export → Diagram as SVG (core `diagramSvg`): a well-formed SVG document of real elements (no HTML in a
 * foreignObject), small, with one box per layer and one arrow per connection, names escaped, and a layer with
 * several outputs drawing each from its own point.
 */
import { describe, expect, it } from 'vitest';
import { analyze, diagramSvg, formatCount, type Graph } from '../../src/core';
import { tpl } from '../helpers/templates';

const parse = (text: string) => new DOMParser().parseFromString(text, 'image/svg+xml');

describe('diagramSvg', () => {
  it.each(['product-classifier', 'purchase-predictor', 'resnet50', 'encoder-decoder'])(
    '%s: well-formed, real SVG elements, one box per layer and one arrow per edge',
    (id) => {
      const g = tpl(id);
      const text = diagramSvg(g, analyze(g), { shapes: true });
      const doc = parse(text);
      expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
      expect(doc.documentElement.tagName).toBe('svg');
      expect(text).not.toMatch(/foreignObject|<div|<span/);
      expect(doc.querySelectorAll('g')).toHaveLength(g.nodes.length);
      expect(doc.querySelectorAll('path[marker-end]')).toHaveLength(g.edges.length);
      const texts = [...doc.querySelectorAll('text')].map((t) => t.textContent ?? '');
      for (const n of g.nodes.filter((x) => x.name.length < 20)) expect(texts).toContain(n.name);
    },
  );

  it('the seed CNN (product classifier) is far under 100 KB and shows its shapes and counts when asked', () => {
    const g = tpl('product-classifier');
    const a = analyze(g);
    const withShapes = diagramSvg(g, a, { shapes: true });
    const without = diagramSvg(g, a, { shapes: false });
    expect(new TextEncoder().encode(withShapes).length).toBeLessThan(100_000);
    expect(withShapes).toContain('(None, 62, 62, 32)');
    const conv = g.nodes.find((n) => n.kind === 'Conv2D')!;
    const w = a.nodes.get(conv.id)!.weights!;
    expect(withShapes).toContain(`${formatCount(w.trainable + w.nonTrainable)} parameters`);
    expect(without).not.toContain('(None, 62, 62, 32)');
    expect(without).not.toContain('parameters');
  });

  it('escapes names: a model named <a & "b"> stays well-formed', () => {
    const g: Graph = { ...tpl('product-classifier'), name: '<a & "b">' };
    const doc = parse(diagramSvg(g, analyze(g), { shapes: true }));
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.querySelector('title')!.textContent).toBe('<a & "b">');
  });

  it("draws each output of an LSTM with return_state from its own point (the encoder's states)", () => {
    const g = tpl('encoder-decoder');
    const doc = parse(diagramSvg(g, analyze(g), { shapes: true }));
    const encoder = g.nodes.find((n) => n.name === 'encoder')!;
    const starts = g.edges
      .map((e, i) => ({ e, d: doc.querySelectorAll('path[marker-end]')[i].getAttribute('d')! }))
      .filter(({ e }) => e.source === encoder.id)
      .map(({ d }) => d.split('C')[0]);
    expect(starts).toHaveLength(2);
    expect(new Set(starts).size).toBe(2);
  });

  it('an empty graph gives a small empty document', () => {
    const g: Graph = { name: 'empty', nodes: [], edges: [] };
    const doc = parse(diagramSvg(g, analyze(g), { shapes: true }));
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.querySelectorAll('g')).toHaveLength(0);
  });
});
