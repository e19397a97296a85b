// @vitest-environment jsdom
/**
 * What keeps the canvas fast on big models (issue 13; figures in README's Performance section, bench/editor.mjs):
 * React Flow redraws a node or an edge wrapper when a prop it hands to all of them changes, so the handlers the canvas
 * gives it must be the same functions on every render; from RENDER_VISIBLE_FROM layers on it draws only the nodes in
 * view. React Flow runs in jsdom with the layout APIs it needs mocked (every element 200 × 100 px, so the pane shows
 * canvas pixels 0–200 × 0–100 at zoom 1).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, render, renderHook } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import { emptyGraph, type Graph } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { Canvas, RENDER_VISIBLE_FROM } from '../../src/canvas/Canvas';
import { useCanvasEditing } from '../../src/canvas/useCanvasEditing';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { columnChain } from '../helpers/graphs';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(cleanup);

const wrapper = ({ children }: { children: ReactNode }) => <ReactFlowProvider>{children}</ReactFlowProvider>;

describe('canvas handlers', () => {
  it('useCanvasEditing gives React Flow the same context-menu handlers on every render', () => {
    const { result, rerender } = renderHook(() => useCanvasEditing('application/x-test'), { wrapper });
    const first = result.current.flowProps;
    rerender();
    rerender();
    expect(result.current.flowProps).toBe(first);
    expect(Object.keys(first).sort()).toEqual(['onEdgeContextMenu', 'onNodeContextMenu', 'onPaneContextMenu', 'onSelectionContextMenu']);
  });
});

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

/** Mounts the canvas on an empty model (no fit on load: zoom 1 at the origin), then opens `graph`; returns the nodes drawn. */
function drawn(graph: Graph): number {
  useEditor.setState({ graph: emptyGraph(), selection: { nodes: [], edges: [] } });
  const { container } = render(
    <div style={{ width: 800, height: 600 }}>
      <ReactFlowProvider>
        <Canvas />
      </ReactFlowProvider>
    </div>,
  );
  act(() => useEditor.setState({ graph }));
  return container.querySelectorAll('.react-flow__node').length;
}

describe('drawing only what is in view', () => {
  it(`a model of ${RENDER_VISIBLE_FROM} layers or more: only the nodes in view are in the page`, () => {
    const n = drawn(chain(RENDER_VISIBLE_FROM));
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(5);
  });

  it('a smaller model: every node is in the page, also those out of view', () => {
    expect(drawn(chain(6))).toBe(6);
  });
});
