/**
 * The editing gestures the canvas adds to React Flow, kept out of Canvas.tsx: copy / cut / paste at the pointer
 * (clipboardActions.ts), the context menus (right click on a layer, a connection or the empty canvas; Shift+F10 or
 * the ContextMenu key on the selection; on a collapsed block its block menu) and inserting a palette item on the connection it is dropped on (the
 * connection under the pointer is highlighted while dragging).
 */
import { useCallback, useEffect, useMemo, useRef, type DragEvent, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { useReactFlow, type Edge as FlowEdge, type Node as FlowNode } from '@xyflow/react';
import { layerDef, type XY } from '../core';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { useClipboardEvents } from './clipboardActions';
import { selectForMenu, useContextMenu, type MenuTarget } from './ContextMenu';
import { blockRouting } from './blockView';
import { modelOf } from '../store/derived';

const DROP_CLASS = 'edge--drop-target';

/** The canvas element of class `cls` (react-flow__node, react-flow__edge) drawing the layer or connection `id`. */
const elementOf = (cls: string, id: string): Element | undefined => [...document.querySelectorAll(`.${cls}`)].find((el) => el.getAttribute('data-id') === id);

/** The id of the connection drawn under the client point (its 20 px wide interaction stroke), or null. */
export function edgeAt(x: number, y: number): string | null {
  if (typeof document.elementsFromPoint !== 'function') return null;
  for (const el of document.elementsFromPoint(x, y)) {
    const g = el.closest?.('.react-flow__edge');
    if (g) return g.getAttribute('data-id');
    if (el.classList?.contains('react-flow__node')) return null;
  }
  return null;
}

/**
 * What Canvas.tsx wires in: handlers for the canvas element and React Flow, and `dropOnEdge`, which its drop
 * handler calls first (true when the layer went onto a connection).
 */
export function useCanvasEditing(mime: string) {
  const flow = useReactFlow();
  const client = useRef<XY | null>(null);
  const highlighted = useRef<Element | null>(null);

  const pointer = useCallback((): XY | undefined => (client.current ? flow.screenToFlowPosition(client.current) : undefined), [flow]);
  useClipboardEvents(pointer);

  const open = useCallback(
    (target: MenuTarget, e: { clientX: number; clientY: number; preventDefault(): void }) => {
      e.preventDefault();
      selectForMenu(target);
      useContextMenu.getState().open({ target, client: { x: e.clientX, y: e.clientY }, at: flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }) });
    },
    [flow],
  );

  // Shift+F10 or the ContextMenu key open the menu of the selection: its last layer, else its connection, else the canvas.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10'))) return;
      const t = e.target;
      if (t instanceof HTMLElement && (['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName) || t.closest('dialog[open]'))) return;
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
      if (!pane) return;
      e.preventDefault();
      const s = useEditor.getState();
      const last = s.selection.nodes[s.selection.nodes.length - 1];
      // A layer inside a collapsed block is drawn as the block's node: the menu is that block's.
      const blockId = last ? blockRouting(modelOf(s.graph)).hiddenIn.get(last) : undefined;
      const nodeId = blockId ?? last;
      const node = nodeId ? elementOf('react-flow__node', nodeId)?.getBoundingClientRect() : undefined;
      const edgeId = s.selection.edges[0];
      const edge = edgeId ? elementOf('react-flow__edge', edgeId)?.getBoundingClientRect() : undefined;
      const target: MenuTarget = node ? (blockId ? { kind: 'block', blockId } : { kind: 'node', nodeId }) : edge ? { kind: 'edge', edgeId } : { kind: 'pane' };
      const box = node ?? edge;
      const at = box ? { x: box.left + box.width / 2, y: box.top + box.height / 2 } : { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 };
      useContextMenu.getState().open({ target, client: at, at: target.kind === 'pane' ? flow.screenToFlowPosition(at) : undefined });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [flow]);

  const flowProps = useMemo(
    () => ({
      onNodeContextMenu: (e: ReactMouseEvent, n: FlowNode) => open(n.type === 'block' ? { kind: 'block', blockId: n.id } : { kind: 'node', nodeId: n.id }, e),
      onEdgeContextMenu: (e: ReactMouseEvent, ed: FlowEdge) => open({ kind: 'edge', edgeId: ed.id }, e),
      onPaneContextMenu: (e: ReactMouseEvent | MouseEvent) => open({ kind: 'pane' }, e),
      onSelectionContextMenu: (e: ReactMouseEvent, nodes: FlowNode[]) => {
        const last = nodes.filter((n) => n.type !== 'blockFrame').pop();
        if (last) open(last.type === 'block' ? { kind: 'block', blockId: last.id } : { kind: 'node', nodeId: last.id }, e);
      },
    }),
    [open],
  );

  const unhighlight = () => {
    highlighted.current?.classList.remove(DROP_CLASS);
    highlighted.current = null;
  };

  return {
    /** Props for the canvas element: where the pointer is (paste goes there). */
    canvasProps: {
      onPointerMove: (e: ReactPointerEvent) => {
        client.current = { x: e.clientX, y: e.clientY };
      },
      onPointerLeave: () => {
        client.current = null;
      },
    },
    /**
     * Props for <ReactFlow>: the three context menus (a box-selection's menu is the layer menu of its last layer).
     * The same functions on every render: React Flow hands them to every node and edge wrapper, so new ones would
     * redraw all of them on each move of a drag.
     */
    flowProps,
    /** For the canvas's dragover: highlights the connection a palette item would be inserted on. */
    dragOverEdge: (e: DragEvent) => {
      if (!e.dataTransfer.types.includes(mime)) return;
      const id = edgeAt(e.clientX, e.clientY);
      const el = id ? (elementOf('react-flow__edge', id) ?? null) : null;
      if (el === highlighted.current) return;
      unhighlight();
      if (el) {
        el.classList.add(DROP_CLASS);
        highlighted.current = el;
      }
    },
    dragLeave: unhighlight,
    /**
     * For the canvas's drop: inserts the dropped palette kind on the connection under the pointer (core
     * insertOnEdge: source → new → target), at the drop point; a refusal is shown with its reason. False when the
     * drop is not a palette item on a connection (the canvas then adds the layer as usual).
     */
    dropOnEdge: (e: DragEvent): boolean => {
      unhighlight();
      const kind = e.dataTransfer.getData(mime);
      const id = kind && layerDef(kind) ? edgeAt(e.clientX, e.clientY) : null;
      if (!id) return false;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const reason = useEditor.getState().insertOnEdge(id, kind, { x: Math.round(p.x - 90), y: Math.round(p.y - 30) });
      if (reason) useUi.getState().toast(reason);
      return true;
    },
  };
}
