/**
 * The React Flow canvas. The graph lives in the editor store; this component maps it to React Flow
 * nodes and edges and turns React Flow's changes back into store actions. Only node sizes measured
 * by React Flow are kept locally (they are layout, not model). Blocks (Keras nested models): a collapsed block is one
 * node standing for its layers, with the connections of its layers re-routed to its handles; an expanded one is a
 * frame behind its layers (blockView.ts, BlockNodeView.tsx); moving, selecting or connecting the block node acts on
 * its layers.
 */
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  useReactFlow,
  useStoreApi,
  type Connection,
  type Edge as FlowEdge,
  type EdgeChange,
  type Node as FlowNode,
  type NodeChange,
} from '@xyflow/react';
import { edgeOutput, incoming, layerDef, nodeSize, outputNamesOf, type Edge, type LayerNode, type XY } from '../core';
import { BlockFrameView, BlockNodeView } from './BlockNodeView';
import { BlockDialog } from './BlockDialog';
import {
  DEFAULT_NODE_SIZE,
  blockInputOf,
  blockOfFrame,
  blockOutputOf,
  blockPlacement,
  blockRouting,
  frameId,
  membersMoved,
  type BlockRouting,
} from './blockView';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { modelOf, nodesById } from '../store/derived';
import { useView } from './view';
import { LayerNodeView } from './LayerNodeView';
import { ShapeEdge, type ShapeEdgeData } from './ShapeEdge';
import { CATEGORY_COLOR } from './categories';
import { EmptyState } from './EmptyState';
import { outputHandleId, outputOfHandle } from './handles';
import { ContextMenu } from './ContextMenu';
import { useCanvasEditing } from './useCanvasEditing';
import { sameItems } from './stable';
import { MIN_ZOOM, fitAll, preFit, readableZoom } from './viewport';
import { MiniMap } from './MiniMap';

const nodeTypes = { layer: LayerNodeView, block: BlockNodeView, blockFrame: BlockFrameView };
const edgeTypes = { shape: ShapeEdge };
export const DRAG_MIME = 'application/x-layerlab-kind';

/**
 * From this many layers on, React Flow draws only the nodes and edges inside the view (`onlyRenderVisibleElements`):
 * an edit on a 1,000-layer model seen at a readable zoom then redraws a dozen nodes, not 1,000. Smaller models keep
 * every node in the page (ResNet50, 177 layers, is below it).
 */
export const RENDER_VISIBLE_FROM = 300;

/** Props of <ReactFlow> given as the same objects on every render (new ones would make it redo work on each render). */
const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: false };

/**
 * Makes the connection a drag on the canvas asked for; returns null or the reason it is refused. The handle the drag
 * started from says which output (core Edge.output): a layer's default handle is output 0, `out-k` output k; a
 * collapsed block's output handle k stands for its nested model's output k (a tensor of one of its layers). A
 * connection into a collapsed block is refused: which of its layers should read it is not said by one handle.
 */
export function connectOnCanvas(routing: BlockRouting, c: Connection): string | null {
  const store = useEditor.getState();
  const into = routing.interfaces.get(c.target);
  if (into) {
    const k = blockInputOf(c.targetHandle) ?? 0;
    return `Block '${into.block.name}' is collapsed, and its input ${k + 1} stands for the layers inside it that read it: expand the block (double-click it) and connect to the layer that should read this tensor.`;
  }
  const from = routing.interfaces.get(c.source);
  if (from) {
    const t = from.outputs[blockOutputOf(c.sourceHandle) ?? 0];
    if (!t) return `Block '${from.block.name}' has no such output.`;
    return store.connect(t.node, c.target, t.output);
  }
  return store.connect(c.source, c.target, outputOfHandle(c.sourceHandle));
}

export function Canvas() {
  const graph = useEditor((s) => s.graph);
  const selection = useEditor((s) => s.selection);
  const fitRequest = useUi((s) => s.fitRequest);
  const readableRequest = useView((s) => s.readableRequest);
  const minimap = useView((s) => s.minimap);
  const theme = useView((s) => s.theme);
  // The model (positions aside, store/derived.ts modelOf): edges and minimap colours do not change while nodes move.
  const model = modelOf(graph);
  const flow = useReactFlow();
  // Copy / paste, context menus, dropping a layer on a connection (useCanvasEditing.ts).
  const editing = useCanvasEditing(DRAG_MIME);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  // Fit a restored graph once on load; an empty canvas keeps zoom 1, so the first dropped layer does not zoom the view.
  const [fitOnInit] = useState(() => graph.nodes.length > 0);

  const store = useStoreApi();
  useEffect(() => {
    if (!fitRequest) return;
    preFit(flow, store, useEditor.getState().graph);
    requestAnimationFrame(() => fitAll(flow));
  }, [fitRequest, flow, store]);
  useEffect(() => {
    if (readableRequest) requestAnimationFrame(() => readableZoom(flow));
  }, [readableRequest, flow]);

  // React Flow redraws a node whose object changed: each flow node is kept while its layer, selection and size are
  // the same, so a drag or an edit redraws only the nodes it touched.
  const [flowNodes] = useState(() => new WeakMap<LayerNode, FlowNode>());
  // Blocks: which layers a collapsed block hides and how connections are re-routed (per model), and where block nodes
  // and frames go (per positions). The change handlers read both from the store's graph (they keep their identity).
  const routing = blockRouting(model);
  const placement = useMemo(() => blockPlacement(graph, routing, (id) => measured[id]), [graph, routing, measured]);
  const nodes = useMemo<FlowNode[]>(() => {
    const sel = new Set(selection.nodes);
    const cache = flowNodes;
    const hidden = routing.hiddenIn;
    // Frames first: drawn behind the layers they hold.
    const out: FlowNode[] = placement.frames.map((f) => ({
      id: frameId(f.blockId),
      type: 'blockFrame',
      position: f.position,
      width: f.width,
      height: f.height,
      data: {},
      selectable: false,
      focusable: false,
      // Above the connections (a connection leaving the block passes under its title bar, which stays readable), below
      // its layers (drawn after it); its body is transparent to the pointer and nearly to the eye (blocks.css).
      zIndex: 0,
      ariaLabel: `Block ${routing.interfaces.get(f.blockId)?.block.name ?? ''}`,
    }));
    for (const n of graph.nodes) {
      if (hidden.has(n.id)) continue;
      const selected = sel.has(n.id);
      const m = measured[n.id];
      const old = cache.get(n);
      if (old && old.selected === selected && old.measured === m) {
        out.push(old);
        continue;
      }
      const f: FlowNode = {
        id: n.id,
        type: 'layer',
        position: n.position,
        data: {},
        selected,
        ...(m ? { measured: m } : {}),
        ariaLabel: `${n.kind} layer ${n.name}`,
      };
      cache.set(n, f);
      out.push(f);
    }
    for (const [id, position] of placement.nodes) {
      const itf = routing.interfaces.get(id)!;
      const m = measured[id];
      out.push({
        id,
        type: 'block',
        position,
        data: {},
        selected: itf.members.every((x) => sel.has(x)),
        ...(m ? { measured: m } : {}),
        ariaLabel: `Block ${itf.block.name}`,
      });
    }
    return out;
  }, [graph.nodes, selection.nodes, measured, flowNodes, routing, placement]);

  const [flowEdges] = useState(() => new WeakMap<Edge, FlowEdge>());
  // The last edges array and minimap colours handed to React Flow (kept while unchanged: stable.ts).
  const [last] = useState(() => new Map<string, unknown>());
  const edges = useMemo<FlowEdge[]>(() => {
    const graph = model;
    const sel = new Set(selection.edges);
    const ins = incoming(graph);
    const byId = nodesById(graph);
    const cache = flowEdges;
    const out: FlowEdge[] = [];
    for (const e of graph.edges) {
      const route = routing.routed.get(e.id);
      if (route === null) continue;
      const target = byId.get(e.target);
      const tdef = route?.targetHandle ? undefined : layerDef(target?.kind ?? '');
      // Inputs are numbered on a layer that takes several; a recurrent layer (inputs: the sequence, then optional initial
      // states) only once it has states, so an LSTM on one sequence looks as it always did.
      const multi = (tdef?.inputs.max ?? 1) > 1 && (tdef?.callForm !== 'initialState' || ins.get(e.target)!.length > 1);
      // An edge reading output k of a layer with several starts at that output's handle. One reading an output the
      // layer no longer returns (core's edge/output error) starts at the default handle, so it stays visible.
      const k = edgeOutput(e);
      const source = byId.get(e.source);
      const names = source ? outputNamesOf(source) : [];
      const sourceHandle = route?.sourceHandle ?? (k && k < names.length ? outputHandleId(k) : undefined);
      const data: ShapeEdgeData = {
        order: multi ? ins.get(e.target)!.indexOf(e) + 1 : 0,
        ...(names.length > 1 && names[k] && !route?.sourceHandle ? { outputName: names[k] } : {}),
      };
      if (route) {
        // A connection of a collapsed block's layer, drawn from or to the block's node (selected with all it stands for).
        out.push({
          id: e.id,
          source: route.source,
          target: route.target,
          ...(sourceHandle ? { sourceHandle } : {}),
          ...(route.targetHandle ? { targetHandle: route.targetHandle } : {}),
          type: 'shape',
          selected: route.edges.some((x) => sel.has(x.id)),
          data,
          markerEnd: { type: MarkerType.ArrowClosed },
        });
        continue;
      }
      const selected = sel.has(e.id);
      const old = cache.get(e);
      const od = old?.data as ShapeEdgeData | undefined;
      if (old && old.selected === selected && old.sourceHandle === sourceHandle && od?.order === data.order && od?.outputName === data.outputName) {
        out.push(old);
        continue;
      }
      const f: FlowEdge = {
        id: e.id,
        source: e.source,
        target: e.target,
        ...(sourceHandle ? { sourceHandle } : {}),
        type: 'shape',
        selected,
        data,
        markerEnd: { type: MarkerType.ArrowClosed },
      };
      cache.set(e, f);
      out.push(f);
    }
    // The same array while every edge is the same object (a parameter edit): React Flow then skips its edge update.
    const prev = last.get('edges') as FlowEdge[] | undefined;
    if (prev && sameItems(prev, out)) return prev;
    last.set('edges', out);
    return out;
  }, [model, selection.edges, flowEdges, routing, last]);

  // The minimap's colours (by category, looked up by id) and the size of a layer React Flow has not measured yet (out of
  // view on a big model), per model: a new function only redraws the minimap's one <canvas> (MiniMap.tsx).
  const miniMap = useMemo(() => {
    const colors = new Map(model.nodes.map((n) => [n.id, layerDef(n.kind) ? CATEGORY_COLOR[layerDef(n.kind)!.category] : 'gray']));
    const byId = nodesById(model);
    return {
      colorOf: (n: { id: string; type?: string }) =>
        colors.get(n.id) ?? (n.type === 'block' ? 'var(--block-color)' : n.type === 'blockFrame' ? 'transparent' : 'gray'),
      sizeOf: (id: string) => {
        const n = byId.get(id);
        return n ? nodeSize(n) : routing.interfaces.has(id) ? DEFAULT_NODE_SIZE : undefined;
      },
    };
  }, [model, routing]);

  const onInit = useCallback((instance: ReturnType<typeof useReactFlow>) => fitOnInit && requestAnimationFrame(() => fitAll(instance)), [fitOnInit]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const store = useEditor.getState();
      const routing = blockRouting(modelOf(store.graph));
      const dims: Record<string, { width: number; height: number }> = {};
      const moves = new Map<string, XY>();
      let dragging = false;
      let sel: Set<string> | null = null;
      for (const c of changes) {
        // A block node or a frame stands for the block's layers: moving it moves them, selecting it selects them.
        const blockId = c.type === 'add' || c.type === 'replace' ? null : routing.interfaces.has(c.id) ? c.id : blockOfFrame(c.id);
        if (c.type === 'dimensions' && c.dimensions) {
          if (!blockOfFrame(c.id)) dims[c.id] = c.dimensions;
        } else if (c.type === 'position' && blockId !== null) {
          // Where the block node or frame is now (its top left does not depend on the layers' sizes).
          const placed = blockPlacement(store.graph, routing, () => undefined);
          const from = placed.nodes.get(blockId) ?? placed.frames.find((f) => f.blockId === blockId)?.position;
          if (c.position && from) {
            for (const [id, p] of membersMoved(store.graph, blockId, from, c.position)) moves.set(id, p);
            dragging ||= !!c.dragging;
          } else if (c.dragging === false) for (const [id, p] of membersMoved(store.graph, blockId, { x: 0, y: 0 }, { x: 0, y: 0 })) moves.set(id, p);
        } else if (c.type === 'position' && c.position) {
          moves.set(c.id, c.position);
          dragging ||= !!c.dragging;
        } else if (c.type === 'position' && c.dragging === false) {
          const n = nodesById(store.graph).get(c.id);
          if (n) moves.set(c.id, n.position);
        } else if (c.type === 'select') {
          sel ??= new Set(store.selection.nodes);
          const ids = blockId !== null ? (routing.interfaces.get(blockId)?.members ?? []) : [c.id];
          for (const id of ids)
            if (c.selected) sel.add(id);
            else sel.delete(id);
        }
      }
      if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
      if (moves.size) store.moveNodes(moves, dragging);
      if (sel) store.select({ nodes: [...sel], edges: store.selection.edges });
    },
    [setMeasured],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const store = useEditor.getState();
    const routing = blockRouting(modelOf(store.graph));
    let sel: Set<string> | null = null;
    for (const c of changes)
      if (c.type === 'select') {
        sel ??= new Set(store.selection.edges);
        // A connection drawn into a collapsed block stands for every connection of that tensor into its layers.
        for (const e of routing.routed.get(c.id)?.edges ?? [{ id: c.id }])
          if (c.selected) sel.add(e.id);
          else sel.delete(e.id);
      }
    if (sel) store.select({ nodes: store.selection.nodes, edges: [...sel] });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    const reason = connectOnCanvas(blockRouting(modelOf(useEditor.getState().graph)), c);
    if (reason) useUi.getState().toast(reason);
  }, []);

  // A double click on a collapsed block expands it.
  const onNodeDoubleClick = useCallback((_e: unknown, n: FlowNode) => {
    if (n.type === 'block') useEditor.getState().setBlockCollapsed(n.id, false);
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_MIME)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(DRAG_MIME);
      if (!kind || !layerDef(kind)) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      useEditor.getState().addLayer(kind, { x: Math.round(p.x - 90), y: Math.round(p.y - 30) });
    },
    [flow],
  );

  return (
    <div
      className="canvas"
      onDragOver={(e) => {
        onDragOver(e);
        editing.dragOverEdge(e);
      }}
      onDragLeave={editing.dragLeave}
      onDrop={(e) => editing.dropOnEdge(e) || onDrop(e)}
      {...editing.canvasProps}
      data-testid="canvas"
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDoubleClick={onNodeDoubleClick}
        zoomOnDoubleClick={false}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        {...editing.flowProps}
        multiSelectionKeyCode={MULTI_SELECTION_KEYS}
        onInit={onInit}
        minZoom={MIN_ZOOM}
        onlyRenderVisibleElements={graph.nodes.length >= RENDER_VISIBLE_FROM}
        colorMode={theme}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} />
        <Controls />
        {minimap ? <MiniMap colorOf={miniMap.colorOf} sizeOf={miniMap.sizeOf} theme={theme} /> : null}
      </ReactFlow>
      {graph.nodes.length === 0 ? <EmptyState /> : null}
      <ContextMenu fit={() => useUi.getState().requestFit()} />
      <BlockDialog />
    </div>
  );
}
