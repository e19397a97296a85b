/**
 * Which Keras API a graph can be written in, and the Keras-style summary table.
 */
import type { Graph, LayerNode, Shape } from '../graph/types';
import { incoming, outgoing } from '../graph/topology';
import { layerDef } from '../layers/registry';
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
  for (const n of graph.nodes) {
    const k = ins.get(n.id)!.length;
    if (k > 1)
      return { kind: 'functional', reason: `${q(n)} has ${k} inputs: a Sequential model is one chain, each layer fed by the one before it.`, nodeId: n.id };
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
  if (chain.length === 0) return { kind: 'functional', reason: `Connect a layer after ${q(inputs[0])}: a model needs at least one layer.`, nodeId: inputs[0].id };
  if (chain.length + 1 < graph.nodes.length) {
    const stray = graph.nodes.find((n) => n.id !== inputs[0].id && !chain.includes(n.id))!;
    return { kind: 'functional', reason: `${q(stray)} is not on the chain from ${q(inputs[0])}: a Sequential model is one chain.`, nodeId: stray.id };
  }
  return { kind: 'sequential', input: inputs[0].id, chain };
}

export interface SummaryRow {
  readonly nodeId: string;
  /** Layer name. */
  readonly name: string;
  /** Keras class name, e.g. 'Conv2D', 'InputLayer'. */
  readonly className: string;
  readonly outputShape: Shape | null;
  /** Parameter count (trainable + non-trainable). */
  readonly params: number;
  /** Keras's "Connected to" cells: `name[0][0]` of each input, in order. */
  readonly connectedTo: readonly string[];
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
 */
export function functionalOrder(graph: Graph, outputs: readonly string[]): string[] {
  const ins = incoming(graph);
  const index = new Map<string, number>();
  const postOrder: string[] = [];
  const done = new Set<string>();
  const visit = (id: string, path: Set<string>) => {
    if (done.has(id) || path.has(id)) return;
    if (!index.has(id)) index.set(id, index.size);
    path.add(id);
    for (const e of ins.get(id) ?? []) visit(e.source, path);
    path.delete(id);
    done.add(id);
    postOrder.push(id);
  };
  for (const o of outputs) visit(o, new Set());
  const depth = new Map<string, number>();
  for (const id of [...postOrder].reverse()) {
    const d = depth.get(id) ?? 0;
    depth.set(id, d);
    for (const e of ins.get(id) ?? []) depth.set(e.source, Math.max(d + 1, depth.get(e.source) ?? 0));
  }
  const ordered = [...postOrder].sort((a, b) => depth.get(b)! - depth.get(a)! || index.get(a)! - index.get(b)!);
  return [...ordered, ...graph.nodes.map((n) => n.id).filter((id) => !done.has(id))];
}

/**
 * The rows of `model.summary()` for the model this graph builds: for a Sequential model the chain
 * (no InputLayer row, as Keras and tfjs print it), for a Functional one every layer in tfjs's order
 * (`functionalOrder`), InputLayers included.
 */
export function summarize(graph: Graph, analysis: Analysis): Summary {
  const plan = apiPlan(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const ins = incoming(graph);
  const ids = plan.kind === 'sequential' ? plan.chain : analysis.order.length === graph.nodes.length ? functionalOrder(graph, analysis.outputs) : analysis.order;
  const rows = ids.map((id): SummaryRow => {
    const n = byId.get(id)!;
    const info = analysis.nodes.get(id);
    const w = info?.weights;
    return {
      nodeId: id,
      name: n.name,
      className: layerDef(n.kind)?.kerasClass ?? n.kind,
      outputShape: info?.outputShape ?? null,
      params: w ? w.trainable + w.nonTrainable : 0,
      connectedTo: ins.get(id)!.map((e) => `${byId.get(e.source)!.name}[0][0]`),
    };
  });
  return { name: graph.name, sequential: plan.kind === 'sequential', rows, totals: analysis.totals };
}
