// @vitest-environment jsdom
/**
 * Deleting or adding a layer keeps the minimap colour function (issue 13): React Flow redraws every minimap node when
 * that function changes (999 on a 1,000-layer chain, about 10 ms of each delete in bench/profile-editor.mjs); the
 * function still answers the right colour for a layer added after it was made, and a layer whose kind (so colour)
 * changes gives a new function.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { ReactFlowProvider, type Node as FlowNode } from '@xyflow/react';
import { chainLayout, emptyGraph, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { useView } from '../../src/canvas/view';
import { keptColors } from '../../src/canvas/stable';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

/** Every nodeColor prop the canvas handed the minimap, in order. */
const seen: ((n: FlowNode) => string)[] = [];
vi.mock('@xyflow/react', async (importOriginal) => {
  const orig = await importOriginal<typeof import('@xyflow/react')>();
  return {
    ...orig,
    MiniMap: (p: { nodeColor: (n: FlowNode) => string }) => {
      seen.push(p.nodeColor);
      return null;
    },
  };
});
const { Canvas } = await import('../../src/canvas/Canvas');

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(cleanup);

/** Input (8) → Dense(16) 'hidden' → BatchNormalization 'drop' → Dense(4) 'out'. */
const graph = (): Graph =>
  chainLayout(
    buildGraph('chain', (b) => {
      const x = b.add('Input', { shape: [8] }, 'in');
      const h = b.add('Dense', { units: 16 }, 'hidden', [x]);
      const d = b.add('BatchNormalization', {}, 'drop', [h]);
      b.add('Dense', { units: 4 }, 'out', [d]);
    }),
  );

describe('minimap colours', () => {
  it('a delete and an added layer keep the colour function, which answers the new layer; a changed kind makes a new one', () => {
    useView.setState({ minimap: true });
    useEditor.setState({ graph: emptyGraph(), selection: { nodes: [], edges: [] } });
    render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
      </div>,
    );
    act(() => useEditor.setState({ graph: graph() }));
    const id = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;
    const fn = seen[seen.length - 1];
    const colourOf = (name: string) => fn({ id: id(name), position: { x: 0, y: 0 }, data: {} });
    const dense = colourOf('hidden');
    const dropout = colourOf('drop');
    expect(dense).not.toBe(dropout);
    // Delete 'drop'.
    act(() => {
      useEditor.setState({ selection: { nodes: [id('drop')], edges: [] } });
      useEditor.getState().removeSelection();
    });
    expect(useEditor.getState().graph.nodes.map((n) => n.name)).not.toContain('drop');
    expect(seen[seen.length - 1]).toBe(fn);
    // Add a BatchNormalization layer: same function, and it knows the new layer's colour.
    let added = '';
    act(() => void (added = useEditor.getState().addLayer('BatchNormalization', { x: 400, y: 400 })));
    expect(seen[seen.length - 1]).toBe(fn);
    expect(fn({ id: added, position: { x: 0, y: 0 }, data: {} })).toBe(dropout);
    expect(colourOf('hidden')).toBe(dense);
    // A layer that changes colour (Dense → BatchNormalization) gives a new function.
    act(() =>
      useEditor.setState({
        graph: {
          ...useEditor.getState().graph,
          nodes: useEditor.getState().graph.nodes.map((n) => (n.name === 'hidden' ? { ...n, kind: 'BatchNormalization', params: {} } : n)),
        },
      }),
    );
    const next = seen[seen.length - 1];
    expect(next).not.toBe(fn);
    expect(next({ id: id('hidden'), position: { x: 0, y: 0 }, data: {} })).toBe(dropout);
  });

  it('keptColors: true when keys are only added or removed, false when a kept key changes value', () => {
    const m = (e: [string, string][]) => new Map(e);
    expect(
      keptColors(
        m([
          ['a', 'red'],
          ['b', 'blue'],
        ]),
        m([['a', 'red']]),
      ),
    ).toBe(true);
    expect(
      keptColors(
        m([['a', 'red']]),
        m([
          ['a', 'red'],
          ['c', 'green'],
        ]),
      ),
    ).toBe(true);
    expect(keptColors(m([['a', 'red']]), m([['a', 'blue']]))).toBe(false);
  });
});
