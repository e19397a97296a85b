// @vitest-environment jsdom
/**
 * A parameter edit changes no connection (issue 13): the canvas hands React Flow the same edges array, so React Flow
 * does not rebuild its connection lookup and markers for every edge (about 6 ms per edit on a 1,000-layer chain,
 * bench/profile-editor.mjs); a new connection gives a new array. stable.ts's comparisons on their own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup } from '@testing-library/react';
import { type Edge as FlowEdge } from '@xyflow/react';
import { chainLayout, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { sameItems } from '../../src/canvas/stable';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(cleanup);

/** Input (8) → Dense(16) 'hidden' → Dense(4) 'out', and a Dense 'spare' not connected. */
const graph = (): Graph =>
  chainLayout(
    buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'in');
      const h = b.add('Dense', { units: 16 }, 'hidden', [x]);
      b.add('Dense', { units: 4 }, 'out', [h]);
      b.add('Dense', { units: 2 }, 'spare');
    }),
  );

describe('edges handed to React Flow', () => {
  it('a parameter edit keeps the same edges array; a new connection makes a new one', () => {
    const { store } = mountCanvas(graph());
    const edges = (): FlowEdge[] => store().getState().edges;
    const first = edges();
    expect(first).toHaveLength(2);
    const id = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;
    act(() => useEditor.getState().setParam(id('hidden'), 'units', 32));
    expect(useEditor.getState().graph.nodes.find((n) => n.name === 'hidden')!.params.units).toBe(32);
    expect(edges()).toBe(first);
    act(() => void useEditor.getState().connect(id('out'), id('spare'), 0));
    expect(edges()).not.toBe(first);
    expect(edges()).toHaveLength(3);
  });
});

describe('stable.ts', () => {
  it('sameItems compares items by identity and order', () => {
    const a = { x: 1 };
    const b = { x: 1 };
    expect(sameItems([a, b], [a, b])).toBe(true);
    expect(sameItems([a, b], [b, a])).toBe(false);
    expect(sameItems([a], [{ x: 1 }])).toBe(false);
    expect(sameItems([a], [a, b])).toBe(false);
  });
});
