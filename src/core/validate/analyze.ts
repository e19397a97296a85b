/**
 * The validator: from a graph, everything the UI, code generator and runtime need to know.
 * Pure and total: it never throws, whatever the graph holds.
 */
import type { Edge, Graph, LayerNode, Shape } from '../graph/types';
import { findCycle, incoming, outgoing, topologicalOrder } from '../graph/topology';
import { callsByLayer } from '../graph/shared';
import { checkName } from '../graph/naming';
import { layerDef } from '../layers/registry';
import { formatShape, ShapeError, type WeightCount } from '../layers/define';
import { checkParam } from '../layers/params';
import { isDiagnosticCode, type Diagnostic } from './diagnostics';
import { maskDiagnostics } from './masks';

export interface NodeInfo {
  /** Shapes of the incoming tensors, in input order; null where an input's shape is unknown. */
  readonly inputShapes: readonly (Shape | null)[];
  /** Output shape, or null when it cannot be computed (an error here or upstream). */
  readonly outputShape: Shape | null;
  /** Weight counts, or null when the output shape is unknown. */
  readonly weights: WeightCount | null;
  /** Problems on this node (errors first). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Totals {
  readonly total: number;
  readonly trainable: number;
  readonly nonTrainable: number;
}

export interface Analysis {
  /** Topological order of all node ids (acyclic part only, when there is a cycle). */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** The tensor shape each edge carries (its source's output shape). */
  readonly edgeShapes: ReadonlyMap<string, Shape | null>;
  /** Input node ids, in graph order. */
  readonly inputs: readonly string[];
  /** Output node ids: layers whose output nothing consumes (Inputs excluded), in topological order. */
  readonly outputs: readonly string[];
  /** All diagnostics, errors first. */
  readonly diagnostics: readonly Diagnostic[];
  /** Parameter totals over layers with known shapes. */
  readonly totals: Totals;
  /** True when there is at least one layer and no error. */
  readonly valid: boolean;
}

const err = (code: Diagnostic['code'], message: string, nodeId?: string, edgeId?: string): Diagnostic => ({
  code,
  severity: 'error',
  message,
  ...(nodeId !== undefined ? { nodeId } : {}),
  ...(edgeId !== undefined ? { edgeId } : {}),
});

/**
 * Validates a graph and infers every shape and parameter count.
 * Checks, in order: unknown kinds, names (unique, valid), cycles (naming the nodes on one),
 * parameter values, arity, reachability from an Input, then shapes in topological order
 * (a node whose input is unknown because of an upstream error gets no extra error), then Keras masks as
 * tfjs runs them (masks.ts); last, as warnings,
 * configurations tfjs 4.22 builds but cannot train (`LayerDef.trainingIssue`).
 */
export function analyze(graph: Graph): Analysis {
  const diags: Diagnostic[] = [];
  const perNode = new Map<string, Diagnostic[]>(graph.nodes.map((n) => [n.id, []]));
  const add = (d: Diagnostic) => {
    diags.push(d);
    if (d.nodeId) perNode.get(d.nodeId)?.push(d);
  };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => byId.has(e.source) && byId.has(e.target));
  const g: Graph = edges.length === graph.edges.length ? graph : { ...graph, edges };
  const ins = incoming(g);
  const outs = outgoing(g);

  // Kinds and names.
  // Calls of one shared layer share its name: names are counted per layer.
  const calls = callsByLayer(graph);
  const ownerOf = new Map<string, LayerNode>();
  for (const [, cs] of calls) for (const c of cs) ownerOf.set(c.id, cs[0]);
  const nameCount = new Map<string, number>();
  for (const [, cs] of calls) nameCount.set(cs[0].name, (nameCount.get(cs[0].name) ?? 0) + 1);
  for (const n of graph.nodes) {
    if (!layerDef(n.kind)) add(err('kind/unknown', `'${n.name}': Layerlab does not know the layer kind '${n.kind}'.`, n.id));
    const bad = checkName(n.name);
    if (bad) add(err('name/invalid', `${bad}; rename this layer.`, n.id));
    else if (nameCount.get(n.name)! > 1)
      add(err('name/duplicate', `'${n.name}': ${nameCount.get(n.name)} layers have this name; Keras needs unique layer names, rename one.`, n.id));
  }

  // Cycles.
  const { order, cyclic } = topologicalOrder(g);
  if (cyclic.length) {
    const cycle = findCycle(g, cyclic);
    const names = cycle.map((id) => byId.get(id)!.name);
    const text = `These layers form a cycle: ${[...names, names[0]].map((s) => `'${s}'`).join(' → ')}. A model must be acyclic; remove one of these connections.`;
    for (const id of cycle) add(err('cycle', text, id));
  }

  // Parameters and arity.
  for (const n of graph.nodes) {
    const def = layerDef(n.kind);
    if (!def) continue;
    for (const [key, spec] of Object.entries(def.params)) {
      const bad = checkParam(spec, n.params[key]);
      if (bad) add(err('param/invalid', `'${n.name}': ${key} ${bad}.`, n.id));
    }
    const k = ins.get(n.id)!.length;
    if (k < def.inputs.min)
      add(
        err(
          'arity/missing',
          def.inputs.min === 1
            ? `'${n.name}' has no input; connect a layer's output to it.`
            : `'${n.name}' (${n.kind}) needs at least ${def.inputs.min} inputs but has ${k}; connect ${def.inputs.min - k} more.`,
          n.id,
        ),
      );
    if (k > def.inputs.max)
      add(
        err(
          'arity/too-many',
          def.inputs.max === 0
            ? `'${n.name}' is an Input and takes no inputs; remove the connection into it.`
            : `'${n.name}' (${n.kind}) takes ${def.inputs.max === 1 ? 'one input' : `at most ${def.inputs.max} inputs`} but has ${k}; merge them first with Concatenate.`,
          n.id,
        ),
      );
  }

  // Reachability from an Input.
  const inputs = graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.id);
  const reached = new Set<string>();
  const todo = [...inputs];
  while (todo.length) {
    const id = todo.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const e of outs.get(id)!) todo.push(e.target);
  }
  if (graph.nodes.length && !inputs.length)
    add(err('graph/no-input', 'The model has no Input layer; add one from the palette and connect it to the first layer.'));
  for (const n of graph.nodes)
    if (!reached.has(n.id) && ins.get(n.id)!.length > 0 && inputs.length && !cyclic.includes(n.id))
      add(err('graph/unreachable', `'${n.name}' is not connected to any Input; connect it to a path that starts at an Input layer.`, n.id));

  // Shapes, in topological order.
  const info = new Map<string, { inputShapes: (Shape | null)[]; outputShape: Shape | null; weights: WeightCount | null }>();
  for (const id of order) {
    const n = byId.get(id)!;
    const def = layerDef(n.kind);
    const inEdges: Edge[] = ins.get(id)!;
    const inputShapes = inEdges.map((e) => info.get(e.source)?.outputShape ?? null);
    const entry = { inputShapes, outputShape: null as Shape | null, weights: null as WeightCount | null };
    info.set(id, entry);
    if (!def || perNode.get(id)!.length) continue;
    if (inputShapes.some((s) => s === null)) continue;
    try {
      const shapes = inputShapes as Shape[];
      // A call of a shared layer computes with the layer's (its owner's) parameters.
      const params = ownerOf.get(id)!.params;
      entry.outputShape = def.outputShape(shapes, params);
      entry.weights = def.weights(shapes, params);
    } catch (e) {
      if (e instanceof ShapeError && isDiagnosticCode(e.code)) add(err(e.code, `'${n.name}' (${n.kind}) ${e.message}.`, id));
      else add(err('param/invalid', `'${n.name}' (${n.kind}) cannot compute its output shape: ${(e as Error).message}`, id));
    }
  }

  // Every call of a shared layer must fit the one set of weights its first call created.
  for (const [, cs] of calls) {
    if (cs.length < 2) continue;
    const first = cs.find((c) => info.get(c.id)?.weights);
    if (!first) continue;
    const w = info.get(first.id)!.weights!;
    const fmtIn = (id: string) => info.get(id)!.inputShapes.map((x) => (x ? formatShape(x) : '?')).join(' + ');
    for (const c of cs) {
      const cw = info.get(c.id)?.weights;
      if (!cw || (cw.trainable === w.trainable && cw.nonTrainable === w.nonTrainable)) continue;
      add(
        err(
          'shared/incompatible',
          `'${c.name}' is a shared layer: this call on ${fmtIn(c.id)} would need ${cw.trainable + cw.nonTrainable} weights, but its weights (${w.trainable + w.nonTrainable}) were made for ${fmtIn(first.id)}; every call of a shared layer needs inputs of the same feature sizes.`,
          c.id,
        ),
      );
      info.get(c.id)!.outputShape = null;
    }
  }

  const outputs = order.filter((id) => byId.get(id)!.kind !== 'Input' && outs.get(id)!.length === 0);

  // Keras masks, as tfjs 4.22 runs them (masks.ts).
  for (const d of maskDiagnostics(g, outputs, info)) add(d);

  // Configurations tfjs builds but cannot train: warnings, after every error.
  const weightsUpstream = new Map<string, boolean>();
  for (const id of order) {
    const srcs = ins.get(id)!.map((e) => e.source);
    weightsUpstream.set(id, srcs.some((s) => weightsUpstream.get(s) || (info.get(s)?.weights?.trainable ?? 0) > 0));
    const n = byId.get(id)!;
    const issue = info.get(id)?.outputShape ? layerDef(n.kind)?.trainingIssue?.(n.params, weightsUpstream.get(id)!) : null;
    if (issue) add({ code: 'train/unsupported', severity: 'warning', nodeId: id, message: `'${n.name}' (${n.kind}): ${issue}.` });
  }

  const edgeShapes = new Map(g.edges.map((e) => [e.id, info.get(e.source)?.outputShape ?? null]));
  // A shared layer's weights count once, as Keras counts them.
  let trainable = 0;
  let nonTrainable = 0;
  for (const [, cs] of calls) {
    const w = cs.map((c) => info.get(c.id)?.weights).find((x) => x);
    trainable += w?.trainable ?? 0;
    nonTrainable += w?.nonTrainable ?? 0;
  }
  const nodes = new Map<string, NodeInfo>(
    graph.nodes.map((n) => {
      const v = info.get(n.id);
      return [n.id, { inputShapes: v?.inputShapes ?? [], outputShape: v?.outputShape ?? null, weights: v?.weights ?? null, diagnostics: perNode.get(n.id)! }];
    }),
  );
  return {
    order,
    nodes,
    edgeShapes,
    inputs,
    outputs,
    diagnostics: diags,
    totals: { total: trainable + nonTrainable, trainable, nonTrainable },
    valid: graph.nodes.some((n) => n.kind !== 'Input') && diags.every((d) => d.severity !== 'error'),
  };
}
