/**
 * Mounting the canvas in a jsdom test (with installReactFlowDom's mocks installed): the canvas in an 800 × 600 box
 * inside React Flow's provider, first on an empty graph (as the app starts), then on `graph`; hands back the container,
 * React Flow's instance and store, and a zoom setter.
 */
import type { CSSProperties } from 'react';
import { act, render } from '@testing-library/react';
import { ReactFlowProvider, useReactFlow, useStoreApi } from '@xyflow/react';
import { emptyGraph, type Graph } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { Canvas } from '../../src/canvas/Canvas';

export interface MountedCanvas {
  container: HTMLElement;
  /** React Flow's instance (setViewport, fitView, …). */
  flow(): ReturnType<typeof useReactFlow>;
  /** React Flow's store (its nodes, edges, transform). */
  store(): ReturnType<typeof useStoreApi>;
  /** Sets the view to zoom `z` at the origin. */
  zoom(z: number): void;
}

/**
 * Mounts the canvas; with `graph`, the editor then shows it (a later store update, as opening a file is). `style` is
 * added to the 800 × 600 box (CSS variables a test reads back, say).
 */
export function mountCanvas(graph?: Graph, style: CSSProperties = {}): MountedCanvas {
  let flow: ReturnType<typeof useReactFlow> | null = null;
  let store: ReturnType<typeof useStoreApi> | null = null;
  const Grab = () => {
    flow = useReactFlow();
    store = useStoreApi();
    return null;
  };
  useEditor.setState({ graph: emptyGraph(), selection: { nodes: [], edges: [] } });
  const { container } = render(
    <div style={{ width: 800, height: 600, ...style }}>
      <ReactFlowProvider>
        <Canvas />
        <Grab />
      </ReactFlowProvider>
    </div>,
  );
  if (graph) act(() => useEditor.setState({ graph }));
  return {
    container,
    flow: () => flow!,
    store: () => store!,
    zoom: (z: number) => act(() => void flow!.setViewport({ x: 0, y: 0, zoom: z })),
  };
}
