// @vitest-environment jsdom
/**
 * Handles follow the layout direction (issue 13, View ▸ Layout left to right; editor store `layoutDirection`):
 * top to bottom, inputs on the node's top and outputs at its bottom; left to right, inputs on the left side and every
 * output (an LSTM with return_state has three) on the right, so edges leave and enter sideways (their first control
 * point is level with the source); the same in the far form (canvas/lod.ts). React Flow runs in jsdom with the
 * layout APIs it needs mocked (tests/helpers/reactFlowDom.ts).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { buildGraph } from '../../src/core/templates/build';
import { chainLayout, type Graph, type LayoutDirection } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { FAR_ZOOM } from '../../src/canvas/lod';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(() => {
  cleanup();
  useEditor.setState({ layoutDirection: 'TB' });
});

/** Input (5, 8) → LSTM(16, return_state) → Dense(3) on the sequence output. */
const graph = (direction: LayoutDirection): Graph =>
  chainLayout(
    buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [5, 8] }, 'in');
      const l = b.add('LSTM', { units: 16, return_state: true }, 'encoder', [x]);
      b.add('Dense', { units: 3 }, 'head', [l]);
    }),
    direction,
  );

function show(direction: LayoutDirection) {
  useEditor.setState({ layoutDirection: direction });
  return mountCanvas(graph(direction));
}

/** The side class React Flow gives each handle of a node ('top', 'bottom', 'left', 'right'), targets then sources. */
function sides(name: string) {
  const side = (h: Element) => [...h.classList].find((c) => /^react-flow__handle-(top|bottom|left|right)$/.test(c))!.slice('react-flow__handle-'.length);
  const el = screen.getByTestId(`node-${name}`);
  return {
    targets: [...el.querySelectorAll('.react-flow__handle.target')].map(side),
    sources: [...el.querySelectorAll('.react-flow__handle.source')].map(side),
  };
}

/** For each edge path `M sx,sy C c1x,c1y …`: whether the curve leaves its source sideways (c1y = sy) or downwards (c1x = sx). */
function leaving(container: HTMLElement): string[] {
  return [...container.querySelectorAll('.react-flow__edge-path')].map((p) => {
    const n = (p.getAttribute('d') ?? '').match(/-?[\d.]+/g)!.map(Number);
    const [sx, sy, c1x, c1y] = n;
    return c1y === sy && c1x !== sx ? 'sideways' : c1x === sx && c1y !== sy ? 'down' : `other ${n.slice(0, 4).join(',')}`;
  });
}

describe('handles and the layout direction', () => {
  it('top to bottom: inputs on top, outputs at the bottom, edges leave downwards', () => {
    const { container } = show('TB');
    expect(sides('encoder')).toEqual({ targets: ['top'], sources: ['bottom', 'bottom', 'bottom'] });
    expect(sides('head')).toEqual({ targets: ['top'], sources: ['bottom'] });
    expect(leaving(container)).toEqual(['down', 'down']);
  });

  it('left to right: inputs on the left, every output on the right, edges leave sideways', () => {
    const { container } = show('LR');
    expect(sides('in')).toEqual({ targets: [], sources: ['right'] });
    expect(sides('encoder')).toEqual({ targets: ['left'], sources: ['right', 'right', 'right'] });
    expect(sides('head')).toEqual({ targets: ['left'], sources: ['right'] });
    expect(leaving(container)).toEqual(['sideways', 'sideways']);
    // The output names and shapes stay on the node, one row each.
    expect(screen.getByTestId('node-encoder').querySelector('.layer-node__outputs--lr')).not.toBeNull();
  });

  it('left to right in the far form: the same sides', () => {
    const { zoom } = show('LR');
    zoom(FAR_ZOOM / 2);
    expect(screen.getByTestId('node-encoder').classList.contains('layer-node--far')).toBe(true);
    expect(sides('encoder')).toEqual({ targets: ['left'], sources: ['right', 'right', 'right'] });
  });

  it('switching the direction moves the handles of the nodes already drawn, and React Flow measures them again', async () => {
    const { container } = show('TB');
    expect(leaving(container)).toEqual(['down', 'down']);
    act(() => useEditor.setState({ layoutDirection: 'LR' }));
    expect(sides('head')).toEqual({ targets: ['left'], sources: ['right'] });
    // The edges follow once React Flow has measured the handles again (a microtask, then its animation frame).
    await waitFor(() => expect(leaving(container)).toEqual(['sideways', 'sideways']));
  });
});
