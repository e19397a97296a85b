/**
 * How blocks (Keras nested models, core/graph/blocks.ts) are drawn, as plain data the canvas maps to React Flow:
 * - a collapsed block call is one node (BlockNodeView, id = the block's id) standing for its members, which are not
 *   drawn; it has one input handle per nested-model input (`blockInputHandle(k)`) and one output handle per output
 *   (`blockOutputHandle(k)`), in the order of core `blockInterface`;
 * - a connection into or out of a collapsed block's members is re-routed to the block node's handle of that tensor
 *   (several connections of one outer tensor into several members become one, which stands for all of them);
 *   connections among its members are not drawn;
 * - an expanded block is a frame behind its members (BlockFrameView, id `frameId(block)`) with its name.
 * The routing depends on the model only (`blockRouting`, cached per graph); the placement of block nodes and
 * frames depends on the positions (`blockPlacement`).
 */
import { blockInterface, edgeOutput, type BlockInterface, type Edge, type Graph, type TensorRef, type XY } from '../core';

/** The target handle id of input k of a collapsed block's node. */
export const blockInputHandle = (k: number): string => `bin-${k}`;
/** The source handle id of output k of a collapsed block's node. */
export const blockOutputHandle = (k: number): string => `bout-${k}`;
/** The input index a block node's target handle stands for, or null for another handle id. */
export function blockInputOf(handle: string | null | undefined): number | null {
  const m = /^bin-(\d+)$/.exec(handle ?? '');
  return m ? Number(m[1]) : null;
}
/** The output index a block node's source handle stands for, or null for another handle id. */
export function blockOutputOf(handle: string | null | undefined): number | null {
  const m = /^bout-(\d+)$/.exec(handle ?? '');
  return m ? Number(m[1]) : null;
}

/** The React Flow id of the frame drawn behind an expanded block's members. */
export const frameId = (blockId: string): string => `frame:${blockId}`;
/** The block id a frame id stands for, or null. */
export const blockOfFrame = (id: string): string | null => (id.startsWith('frame:') ? id.slice(6) : null);

/** Where one flat connection is drawn: its ends on the canvas (a block node and its handle for a collapsed member). */
export interface RoutedEdge {
  /** The drawn edge's id: the first flat connection it stands for (its shape label is that tensor's). */
  readonly id: string;
  /** Every flat connection it stands for (one outer tensor feeding several members of a collapsed block). */
  readonly edges: readonly Edge[];
  readonly source: string;
  /** The block output handle when the source is a collapsed block; absent otherwise (the layer's own handles apply). */
  readonly sourceHandle?: string;
  readonly target: string;
  readonly targetHandle?: string;
}

export interface BlockRouting {
  /** Each block call with members, by block id. */
  readonly interfaces: ReadonlyMap<string, BlockInterface>;
  /** The collapsed block ids, in `graph.blocks` order. */
  readonly collapsed: readonly string[];
  /** The collapsed block each hidden member belongs to. */
  readonly hiddenIn: ReadonlyMap<string, string>;
  /**
   * Every flat connection that touches a collapsed block, by id → how it is drawn; null for one drawn nowhere (inside
   * a collapsed block, or a further connection of an outer tensor already drawn into that block input).
   */
  readonly routed: ReadonlyMap<string, RoutedEdge | null>;
}

const EMPTY: BlockRouting = { interfaces: new Map(), collapsed: [], hiddenIn: new Map(), routed: new Map() };
const routings = new WeakMap<Graph, BlockRouting>();
const tkey = (t: TensorRef): string => `${t.node}:${t.output}`;

/**
 * The routing of `graph`'s blocks (see the module comment); cached per graph object (pass the model, store/derived
 * `modelOf`, so moves do not recompute it). O(blocks × (nodes + edges)); a graph without blocks costs nothing.
 */
export function blockRouting(graph: Graph): BlockRouting {
  if (!graph.blocks?.length) return EMPTY;
  let r = routings.get(graph);
  if (r) return r;
  const interfaces = new Map<string, BlockInterface>();
  for (const b of graph.blocks) {
    if (!graph.nodes.some((n) => n.block === b.id)) continue;
    const itf = blockInterface(graph, b.id);
    if (itf) interfaces.set(b.id, itf);
  }
  const collapsed = graph.blocks.filter((b) => b.collapsed && interfaces.has(b.id)).map((b) => b.id);
  const hiddenIn = new Map<string, string>();
  const outIndex = new Map<string, Map<string, number>>();
  const inIndex = new Map<string, Map<string, number>>();
  for (const id of collapsed) {
    const itf = interfaces.get(id)!;
    for (const m of itf.members) hiddenIn.set(m, id);
    outIndex.set(id, new Map(itf.outputs.map((t, k) => [tkey(t), k])));
    inIndex.set(id, new Map(itf.inputs.map((inp, k) => [tkey(inp.tensor), k])));
  }
  const routed = new Map<string, RoutedEdge | null>();
  const drawn = new Map<string, { id: string; edges: Edge[] } & Omit<RoutedEdge, 'id' | 'edges'>>();
  for (const e of graph.edges) {
    const sb = hiddenIn.get(e.source);
    const tb = hiddenIn.get(e.target);
    if (sb === undefined && tb === undefined) continue;
    if (sb !== undefined && sb === tb) {
      routed.set(e.id, null);
      continue;
    }
    const t = { node: e.source, output: edgeOutput(e) };
    const ends = {
      source: sb ?? e.source,
      ...(sb !== undefined ? { sourceHandle: blockOutputHandle(outIndex.get(sb)!.get(tkey(t)) ?? 0) } : {}),
      target: tb ?? e.target,
      ...(tb !== undefined ? { targetHandle: blockInputHandle(inIndex.get(tb)!.get(tkey(t)) ?? 0) } : {}),
    };
    // One drawn edge per block input: the first connection of that tensor draws it, the others join it.
    const key = tb !== undefined ? `${ends.target}|${ends.targetHandle}` : e.id;
    const same = drawn.get(key);
    if (same) {
      same.edges.push(e);
      routed.set(e.id, null);
      continue;
    }
    const d = { id: e.id, edges: [e], ...ends };
    drawn.set(key, d);
    routed.set(e.id, d);
  }
  r = { interfaces, collapsed, hiddenIn, routed };
  routings.set(graph, r);
  return r;
}

/** A frame behind an expanded block's members, in canvas pixels. */
export interface BlockFrame {
  readonly blockId: string;
  readonly position: XY;
  readonly width: number;
  readonly height: number;
}

/**
 * Room around an expanded block's members inside its frame, and the frame's title bar under them, in px. The title is
 * at the bottom: the label of a connection into the block sits half-way along it, in the room above the frame, and
 * expanding a block leaves FRAME_FOOTER_ROOM more under it (store `reflowForBlock`), so the label of the connection
 * out of it clears the title too.
 */
export const FRAME_PAD = 14;
export const FRAME_FOOTER = 36;
/**
 * The narrowest frame whose title bar shows block `name` whole: the chevron, the class ('Functional'), the name at
 * about 7.5 px a character, and the counts line ('3 layers · 2,384 params (shared)', about 200 px), in px.
 */
export const frameMinWidth = (name: string): number => Math.max(210, Math.ceil(130 + 7.5 * name.length));
/** A layer node's size before React Flow has measured it (its CSS width, a typical height). */
export const DEFAULT_NODE_SIZE = { width: 190, height: 84 };

/**
 * Where the block nodes and frames go, from the current positions: a collapsed block's node at its members' top-left
 * corner (so dragging it moves them all by the same amount, and expanding puts them back around it); an expanded
 * block's frame around its members (their measured sizes, `size`), with FRAME_PAD around and FRAME_FOOTER below, and
 * at least `frameMinWidth` wide (widened to the right).
 */
export function blockPlacement(
  graph: Graph,
  routing: BlockRouting,
  size: (id: string) => { readonly width: number; readonly height: number } | undefined,
): { readonly nodes: ReadonlyMap<string, XY>; readonly frames: readonly BlockFrame[] } {
  const nodes = new Map<string, XY>();
  const frames: BlockFrame[] = [];
  if (!routing.interfaces.size) return { nodes, frames };
  const box = new Map<string, { x0: number; y0: number; x1: number; y1: number }>();
  for (const n of graph.nodes) {
    if (n.block === undefined || !routing.interfaces.has(n.block)) continue;
    const s = size(n.id) ?? DEFAULT_NODE_SIZE;
    const b = box.get(n.block);
    const { x, y } = n.position;
    if (!b) box.set(n.block, { x0: x, y0: y, x1: x + s.width, y1: y + s.height });
    else {
      b.x0 = Math.min(b.x0, x);
      b.y0 = Math.min(b.y0, y);
      b.x1 = Math.max(b.x1, x + s.width);
      b.y1 = Math.max(b.y1, y + s.height);
    }
  }
  const collapsed = new Set(routing.collapsed);
  for (const [id, b] of box) {
    if (collapsed.has(id)) nodes.set(id, { x: b.x0, y: b.y0 });
    else
      frames.push({
        blockId: id,
        position: { x: b.x0 - FRAME_PAD, y: b.y0 - FRAME_PAD },
        width: Math.max(b.x1 - b.x0 + 2 * FRAME_PAD, frameMinWidth(routing.interfaces.get(id)!.block.name)),
        height: b.y1 - b.y0 + FRAME_PAD + FRAME_FOOTER,
      });
  }
  return { nodes, frames };
}

/**
 * The member moves that move a block node or frame from `from` to `to` (canvas pixels): every member of block
 * `blockId` by the same amount.
 */
export function membersMoved(graph: Graph, blockId: string, from: XY, to: XY): Map<string, XY> {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const out = new Map<string, XY>();
  for (const n of graph.nodes) if (n.block === blockId) out.set(n.id, { x: n.position.x + dx, y: n.position.y + dy });
  return out;
}
