// @vitest-environment jsdom
/**
 * Level of detail (issue 13, canvas/lod.ts): below FAR_ZOOM a node is drawn as a box of the layout's size with its
 * name only (no shape, no cost bars) and an edge without its shape label, keeping the nodes' test ids and the handles
 * the edges attach to; at a readable zoom, and while the PNG export forces detail, everything is drawn in full.
 * React Flow runs in jsdom with the layout APIs it needs mocked (tests/helpers/reactFlowDom.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup } from '@testing-library/react';
import { chainLayout, nodeSize, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { FAR_ZOOM } from '../../src/canvas/lod';
import { useView } from '../../src/canvas/view';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(() => {
  cleanup();
  useView.setState({ forceDetail: false });
});

/** Input (8) → Dense(16) → Dense(4), laid out as a column. */
const chain = (): Graph =>
  chainLayout(
    buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'in');
      const h = b.add('Dense', { units: 16 }, 'hidden', [x]);
      b.add('Dense', { units: 4 }, 'out', [h]);
    }),
  );

/** Mounts the canvas (zoom 1) on `graph`; returns the container and React Flow's instance. */
function mount(graph: Graph) {
  return mountCanvas(graph);
}

const q = (c: Element, sel: string) => c.querySelectorAll(sel).length;

describe('far form below FAR_ZOOM', () => {
  it('at a readable zoom every node shows its shape and cost, every edge its label', () => {
    const { container } = mount(chain());
    expect(q(container, '.layer-node')).toBe(3);
    expect(q(container, '.layer-node--far')).toBe(0);
    expect(q(container, '[data-testid="node-shape"]')).toBe(3);
    expect(q(container, '[data-testid="node-params"]')).toBe(2);
    expect(q(container, '[data-testid="edge-label"]')).toBe(2);
    expect(q(container, '.react-flow__edge-interaction')).toBe(2);
    expect(q(container, '.react-flow__edge-path[marker-end]')).toBe(2);
  });

  it('below FAR_ZOOM: boxes of the layout size with the name, same test ids and handles, no labels', () => {
    const { container, zoom } = mount(chain());
    const handles = q(container, '.react-flow__handle');
    zoom(FAR_ZOOM * 0.9);
    expect(q(container, '.layer-node--far')).toBe(3);
    expect(q(container, '[data-testid="node-shape"]')).toBe(0);
    expect(q(container, '[data-testid="node-params"]')).toBe(0);
    expect(q(container, '[data-testid="edge-label"]')).toBe(0);
    expect(q(container, '.react-flow__handle')).toBe(handles);
    const hidden = container.querySelector<HTMLElement>('[data-testid="node-hidden"]')!;
    expect(hidden.classList.contains('layer-node--far')).toBe(true);
    expect(hidden.textContent).toBe('hidden');
    const size = nodeSize({ kind: 'Dense', params: {} });
    expect([hidden.style.width, hidden.style.height]).toEqual([`${size.width}px`, `${size.height}px`]);
    // Edges are still drawn (their paths); the labels, arrowheads and wider click paths go.
    expect(q(container, '.react-flow__edge-path')).toBe(2);
    expect(q(container, '.react-flow__edge-interaction')).toBe(0);
    expect(q(container, '.react-flow__edge-path[marker-end]')).toBe(0);
  });

  it('back above FAR_ZOOM the full form returns; the PNG export (forceDetail) draws it at any zoom', () => {
    const { container, zoom } = mount(chain());
    zoom(FAR_ZOOM / 10);
    expect(q(container, '.layer-node--far')).toBe(3);
    zoom(FAR_ZOOM * 1.1);
    expect(q(container, '.layer-node--far')).toBe(0);
    expect(q(container, '[data-testid="edge-label"]')).toBe(2);
    zoom(FAR_ZOOM / 10);
    act(() => useView.getState().setForceDetail(true));
    expect(q(container, '.layer-node--far')).toBe(0);
    expect(q(container, '[data-testid="node-shape"]')).toBe(3);
    expect(q(container, '[data-testid="edge-label"]')).toBe(2);
  });
});
