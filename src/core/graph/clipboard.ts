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
 */
import { layerDef } from '../layers/registry';
import { defaultParams } from '../layers/define';
import { parseProjectJson, PROJECT_FORMAT, PROJECT_VERSION } from '../serialize/project';
import { checkName, namePrefix } from './naming';
import { newId } from './ops';
import { layerIdOf } from './shared';
import type { Edge, Graph, LayerNode, XY } from './types';

export const CLIPBOARD_FORMAT = 'layerlab-clipboard';
/** The envelope's version (its own keys); the nodes and edges inside follow the project format of `projectVersion`. */
export const CLIPBOARD_VERSION = 1;
/** Longest clipboard text read, in characters (a 5,000-layer selection is about 2 MB). */
export const MAX_CLIPBOARD_CHARS = 20_000_000;

/** Layers read from clipboard text, positions as copied (canvas pixels). */
export interface ClipboardContent {
  readonly nodes: readonly LayerNode[];
  readonly edges: readonly Edge[];
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
 * The clipboard text of the nodes `ids` and the edges among them (edges with one end outside are left out).
 * A call whose layer's owner is not among `ids` is written as owned by the first copied call of that layer
 * (see the module comment). Returns null when no node of `ids` is in the graph.
 */
export function copyToText(graph: Graph, ids: Iterable<string>): string | null {
  const wanted = new Set(ids);
  const nodes = graph.nodes.filter((n) => wanted.has(n.id));
  if (!nodes.length) return null;
  // The copied owner of each layer: its own owner when copied, else the first copied call.
  const ownerOf = new Map<string, string>();
  for (const n of nodes) {
    const layer = layerIdOf(n);
    if (!ownerOf.has(layer)) ownerOf.set(layer, wanted.has(layer) ? layer : n.id);
  }
  const out = nodes.map((n) => {
    const owner = ownerOf.get(layerIdOf(n))!;
    const { layerOf: _drop, ...rest } = n;
    return owner === n.id ? rest : { ...rest, layerOf: owner };
  });
  const edges = graph.edges.filter((e) => wanted.has(e.source) && wanted.has(e.target));
  return JSON.stringify({ format: CLIPBOARD_FORMAT, version: CLIPBOARD_VERSION, projectVersion: PROJECT_VERSION, nodes: out, edges });
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
  const r = parseProjectJson(JSON.stringify({ format: PROJECT_FORMAT, version: pv, graph: { name: 'clipboard', nodes: raw.nodes, edges: raw.edges } }));
  if (!r.ok) return { ok: false, reason: reworded(r.reason).replace('The file is a version', 'The clipboard holds layers of project version') };
  const unknown = r.project.graph.nodes.find((n) => !layerDef(n.kind));
  if (unknown)
    return {
      ok: false,
      reason: `The clipboard text has a layer of unknown kind ${JSON.stringify(unknown.kind.slice(0, 60))} (layer ${JSON.stringify(unknown.name.slice(0, 60))}); nothing was pasted.`,
    };
  return { ok: true, content: { nodes: r.project.graph.nodes, edges: r.project.graph.edges }, notes: r.notes.map(reworded) };
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
 * (in their copied order, so merge inputs keep their order), positions relative to each other as copied.
 * Parameters the kind lacks get Keras's default (the reader has noted it). Graph.outputs is left as it was.
 * @returns the new graph and the ids of the new nodes and edges.
 */
export function pasteContent(graph: Graph, content: ClipboardContent, place: PastePlacement = {}): { graph: Graph; nodes: string[]; edges: string[] } {
  const nameFor = keepOrNumber(graph.nodes.map((n) => n.name));
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
  const nodes: LayerNode[] = content.nodes.map((n) => {
    const def = layerDef(n.kind);
    if (!def) throw new Error(`Unknown layer kind '${n.kind}'`);
    const owner = n.layerOf && idMap.has(n.layerOf) ? n.layerOf : n.id;
    let name = layerName.get(owner);
    if (name === undefined) {
      name = nameFor(n.name, n.kind);
      layerName.set(owner, name);
    }
    const copy: LayerNode = {
      id: idMap.get(n.id)!,
      kind: n.kind,
      name,
      params: { ...defaultParams(def), ...n.params },
      position: { x: n.position.x + dx, y: n.position.y + dy },
    };
    return owner === n.id ? copy : { ...copy, layerOf: idMap.get(owner)! };
  });
  // A call's kind and parameters are its owner's (graph/shared.ts): make sure, whatever the text said.
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const fixed = nodes.map((n) => (n.layerOf ? { ...n, kind: byId.get(n.layerOf)!.kind, params: byId.get(n.layerOf)!.params } : n));
  const edges: Edge[] = content.edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e) => ({ id: newId('e'), source: idMap.get(e.source)!, target: idMap.get(e.target)!, ...(e.output ? { output: e.output } : {}) }));
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...fixed], edges: [...graph.edges, ...edges] },
    nodes: fixed.map((n) => n.id),
    edges: edges.map((e) => e.id),
  };
}
