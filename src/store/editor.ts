/**
 * The editor store (zustand): the graph, the selection and the training settings, with undo / redo
 * of graph edits (zundo). Actions delegate to the pure edit operations of src/core; derived data
 * (shapes, diagnostics, code) is computed from the graph by memoised selectors (./derived.ts).
 */
import { create } from 'zustand';
import { temporal } from 'zundo';
import {
  addCall,
  addNode,
  analyze,
  blockById,
  blockInterface,
  groupIntoBlock,
  repeatBlock as repeatBlockOp,
  ungroupBlock as ungroupBlockOp,
  type TensorRef,
  connect as connectOp,
  duplicate,
  emptyGraph,
  moveNodes,
  removeEdges,
  removeNodes,
  rename as renameOp,
  renameModel as renameModelOp,
  setParam as setParamOp,
  DEFAULT_TRAINING,
  type Graph,
  type LayoutDirection,
  type ParamValue,
  type TrainingSettings,
  type XY,
} from '../core';
import { copyToText, pasteContent, readClipboardText } from '../core/graph/clipboard';
import { downstreamOf, insertOnEdge as insertOnEdgeOp, upstreamOf } from '../core/graph/editing';
import { safeGet, safeSet } from './safeStorage';

/** localStorage key of the layout direction the user picked (View menu). */
export const LAYOUT_DIRECTION_KEY = 'layerlab.layoutDirection';

/** A remembered layout direction: 'LR' when it says so, else 'TB' (top to bottom, Keras's plot_model default). */
export function readLayoutDirection(value: string | null): LayoutDirection {
  return value === 'LR' ? 'LR' : 'TB';
}

export interface Selection {
  readonly nodes: readonly string[];
  readonly edges: readonly string[];
}

/** What `paste` gives: the notes of what was repaired to read the text, or why nothing was pasted. */
export type PasteResult = { ok: true; notes: string[] } | { ok: false; reason: string; whole?: 'project' | 'keras' };

export interface EditorState {
  readonly graph: Graph;
  readonly selection: Selection;
  readonly training: TrainingSettings;
  /**
   * Which way Layout (and the layout of an opened file) arranges the layers: 'TB' top to bottom, 'LR' left to right.
   * A view preference: not part of the model or its undo history; remembered in this browser.
   */
  readonly layoutDirection: LayoutDirection;
  /** Sets the layout direction and remembers it (the caller re-runs the layout). */
  setLayoutDirection(direction: LayoutDirection): void;
  /** Adds a layer at `position`; when `after` is given, connects `after` → new layer. Returns the new id. */
  addLayer(kind: string, position: XY, after?: string): string;
  /** Adds a further call of the layer `nodeId` belongs to (shared weights) beside it, selected; returns null or the reason it is refused. */
  callAgain(nodeId: string): string | null;
  /**
   * Connects output `output` of `source` (0, its first or only one; k = the k-th of a layer with several, e.g. 1 =
   * state_h of an LSTM with return_state, core `outputNamesOf`) to a new input of `target`; returns null, or the
   * reason the connection is refused (the graph is unchanged).
   */
  connect(source: string, target: string, output?: number): string | null;
  /** Deletes the selected nodes (with their edges) and edges as one undo step. */
  removeSelection(): void;
  removeEdges(ids: readonly string[]): void;
  /** Moves nodes; while `dragging` is true the moves are not recorded in the history (one step per drag). */
  moveNodes(positions: ReadonlyMap<string, XY>, dragging: boolean): void;
  /**
   * Sets one parameter; returns null or the reason it is refused (the last valid value stays). `typing` names the
   * field being typed into (e.g. 'param:<node>:units'): successive changes of one field with nothing else in between
   * and less than TYPING_PAUSE_MS apart are one undo step (see `endTyping`).
   */
  setParam(nodeId: string, key: string, value: ParamValue, typing?: string): string | null;
  /** Renames a layer; returns null or the reason it is refused. `typing`: as for setParam. */
  rename(nodeId: string, name: string, typing?: string): string | null;
  /** Renames the model; returns null or the reason it is refused. `typing`: as for setParam. */
  renameModel(name: string, typing?: string): string | null;
  /** The selected layers and the edges among them as clipboard text (core/graph/clipboard.ts), or null when no layer is selected. */
  copySelection(): string | null;
  /** As copySelection, then deletes the selection (one undo step). */
  cutSelection(): string | null;
  /**
   * Pastes clipboard text (core `readClipboardText`, `pasteContent`) with the copies' top-left at `at` (canvas
   * pixels) or offset from where they were copied; one undo step; the pasted layers become the selection.
   * Malformed text changes nothing and gives the reason.
   */
  paste(text: string, at?: XY): PasteResult;
  /** Splits edge `edgeId` with a new layer of `kind` (core `insertOnEdge`), selected; returns null or the reason it is refused. */
  insertOnEdge(edgeId: string, kind: string, position?: XY): string | null;
  /** Selects every layer and connection. */
  selectAll(): void;
  /** Adds to the selection every layer that feeds a selected layer, directly or not. */
  selectUpstream(): void;
  /** Adds to the selection every layer a selected layer feeds, directly or not. */
  selectDownstream(): void;
  select(selection: Selection): void;
  /** Replaces the whole graph (template, opened file, layout); one undo step. Keeps the selection of nodes that remain. */
  loadGraph(graph: Graph): void;
  /** Duplicates the selected nodes and the edges among them, selecting the copies. */
  duplicateSelection(): void;
  setTraining(patch: Partial<TrainingSettings>): void;
  /**
   * Groups the selected layers into a new block (a Keras nested model called once, core `groupIntoBlock`) named
   * `name`, drawn collapsed; one undo step; the members stay selected. Returns null, or the core's reason it is
   * refused (an Input in the selection, a name Keras refuses or already taken, layers not connected, a path that
   * leaves the selection and comes back, a layer already in a block); the graph is then unchanged.
   */
  groupSelection(name: string): string | null;
  /** Dissolves block `blockId` (core `ungroupBlock`: a first call takes its further calls along); one undo step; null or the reason. */
  ungroupBlock(blockId: string): string | null;
  /**
   * Draws block `blockId` collapsed (one node) or expanded (its layers in a frame). `Block.collapsed` is part of the
   * graph: saved in the project file and one undo step (ARCHITECTURE.md, "Blocks on the canvas"). No-op when unchanged.
   */
  setBlockCollapsed(blockId: string, collapsed: boolean): void;
  /**
   * Repeats block `blockId` `n` times after itself (core `repeatBlock`: 'copies' with weights of their own, 'calls'
   * sharing its weights); the repeats are drawn as the block is (collapsed or not) and the layers below the block
   * move down to make room; one undo step; the repeats' layers become the selection. Null or the core's reason.
   */
  repeatBlock(blockId: string, n: number, mode: 'copies' | 'calls'): string | null;
  /** Dissolves every block (their layers join the outer model; further calls of a nested model stay shared layers); one undo step. */
  flattenBlocks(): void;
}

/** The free name for a new block: 'block', then 'block_1', 'block_2', … (not a layer's nor a block's name). */
export function freeBlockName(graph: Graph): string {
  const taken = new Set([...graph.nodes.map((n) => n.name), ...(graph.blocks ?? []).map((b) => b.name)]);
  if (!taken.has('block')) return 'block';
  for (let k = 1; ; k++) if (!taken.has(`block_${k}`)) return `block_${k}`;
}

/** Vertical room a block's repeats take per repeat, as core `repeatBlock` places them (its layers' span + 120 px). */
const repeatStep = (ys: readonly number[]): number => Math.max(...ys) - Math.min(...ys) + 120;

/** `graph` with `f` applied to block `id` (the graph itself when nothing changes). */
function withBlock(graph: Graph, id: string, f: (b: NonNullable<Graph['blocks']>[number]) => NonNullable<Graph['blocks']>[number]): Graph {
  if (!graph.blocks?.some((b) => b.id === id)) return graph;
  return { ...graph, blocks: graph.blocks.map((b) => (b.id === id ? f(b) : b)) };
}

const none: Selection = { nodes: [], edges: [] };

/** Graph before the current drag began; the drag is recorded as one history step when it ends. */
let dragStart: Graph | null = null;

/** Longest pause between two keystrokes of one field that still belong to the same undo step, in ms. */
export const TYPING_PAUSE_MS = 1500;
/** The field last typed into, the graph its keystroke made and when: the next keystroke of that field joins its step. */
let typing: { field: string; graph: Graph; at: number } | null = null;

/** Ends the current typing step (a field lost focus): the next change starts a new undo step. */
export const endTyping = (): void => {
  typing = null;
};

/**
 * Sets the graph; a keystroke of the field `field` that follows one of the same field (nothing else changed the
 * graph since, within TYPING_PAUSE_MS) is set with the history paused, so the step recorded by the field's first
 * keystroke (the graph before it) undoes the whole typing.
 */
function setGraph(set: (s: { graph: Graph }) => void, current: Graph, graph: Graph, field?: string): void {
  const t = useEditor.temporal.getState();
  const now = Date.now();
  const join = field !== undefined && typing?.field === field && typing.graph === current && now - typing.at < TYPING_PAUSE_MS && t.isTracking;
  if (join) {
    t.pause();
    set({ graph });
    t.resume();
  } else set({ graph });
  typing = field === undefined ? null : { field, graph, at: now };
}

export const useEditor = create<EditorState>()(
  temporal(
    (set, get) => ({
      graph: emptyGraph(),
      selection: none,
      training: DEFAULT_TRAINING,
      layoutDirection: readLayoutDirection(safeGet(LAYOUT_DIRECTION_KEY)),
      setLayoutDirection(layoutDirection) {
        safeSet(LAYOUT_DIRECTION_KEY, layoutDirection);
        set({ layoutDirection });
      },
      addLayer(kind, position, after) {
        const r = addNode(get().graph, kind, position);
        let graph = r.graph;
        if (after) {
          const c = connectOp(graph, after, r.node.id);
          if (c.ok) graph = c.graph;
        }
        set({ graph, selection: { nodes: [r.node.id], edges: [] } });
        return r.node.id;
      },
      callAgain(nodeId) {
        const g = get().graph;
        const n = g.nodes.find((x) => x.id === nodeId);
        if (!n) return 'No such layer.';
        const r = addCall(g, nodeId, { x: n.position.x + 240, y: n.position.y });
        if (!r.ok) return r.reason;
        set({ graph: r.graph, selection: { nodes: [r.id!], edges: [] } });
        return null;
      },
      connect(source, target, output = 0) {
        const r = connectOp(get().graph, source, target, undefined, output);
        if (!r.ok) return r.reason;
        set({ graph: r.graph });
        return null;
      },
      removeSelection() {
        const { graph, selection } = get();
        if (!selection.nodes.length && !selection.edges.length) return;
        set({ graph: removeEdges(removeNodes(graph, selection.nodes), selection.edges), selection: none });
      },
      removeEdges(ids) {
        set({ graph: removeEdges(get().graph, ids) });
      },
      moveNodes(positions, dragging) {
        const t = useEditor.temporal.getState();
        if (dragging) {
          if (!dragStart) {
            dragStart = get().graph;
            t.pause();
          }
          set({ graph: moveNodes(get().graph, positions) });
          return;
        }
        const end = moveNodes(get().graph, positions);
        if (dragStart) {
          set({ graph: dragStart });
          dragStart = null;
          t.resume();
        }
        set({ graph: end });
      },
      setParam(nodeId, key, value, field) {
        const r = setParamOp(get().graph, nodeId, key, value);
        if (!r.ok) return r.reason;
        setGraph(set, get().graph, r.graph, field);
        return null;
      },
      rename(nodeId, name, field) {
        const r = renameOp(get().graph, nodeId, name);
        if (!r.ok) return r.reason;
        setGraph(set, get().graph, r.graph, field);
        return null;
      },
      renameModel(name, field) {
        const r = renameModelOp(get().graph, name);
        if (!r.ok) return r.reason;
        setGraph(set, get().graph, r.graph, field);
        return null;
      },
      copySelection() {
        const { graph, selection } = get();
        return selection.nodes.length ? copyToText(graph, selection.nodes) : null;
      },
      cutSelection() {
        const text = get().copySelection();
        if (text !== null) get().removeSelection();
        return text;
      },
      paste(text, at) {
        const r = readClipboardText(text);
        if (!r.ok) return r;
        const p = pasteContent(get().graph, r.content, at ? { at } : {});
        set({ graph: p.graph, selection: { nodes: p.nodes, edges: p.edges } });
        return { ok: true, notes: r.notes };
      },
      insertOnEdge(edgeId, kind, position) {
        const r = insertOnEdgeOp(get().graph, edgeId, kind, position);
        if (!r.ok) return r.reason;
        set({ graph: r.graph, selection: { nodes: [r.id], edges: [] } });
        return null;
      },
      selectAll() {
        const g = get().graph;
        get().select({ nodes: g.nodes.map((n) => n.id), edges: g.edges.map((e) => e.id) });
      },
      selectUpstream() {
        get().select({ nodes: upstreamOf(get().graph, get().selection.nodes), edges: [] });
      },
      selectDownstream() {
        get().select({ nodes: downstreamOf(get().graph, get().selection.nodes), edges: [] });
      },
      select(selection) {
        const s = get().selection;
        const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
        if (same(s.nodes, selection.nodes) && same(s.edges, selection.edges)) return;
        set({ selection });
      },
      loadGraph(graph) {
        const ids = new Set(graph.nodes.map((n) => n.id));
        const edgeIds = new Set(graph.edges.map((e) => e.id));
        const { selection } = get();
        set({ graph, selection: { nodes: selection.nodes.filter((id) => ids.has(id)), edges: selection.edges.filter((id) => edgeIds.has(id)) } });
      },
      duplicateSelection() {
        const { graph, selection } = get();
        if (!selection.nodes.length) return;
        const r = duplicate(graph, selection.nodes);
        set({ graph: r.graph, selection: { nodes: r.ids, edges: [] } });
      },
      setTraining(patch) {
        set({ training: { ...get().training, ...patch } });
      },
      groupSelection(name) {
        const { graph, selection } = get();
        const r = groupIntoBlock(graph, selection.nodes, name.trim());
        if (!r.ok) return r.reason;
        set({ graph: withBlock(r.graph, r.id, (b) => ({ ...b, collapsed: true })), selection: { nodes: selection.nodes, edges: [] } });
        return null;
      },
      ungroupBlock(blockId) {
        const r = ungroupBlockOp(get().graph, blockId);
        if (!r.ok) return r.reason;
        set({ graph: r.graph });
        return null;
      },
      setBlockCollapsed(blockId, collapsed) {
        const g = get().graph;
        const b = blockById(g, blockId);
        if (!b || !!b.collapsed === collapsed) return;
        set({
          graph: withBlock(g, blockId, ({ collapsed: _c, ...rest }) => (collapsed ? { ...rest, collapsed: true } : rest)),
        });
      },
      repeatBlock(blockId, n, mode) {
        const g = get().graph;
        const a = analyze(g);
        const shapeOf = (t: TensorRef) => {
          const info = a.nodes.get(t.node);
          return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
        };
        const r = repeatBlockOp(g, blockId, n, mode, shapeOf);
        if (!r.ok) return r.reason;
        const itf = blockInterface(g, blockId)!;
        const members = new Set(itf.members);
        const ys = g.nodes.filter((x) => members.has(x.id)).map((x) => x.position.y);
        const bottom = Math.max(...ys);
        const shift = n * repeatStep(ys);
        // The repeats go below the block (core repeatBlock): the layers that were below it move down by the room they take.
        const before = new Set(g.nodes.map((x) => x.id));
        const nodes = r.graph.nodes.map((x) =>
          before.has(x.id) && !members.has(x.id) && x.position.y > bottom ? { ...x, position: { x: x.position.x, y: x.position.y + shift } } : x,
        );
        const added = new Set(r.ids);
        const collapsed = !!itf.block.collapsed;
        const blocks = r.graph.blocks?.map((b) => (added.has(b.id) && collapsed ? { ...b, collapsed: true } : b));
        set({
          graph: { ...r.graph, nodes, ...(blocks ? { blocks } : {}) },
          selection: { nodes: nodes.filter((x) => x.block !== undefined && added.has(x.block)).map((x) => x.id), edges: [] },
        });
        return null;
      },
      flattenBlocks() {
        let g = get().graph;
        if (!g.blocks?.length) return;
        for (const b of g.blocks) {
          if (b.callOf && blockById(g, b.callOf)) continue;
          const r = ungroupBlockOp(g, b.id);
          if (r.ok) g = r.graph;
        }
        set({ graph: g });
      },
    }),
    {
      partialize: (s) => ({ graph: s.graph }),
      equality: (a, b) => a.graph === b.graph,
      limit: 200,
    },
  ),
);

/** Undo one graph edit. */
export const undo = () => useEditor.temporal.getState().undo();
/** Redo one graph edit. */
export const redo = () => useEditor.temporal.getState().redo();
