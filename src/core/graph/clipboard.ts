/**
 * Copy and paste of layers as text (the system clipboard), so a selection moves between tabs and projects.
 *
 * The text is a small JSON envelope:
 * `{ "format": "layerlab-clipboard", "version": 1, "projectVersion": N, "nodes": [...], "edges": [...] }`
 * whose nodes and edges are written exactly as a project file of version N writes them (graph/types.ts), so
 * pasting reads them back through the project reader (serialize/project.ts `parseProjectJson`: migrations,
 * the zod structure, parameter repairs with notes). Malformed text is refused with the reason and changes nothing.
 *
 * Shared layers: calls of one layer inside the selection stay calls of one layer among the copies (the first
 * copied call owns it). A call whose owner is not copied is not linked back to the layer it came from, which
 * may live in another project: the copied calls of that layer become one new layer (own weights), shared among
 * themselves. A copy is a copy; "Call again" makes a further call of the same weights.
 *
 * Blocks (Keras nested models, blocks.ts): a block all of whose layers are copied is copied as a block (the envelope's
 * `blocks`, each with its name, collapsed or expanded state, Sequential flag and declared outputs), and pastes as a new
 * nested model with a free name; further calls copied with their first call stay calls of the copy. A further call
 * copied without its first call becomes a nested model of its own (weights of its own, as a copied shared layer does).
 * Layers of a block copied without the rest of it paste outside any block (`partialBlocks` names them, so the UI can
 * say so when copying): a part of a nested model is not a nested model.
 */
import { layerDef } from '../layers/registry';
import { defaultParams } from '../layers/define';
import { parseProjectJson, PROJECT_FORMAT, PROJECT_VERSION } from '../serialize/project';
import { blockInterface, membersByBlock } from './blocks';
import { checkName, namePrefix } from './naming';
import { newId } from './ops';
import { layerIdOf } from './shared';
import { isFrozen, withTrainable } from './frozen';
import type { Block, Edge, Graph, LayerNode, TensorRef, XY } from './types';

export const CLIPBOARD_FORMAT = 'layerlab-clipboard';
/** The envelope's version (its own keys); the nodes and edges inside follow the project format of `projectVersion`. */
export const CLIPBOARD_VERSION = 1;
/** Longest clipboard text read, in characters (a 5,000-layer selection is about 2 MB). */
export const MAX_CLIPBOARD_CHARS = 20_000_000;

/** Layers read from clipboard text, positions as copied (canvas pixels). */
export interface ClipboardContent {
  readonly nodes: readonly LayerNode[];
  readonly edges: readonly Edge[];
  /** The blocks copied whole (the nodes' `block` names them); absent or empty for none. */
  readonly blocks?: readonly Block[];
}

/** What `readClipboardText` gives: the layers and what was repaired to read them, or why the text cannot be pasted. */
export type ClipboardReadResult =
  | { ok: true; content: ClipboardContent; notes: string[] }
  | {
      ok: false;
      reason: string;
      /** Set when the text is a whole model rather than copied layers: the UI may offer to open it. */
      whole?: 'project' | 'keras';
    };

/**
 * The blocks only some of whose layers are among `ids` (those layers are copied outside any block): each block's
 * name, the names of its copied layers and how many layers it has, in `graph.blocks` order. Empty when every block
 * touched is copied whole.
 */
export function partialBlocks(graph: Graph, ids: Iterable<string>): { block: string; layers: string[]; of: number }[] {
  const wanted = new Set(ids);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: { block: string; layers: string[]; of: number }[] = [];
  for (const [bid, members] of membersByBlock(graph)) {
    const picked = members.filter((m) => wanted.has(m));
    if (picked.length && picked.length < members.length)
      out.push({ block: graph.blocks!.find((b) => b.id === bid)!.name, layers: picked.map((m) => byId.get(m)!.name), of: members.length });
  }
  return out;
}

const tkey = (t: TensorRef): string => `${t.node}:${t.output}`;

/**
 * The clipboard text of the nodes `ids` and the edges among them (edges with one end outside are left out).
 * A call whose layer's owner is not among `ids` is written as owned by the first copied call of that layer
 * (see the module comment). Blocks all of whose layers are in `ids` are written with them (a further call whose
 * first call is not copied becomes a first call: the first such call of its nested model, the others its calls);
 * the layers of a block copied in part are written outside any block, and never share a layer with a copied block.
 * Returns null when no node of `ids` is in the graph.
 */
export function copyToText(graph: Graph, ids: Iterable<string>): string | null {
  const wanted = new Set(ids);
  const nodes = graph.nodes.filter((n) => wanted.has(n.id));
  if (!nodes.length) return null;
  // Blocks copied whole.
  const members = membersByBlock(graph);
  const whole = (graph.blocks ?? []).filter((b) => {
    const m = members.get(b.id);
    return !!m?.length && m.every((id) => wanted.has(id));
  });
  const wholeIds = new Set(whole.map((b) => b.id));
  const inWhole = (n: LayerNode) => n.block !== undefined && wholeIds.has(n.block);
  // Each copied block's first call among the copies: its own first call when copied, else the first copied call.
  const firstOf = new Map<string, string>();
  const newFirst = new Map<string, string>();
  for (const b of whole) {
    const orig = b.callOf ?? b.id;
    if (wholeIds.has(orig)) firstOf.set(b.id, orig);
    else {
      if (!newFirst.has(orig)) newFirst.set(orig, b.id);
      firstOf.set(b.id, newFirst.get(orig)!);
    }
  }
  // The copied owner of each layer, apart for the layers of copied blocks and the others (a layer never belongs to
  // both a nested model and the outer model): the members of each copied first call own theirs; otherwise its own
  // owner when copied (in the same part), else the first copied call.
  const key = (n: LayerNode) => `${inWhole(n) ? 'b' : 'o'}:${layerIdOf(n)}`;
  const ownerOf = new Map<string, string>();
  for (const n of nodes) if (inWhole(n) && firstOf.get(n.block!) === n.block) ownerOf.set(key(n), n.id);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const n of nodes) {
    const k = key(n);
    if (ownerOf.has(k)) continue;
    const layer = layerIdOf(n);
    const own = wanted.has(layer) && key(byId.get(layer)!) === k;
    ownerOf.set(k, own ? layer : n.id);
  }
  const out = nodes.map((n) => {
    const owner = ownerOf.get(key(n))!;
    const { layerOf: _drop, block: _block, ...rest } = n;
    const base = inWhole(n) ? { ...rest, block: n.block } : rest;
    return owner === n.id ? base : { ...base, layerOf: owner };
  });
  const edges = graph.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target));
  const blocks = whole.map((b) => copiedBlock(graph, b, firstOf.get(b.id)!, out, edges));
  return JSON.stringify({
    format: CLIPBOARD_FORMAT,
    version: CLIPBOARD_VERSION,
    projectVersion: PROJECT_VERSION,
    nodes: out,
    edges,
    ...(blocks.length ? { blocks } : {}),
  });
}

/**
 * Block `b` as copied, when `first` is the id of its first call among the copies (`b.id` for a first call): its name,
 * collapsed state, `callOf` for a further call; a first call keeps its nested model's Sequential flag and its declared
 * outputs, or — when the copies alone would not give the nested model the same outputs (a tensor read only outside
 * the copied layers) — declares the outputs it has now, so the pasted model has the same interface.
 */
function copiedBlock(graph: Graph, b: Block, first: string, nodes: readonly LayerNode[], edges: readonly Edge[]): Block {
  const view = { ...(b.collapsed ? { collapsed: true } : {}) };
  if (first !== b.id) return { id: b.id, name: b.name, callOf: first, ...view };
  const orig = b.callOf ? (graph.blocks?.find((x) => x.id === b.callOf) ?? b) : b;
  const outputs = blockInterface(graph, b.id)?.outputs ?? [];
  const plain: Block = { id: b.id, name: b.name, ...view, ...(orig.sequential ? { sequential: true } : {}) };
  if (orig.outputs?.length) return { ...plain, outputs };
  const alone: Graph = { name: 'copy', nodes, edges, blocks: [plain] };
  const derived = blockInterface(alone, b.id)?.outputs ?? [];
  const same = derived.length === outputs.length && derived.every((t, i) => tkey(t) === tkey(outputs[i]));
  return same ? plain : { ...plain, outputs };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The project reader's wording for a clipboard: "the clipboard text" and paths without the "graph." prefix. */
const reworded = (s: string): string =>
  s
    .replace(/^The project file is malformed at graph\./, 'The clipboard text is malformed at ')
    .replace(/^The project file/, 'The clipboard text')
    .replace(/^graph\./, '');

/**
 * Reads clipboard text written by `copyToText` (this build or an older one).
 * @returns the layers with their ids, names, parameters, positions, shared calls and edges as copied (repairs noted
 *   as the project reader notes them: a missing parameter gets its default), or the reason the text is refused:
 *   not JSON, not Layerlab layers (a Layerlab project or a Keras model JSON is recognised: `whole` says which), a
 *   newer version, malformed structure (naming where, e.g. "nodes.0.position.x: must be a finite number"), or an
 *   unknown layer kind (named). Never throws.
 */
export function readClipboardText(text: string): ClipboardReadResult {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, reason: 'The clipboard is empty: copy some layers first (Ctrl+C).' };
  if (text.length > MAX_CLIPBOARD_CHARS)
    return { ok: false, reason: `The clipboard text is too long to paste (${text.length} characters; at most ${MAX_CLIPBOARD_CHARS}).` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'The clipboard holds text that is not Layerlab layers (it is not JSON): copy layers on a Layerlab canvas first.' };
  }
  if (!isObject(raw) || raw.format !== CLIPBOARD_FORMAT) {
    if (isObject(raw) && raw.format === PROJECT_FORMAT)
      return { ok: false, reason: 'The clipboard holds a whole Layerlab project, not copied layers.', whole: 'project' };
    if (isObject(raw) && (('class_name' in raw && 'config' in raw) || 'modelTopology' in raw || 'model_config' in raw))
      return { ok: false, reason: 'The clipboard holds a Keras / tfjs model JSON, not copied layers.', whole: 'keras' };
    return { ok: false, reason: `The clipboard holds JSON that is not Layerlab layers (its "format" should be "${CLIPBOARD_FORMAT}").` };
  }
  const v = raw.version;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > CLIPBOARD_VERSION)
    return {
      ok: false,
      reason:
        typeof v === 'number' && Number.isInteger(v) && v > CLIPBOARD_VERSION
          ? `The clipboard holds layers from a newer Layerlab (clipboard version ${v}; this one reads version ${CLIPBOARD_VERSION}).`
          : `The clipboard text has no valid version ("version" should be a whole number from 1 to ${CLIPBOARD_VERSION}).`,
    };
  if (!Array.isArray(raw.nodes) || !Array.isArray(raw.edges))
    return { ok: false, reason: 'The clipboard text is malformed: it needs a list of "nodes" and a list of "edges".' };
  if (!raw.nodes.length) return { ok: false, reason: 'The clipboard text holds no layers.' };
  // The nodes and edges go through the project reader as the graph of a project of the version they were written in.
  const pv = raw.projectVersion === undefined ? PROJECT_VERSION : raw.projectVersion;
  const blocks = Array.isArray(raw.blocks) && raw.blocks.length ? { blocks: raw.blocks } : {};
  const r = parseProjectJson(
    JSON.stringify({ format: PROJECT_FORMAT, version: pv, graph: { name: 'clipboard', nodes: raw.nodes, edges: raw.edges, ...blocks } }),
  );
  if (!r.ok) return { ok: false, reason: reworded(r.reason).replace('The file is a version', 'The clipboard holds layers of project version') };
  const unknown = r.project.graph.nodes.find((n) => !layerDef(n.kind));
  if (unknown)
    return {
      ok: false,
      reason: `The clipboard text has a layer of unknown kind ${JSON.stringify(unknown.kind.slice(0, 60))} (layer ${JSON.stringify(unknown.name.slice(0, 60))}); nothing was pasted.`,
    };
  const g = r.project.graph;
  return { ok: true, content: { nodes: g.nodes, edges: g.edges, ...(g.blocks?.length ? { blocks: g.blocks } : {}) }, notes: r.notes.map(reworded) };
}

/**
 * A namer that keeps a name when it is valid and free, and otherwise gives the first free `base`, `base_1`, …
 * where `base` is the name without a trailing `_N` (Keras's numbering; `dense_3` → `dense_1` when `dense` is taken),
 * or the kind's Keras prefix when the name is invalid. Linear overall: one set of taken names and, per base, the
 * lowest suffix that may still be free.
 */
function keepOrNumber(taken: Iterable<string>): (name: string, kind: string) => string {
  const used = new Set(taken);
  const cursor = new Map<string, number>();
  return (name, kind) => {
    let out = name;
    if (checkName(name) !== null || used.has(name)) {
      const base = checkName(name) === null ? name.replace(/_\d+$/, '') || namePrefix(kind) : namePrefix(kind);
      if (!used.has(base)) out = base;
      else {
        let i = cursor.get(base) ?? 1;
        while (used.has(`${base}_${i}`)) i++;
        cursor.set(base, i + 1);
        out = `${base}_${i}`;
      }
    }
    used.add(out);
    return out;
  };
}

/** Where the pasted layers go: their top-left corner at `at` (the pointer, canvas pixels), else as copied, offset. */
export interface PastePlacement {
  readonly at?: XY;
  /** Offset from the copied positions when `at` is absent (default 40, 40), repeated while a copy would sit exactly on a layer. */
  readonly offset?: XY;
}

/**
 * Adds clipboard layers to a graph: new ids, names kept when free and otherwise numbered (`keepOrNumber`; the
 * calls of one shared layer keep one name), shared calls among the copies kept, edges with their `output` index
 * (in their copied order, so merge inputs keep their order), positions relative to each other as copied, and every
 * other field of a node as copied. Copied blocks become new blocks (new ids; a first call's name kept when free
 * among the layer and block names, else numbered, its further calls sharing it; collapsed state, Sequential flag and
 * declared outputs kept). Parameters the kind lacks get Keras's default (the reader has noted it). Graph.outputs is
 * left as it was.
 * @returns the new graph and the ids of the new nodes, edges and blocks.
 */
export function pasteContent(
  graph: Graph,
  content: ClipboardContent,
  place: PastePlacement = {},
): { graph: Graph; nodes: string[]; edges: string[]; blocks: string[] } {
  // Layer and block names share one namespace (a block's name is a layer name of the outer model).
  const nameFor = keepOrNumber([...graph.nodes.map((n) => n.name), ...(graph.blocks ?? []).map((b) => b.name)]);
  const idMap = new Map<string, string>();
  const layerName = new Map<string, string>();
  let minX = Infinity;
  let minY = Infinity;
  for (const n of content.nodes) {
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
  }
  let dx: number;
  let dy: number;
  if (place.at) {
    dx = Math.round(place.at.x - minX);
    dy = Math.round(place.at.y - minY);
  } else {
    const step = place.offset ?? { x: 40, y: 40 };
    const occupied = new Set(graph.nodes.map((n) => `${n.position.x},${n.position.y}`));
    dx = step.x;
    dy = step.y;
    // Pasting the same text again moves on, so copies never hide under each other.
    for (let k = 0; k < 1000 && content.nodes.some((n) => occupied.has(`${n.position.x + dx},${n.position.y + dy}`)); k++) {
      dx += step.x;
      dy += step.y;
    }
  }
  for (const n of content.nodes) idMap.set(n.id, newId('n'));
  // Blocks: those with pasted members, new ids; a further call whose first call is not pasted becomes a first call.
  const pastedIn = new Set(content.nodes.map((n) => n.block).filter((b): b is string => b !== undefined));
  const copiedBlocks = (content.blocks ?? []).filter((b) => pastedIn.has(b.id));
  const blockMap = new Map(copiedBlocks.map((b) => [b.id, newId('b')]));
  const nodes: LayerNode[] = content.nodes.map((n) => {
    const def = layerDef(n.kind);
    if (!def) throw new Error(`Unknown layer kind '${n.kind}'`);
    const owner = n.layerOf && idMap.has(n.layerOf) ? n.layerOf : n.id;
    let name = layerName.get(owner);
    if (name === undefined) {
      name = nameFor(n.name, n.kind);
      layerName.set(owner, name);
    }
    // Every field as copied (e.g. a frozen layer's flag), then what the paste decides.
    const { id: _id, layerOf: _layerOf, block: _block, ...fields } = n;
    const block = n.block !== undefined ? blockMap.get(n.block) : undefined;
    const copy: LayerNode = {
      ...fields,
      id: idMap.get(n.id)!,
      kind: n.kind,
      name,
      params: { ...defaultParams(def), ...n.params },
      position: { x: n.position.x + dx, y: n.position.y + dy },
      ...(block !== undefined ? { block } : {}),
    };
    return owner === n.id ? copy : { ...copy, layerOf: idMap.get(owner)! };
  });
  // A call's kind and parameters are its owner's (graph/shared.ts): make sure, whatever the text said.
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const fixed = nodes.map((n) => {
    const o = n.layerOf ? byId.get(n.layerOf)! : null;
    return o ? withTrainable({ ...n, kind: o.kind, params: o.params }, !isFrozen(o)) : n;
  });
  const edges: Edge[] = content.edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e) => ({ id: newId('e'), source: idMap.get(e.source)!, target: idMap.get(e.target)!, ...(e.output ? { output: e.output } : {}) }));
  const blockName = new Map<string, string>();
  const blocks: Block[] = [];
  // First calls before further calls, so each further call finds its first call's new name.
  const isCall = (b: Block) => b.callOf !== undefined && blockMap.has(b.callOf);
  for (const b of [...copiedBlocks.filter((x) => !isCall(x)), ...copiedBlocks.filter(isCall)]) {
    const first = b.callOf !== undefined && blockMap.has(b.callOf) ? b.callOf : null;
    const id = blockMap.get(b.id)!;
    const view = b.collapsed ? { collapsed: true } : {};
    if (first !== null) {
      blocks.push({ id, name: blockName.get(first) ?? b.name, callOf: blockMap.get(first)!, ...view });
      continue;
    }
    const name = nameFor(b.name, 'Block');
    blockName.set(b.id, name);
    const outputs = b.outputs?.filter((t) => idMap.has(t.node)).map((t) => ({ node: idMap.get(t.node)!, output: t.output }));
    blocks.push({ id, name, ...view, ...(b.sequential ? { sequential: true } : {}), ...(outputs?.length ? { outputs } : {}) });
  }
  return {
    graph: {
      ...graph,
      nodes: [...graph.nodes, ...fixed],
      edges: [...graph.edges, ...edges],
      ...(blocks.length ? { blocks: [...(graph.blocks ?? []), ...blocks] } : {}),
    },
    nodes: fixed.map((n) => n.id),
    edges: edges.map((e) => e.id),
    blocks: blocks.map((b) => b.id),
  };
}
