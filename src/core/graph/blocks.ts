/**
 * Blocks: Keras nested models on a flat graph. A block is one call of a Functional sub-model used as a layer
 * (`block = keras.Model(inputs, outputs, name="block")`, then `y = block(x)`); its members are the nodes whose
 * `LayerNode.block` names it. The graph stays flat, so shapes, counts, the validator and the runtime read it as
 * they read any graph; the summary, the code generators and Keras JSON group the members into the nested model.
 *
 * A further call of the same nested model (shared weights) is a block with `callOf` = the first call's block id;
 * each of its members is a further call (`LayerNode.layerOf`) of the matching member of the first call.
 *
 * The interface of a nested model (`blockInterface`):
 * - its inputs are the distinct outer tensors that feed its members, in the order its members are met in
 *   topological order and, per member, in input order (each becomes a `keras.Input` of that tensor's shape);
 * - its outputs are the nested model's declared outputs (`Block.outputs`, an imported model's), then the member
 *   tensors read outside the block (by an edge or as a model output: a listed output, or a member nothing reads),
 *   over every call of the nested model, in the same order, by output index.
 *
 * Edit operations (`groupIntoBlock`, `ungroupBlock`, `repeatBlock`) return a new graph or a refusal with the
 * reason, like ops.ts; none mutates its argument.
 */
import { autoNamer, checkName } from './naming';
import { newId } from './ops';
import { topologicalOrder, type GraphIndex } from './topology';
import { layerIdOf } from './shared';
import { edgeOutput, outputRef, type Block, type Edge, type Graph, type LayerNode, type OutputEntry, type TensorRef } from './types';
import { layerDef, outputNamesOf } from '../layers/registry';
import { defaultParams } from '../layers/define';

/** One input of a nested model: the outer tensor of this call, and the member inputs it feeds (member id, input index). */
export interface BlockInput {
  readonly tensor: TensorRef;
  readonly slots: readonly { readonly node: string; readonly input: number }[];
}

/** The members, inputs and outputs of one block call (see the module comment). */
export interface BlockInterface {
  readonly block: Block;
  /** The block of the nested model's first call (`block` itself unless it is a further call). */
  readonly first: Block;
  /** Member ids in topological order (graph order for members on a cycle). */
  readonly members: readonly string[];
  /** The nested model's inputs, in order, with this call's outer tensors. */
  readonly inputs: readonly BlockInput[];
  /** The nested model's outputs, in order, as this call's member tensors. */
  readonly outputs: readonly TensorRef[];
}

/** The block `id`, or undefined. */
export const blockById = (graph: Graph, id: string): Block | undefined => graph.blocks?.find((b) => b.id === id);

/** The block of a nested model's first call: `b` itself, or the block its `callOf` names (when that exists). */
export const firstCallOf = (graph: Graph, b: Block): Block => (b.callOf ? (blockById(graph, b.callOf) ?? b) : b);

/** Every call of the nested model whose first call is `firstId`: the first, then its further calls in `graph.blocks` order. */
export function callsOfBlock(graph: Graph, firstId: string): Block[] {
  const first = blockById(graph, firstId);
  if (!first) return [];
  return [first, ...(graph.blocks ?? []).filter((b) => b.callOf === firstId && b.id !== firstId)];
}

/** True when the graph has at least one block with a member. */
export const hasBlocks = (graph: Graph): boolean => !!graph.blocks?.length && graph.nodes.some((n) => n.block !== undefined);

/** The member ids of every block, keyed by block id, each in graph order. */
export function membersByBlock(graph: Graph): Map<string, string[]> {
  const m = new Map<string, string[]>((graph.blocks ?? []).map((b) => [b.id, []]));
  for (const n of graph.nodes) if (n.block !== undefined) m.get(n.block)?.push(n.id);
  return m;
}

const tkey = (t: TensorRef): string => `${t.node}:${t.output}`;

/**
 * The members, inputs and outputs of block `blockId` (see the module comment for the rules and their order). For
 * a further call, the inputs and outputs are those of the first call mapped onto this call's members (so the
 * nested model is called on tensors in the same order); an input slot of the first call whose mirror in this call
 * is missing or unconnected is left out of that input's `slots`.
 * @returns null when the graph has no such block.
 */
export function blockInterface(graph: Graph, blockId: string): BlockInterface | null {
  // Graphs are immutable: every interface of a graph is computed once (the validator, the summary and the code
  // generators each ask for every call, and a call's interface reads its nested model's other calls).
  let memo = interfaceMemo.get(graph);
  if (!memo) interfaceMemo.set(graph, (memo = { base: null, models: new Map(), itfs: new Map() }));
  if (memo.itfs.has(blockId)) return memo.itfs.get(blockId)!;
  const itf = computeInterface(graph, blockId, memo);
  memo.itfs.set(blockId, itf);
  return itf;
}

/** What `blockInterface` computes once per graph (`base`) and once per nested model (`models`, by first call id). */
interface InterfaceMemo {
  base: {
    rank: Map<string, number>;
    into: Map<string, Edge[]>;
    readers: Map<string, Edge[]>;
    byId: Map<string, LayerNode>;
    members: Map<string, string[]>;
  } | null;
  models: Map<string, { firstMembers: string[]; inputs: BlockInput[]; firstOutputs: TensorRef[]; mirrors: Map<string, Map<string, string>> }>;
  itfs: Map<string, BlockInterface | null>;
}
const interfaceMemo = new WeakMap<Graph, InterfaceMemo>();

function computeInterface(graph: Graph, blockId: string, memo: InterfaceMemo): BlockInterface | null {
  const block = blockById(graph, blockId);
  if (!block) return null;
  const first = firstCallOf(graph, block);
  if (!memo.base) {
    const order = topologicalOrder(graph);
    const rank = new Map([...order.order, ...order.cyclic].map((id, i) => [id, i]));
    const into = new Map<string, Edge[]>();
    const readers = new Map<string, Edge[]>();
    for (const e of graph.edges) {
      (into.get(e.target) ?? into.set(e.target, []).get(e.target)!).push(e);
      (readers.get(e.source) ?? readers.set(e.source, []).get(e.source)!).push(e);
    }
    const members = membersByBlock(graph);
    for (const list of members.values()) list.sort((x, y) => (rank.get(x) ?? 0) - (rank.get(y) ?? 0));
    memo.base = { rank, into, readers, byId: new Map(graph.nodes.map((n) => [n.id, n])), members };
  }
  const { into, readers, byId, members } = memo.base;
  const membersOf = (id: string) => members.get(id) ?? [];
  let model = memo.models.get(first.id);
  if (!model) {
    model = nestedModelCore(graph, first, membersOf, into, readers, byId);
    memo.models.set(first.id, model);
  }
  const { firstMembers, inputs, firstOutputs, mirrors } = model;
  if (block.id === first.id) return { block, first, members: firstMembers, inputs, outputs: firstOutputs };
  // A further call: the first call's interface on this call's members.
  const mirror = mirrors.get(block.id) ?? new Map<string, string>();
  const mapped = inputs.map((inp) => {
    const slots: { node: string; input: number }[] = [];
    let tensor: TensorRef | null = null;
    for (const s of inp.slots) {
      const cm = mirror.get(s.node);
      const e = cm ? (into.get(cm) ?? [])[s.input] : undefined;
      if (!cm || !e) continue;
      slots.push({ node: cm, input: s.input });
      tensor ??= { node: e.source, output: edgeOutput(e) };
    }
    return { tensor: tensor ?? inp.tensor, slots };
  });
  return {
    block,
    first,
    members: membersOf(block.id),
    inputs: mapped,
    outputs: firstOutputs.map((t) => ({ node: mirror.get(t.node) ?? t.node, output: t.output })),
  };
}

/** A nested model's first-call members, inputs and outputs (over all its calls), and each further call's mirror map. */
function nestedModelCore(
  graph: Graph,
  first: Block,
  membersOf: (id: string) => string[],
  into: ReadonlyMap<string, Edge[]>,
  readers: ReadonlyMap<string, Edge[]>,
  byId: ReadonlyMap<string, LayerNode>,
): { firstMembers: string[]; inputs: BlockInput[]; firstOutputs: TensorRef[]; mirrors: Map<string, Map<string, string>> } {
  const firstMembers = membersOf(first.id);
  const inFirst = new Set(firstMembers);
  // Inputs of the nested model, from its first call.
  const inputs: { tensor: TensorRef; slots: { node: string; input: number }[] }[] = [];
  const inputAt = new Map<string, number>();
  for (const m of firstMembers)
    (into.get(m) ?? []).forEach((e, k) => {
      if (inFirst.has(e.source)) return;
      const t = { node: e.source, output: edgeOutput(e) };
      let at = inputAt.get(tkey(t));
      if (at === undefined) {
        at = inputs.length;
        inputAt.set(tkey(t), at);
        inputs.push({ tensor: t, slots: [] });
      }
      inputs[at].slots.push({ node: m, input: k });
    });
  // Outputs of the nested model: over every call, the member tensors read outside that call, mapped to the first call.
  const calls = callsOfBlock(graph, first.id);
  const mirrors = new Map<string, Map<string, string>>();
  for (const c of calls) {
    if (c.id === first.id) continue;
    const mirror = new Map<string, string>();
    for (const id of membersOf(c.id)) {
      const l = byId.get(id)?.layerOf;
      if (l && inFirst.has(l) && !mirror.has(l)) mirror.set(l, id);
    }
    mirrors.set(c.id, mirror);
  }
  const listed = new Set((graph.outputs ?? []).map((o) => tkey(outputRef(o))));
  const outSet = new Set<string>();
  for (const mirror of [new Map(firstMembers.map((m) => [m, m])), ...mirrors.values()]) {
    const callMembers = new Set(mirror.values());
    for (const [m, cm] of mirror) {
      const rs = readers.get(cm) ?? [];
      const count = byId.get(cm) ? outputNamesOf(byId.get(cm)!).length : 1;
      for (let k = 0; k < count; k++) {
        const read = rs.some((e) => edgeOutput(e) === k && !callMembers.has(e.target));
        if (read || listed.has(`${cm}:${k}`) || rs.length === 0) outSet.add(`${m}:${k}`);
      }
    }
  }
  const firstOutputs: TensorRef[] = [];
  // Declared outputs first, in their order (those of the first call's members), then any other tensor read outside.
  for (const t of first.outputs ?? [])
    if (inFirst.has(t.node) && !firstOutputs.some((o) => tkey(o) === tkey(t))) {
      firstOutputs.push({ node: t.node, output: t.output });
      outSet.delete(tkey(t));
    }
  for (const m of firstMembers) {
    const count = byId.get(m) ? outputNamesOf(byId.get(m)!).length : 1;
    for (let k = 0; k < count; k++) if (outSet.has(`${m}:${k}`)) firstOutputs.push({ node: m, output: k });
  }
  return { firstMembers, inputs, firstOutputs, mirrors };
}

/** An edit that makes a block: the new graph and the new block's id, or the reason it is refused. */
export type BlockEditResult = { ok: true; graph: Graph; id: string } | { ok: false; reason: string };

/**
 * What `membersProblem` may read instead of scanning the whole graph (the validator checks every block of a graph
 * and builds these once): the graph's index, each node's topological rank and the calls of every layer.
 */
export interface MembersIndex {
  /** `indexGraph(graph)`. */
  readonly index: GraphIndex;
  /** Each node's rank in a topological order, by position in `graph.nodes`; Infinity for a node on or after a cycle. */
  readonly rank: ArrayLike<number>;
  /** The ids of every call of each layer (by core `layerIdOf`), in graph order; a layer absent is called once. */
  readonly calls: ReadonlyMap<string, readonly string[]>;
}

/**
 * Why the nodes `ids` cannot be the members of one nested model, or null: each must exist and be a layer (not an
 * Input, whose tensor a nested model receives as an input); none may share its layer with a node outside the set
 * other than the members of further calls of the same nested model (`sharing`; one layer inside and outside a
 * nested model is not supported); they must be connected among themselves (ignoring directions); and convex: no
 * path may leave the set and come back into it (the nested model is called once, on tensors computed before it).
 * Linear in the graph's size; with `indexed` (see `MembersIndex`) it reads only the members' edges and calls and the
 * nodes downstream of the set that rank before its last member (a node ranked after every member cannot lead back).
 * @param block the block's name for the message, or null for a selection not grouped yet
 * @param sharing node ids outside the set that may call the members' layers (the other calls of the nested model)
 */
export function membersProblem(
  graph: Graph,
  ids: readonly string[],
  block: string | null = null,
  sharing: ReadonlySet<string> = new Set(),
  indexed?: MembersIndex,
): string | null {
  const idx = indexed?.index;
  const byIdMap = idx ? null : new Map(graph.nodes.map((n) => [n.id, n]));
  const nodeOf = (id: string): LayerNode | undefined => {
    if (byIdMap) return byIdMap.get(id);
    const i = idx!.indexOf.get(id);
    return i === undefined ? undefined : graph.nodes[i];
  };
  const set = new Set(ids);
  const where = block === null ? 'the selection' : `block '${block}'`;
  if (!set.size) return `The selection is empty: select the layers the block should hold.`;
  for (const id of set) {
    const n = nodeOf(id);
    if (!n) return `The selection names a layer that is not on the canvas.`;
    if (n.kind === 'Input') return `'${n.name}' is an Input: a block's inputs are the tensors that feed it from outside; leave the Input out of the block.`;
  }
  const layerIds = new Set([...set].map((id) => layerIdOf(nodeOf(id)!)));
  // The first node in graph order outside the set and `sharing` that calls a member's layer.
  let outside: LayerNode | undefined;
  if (indexed) {
    let at = Infinity;
    for (const l of layerIds)
      for (const c of indexed.calls.get(l) ?? [])
        if (!set.has(c) && !sharing.has(c) && idx!.indexOf.get(c)! < at) {
          at = idx!.indexOf.get(c)!;
          outside = graph.nodes[at];
        }
  } else outside = graph.nodes.find((n) => !set.has(n.id) && !sharing.has(n.id) && layerIds.has(layerIdOf(n)));
  if (outside) {
    const n = outside;
    const inside = [...set].map((id) => nodeOf(id)!).find((m) => layerIdOf(m) === layerIdOf(n))!;
    return `'${inside.name}' is a shared layer also called outside ${where} (by '${n.name}'): a layer belongs either to a nested model or to the outer model.`;
  }
  // Each node's outgoing targets (all of them, or from the index).
  let targetsOf: (id: string) => readonly string[];
  if (idx) {
    targetsOf = (id) => {
      const i = idx.indexOf.get(id);
      if (i === undefined) return [];
      const out: string[] = [];
      for (let j = idx.outStart[i]; j < idx.outStart[i + 1]; j++) out.push(graph.nodes[idx.target[idx.outEdge[j]]].id);
      return out;
    };
  } else {
    const outs = new Map<string, string[]>();
    for (const e of graph.edges) (outs.get(e.source) ?? outs.set(e.source, []).get(e.source)!).push(e.target);
    targetsOf = (id) => outs.get(id) ?? [];
  }
  // Connected (undirected, over the edges among the members).
  const adj = new Map<string, string[]>([...set].map((id) => [id, []]));
  for (const s of set)
    for (const t of targetsOf(s))
      if (set.has(t)) {
        adj.get(s)!.push(t);
        adj.get(t)!.push(s);
      }
  const start = [...set][0];
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length)
    for (const t of adj.get(stack.pop()!)!)
      if (!seen.has(t)) {
        seen.add(t);
        stack.push(t);
      }
  if (seen.size < set.size) {
    const apart = [...set].find((id) => !seen.has(id))!;
    return `'${nodeOf(apart)!.name}' is not connected to '${nodeOf(start)!.name}' within ${where}: a block's layers must form one connected piece.`;
  }
  // Convex: walk downstream from the outer layers the members feed; reaching a member again is a path that leaves and
  // comes back. A node ranked after every member cannot reach one (with an index: not walked).
  const rankOf = (id: string): number => (indexed ? indexed.rank[idx!.indexOf.get(id)!] : -Infinity);
  let last = -Infinity;
  if (indexed) for (const id of set) last = Math.max(last, rankOf(id));
  const from = new Map<string, string>();
  const walk: string[] = [];
  for (const id of set)
    for (const t of targetsOf(id))
      if (!set.has(t) && !from.has(t) && !(rankOf(t) > last)) {
        from.set(t, id);
        walk.push(t);
      }
  while (walk.length) {
    const cur = walk.pop()!;
    for (const t of targetsOf(cur)) {
      if (set.has(t))
        return `The path from '${nodeOf(from.get(cur)!)!.name}' through '${nodeOf(cur)!.name}' leaves ${where} and comes back into '${nodeOf(t)!.name}': a nested model is called once, so '${nodeOf(cur)!.name}' must be inside it too or the path must not return.`;
      if (!from.has(t) && !(rankOf(t) > last)) {
        from.set(t, from.get(cur)!);
        walk.push(t);
      }
    }
  }
  return null;
}

/** Names taken by layers and by blocks (a block's name must differ from every layer's and every other nested model's). */
const takenNames = (graph: Graph): string[] => [...graph.nodes.map((n) => n.name), ...(graph.blocks ?? []).map((b) => b.name)];

/**
 * Groups the nodes `ids` into a new block (a nested model called once) named `name`. Refused, with the reason,
 * when `membersProblem` finds one, or the name is not a valid Keras name (`checkName`) or is taken by a layer or
 * another block.
 */
export function groupIntoBlock(graph: Graph, ids: readonly string[], name: string, id = newId('b')): BlockEditResult {
  const bad = checkName(name);
  if (bad) return { ok: false, reason: bad };
  if (takenNames(graph).includes(name)) return { ok: false, reason: `'${name}' is already the name of a layer or a block; a block needs a name of its own.` };
  const set = new Set(ids);
  const inBlock = graph.nodes.find((n) => set.has(n.id) && n.block !== undefined);
  if (inBlock)
    return {
      ok: false,
      reason: `'${inBlock.name}' already belongs to block '${blockById(graph, inBlock.block!)?.name ?? inBlock.block}': ungroup it first (blocks do not nest yet).`,
    };
  const problem = membersProblem(graph, [...set]);
  if (problem) return { ok: false, reason: problem };
  return {
    ok: true,
    id,
    graph: {
      ...graph,
      nodes: graph.nodes.map((n) => (set.has(n.id) ? { ...n, block: id } : n)),
      blocks: [...(graph.blocks ?? []), { id, name }],
    },
  };
}

/**
 * Renames the nested model block `blockId` is a call of (Keras `keras.Model(..., name=…)`): its first call and every
 * further call take `name` (one nested model, one name). Refused, with the reason, when there is no such block, the
 * name is not a valid Keras name (`checkName`: empty, '/', over 200 characters, …) or it is the name of a layer or of
 * another nested model (a nested model is a layer of the outer model: names are unique among both). The graph itself
 * when the name is unchanged.
 */
export function renameBlock(graph: Graph, blockId: string, name: string): { ok: true; graph: Graph } | { ok: false; reason: string } {
  const b = blockById(graph, blockId);
  if (!b) return { ok: false, reason: 'No such block.' };
  const bad = checkName(name);
  if (bad) return { ok: false, reason: bad };
  const first = firstCallOf(graph, b);
  if (first.name === name && b.name === name) return { ok: true, graph };
  const calls = new Set(callsOfBlock(graph, first.id).map((c) => c.id));
  if (graph.nodes.some((n) => n.name === name))
    return { ok: false, reason: `A layer is already named '${name}'; a block's name must differ from every layer's name.` };
  if ((graph.blocks ?? []).some((c) => !calls.has(c.id) && c.name === name))
    return { ok: false, reason: `Another block is already named '${name}'; each nested model needs a name of its own.` };
  return { ok: true, graph: { ...graph, blocks: graph.blocks!.map((c) => (calls.has(c.id) ? { ...c, name } : c)) } };
}

/**
 * Dissolves block `blockId`: its members join the outer model. Ungrouping a nested model's first call ungroups its
 * further calls too (their members stay further calls of the same layers: shared layers of the outer model);
 * ungrouping a further call leaves the others as they are. Refused when there is no such block.
 */
export function ungroupBlock(graph: Graph, blockId: string): { ok: true; graph: Graph } | { ok: false; reason: string } {
  const b = blockById(graph, blockId);
  if (!b) return { ok: false, reason: 'No such block.' };
  const gone = new Set([b.id, ...(b.callOf ? [] : (graph.blocks ?? []).filter((c) => c.callOf === b.id).map((c) => c.id))]);
  const blocks = (graph.blocks ?? []).filter((c) => !gone.has(c.id));
  const { blocks: _old, ...rest } = graph;
  return {
    ok: true,
    graph: {
      ...rest,
      nodes: graph.nodes.map((n) => {
        if (n.block === undefined || !gone.has(n.block)) return n;
        const { block: _b, ...plain } = n;
        return plain;
      }),
      ...(blocks.length ? { blocks } : {}),
    },
  };
}

/** A frozen layer's flag for a copy or a further call of it (LayerNode.trainable; core/graph/frozen.ts). */
const frozenFlag = (n: LayerNode): { trainable?: false } => (n.trainable === false ? { trainable: false } : {});

/**
 * Repeats block `blockId` `n` times, chained after it: each repeat is called on the previous one's output and
 * whatever read the block's output (connections and model outputs) reads the last repeat's instead.
 * - 'copies': n new nested models with weights of their own (members copied with new names; blocks named after
 *   the block, `<name>_1`, `<name>_2`, … free names);
 * - 'calls': n further calls of the same nested model (shared weights: members are further calls of the first
 *   call's members, `Block.callOf`).
 * Refused, with the reason, when there is no such block, `n` is not a whole number from 1 to 100, or the block
 * cannot be chained: it must have one input and one output, and its output must have the input's shape
 * (`shapes`: the shape of a tensor, e.g. from the validator's analysis; chaining needs them equal).
 * Repeats are placed below the block, each shifted by the block's height plus a gap.
 */
export function repeatBlock(
  graph: Graph,
  blockId: string,
  n: number,
  mode: 'copies' | 'calls',
  shapeOf: (t: TensorRef) => readonly (number | null)[] | null,
): { ok: true; graph: Graph; ids: string[] } | { ok: false; reason: string } {
  const itf = blockInterface(graph, blockId);
  if (!itf) return { ok: false, reason: 'No such block.' };
  const name = itf.block.name;
  if (!Number.isInteger(n) || n < 1 || n > 100) return { ok: false, reason: `The number of repeats must be a whole number from 1 to 100 (got ${String(n)}).` };
  if (itf.inputs.length !== 1 || itf.outputs.length !== 1)
    return {
      ok: false,
      reason: `Block '${name}' has ${itf.inputs.length} input${itf.inputs.length === 1 ? '' : 's'} and ${itf.outputs.length} output${itf.outputs.length === 1 ? '' : 's'}: only a block with one input and one output can be chained after itself.`,
    };
  const inShape = shapeOf(itf.inputs[0].tensor);
  const outShape = shapeOf(itf.outputs[0]);
  const show = (s: readonly (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
  if (!inShape || !outShape)
    return { ok: false, reason: `Block '${name}' has no known input and output shapes yet: fix the model's errors first, then repeat it.` };
  if (JSON.stringify(inShape) !== JSON.stringify(outShape))
    return {
      ok: false,
      reason: `Block '${name}' turns ${show(inShape)} into ${show(outShape)}: a repeat is called on the block's output, so the output must have the input's shape.`,
    };
  const byId = new Map(graph.nodes.map((x) => [x.id, x]));
  const members = itf.members.map((id) => byId.get(id)!);
  const memberSet = new Set(itf.members);
  const ys = members.map((m) => m.position.y);
  const height = Math.max(...ys) - Math.min(...ys) + 120;
  const firstMembers = new Set(graph.nodes.filter((x) => x.block === itf.first.id).map((x) => x.id));
  const nameFor = autoNamer(takenNames(graph));
  const blockNames = new Set(takenNames(graph));
  const freeBlockName = (): string => {
    for (let k = 1; ; k++) {
      const c = `${itf.first.name}_${k}`;
      if (!blockNames.has(c)) {
        blockNames.add(c);
        return c;
      }
    }
  };
  const inner = graph.edges.filter((e) => memberSet.has(e.source) && memberSet.has(e.target));
  const inSlots = itf.inputs[0].slots;
  const out = itf.outputs[0];
  const nodes: LayerNode[] = [...graph.nodes];
  const edges: Edge[] = [];
  const blocks: Block[] = [...(graph.blocks ?? [])];
  const ids: string[] = [];
  let prev: TensorRef = out;
  for (let r = 1; r <= n; r++) {
    const bid = newId('b');
    ids.push(bid);
    const map = new Map<string, string>();
    for (const m of members) {
      const id = newId('n');
      map.set(m.id, id);
      const position = { x: m.position.x, y: m.position.y + r * height };
      if (mode === 'calls') {
        // The member of the first call this node mirrors (itself when repeating the first call).
        const owner = firstMembers.has(m.id) ? m.id : (m.layerOf ?? m.id);
        const o = byId.get(owner) ?? m;
        nodes.push({ id, kind: o.kind, name: o.name, params: o.params, position, layerOf: o.layerOf ?? o.id, block: bid, ...frozenFlag(o) });
      } else nodes.push({ id, kind: m.kind, name: nameFor(m.kind), params: m.params, position, block: bid, ...frozenFlag(m) });
    }
    for (const e of inner) edges.push({ id: newId('e'), source: map.get(e.source)!, target: map.get(e.target)!, ...(e.output ? { output: e.output } : {}) });
    blocks.push(mode === 'calls' ? { id: bid, name: itf.first.name, callOf: itf.first.id } : { id: bid, name: freeBlockName() });
    // The repeat's inputs in input order: the incoming edges of each member, with outer ones fed from the previous output.
    for (const s of inSlots)
      edges.push({ id: newId('e'), source: prev.node, target: map.get(s.node)!, ...(prev.output ? { output: prev.output } : {}), slot: s.input } as Edge & {
        slot: number;
      });
    prev = { node: map.get(out.node)!, output: out.output };
  }
  // Whatever read the block's output now reads the last repeat's.
  const moved = (e: Edge): Edge =>
    e.source === out.node && edgeOutput(e) === out.output && !memberSet.has(e.target)
      ? { id: e.id, source: prev.node, target: e.target, ...(prev.output ? { output: prev.output } : {}) }
      : e;
  const outputs: OutputEntry[] | undefined = graph.outputs?.map((o) => {
    const t = outputRef(o);
    return t.node === out.node && t.output === out.output ? (prev.output ? prev : prev.node) : o;
  });
  const final = orderEdges([...graph.edges.map(moved), ...edges]);
  return { ok: true, ids, graph: { ...graph, nodes, edges: final, blocks, ...(outputs ? { outputs } : {}) } };
}

/**
 * The edges with every `slot`-tagged edge (an outer input of a repeat) placed among its target's inputs at its
 * slot, so a member fed from outside and from inside reads them in the original order; the tag is removed.
 */
function orderEdges(edges: readonly (Edge & { slot?: number })[]): Edge[] {
  const byTarget = new Map<string, (Edge & { slot?: number })[]>();
  for (const e of edges) (byTarget.get(e.target) ?? byTarget.set(e.target, []).get(e.target)!).push(e);
  const out: Edge[] = [];
  const strip = ({ slot: _s, ...e }: Edge & { slot?: number }): Edge => e;
  const done = new Set<string>();
  for (const e of edges) {
    if (done.has(e.target)) continue;
    const list = byTarget.get(e.target)!;
    if (!list.some((x) => x.slot !== undefined)) {
      out.push(strip(e));
      continue;
    }
    done.add(e.target);
    const tagged = list.filter((x) => x.slot !== undefined).sort((a, b) => a.slot! - b.slot!);
    const rest = list.filter((x) => x.slot === undefined);
    const merged: (Edge & { slot?: number })[] = [];
    for (let k = 0; merged.length < list.length; k++) {
      const t = tagged.find((x) => x.slot === k);
      merged.push(t ?? rest.shift() ?? tagged.find((x) => !merged.includes(x))!);
    }
    out.push(...merged.map(strip));
  }
  return out;
}

/** The outer model with each block call as one node (`collapseBlocks`). */
export interface CollapsedGraph {
  /**
   * The outer model: its layers as they are, and one node per block call (id = the block's id, kind
   * `BLOCK_KIND`, name = the nested model's name; a further call's `layerOf` names its first call's block), whose
   * inputs are the call's inputs in the nested model's order and whose output k is the nested model's output k.
   */
  readonly graph: Graph;
  /** Each block call's interface, by block id. */
  readonly interfaces: ReadonlyMap<string, BlockInterface>;
  /** A tensor of the flat graph as the outer model sees it: a block member's output becomes the block's output k; null for a tensor inside a block that is no output of it. */
  readonly tensor: (t: TensorRef) => TensorRef | null;
}

/** The `kind` of a block call's node in a `CollapsedGraph` (no layer kind has it: the registry knows no such class). */
export const BLOCK_KIND = 'Functional';

/**
 * The outer model of a graph with blocks (see `CollapsedGraph`): what the summary lists, what the code generators
 * call and what Keras JSON writes at the top level. Edges inside a block are left out; an edge from a member to
 * the outside reads the matching output of the block's node. Blocks without members are left out.
 */
export function collapseBlocks(graph: Graph): CollapsedGraph {
  const interfaces = new Map<string, BlockInterface>();
  const blockOf = new Map<string, string>();
  const outIndex = new Map<string, TensorRef>();
  const members = membersByBlock(graph);
  for (const b of graph.blocks ?? []) {
    if (!members.get(b.id)?.length) continue;
    const itf = blockInterface(graph, b.id)!;
    interfaces.set(b.id, itf);
    for (const m of itf.members) blockOf.set(m, b.id);
    itf.outputs.forEach((t, k) => outIndex.set(tkey(t), { node: b.id, output: k }));
  }
  const tensor = (t: TensorRef): TensorRef | null => (blockOf.has(t.node) ? (outIndex.get(tkey(t)) ?? null) : t);
  const nodes: LayerNode[] = [];
  const edges: Edge[] = [];
  const placed = new Set<string>();
  const into = (target: string, t: TensorRef, id: string) => edges.push({ id, source: t.node, target, ...(t.output ? { output: t.output } : {}) });
  for (const n of graph.nodes) {
    const b = blockOf.get(n.id);
    if (b === undefined) nodes.push(n);
    else if (!placed.has(b)) {
      placed.add(b);
      const itf = interfaces.get(b)!;
      const first = itf.first.id !== b && interfaces.has(itf.first.id) ? itf.first.id : undefined;
      nodes.push({ id: b, kind: BLOCK_KIND, name: itf.block.name, params: {}, position: n.position, ...(first ? { layerOf: first } : {}) });
    }
  }
  const byTarget = new Map<string, Edge[]>();
  for (const e of graph.edges) (byTarget.get(e.target) ?? byTarget.set(e.target, []).get(e.target)!).push(e);
  for (const n of nodes) {
    const itf = interfaces.get(n.id);
    if (itf) {
      itf.inputs.forEach((inp, k) => {
        const t = tensor(inp.tensor);
        if (t) into(n.id, t, `${n.id}:in${k}`);
      });
      continue;
    }
    for (const e of byTarget.get(n.id) ?? []) {
      const t = tensor({ node: e.source, output: edgeOutput(e) });
      if (t) into(n.id, t, e.id);
    }
  }
  const outputs = graph.outputs
    ?.map((o) => tensor(outputRef(o)))
    .filter((t): t is TensorRef => t !== null)
    .map((t) => (t.output ? t : t.node));
  const { blocks: _b, outputs: _o, ...rest } = graph;
  return { graph: { ...rest, nodes, edges, ...(outputs?.length ? { outputs } : {}) }, interfaces, tensor };
}

/**
 * The nested model of block call `itf` as a graph of its own: one Input per interface input, of the outer tensor's
 * shape without the batch axis (`shapeOf` gives a flat tensor's shape, batch axis first), named `<block>_input`
 * (`<block>_input_1`, `_2`, … for several; a trailing '_' while a member has the name), ids `<block id>:in<k>`;
 * the first call's members with their connections, each outer connection replaced by one from the Input of its
 * tensor (in the member's input order); the interface's outputs as the graph's explicit outputs.
 */
export function nestedModelGraph(graph: Graph, itf: BlockInterface, shapeOf: (t: TensorRef) => readonly (number | null)[]): Graph {
  const inputDef = layerDef('Input')!;
  const memberSet = new Set(itf.members);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const taken = new Set(itf.members.map((m) => byId.get(m)!.name));
  const inputOf = new Map<string, string>();
  const inputs: LayerNode[] = itf.inputs.map((inp, k) => {
    let name = itf.inputs.length === 1 ? `${itf.block.name}_input` : `${itf.block.name}_input_${k + 1}`;
    while (taken.has(name)) name += '_';
    taken.add(name);
    const id = `${itf.block.id}:in${k}`;
    inputOf.set(tkey(inp.tensor), id);
    return { id, kind: 'Input', name, params: { ...defaultParams(inputDef), shape: shapeOf(inp.tensor).slice(1) }, position: { x: 0, y: 0 } };
  });
  const members = graph.nodes.filter((n) => memberSet.has(n.id)).map(({ block: _b, ...n }) => n);
  const edges: Edge[] = [];
  for (const e of graph.edges) {
    if (!memberSet.has(e.target)) continue;
    if (memberSet.has(e.source)) edges.push(e);
    else edges.push({ id: e.id, source: inputOf.get(`${e.source}:${edgeOutput(e)}`)!, target: e.target });
  }
  return { name: itf.block.name, nodes: [...inputs, ...members], edges, outputs: itf.outputs.map((t) => (t.output ? t : t.node)) };
}
