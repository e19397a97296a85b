/**
 * The React Flow canvas. The graph lives in the editor store; this component maps it to React Flow
 * nodes and edges and turns React Flow's changes back into store actions. Only node sizes measured
 * by React Flow are kept locally (they are layout, not model).
 */
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type Edge as FlowEdge,
  type EdgeChange,
  type Node as FlowNode,
  type NodeChange,
} from '@xyflow/react';
import { edgeOutput, incoming, layerDef, outputNamesOf, type Edge, type LayerNode, type XY } from '../core';
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

const nodeTypes = { layer: LayerNodeView };
const edgeTypes = { shape: ShapeEdge };
export const DRAG_MIME = 'application/x-layerlab-kind';

/** Below this zoom node text is too small to read (the "Readable zoom" action zooms to it). */
const MIN_READABLE_ZOOM = 0.7;
/** Smallest zoom: Fit must show a 1,000-layer column (about 150,000 px tall) whole. */
const MIN_ZOOM = 0.002;

/**
 * From this many layers on, React Flow draws only the nodes and edges inside the view (`onlyRenderVisibleElements`):
 * an edit on a 1,000-layer model seen at a readable zoom then redraws a dozen nodes, not 1,000. Smaller models keep
 * every node in the page (ResNet50, 177 layers, is below it).
 */
export const RENDER_VISIBLE_FROM = 300;

/** Props of <ReactFlow> given as the same objects on every render (new ones would make it redo work on each render). */
const MULTI_SELECTION_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: false };

/** Fits the whole model in view (every node inside the pane, 40 px of margin at most zoom 1.1). */
function fitAll(flow: ReturnType<typeof useReactFlow>) {
  if (!flow.getNodes().length) return;
  void flow.fitView({ padding: 0.06, duration: 200, maxZoom: 1.1, minZoom: MIN_ZOOM });
}

/**
 * Zooms to MIN_READABLE_ZOOM (or fits, when the whole model is readable that way), centred horizontally, with the
 * model's top (its inputs) in view.
 */
function readableZoom(flow: ReturnType<typeof useReactFlow>) {
  const nodes = flow.getNodes();
  if (!nodes.length) return;
  const b = flow.getNodesBounds(nodes);
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  if (!pane) return;
  const pad = 40;
  const zoom = Math.min(1.1, (pane.width - 2 * pad) / b.width, (pane.height - 2 * pad) / b.height);
  if (zoom >= MIN_READABLE_ZOOM) return fitAll(flow);
  const z = Math.min(MIN_READABLE_ZOOM, (pane.width - 2 * pad) / b.width);
  void flow.setViewport({ x: pane.width / 2 - (b.x + b.width / 2) * z, y: pad / 2 - b.y * z, zoom: z }, { duration: 200 });
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

  useEffect(() => {
    if (fitRequest) requestAnimationFrame(() => fitAll(flow));
  }, [fitRequest, flow]);
  useEffect(() => {
    if (readableRequest) requestAnimationFrame(() => readableZoom(flow));
  }, [readableRequest, flow]);

  // React Flow redraws a node whose object changed: each flow node is kept while its layer, selection and size are
  // the same, so a drag or an edit redraws only the nodes it touched.
  const [flowNodes] = useState(() => new WeakMap<LayerNode, FlowNode>());
  const nodes = useMemo<FlowNode[]>(() => {
    const sel = new Set(selection.nodes);
    const cache = flowNodes;
    return graph.nodes.map((n) => {
      const selected = sel.has(n.id);
      const m = measured[n.id];
      const old = cache.get(n);
      if (old && old.selected === selected && old.measured === m) return old;
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
      return f;
    });
  }, [graph.nodes, selection.nodes, measured, flowNodes]);

  const [flowEdges] = useState(() => new WeakMap<Edge, FlowEdge>());
  const edges = useMemo<FlowEdge[]>(() => {
    const graph = model;
    const sel = new Set(selection.edges);
    const ins = incoming(graph);
    const byId = nodesById(graph);
    const cache = flowEdges;
    return graph.edges.map((e) => {
      const target = byId.get(e.target);
      const tdef = layerDef(target?.kind ?? '');
      // Inputs are numbered on a layer that takes several; a recurrent layer (inputs: the sequence, then optional initial
      // states) only once it has states, so an LSTM on one sequence looks as it always did.
      const multi = (tdef?.inputs.max ?? 1) > 1 && (tdef?.callForm !== 'initialState' || ins.get(e.target)!.length > 1);
      // An edge reading output k of a layer with several starts at that output's handle. One reading an output the
      // layer no longer returns (core's edge/output error) starts at the default handle, so it stays visible.
      const k = edgeOutput(e);
      const source = byId.get(e.source);
      const names = source ? outputNamesOf(source) : [];
      const sourceHandle = k && k < names.length ? outputHandleId(k) : undefined;
      const data: ShapeEdgeData = { order: multi ? ins.get(e.target)!.indexOf(e) + 1 : 0, ...(names.length > 1 && names[k] ? { outputName: names[k] } : {}) };
      const selected = sel.has(e.id);
      const old = cache.get(e);
      const od = old?.data as ShapeEdgeData | undefined;
      if (old && old.selected === selected && old.sourceHandle === sourceHandle && od?.order === data.order && od?.outputName === data.outputName) return old;
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
      return f;
    });
  }, [model, selection.edges, flowEdges]);

  // Minimap colours by category, looked up by id (one map per model).
  const nodeColor = useMemo(() => {
    const colors = new Map(model.nodes.map((n) => [n.id, layerDef(n.kind) ? CATEGORY_COLOR[layerDef(n.kind)!.category] : 'gray']));
    return (n: FlowNode) => colors.get(n.id) ?? 'gray';
  }, [model]);

  const onInit = useCallback((instance: ReturnType<typeof useReactFlow>) => fitOnInit && requestAnimationFrame(() => fitAll(instance)), [fitOnInit]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const store = useEditor.getState();
    const dims: Record<string, { width: number; height: number }> = {};
    const moves = new Map<string, XY>();
    let dragging = false;
    let sel: Set<string> | null = null;
    for (const c of changes) {
      if (c.type === 'dimensions' && c.dimensions) dims[c.id] = c.dimensions;
      else if (c.type === 'position' && c.position) {
        moves.set(c.id, c.position);
        dragging ||= !!c.dragging;
      } else if (c.type === 'position' && c.dragging === false) {
        const n = nodesById(store.graph).get(c.id);
        if (n) moves.set(c.id, n.position);
      } else if (c.type === 'select') {
        sel ??= new Set(store.selection.nodes);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    }
    if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
    if (moves.size) store.moveNodes(moves, dragging);
    if (sel) store.select({ nodes: [...sel], edges: store.selection.edges });
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const store = useEditor.getState();
    let sel: Set<string> | null = null;
    for (const c of changes)
      if (c.type === 'select') {
        sel ??= new Set(store.selection.edges);
        if (c.selected) sel.add(c.id);
        else sel.delete(c.id);
      }
    if (sel) store.select({ nodes: store.selection.nodes, edges: [...sel] });
  }, []);

  const onConnect = useCallback((c: Connection) => {
    // The handle the drag started from says which output (core Edge.output): the default handle is output 0.
    const reason = useEditor.getState().connect(c.source, c.target, outputOfHandle(c.sourceHandle));
    if (reason) useUi.getState().toast(reason);
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
        {minimap ? <MiniMap pannable zoomable nodeColor={nodeColor} /> : null}
      </ReactFlow>
      {graph.nodes.length === 0 ? <EmptyState /> : null}
      <ContextMenu fit={() => useUi.getState().requestFit()} />
    </div>
  );
}
