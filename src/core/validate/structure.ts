/**
 * Which Keras API a graph can be written in, and the Keras-style summary table.
 */
import { edgeOutput, outputRef, type Graph, type LayerNode, type Shape } from '../graph/types';
import { incoming, outgoing } from '../graph/topology';
import { callIndex, callsByLayer, layerIdOf } from '../graph/shared';
import { BLOCK_KIND, collapseBlocks, hasBlocks } from '../graph/blocks';
import { kerasClassOf, layerDef, outputNamesOf } from '../layers/registry';
import { callInput } from '../graph/callInput';
import type { Analysis, Totals } from './analyze';

/**
 * `sequential`: the graph is one chain Input → … → output, so `tf.sequential` / `keras.Sequential`
 * can express it; `chain` lists the layer ids after the Input, in order.
 * `functional`: it cannot; `reason` says why in one sentence and `nodeId` names the node that breaks it.
 */
export type ApiPlan =
  | { readonly kind: 'sequential'; readonly input: string; readonly chain: readonly string[] }
  | { readonly kind: 'functional'; readonly reason: string; readonly nodeId?: string };

/**
 * Decides whether the graph is a single chain (Keras Sequential) and, if not, why not.
 * The rules are those of the seed document: one input, one output, no branches or merges.
 */
export function apiPlan(graph: Graph): ApiPlan {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ins = incoming(graph);
  const outs = outgoing(graph);
  const inputs = graph.nodes.filter((n) => n.kind === 'Input');
  const q = (n: LayerNode) => `'${n.name}'`;
  if (inputs.length === 0) return { kind: 'functional', reason: 'The model has no Input layer yet.' };
  if (inputs.length > 1)
    return {
      kind: 'functional',
      reason: `The model has ${inputs.length} inputs (${inputs.map(q).join(', ')}): a Sequential model has exactly one input.`,
      nodeId: inputs[1].id,
    };
  const block = blockReason(graph);
  if (block) return { kind: 'functional', reason: block.text, nodeId: block.nodeId };
  for (const [, calls] of callsByLayer(graph))
    if (calls.length > 1)
      return {
        kind: 'functional',
        reason: `${q(calls[0])} is a shared layer, called ${calls.length} times: a Sequential model calls each layer once, on the output of the one before.`,
        nodeId: calls[1].id,
      };
  for (const n of graph.nodes) {
    const k = ins.get(n.id)!.length;
    if (k > 1)
      return { kind: 'functional', reason: `${q(n)} has ${k} inputs: a Sequential model is one chain, each layer fed by the one before it.`, nodeId: n.id };
    const def = layerDef(n.kind);
    // Keras's Sequential refuses a layer with several outputs ("All layers in a Sequential model should have a
    // single output tensor", keras/src/models/sequential.py `add`).
    const names = outputNamesOf(n);
    if (names.length > 1)
      return {
        kind: 'functional',
        reason: `${q(n)} returns ${names.length} tensors (${names.join(', ')}): every layer of a Sequential model returns one; the Functional API unpacks them.`,
        nodeId: n.id,
      };
    // Self-attention on one input is called on it twice (LayerDef.selfCall), which a Sequential model cannot write.
    if (def?.selfCall)
      return {
        kind: 'functional',
        reason: `${q(n)} attends over its one input (self-attention): Keras calls it on that tensor twice, as query and value, which a Sequential model cannot write.`,
        nodeId: n.id,
      };
  }
  for (const n of graph.nodes) {
    const consumers = outs.get(n.id)!.map((e) => byId.get(e.target)!);
    if (consumers.length > 1)
      return {
        kind: 'functional',
        reason: `${q(n)} feeds ${consumers.length} layers (${consumers.map(q).join(', ')}): a Sequential model is one chain without branches.`,
        nodeId: n.id,
      };
  }
  const chain: string[] = [];
  let cur = inputs[0].id;
  while (outs.get(cur)!.length === 1) {
    cur = outs.get(cur)![0].target;
    chain.push(cur);
  }
  if (chain.length === 0)
    return { kind: 'functional', reason: `Connect a layer after ${q(inputs[0])}: a model needs at least one layer.`, nodeId: inputs[0].id };
  if (chain.length + 1 < graph.nodes.length) {
    const onChain = new Set(chain);
    const stray = graph.nodes.find((n) => n.id !== inputs[0].id && !onChain.has(n.id))!;
    return { kind: 'functional', reason: `${q(stray)} is not on the chain from ${q(inputs[0])}: a Sequential model is one chain.`, nodeId: stray.id };
  }
  // Outputs the graph lists explicitly (Graph.outputs): a Sequential model's one output is its last layer.
  const last = chain[chain.length - 1];
  const early = (graph.outputs ?? []).map((o) => byId.get(outputRef(o).node)).find((n) => n && n.kind !== 'Input' && n.id !== last);
  if (early)
    return {
      kind: 'functional',
      reason: `${q(early)} is an output although ${q(byId.get(outs.get(early.id)![0].target)!)} reads it: a Sequential model has one output, its last layer.`,
      nodeId: early.id,
    };
  return { kind: 'sequential', input: inputs[0].id, chain };
}

/**
 * Why the flat graph of a model with blocks is not one Keras Sequential chain of its own layers (`apiPlan`): its
 * nested models are layers of the outer model (`outerApiPlan` says whether that one is a chain). Null without blocks.
 */
function blockReason(graph: Graph): ApiReason | null {
  if (!hasBlocks(graph)) return null;
  const b = graph.blocks!.find((x) => graph.nodes.some((n) => n.block === x.id))!;
  const n = graph.nodes.find((x) => x.block === b.id)!;
  return {
    text: `'${b.name}' is a nested model (a block): its layers are not layers of the outer model, which calls the nested model as one layer.`,
    nodeId: n.id,
  };
}

/**
 * Why a nested model cannot be one layer of an outer Sequential model: Keras's Sequential calls each layer once, on
 * one tensor, and takes one tensor back (keras/src/models/sequential.py `add`), so a nested model of several inputs
 * or outputs, or one called several times, rules it out. Per nested model (its first call's members name it): its
 * inputs and outputs, then its calls.
 */
function blockArityReasons(view: ReturnType<typeof collapseBlocks>): ApiReason[] {
  const out: ApiReason[] = [];
  const calls = new Map<string, number>();
  for (const itf of view.interfaces.values()) calls.set(itf.first.id, (calls.get(itf.first.id) ?? 0) + 1);
  for (const itf of view.interfaces.values()) {
    if (itf.first.id !== itf.block.id) continue;
    const count = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    if (itf.inputs.length !== 1 || itf.outputs.length !== 1)
      out.push({
        text: `'${itf.block.name}' is a nested model (a block) with ${count(itf.inputs.length, 'input')} and ${count(itf.outputs.length, 'output')}: a Sequential model calls each layer on one tensor and takes one back.`,
        nodeId: itf.members[0],
      });
    const k = calls.get(itf.block.id)!;
    if (k > 1)
      out.push({
        text: `'${itf.block.name}' is a nested model called ${k} times (shared weights): a Sequential model calls each layer once, on the output of the one before.`,
        nodeId: itf.members[0],
      });
  }
  return out;
}

/**
 * The Keras API of the model as Keras holds it, nested models as layers: for a graph without blocks `apiPlan`; with
 * blocks, `apiPlan` of the outer model (core `collapseBlocks`: each block call one node), so a chain Input → … →
 * output in which a nested model of one input and one output is one link is a Sequential model holding it
 * (`keras.Sequential([keras.Input(...), ..., block, ...])`). Then `chain` lists outer-model ids: a layer's node id,
 * or a block's id for its one call (a nested model called twice is a shared layer: Functional). A reason names a
 * node of the flat graph (a block's first member for a block). The runtime and the Keras JSON writers build the flat
 * graph and read `apiPlan`; the summary and the code generators read this.
 */
export function outerApiPlan(graph: Graph): ApiPlan {
  if (!hasBlocks(graph)) return apiPlan(graph);
  const view = collapseBlocks(graph);
  const arity = blockArityReasons(view)[0];
  if (arity) return { kind: 'functional', reason: arity.text, ...(arity.nodeId !== undefined ? { nodeId: arity.nodeId } : {}) };
  const plan = apiPlan(view.graph);
  if (plan.kind === 'sequential' || plan.nodeId === undefined || !view.interfaces.has(plan.nodeId)) return plan;
  return { ...plan, nodeId: view.interfaces.get(plan.nodeId)!.members[0] };
}

/**
 * Every reason the model, nested models as layers, cannot be a Keras Sequential model (`outerApiPlan`'s first): for
 * a graph without blocks `apiReasons`; with blocks, each nested model of several inputs or outputs or called several
 * times, then `apiReasons` of the outer model (but its shared-layer reasons, which name those calls again), a block's
 * reasons naming its first member.
 */
export function outerApiReasons(graph: Graph): ApiReason[] {
  if (!hasBlocks(graph)) return apiReasons(graph);
  const view = collapseBlocks(graph);
  const member = (id: string | undefined) => (id !== undefined && view.interfaces.has(id) ? view.interfaces.get(id)!.members[0] : id);
  return [
    ...blockArityReasons(view),
    ...apiReasons(view.graph)
      .filter((r) => !(r.nodeId !== undefined && view.interfaces.has(r.nodeId) && / is a shared layer, called /.test(r.text)))
      .map((r) => {
        const nodeId = member(r.nodeId);
        return { text: r.text, ...(nodeId !== undefined ? { nodeId } : {}) };
      }),
  ];
}

/** One reason the Sequential API cannot write a graph: a sentence, and the node it is about (the panel can select it). */
export interface ApiReason {
  readonly text: string;
  readonly nodeId?: string;
}

/**
 * EVERY reason the graph cannot be a Keras Sequential model (empty for one chain Input → … → output), in the order
 * `apiPlan` checks them, so the first is `apiPlan`'s reason: no Input yet; several inputs; each shared layer; per
 * node, a merge (several inputs, also a recurrent layer's initial states), a layer returning several tensors,
 * self-attention; each branch (a layer feeding several); nothing connected after the one Input; each layer on no path
 * from an Input (not one chain); each output another layer reads (an explicit early output); several
 * outputs (last: such a model always has one of the reasons before it too). The texts are
 * `apiPlan`'s. The Functional API, and Model subclassing, which can write every model the Functional API can
 * (the same calls, written in `call`), express all of them.
 */
export function apiReasons(graph: Graph): ApiReason[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ins = incoming(graph);
  const outs = outgoing(graph);
  const inputs = graph.nodes.filter((n) => n.kind === 'Input');
  const q = (n: LayerNode) => `'${n.name}'`;
  const out: ApiReason[] = [];
  if (inputs.length === 0) return [{ text: 'The model has no Input layer yet.' }];
  if (inputs.length > 1)
    out.push({
      text: `The model has ${inputs.length} inputs (${inputs.map(q).join(', ')}): a Sequential model has exactly one input.`,
      nodeId: inputs[1].id,
    });
  const block = blockReason(graph);
  if (block) out.push(block);
  for (const [, calls] of callsByLayer(graph))
    if (calls.length > 1)
      out.push({
        text: `${q(calls[0])} is a shared layer, called ${calls.length} times: a Sequential model calls each layer once, on the output of the one before.`,
        nodeId: calls[1].id,
      });
  for (const n of graph.nodes) {
    const k = ins.get(n.id)!.length;
    if (k > 1) out.push({ text: `${q(n)} has ${k} inputs: a Sequential model is one chain, each layer fed by the one before it.`, nodeId: n.id });
    const names = outputNamesOf(n);
    if (names.length > 1)
      out.push({
        text: `${q(n)} returns ${names.length} tensors (${names.join(', ')}): every layer of a Sequential model returns one; the Functional API unpacks them.`,
        nodeId: n.id,
      });
    if (layerDef(n.kind)?.selfCall)
      out.push({
        text: `${q(n)} attends over its one input (self-attention): Keras calls it on that tensor twice, as query and value, which a Sequential model cannot write.`,
        nodeId: n.id,
      });
  }
  for (const n of graph.nodes) {
    const consumers = outs.get(n.id)!.map((e) => byId.get(e.target)!);
    if (consumers.length > 1)
      out.push({
        text: `${q(n)} feeds ${consumers.length} layers (${consumers.map(q).join(', ')}): a Sequential model is one chain without branches.`,
        nodeId: n.id,
      });
  }
  if (inputs.length === 1 && !outs.get(inputs[0].id)!.length)
    out.push({ text: `Connect a layer after ${q(inputs[0])}: a model needs at least one layer.`, nodeId: inputs[0].id });
  // Not one chain: a layer no Input reaches (a separate piece of the graph).
  const reached = new Set(inputs.map((n) => n.id));
  const stack = [...reached];
  while (stack.length)
    for (const e of outs.get(stack.pop()!)!)
      if (!reached.has(e.target)) {
        reached.add(e.target);
        stack.push(e.target);
      }
  for (const n of graph.nodes)
    if (!reached.has(n.id)) out.push({ text: `${q(n)} is not on the chain from ${q(inputs[0])}: a Sequential model is one chain.`, nodeId: n.id });
  // An output another layer reads (Graph.outputs): a Sequential model's one output is its last layer.
  const early = new Set<string>();
  for (const o of graph.outputs ?? []) {
    const n = byId.get(outputRef(o).node);
    if (!n || n.kind === 'Input' || early.has(n.id) || !outs.get(n.id)!.length) continue;
    early.add(n.id);
    out.push({
      text: `${q(n)} is an output although ${q(byId.get(outs.get(n.id)![0].target)!)} reads it: a Sequential model has one output, its last layer.`,
      nodeId: n.id,
    });
  }
  // Several outputs: the listed outputs (Graph.outputs) and every layer nothing reads. Last, so that the first
  // reason stays apiPlan's (a model with several outputs always has one of the reasons above as well).
  const outputs = [
    ...new Set([
      ...(graph.outputs ?? []).map((o) => outputRef(o).node).filter((id) => byId.get(id) && byId.get(id)!.kind !== 'Input'),
      ...graph.nodes.filter((n) => n.kind !== 'Input' && !outs.get(n.id)!.length).map((n) => n.id),
    ]),
  ].map((id) => byId.get(id)!);
  if (outputs.length > 1)
    out.push({
      text: `The model has ${outputs.length} outputs (${outputs.map(q).join(', ')}): a Sequential model has one output, its last layer.`,
      nodeId: outputs[1].id,
    });
  return out;
}

export interface SummaryRow {
  readonly nodeId: string;
  /** Layer name. */
  readonly name: string;
  /** Keras class name, e.g. 'Conv2D', 'InputLayer'. */
  readonly className: string;
  /** The output shape (the first output of a layer with several); null when unknown, or for a shared layer whose calls give different shapes (Keras prints "multiple"). */
  readonly outputShape: Shape | null;
  /**
   * Every output's shape for a layer that returns several (LSTM with return_state), which Keras 3 prints as a
   * list, `[(None, 64), (None, 64), (None, 64)]`; absent for one output or when unknown.
   */
  readonly outputShapes?: readonly Shape[];
  /** Parameter count (trainable + non-trainable). */
  readonly params: number;
  /** Keras's "Connected to" cells: `name[node][tensor]` of each input of each call, in order (node = the call of a shared source, tensor = which of its outputs). */
  readonly connectedTo: readonly string[];
  /** How many times the layer is called (more than 1 for a shared layer). */
  readonly calls: number;
}

export interface Summary {
  readonly name: string;
  /** True for a single chain: printed like `Sequential.summary()` (no InputLayer row, no Connected to). */
  readonly sequential: boolean;
  readonly rows: readonly SummaryRow[];
  readonly totals: Totals;
}

/**
 * Layer order of a Functional model as tfjs (tfjs-layers src/engine/container.ts, the Container
 * constructor) and Keras (`Functional._map_graph_network`) list `model.layers`: a depth-first walk from
 * each output numbers the layers as first met; a node's depth is the longest path from it to an output;
 * layers are listed by decreasing depth, ties by that numbering. Layers no output depends on (e.g. an
 * unused Input) are not in a tfjs model; they are appended last here so the user still sees them.
 * Returns layer ids (a shared layer once, by its owner's id).
 */
export function functionalOrder(graph: Graph, outputs: readonly string[]): string[] {
  const ins = incoming(graph);
  const index = new Map<string, number>();
  const postOrder: string[] = [];
  const done = new Set<string>();
  // The depth-first walk with an explicit stack of [id, next input] (no recursion: a 20,000-layer model
  // would overflow the call stack): numbered when first met, listed after its inputs.
  const visit = (root: string) => {
    const path = new Set<string>();
    const stack: [string, number][] = [];
    const enter = (id: string) => {
      if (done.has(id) || path.has(id)) return;
      if (!index.has(id)) index.set(id, index.size);
      path.add(id);
      stack.push([id, 0]);
    };
    enter(root);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const list = ins.get(top[0]) ?? [];
      if (top[1] < list.length) enter(list[top[1]++].source);
      else {
        stack.pop();
        path.delete(top[0]);
        done.add(top[0]);
        postOrder.push(top[0]);
      }
    }
  };
  for (const o of outputs) visit(o);
  const depth = new Map<string, number>();
  for (const id of [...postOrder].reverse()) {
    const d = depth.get(id) ?? 0;
    depth.set(id, d);
    for (const e of ins.get(id) ?? []) depth.set(e.source, Math.max(d + 1, depth.get(e.source) ?? 0));
  }
  // A shared layer is listed once: at the greatest depth of its calls, numbered by its first-met call.
  const layerOf = new Map<string, string>();
  for (const [layer, calls] of callsByLayer(graph)) for (const c of calls) layerOf.set(c.id, layer);
  const layerDepth = new Map<string, number>();
  const layerIndex = new Map<string, number>();
  for (const id of postOrder) {
    const l = layerOf.get(id)!;
    layerDepth.set(l, Math.max(layerDepth.get(l) ?? 0, depth.get(id)!));
    layerIndex.set(l, Math.min(layerIndex.get(l) ?? Infinity, index.get(id)!));
  }
  // Sorted on arrays of numbers (Map lookups in the comparator were most of a 1,000-layer summary's time).
  const keys = [...layerDepth.keys()];
  const depths = keys.map((l) => layerDepth.get(l)!);
  const firsts = keys.map((l) => layerIndex.get(l)!);
  const ordered = keys
    .map((_, i) => i)
    .sort((a, b) => depths[b] - depths[a] || firsts[a] - firsts[b])
    .map((i) => keys[i]);
  // The rest in graph order, each layer once (a Set: a broken 1,000-layer chain leaves hundreds unreached).
  const rest = new Set<string>();
  for (const n of graph.nodes) {
    const l = layerOf.get(n.id)!;
    if (!layerDepth.has(l)) rest.add(l);
  }
  return [...ordered, ...rest];
}

/**
 * The rows of `model.summary()` for the model this graph builds: for a Sequential model (`outerApiPlan`: an outer
 * chain may hold nested models of one input and one output) the chain (no InputLayer row, as Keras and tfjs print it), for a Functional one every layer in tfjs's order
 * (`functionalOrder`), InputLayers included. A block (Keras nested model, core/graph/blocks.ts) is one row, as
 * Keras 3 prints a nested model: `name (Functional)`, its output shape (a list for several outputs), the
 * parameters of its layers (a layer shared inside it once), and in "Connected to" the outer tensors of each of
 * its calls (`name[call][output]`, a further call of the same nested model on the same row); a tensor a block
 * gives is `block[call][k]` for its output k. Checked against Keras 3.15 (tests/keras/blocks.oracle.test.ts).
 */
export function summarize(graph: Graph, analysis: Analysis): Summary {
  const view = hasBlocks(graph) ? collapseBlocks(graph) : null;
  const g = view ? view.graph : graph;
  // An outer Sequential holding nested models (`outerApiPlan`) is printed as Keras prints a Sequential.
  const plan = outerApiPlan(graph);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const flat = new Map(graph.nodes.map((n) => [n.id, n]));
  const ins = incoming(g);
  const layers = callsByLayer(g);
  const callNo = callIndex(g);
  const outputs = view
    ? [...new Set(analysis.outputTensors.map((t) => view.tensor(t)?.node).filter((id): id is string => id !== undefined))]
    : analysis.outputs;
  const ids = plan.kind === 'sequential' ? plan.chain : analysis.order.length === graph.nodes.length ? functionalOrder(g, outputs) : [...layers.keys()];
  // Keras's node index of a call: a nested Sequential owns node 0 (its own graph), so its calls count from 1.
  const nodeIndex = (id: string): number => (callNo.get(id) ?? 0) + (view?.interfaces.get(id)?.first.sequential ? 1 : 0);
  /** A tensor's shape: output k of node `id` of the flat graph. */
  const shapeAt = (id: string, k: number): Shape | null => {
    const info = analysis.nodes.get(id);
    return (k === 0 ? info?.outputShape : info?.moreOutputs[k - 1]) ?? null;
  };
  const rows = ids.map((id): SummaryRow => {
    const calls = layers.get(id) ?? [byId.get(id)!];
    const n = calls[0];
    const itf = view?.interfaces.get(n.id);
    let head: Pick<SummaryRow, 'className' | 'outputShape' | 'outputShapes' | 'params'>;
    if (itf) {
      // A nested model: the shapes of its outputs at each call; its parameters are its layers' (a shared one once).
      const perCall = calls.map((c) => view!.interfaces.get(c.id)!.outputs.map((t) => shapeAt(t.node, t.output)));
      const texts = perCall.map((ss) => (ss.every((x) => x) ? JSON.stringify(ss) : null));
      const same = texts.every((x) => x !== null && x === texts[0]);
      let params = 0;
      const counted = new Set<string>();
      for (const m of itf.members) {
        const member = flat.get(m)!;
        if (counted.has(layerIdOf(member))) continue;
        counted.add(layerIdOf(member));
        const w = analysis.nodes.get(m)?.weights;
        params += w ? w.trainable + w.nonTrainable : 0;
      }
      head = {
        className: itf.first.sequential ? 'Sequential' : BLOCK_KIND,
        outputShape: same ? perCall[0][0] : null,
        ...(same && perCall[0].length > 1 ? { outputShapes: perCall[0] as Shape[] } : {}),
        params,
      };
    } else {
      const infos = calls.map((c) => analysis.nodes.get(c.id));
      const w = infos.map((i) => i?.weights).find((x) => x);
      const shapes = infos.map((i) => (i?.outputShape ? JSON.stringify([i.outputShape, ...i.moreOutputs]) : null));
      const same = shapes.every((x) => x !== null && x === shapes[0]);
      const more = same ? infos[0]!.moreOutputs : [];
      head = {
        className: kerasClassOf(n),
        outputShape: same ? infos[0]!.outputShape : null,
        ...(more.length ? { outputShapes: [infos[0]!.outputShape!, ...more] } : {}),
        params: w ? w.trainable + w.nonTrainable : 0,
      };
    }
    return {
      nodeId: n.id,
      name: n.name,
      ...head,
      // In Keras's node order (`callIndex`), as Keras lists them.
      connectedTo: [...calls]
        .sort((x, y) => callNo.get(x.id)! - callNo.get(y.id)!)
        // What Keras calls each on (core callInput): self-attention's one input is listed twice, as Keras does.
        .flatMap((c) => {
          const sources = ins.get(c.id)!;
          const called = itf ? sources : sources.length ? callInput(n.kind, sources) : [];
          return (Array.isArray(called) ? called : [called]).map((e) => `${byId.get(e.source)!.name}[${nodeIndex(e.source)}][${edgeOutput(e)}]`);
        }),
      calls: calls.length,
    };
  });
  return { name: graph.name, sequential: plan.kind === 'sequential', rows, totals: analysis.totals };
}
