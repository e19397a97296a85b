// @vitest-environment jsdom
/**
 * The left-to-right layout (issue 13): every engine (chain, dagre, layered) can lay a model out left to right —
 * inputs in the left column, each layer right of the layers it reads, no overlaps — and the direction the user picks
 * is kept in the editor store (remembered in this browser, outside the model and its undo history).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { autoLayout, chainLayout, layeredLayout, NODE_SIZE, nodeSize, toElk, TEMPLATES, type Graph } from '../../src/core';
import { LAYOUT_DIRECTION_KEY, readLayoutDirection, useEditor } from '../../src/store/editor';
import { tpl } from '../helpers/templates';

/** Every edge goes rightwards (the target starts right of the source's right edge) and no two nodes overlap. */
function expectLeftToRight(g: Graph) {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const e of g.edges) {
    const s = byId.get(e.source)!;
    const t = byId.get(e.target)!;
    expect(t.position.x, `${s.name} → ${t.name}`).toBeGreaterThanOrEqual(s.position.x + nodeSize(s).width);
  }
  for (const a of g.nodes)
    for (const b of g.nodes) {
      if (a.id >= b.id) continue;
      const [wa, wb] = [nodeSize(a), nodeSize(b)];
      const apart =
        a.position.x + wa.width <= b.position.x ||
        b.position.x + wb.width <= a.position.x ||
        a.position.y + wa.height <= b.position.y ||
        b.position.y + wb.height <= a.position.y;
      expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
    }
}

describe('layout left to right', () => {
  it('autoLayout (dagre) on every template: each layer right of its inputs, no overlaps; Inputs in the left column', () => {
    for (const t of TEMPLATES) {
      const g = autoLayout(t.build(), 'LR');
      expectLeftToRight(g);
      const inputs = g.nodes.filter((n) => n.kind === 'Input');
      const left = Math.min(...g.nodes.map((n) => n.position.x));
      for (const i of inputs) expect(i.position.x, `${t.id}: ${i.name}`).toBe(left);
    }
  });

  it('the purchase predictor: its two inputs one above the other in input order, the merge right of both', () => {
    const g = autoLayout(tpl('purchase-predictor'), 'LR');
    const at = (name: string) => g.nodes.find((n) => n.name === name)!.position;
    expect(at('image_features_input').x).toBe(at('text_features_input').x);
    expect(at('image_features_input').y).toBeLessThan(at('text_features_input').y);
  });

  it('chainLayout puts a chain in one row, NODE_SIZE.width + 56 px apart; top to bottom stays one column', () => {
    const chain = tpl('mnist-mlp');
    const row = chainLayout(chain, 'LR');
    expect(new Set(row.nodes.map((n) => n.position.y)).size).toBe(1);
    const xs = row.nodes.map((n) => n.position.x);
    for (let i = 1; i < xs.length; i++) expect(xs[i] - xs[i - 1]).toBe(NODE_SIZE.width + 56);
    const column = chainLayout(chain);
    expect(new Set(column.nodes.map((n) => n.position.x)).size).toBe(1);
  });

  it('layeredLayout turned a quarter: the same layers as columns, wrapped past maxRow', () => {
    const g = tpl('resnet50');
    const lr = layeredLayout(g, 3, 'LR');
    expectLeftToRight(lr);
    const tb = layeredLayout(g, 3);
    // The number of distinct layer positions is the same either way.
    expect(new Set(lr.nodes.map((n) => n.position.x)).size).toBe(new Set(tb.nodes.map((n) => n.position.y)).size);
  });

  it('ELK is asked for RIGHT when left to right, DOWN otherwise', () => {
    const g = tpl('purchase-predictor');
    expect(toElk(g, 'LR').layoutOptions!['elk.direction']).toBe('RIGHT');
    expect(toElk(g).layoutOptions!['elk.direction']).toBe('DOWN');
  });
});

describe('layout direction in the editor store', () => {
  afterEach(() => {
    localStorage.removeItem(LAYOUT_DIRECTION_KEY);
    useEditor.setState({ layoutDirection: 'TB' });
  });

  it('is set and remembered, and stays out of the undo history', () => {
    useEditor.getState().loadGraph(tpl('purchase-predictor'));
    const past = useEditor.temporal.getState().pastStates.length;
    useEditor.getState().setLayoutDirection('LR');
    expect(useEditor.getState().layoutDirection).toBe('LR');
    expect(localStorage.getItem(LAYOUT_DIRECTION_KEY)).toBe('LR');
    expect(useEditor.temporal.getState().pastStates.length).toBe(past);
    useEditor.getState().setLayoutDirection('TB');
    expect(localStorage.getItem(LAYOUT_DIRECTION_KEY)).toBe('TB');
  });

  it('reads a remembered value: LR when it says so, top to bottom otherwise', () => {
    expect(readLayoutDirection('LR')).toBe('LR');
    expect(readLayoutDirection('TB')).toBe('TB');
    expect(readLayoutDirection(null)).toBe('TB');
    expect(readLayoutDirection('sideways')).toBe('TB');
  });
});
