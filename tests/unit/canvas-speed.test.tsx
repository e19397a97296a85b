// @vitest-environment jsdom
/**
 * What keeps the canvas fast on big models (issue 13; figures in README's Performance section, bench/editor.mjs):
 * React Flow redraws a node or an edge wrapper when a prop it hands to all of them changes, so the handlers the canvas
 * gives it must be the same functions on every render.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, renderHook } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import { useCanvasEditing } from '../../src/canvas/useCanvasEditing';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

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
