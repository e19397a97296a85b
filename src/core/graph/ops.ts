/**
 * Pure edit operations. Each returns a new graph, or a refusal with the reason to show the user;
 * none mutates its argument. The store's actions call these.
 */
import { layerDef, outputNamesOf } from '../layers/registry';
import { defaultParams } from '../layers/define';
import { checkParam } from '../layers/params';
import { autoName, autoNamer, checkModelName, checkName } from './naming';
import { incoming, reaches } from './topology';
import { layerIdOf } from './shared';
import { edgeOutput, outputRef, type Edge, type Graph, type LayerNode, type OutputEntry, type ParamValue, type Params, type XY } from './types';

export type EditResult = { ok: true; graph: Graph } | { ok: false; reason: string };

let counter = 0;
/** A fresh id, unique within this page and unlikely to collide with ids from saved graphs. */
export const newId = (prefix: string): string => `${prefix}_${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * Adds a layer of `kind` with Keras's default parameters and an auto-name.
 * @throws Error for an unknown kind (a programming error: the palette lists only known kinds).
 */
export function addNode(
  graph: Graph,
  kind: string,
  position: XY,
  opts: { id?: string; name?: string; params?: Params } = {},
): { graph: Graph; node: LayerNode } {
  const def = layerDef(kind);
  if (!def) throw new Error(`Unknown layer kind '${kind}'`);
  const node: LayerNode = {
    id: opts.id ?? newId('n'),
    kind,
    name:
      opts.name ??
      autoName(
        kind,
        graph.nodes.map((n) => n.name),
      ),
    params: { ...defaultParams(def), ...opts.params },
    position,
  };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, node };
}

/**
 * Connects output `output` of `source` (0, its first or only one; 1 = state_h of an LSTM with return_state, see
 * `outputNamesOf`) to a new input of `target`.
 * Refused, with the reason, when: either node is missing, it is a self-loop, the edge exists, the source has no
 * such output, the target takes no (more) inputs, or the edge would close a cycle.
 */
export function connect(graph: Graph, source: string, target: string, id = newId('e'), output = 0): EditResult {
  const s = graph.nodes.find((n) => n.id === source);
  const t = graph.nodes.find((n) => n.id === target);
  if (!s || !t) return { ok: false, reason: 'Both ends of a connection must be layers on the canvas.' };
  if (source === target) return { ok: false, reason: `'${t.name}' cannot take its own output as input: that would be a cycle.` };
  const names = outputNamesOf(s);
  if (!Number.isInteger(output) || output < 0 || output >= names.length)
    return { ok: false, reason: `'${s.name}' (${s.kind}) has no output ${output + 1}: it returns ${names.length === 1 ? 'one tensor' : names.join(', ')}.` };
  if (graph.edges.some((e) => e.source === source && e.target === target && edgeOutput(e) === output))
    return { ok: false, reason: `'${s.name}'${names.length > 1 ? ` (${names[output]})` : ''} is already connected to '${t.name}'.` };
  if (reaches(graph, target, source))
    return { ok: false, reason: `Connecting '${s.name}' → '${t.name}' would make a cycle: '${t.name}' already feeds '${s.name}'. A model must be acyclic.` };
  const def = layerDef(t.kind);
  const max = def?.inputs.max ?? 1;
  const have = incoming(graph).get(target)?.length ?? 0;
  if (max === 0) return { ok: false, reason: `'${t.name}' is an Input: it takes no inputs.` };
  if (have >= max)
    return {
      ok: false,
      reason: `'${t.name}' (${t.kind}) takes ${max === 1 ? 'one input' : `at most ${max} inputs`} and already has ${have}; merge tensors first with Concatenate, or remove the existing connection.`,
    };
  return { ok: true, graph: { ...graph, edges: [...graph.edges, output ? { id, source, target, output } : { id, source, target }] } };
}

/**
 * Removes the given nodes and every edge touching them. When the owner of a shared layer goes and
 * some of its calls stay, the first remaining call becomes the owner (the layer and its weights live on).
 */
export function removeNodes(graph: Graph, ids: Iterable<string>): Graph {
  const gone = new Set(ids);
  const heir = new Map<string, string>();
  for (const n of graph.nodes) if (n.layerOf && gone.has(n.layerOf) && !gone.has(n.id) && !heir.has(n.layerOf)) heir.set(n.layerOf, n.id);
  const { outputs: _outputs, blocks: _blocks, ...rest } = graph;
  return {
    ...rest,
    nodes: graph.nodes
      .filter((n) => !gone.has(n.id))
      .map((n) => {
        if (!n.layerOf || !heir.has(n.layerOf)) return n;
        const next = heir.get(n.layerOf)!;
        if (next === n.id) {
          const { layerOf: _old, ...owner } = n;
          return owner;
        }
        return { ...n, layerOf: next };
      }),
    edges: graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
    ...outputsWithout(graph, gone),
    ...blocksWithout(graph, gone),
  };
}

/**
 * `graph.blocks` without the blocks the removal empties: `{ blocks }`, or `{}` when none is left or there was none.
 * When a nested model's first call goes and further calls stay, the first remaining call becomes the first (its
 * members are the layers' heirs, as `removeNodes` makes them).
 */
function blocksWithout(graph: Graph, gone: ReadonlySet<string>): { blocks?: Graph['blocks'] } {
  if (!graph.blocks?.length) return {};
  const left = new Set(graph.nodes.filter((n) => !gone.has(n.id) && n.block !== undefined).map((n) => n.block!));
  const kept = graph.blocks.filter((b) => left.has(b.id));
  const heir = new Map<string, string>();
  for (const b of kept) if (b.callOf && !left.has(b.callOf) && !heir.has(b.callOf)) heir.set(b.callOf, b.id);
  const blocks = kept.map((b) => {
    if (!b.callOf || !heir.has(b.callOf)) return b;
    const next = heir.get(b.callOf)!;
    if (next !== b.id) return { ...b, callOf: next };
    const { callOf: _old, ...first } = b;
    return first;
  });
  return blocks.length ? { blocks } : {};
}

/** `graph.outputs` without the removed nodes: `{ outputs }`, or `{}` when none is left or there was none. */
function outputsWithout(graph: Graph, gone: ReadonlySet<string>): { outputs?: readonly OutputEntry[] } {
  const left = graph.outputs?.filter((o) => !gone.has(outputRef(o).node));
  return left && left.length ? { outputs: left } : {};
}

/**
 * Adds a further call of the layer `nodeId` belongs to (a shared layer: same weights), unconnected, at
 * `position`. Refused for an Input (an Input is not a layer that can be called).
 */
export function addCall(graph: Graph, nodeId: string, position: XY, id = newId('n')): EditResult & { id?: string } {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: 'No such layer.' };
  if (node.kind === 'Input') return { ok: false, reason: `'${node.name}' is an Input: connect its output to several layers instead of calling it again.` };
  const owner = graph.nodes.find((n) => n.id === layerIdOf(node)) ?? node;
  // A further call carries its layer's frozen flag (LayerNode.trainable), as it carries its parameters.
  const frozen = owner.trainable === false ? { trainable: false as const } : {};
  const call: LayerNode = { id, kind: owner.kind, name: owner.name, params: owner.params, position, layerOf: owner.id, ...frozen };
  return { ok: true, graph: { ...graph, nodes: [...graph.nodes, call] }, id };
}

/** Removes the given edges. */
export function removeEdges(graph: Graph, ids: Iterable<string>): Graph {
  const gone = new Set(ids);
  return { ...graph, edges: graph.edges.filter((e) => !gone.has(e.id)) };
}

/** Moves nodes to new positions (canvas pixels). */
export function moveNodes(graph: Graph, positions: ReadonlyMap<string, XY>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)) };
}

/**
 * Sets one parameter. Refused with the reason when the value does not fit the parameter's schema
 * (e.g. "units must be ≥ 1 (got 0)"); the graph keeps its last valid value.
 */
export function setParam(graph: Graph, nodeId: string, key: string, value: ParamValue): EditResult {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const spec = node && layerDef(node.kind)?.params[key];
  if (!node || !spec) return { ok: false, reason: `No parameter '${key}' on this layer.` };
  const bad = checkParam(spec, value);
  if (bad) return { ok: false, reason: `${key} ${bad}` };
  const params = { ...node.params, [key]: value };
  // Turning off an output (return_state) that connections or the model's outputs still read is refused: the
  // user removes those first, so no connection is left reading nothing.
  const count = outputNamesOf({ kind: node.kind, params }).length;
  const layer = layerIdOf(node);
  const calls = new Set(graph.nodes.filter((n) => layerIdOf(n) === layer).map((n) => n.id));
  const names = outputNamesOf(node);
  const reads = new Set<number>();
  for (const e of graph.edges) if (calls.has(e.source) && edgeOutput(e) >= count) reads.add(edgeOutput(e));
  for (const o of graph.outputs ?? []) if (calls.has(outputRef(o).node) && outputRef(o).output >= count) reads.add(outputRef(o).output);
  if (reads.size) {
    const which = [...reads].sort().map((k) => names[k] ?? `output ${k + 1}`);
    return {
      ok: false,
      reason: `'${node.name}' still feeds other layers from ${which.join(' and ')}, which ${key} = ${String(value)} would take away: remove ${reads.size === 1 ? 'that connection' : 'those connections'} first.`,
    };
  }
  return { ok: true, graph: updateLayer(graph, node, (n) => ({ ...n, params })) };
}

/** Renames a layer (all calls of a shared layer); refused, with the reason, when the name is invalid or taken by another layer or a block. */
export function rename(graph: Graph, nodeId: string, name: string): EditResult {
  const bad = checkName(name);
  if (bad) return { ok: false, reason: bad };
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return { ok: false, reason: 'No such layer.' };
  if (graph.nodes.some((n) => layerIdOf(n) !== layerIdOf(node) && n.name === name))
    return { ok: false, reason: `Another layer is already named '${name}'; layer names must be unique.` };
  if (graph.blocks?.some((b) => b.name === name))
    return { ok: false, reason: `A block (nested model) is already named '${name}'; a layer's name must differ from every block's name.` };
  return { ok: true, graph: updateLayer(graph, node, (n) => ({ ...n, name })) };
}

/**
 * Renames the model (Keras `Model(name=…)`, the name generated code and exports carry).
 * @returns the new graph, or the reason `checkModelName` gives (too long, '/', control characters).
 */
export function renameModel(graph: Graph, name: string): EditResult {
  const bad = checkModelName(name);
  if (bad) return { ok: false, reason: bad };
  if (name.trim() === '') return { ok: false, reason: 'The model needs a name.' };
  return { ok: true, graph: { ...graph, name } };
}

/**
 * Copies nodes (and the edges among them) with new ids and auto-names, offset by `offset`.
 * Returns the new graph and the ids of the copies.
 */
export function duplicate(graph: Graph, ids: readonly string[], offset: XY = { x: 40, y: 40 }): { graph: Graph; ids: string[] } {
  // Linear in the graph's size: a 5,000-layer selection is copied in milliseconds (one namer, one id set).
  const wanted = new Set(ids);
  const nameFor = autoNamer(graph.nodes.map((n) => n.name));
  const idMap = new Map<string, string>();
  const nodes: LayerNode[] = [];
  for (const n of graph.nodes) {
    if (!wanted.has(n.id)) continue;
    const def = layerDef(n.kind);
    if (!def) throw new Error(`Unknown layer kind '${n.kind}'`);
    const copy: LayerNode = {
      id: newId('n'),
      kind: n.kind,
      name: nameFor(n.kind),
      params: { ...defaultParams(def), ...n.params },
      position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
      // A copy of a frozen layer is frozen too (LayerNode.trainable).
      ...(n.trainable === false ? { trainable: false as const } : {}),
    };
    nodes.push(copy);
    idMap.set(n.id, copy.id);
  }
  const copies: Edge[] = graph.edges
    .filter((e) => idMap.has(e.source) && idMap.has(e.target))
    .map((e) => ({ id: newId('e'), source: idMap.get(e.source)!, target: idMap.get(e.target)!, ...(e.output ? { output: e.output } : {}) }));
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...copies] }, ids: [...idMap.values()] };
}

/** Applies `f` to every call of the layer `node` belongs to (just `node` when it is not shared). */
function updateLayer(graph: Graph, node: LayerNode, f: (n: LayerNode) => LayerNode): Graph {
  const layer = layerIdOf(node);
  return { ...graph, nodes: graph.nodes.map((n) => (layerIdOf(n) === layer ? f(n) : n)) };
}
