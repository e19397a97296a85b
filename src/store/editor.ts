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
  nodeSize,
  blockById,
  blockInterface,
  blockNodeSize,
  callsOfBlock,
  groupIntoBlock,
  renameBlock as renameBlockOp,
  setTrainable as setTrainableOp,
  setBlockTrainable as setBlockTrainableOp,
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
import { copyToText, partialBlocks, pasteContent, readClipboardText } from '../core/graph/clipboard';
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
  /**
   * Freezes (`trainable` false: Keras trainable=False, every weight non-trainable) or unfreezes layers — every call of
   * each one's layer (core `setTrainable`); one undo step; null or the reason it is refused.
   */
  setTrainable(nodeIds: readonly string[], trainable: boolean): string | null;
  /** Freezes or unfreezes every layer of block `blockId`'s nested model (core `setBlockTrainable`); one undo step; null or the reason. */
  setBlockTrainable(blockId: string, trainable: boolean): string | null;
  /**
   * The selected layers and the edges among them as clipboard text (core/graph/clipboard.ts), or null when no layer is
   * selected. Blocks all of whose layers are selected are copied as blocks; `copyNote` says what happens to the others.
   */
  copySelection(): string | null;
  /**
   * What copying the selection leaves out, in words, or null: the layers of a block selected without the rest of it
   * paste outside any block ("2 of the 3 layers of block 'res_block' (expand, project) …").
   */
  copyNote(): string | null;
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
  /**
   * Duplicates the selected nodes and the edges among them, selecting the copies. A selection holding a whole block
   * is duplicated as copy and paste do it (the block becomes a new block, placed 60 px right of the selection; one
   * undo step).
   */
  duplicateSelection(): void;
  setTraining(patch: Partial<TrainingSettings>): void;
  /**
   * Groups the selected layers into a new block (a Keras nested model called once, core `groupIntoBlock`) named
   * `name`, drawn collapsed; one undo step; the members stay selected. Returns null, or the core's reason it is
   * refused (an Input in the selection, a name Keras refuses or already taken, layers not connected, a path that
   * leaves the selection and comes back, a layer already in a block); the graph is then unchanged.
   */
  groupSelection(name: string): string | null;
  /**
   * Renames the nested model block `blockId` calls (core `renameBlock`: every call of it takes the name); returns null
   * or the reason it is refused (an invalid name, one a layer or another block has). `typing`: as for setParam (the
   * inspector's name field); otherwise one undo step.
   */
  renameBlock(blockId: string, name: string, typing?: string): string | null;
  /** Dissolves block `blockId` (core `ungroupBlock`: a first call takes its further calls along); one undo step; null or the reason. */
  ungroupBlock(blockId: string): string | null;
  /**
   * Draws block `blockId` collapsed (one node) or expanded (its layers in a frame), and moves the layers after it
   * to close or open the room its layers take (`reflowForBlock`). `Block.collapsed` is part of the graph: saved in
   * the project file and one undo step (ARCHITECTURE.md, "Blocks on the canvas"). No-op when unchanged.
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

/** The size of a collapsed block's node with one input and one output, called once (core `blockNodeSize`), px. */
export const BLOCK_NODE_SIZE = blockNodeSize(1, 1, false);

/**
 * The size of block `blockId`'s node when collapsed, as BlockNodeView draws it (core `blockNodeSize` of its input and
 * output counts, whether its nested model is called more than once, and the layout direction), px; BLOCK_NODE_SIZE
 * for a block without members.
 */
export function collapsedBlockSize(graph: Graph, blockId: string, direction: LayoutDirection = 'TB'): { width: number; height: number } {
  const itf = blockInterface(graph, blockId);
  if (!itf || !itf.members.length) return BLOCK_NODE_SIZE;
  return blockNodeSize(itf.inputs.length, itf.outputs.length, callsOfBlock(graph, itf.first.id).length > 1, direction);
}

/** Extra room left under an expanded block in a top-to-bottom layout for its frame's title bar (canvas/blockView.ts FRAME_FOOTER), px. */
export const FRAME_FOOTER_ROOM = 40;
/** The least gap collapsing leaves between two layers one after the other, px (a layout leaves 56: dagre's ranksep). */
const MIN_GAP = 40;

/**
 * `graph` with the layers after block `blockId` moved along the layout direction (down for 'TB', right for 'LR') so
 * the block's new look fits: expanding it (`collapsed` false) moves every layer that starts after the collapsed node's
 * end (its size, `collapsedBlockSize`) by the room its layers need beyond that (their span, core `nodeSize` each, minus the node's;
 * top to bottom, FRAME_FOOTER_ROOM more for the frame's title bar); collapsing it moves every layer that starts after
 * its layers' end back by as much (the title bar's room only when the gap under the layers is at least that room plus
 * MIN_GAP), or less when an unmoved layer beside them would be crossed (a layer never moves onto or past another;
 * MIN_GAP kept). A collapsed block other than `blockId` moves as one box (its node), with all its layers. The layers
 * moved keep their arrangement. The graph itself when nothing moves.
 */
export function reflowForBlock(graph: Graph, blockId: string, collapsed: boolean, direction: LayoutDirection = 'TB'): Graph {
  const lr = direction === 'LR';
  const members = graph.nodes.filter((n) => n.block === blockId);
  if (!members.length) return graph;
  // What is drawn, as boxes (along = the layout direction): each layer, and each other collapsed block as its node at
  // its layers' top left, standing for them all (they move with it).
  type Unit = { ids: string[]; along: number; across: number; len: number; wide: number };
  const box = (ids: string[], p: XY, w: number, h: number): Unit => ({ ids, along: lr ? p.x : p.y, across: lr ? p.y : p.x, len: lr ? w : h, wide: lr ? h : w });
  const folded = new Set((graph.blocks ?? []).filter((b) => b.collapsed && b.id !== blockId).map((b) => b.id));
  const units: Unit[] = [];
  const blockUnits = new Map<string, Unit>();
  let start = Infinity;
  let end = -Infinity;
  for (const n of graph.nodes) {
    const size = nodeSize(n);
    if (n.block === blockId) {
      start = Math.min(start, lr ? n.position.x : n.position.y);
      end = Math.max(end, (lr ? n.position.x : n.position.y) + (lr ? size.width : size.height));
    } else if (n.block !== undefined && folded.has(n.block)) {
      const u = blockUnits.get(n.block);
      if (!u) {
        const nodeBox = collapsedBlockSize(graph, n.block, direction);
        const v = box([n.id], n.position, nodeBox.width, nodeBox.height);
        blockUnits.set(n.block, v);
        units.push(v);
      } else {
        u.ids.push(n.id);
        u.along = Math.min(u.along, lr ? n.position.x : n.position.y);
        u.across = Math.min(u.across, lr ? n.position.y : n.position.x);
      }
    } else units.push(box([n.id], n.position, size.width, size.height));
  }
  const own = collapsedBlockSize(graph, blockId, direction);
  const node = lr ? own.width : own.height;
  const threshold = collapsed ? end : start + node;
  const moved = units.filter((u) => u.along >= threshold);
  if (!moved.length) return graph;
  const under = Math.min(...moved.map((u) => u.along)) - end;
  const footer = lr ? 0 : collapsed ? (under >= FRAME_FOOTER_ROOM + MIN_GAP ? FRAME_FOOTER_ROOM : 0) : FRAME_FOOTER_ROOM;
  const delta = Math.max(0, end - start - node) + footer;
  if (delta <= 0) return graph;
  let shift = delta;
  if (collapsed)
    // Moving back: no moved box may come nearer than MIN_GAP to an unmoved one before it that it lines up with.
    for (const t of moved)
      for (const u of units) {
        if (u.along >= threshold || u.along >= t.along) continue;
        const apart = u.across + u.wide <= t.across || t.across + t.wide <= u.across;
        if (!apart) shift = Math.min(shift, t.along - (u.along + u.len) - 40);
      }
  if (shift <= 0) return graph;
  const by = collapsed ? -shift : shift;
  const ids = new Set(moved.flatMap((u) => u.ids));
  return {
    ...graph,
    nodes: graph.nodes.map((n) =>
      ids.has(n.id) ? { ...n, position: lr ? { x: n.position.x + by, y: n.position.y } : { x: n.position.x, y: n.position.y + by } } : n,
    ),
  };
}

/** `graph` with the collapsed ones of `blocks` expanded (their flag removed, room made by `reflowForBlock`), last first. */
function expandAll(graph: Graph, blocks: readonly NonNullable<Graph['blocks']>[number][], direction: LayoutDirection): Graph {
  let g = graph;
  for (const b of [...blocks].reverse())
    if (blockById(g, b.id)?.collapsed)
      g = reflowForBlock(
        withBlock(g, b.id, ({ collapsed: _c, ...rest }) => rest),
        b.id,
        false,
        direction,
      );
  return g;
}

/** How much further apart the store puts a block's repeats than core `repeatBlock` (which leaves 120 px from one's last layer top to the next's first), px. */
const REPEAT_SPREAD = 32;

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
      setTrainable(nodeIds, trainable) {
        const r = setTrainableOp(get().graph, nodeIds, trainable);
        if (!r.ok) return r.reason;
        if (r.graph !== get().graph) set({ graph: r.graph });
        return null;
      },
      setBlockTrainable(blockId, trainable) {
        const r = setBlockTrainableOp(get().graph, blockId, trainable);
        if (!r.ok) return r.reason;
        if (r.graph !== get().graph) set({ graph: r.graph });
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
      copyNote() {
        const { graph, selection } = get();
        const parts = partialBlocks(graph, selection.nodes);
        if (!parts.length) return null;
        const one = (p: { block: string; layers: string[]; of: number }) =>
          `${p.layers.length} of the ${p.of} layers of block '${p.block}' (${p.layers.slice(0, 3).join(', ')}${p.layers.length > 3 ? ', …' : ''})`;
        const what = parts.slice(0, 2).map(one).join(' and ') + (parts.length > 2 ? `, and layers of ${parts.length - 2} more blocks` : '');
        return `Copied ${what}: a part of a block pastes as plain layers, outside any block. To copy a block, select it whole (click its node, or its frame's title).`;
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
        if (graph.blocks?.length) {
          // A whole block is duplicated as a block: through the clipboard's copy and paste.
          const text = copyToText(graph, selection.nodes);
          const read = text === null ? null : readClipboardText(text);
          if (read?.ok && read.content.blocks?.length) {
            // Beside the selection (to its right, 60 px apart), not on top of it: a collapsed copy would hide the original.
            const chosen = new Set(selection.nodes);
            const picked = graph.nodes.filter((n) => chosen.has(n.id));
            const x0 = Math.min(...picked.map((n) => n.position.x));
            const x1 = Math.max(...picked.map((n) => n.position.x + nodeSize(n).width));
            const p = pasteContent(graph, read.content, { offset: { x: x1 - x0 + 60, y: 0 } });
            set({ graph: p.graph, selection: { nodes: p.nodes, edges: p.edges } });
            return;
          }
        }
        const r = duplicate(graph, selection.nodes);
        set({ graph: r.graph, selection: { nodes: r.ids, edges: [] } });
      },
      setTraining(patch) {
        set({ training: { ...get().training, ...patch } });
      },
      groupSelection(name) {
        const { graph, selection, layoutDirection } = get();
        const r = groupIntoBlock(graph, selection.nodes, name.trim());
        if (!r.ok) return r.reason;
        const g = withBlock(r.graph, r.id, (b) => ({ ...b, collapsed: true }));
        set({ graph: reflowForBlock(g, r.id, true, layoutDirection), selection: { nodes: selection.nodes, edges: [] } });
        return null;
      },
      renameBlock(blockId, name, field) {
        const r = renameBlockOp(get().graph, blockId, name);
        if (!r.ok) return r.reason;
        if (r.graph !== get().graph) setGraph(set, get().graph, r.graph, field);
        return null;
      },
      ungroupBlock(blockId) {
        const g = get().graph;
        const b = blockById(g, blockId);
        // A collapsed block's layers come back where they were: make their room first (as expanding does).
        const gone = b && !b.callOf ? (g.blocks ?? []).filter((c) => c.id === blockId || c.callOf === blockId) : b ? [b] : [];
        const r = ungroupBlockOp(expandAll(g, gone, get().layoutDirection), blockId);
        if (!r.ok) return r.reason;
        set({ graph: r.graph });
        return null;
      },
      setBlockCollapsed(blockId, collapsed) {
        const g = get().graph;
        const b = blockById(g, blockId);
        if (!b || !!b.collapsed === collapsed) return;
        const flagged = withBlock(g, blockId, ({ collapsed: _c, ...rest }) => (collapsed ? { ...rest, collapsed: true } : rest));
        set({ graph: reflowForBlock(flagged, blockId, collapsed, get().layoutDirection) });
      },
      repeatBlock(blockId, n, mode) {
        const dir = get().layoutDirection;
        const collapsed = !!blockById(get().graph, blockId)?.collapsed;
        // The core places repeats by the layers' positions: a collapsed block is repeated as if expanded, then collapsed again.
        const g = collapsed ? reflowForBlock(get().graph, blockId, false, dir) : get().graph;
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
        const shift = n * (repeatStep(ys) + REPEAT_SPREAD);
        // The repeats go below the block (core repeatBlock), each REPEAT_SPREAD further apart than the core puts them (a
        // layout's gap between the last layer of one and the first of the next); the layers that were below the block
        // move down by the room the repeats take.
        const before = new Set(g.nodes.map((x) => x.id));
        const rank = new Map(r.ids.map((id, k) => [id, k + 1]));
        const nodes = r.graph.nodes.map((x) => {
          const k = x.block !== undefined ? rank.get(x.block) : undefined;
          if (k !== undefined) return { ...x, position: { x: x.position.x, y: x.position.y + k * REPEAT_SPREAD } };
          return before.has(x.id) && !members.has(x.id) && x.position.y > bottom ? { ...x, position: { x: x.position.x, y: x.position.y + shift } } : x;
        });
        const added = new Set(r.ids);
        const blocks = r.graph.blocks?.map((b) => (added.has(b.id) && collapsed ? { ...b, collapsed: true } : b));
        let out: Graph = { ...r.graph, nodes, ...(blocks ? { blocks } : {}) };
        if (collapsed) for (const id of [blockId, ...r.ids]) out = reflowForBlock(out, id, true, dir);
        set({
          graph: out,
          selection: { nodes: out.nodes.filter((x) => x.block !== undefined && added.has(x.block)).map((x) => x.id), edges: [] },
        });
        return null;
      },
      flattenBlocks() {
        let g = get().graph;
        if (!g.blocks?.length) return;
        g = expandAll(g, g.blocks, get().layoutDirection);
        for (const b of g.blocks ?? []) {
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
