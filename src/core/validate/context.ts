/**
 * The state the validator's passes share (passes/*.ts, run in order by `analyze`): the graph's index, built
 * once, each node's layer definition, the topological order, the diagnostics so far and the per-node results
 * the passes fill in. Pure data; building it reports nothing.
 */
import type { Graph, LayerNode, Shape, TensorRef } from '../graph/types';
import { indexGraph, topologicalIndices, type GraphIndex } from '../graph/topology';
import { callGroups } from '../graph/shared';
import { layerDef } from '../layers/registry';
import type { LayerDef, WeightCount } from '../layers/define';
import type { Diagnostic, DiagnosticCode } from './diagnostics';

/** One node's results, filled in by the shapes pass (and cleared by the shared-calls pass). */
export interface Entry {
  inputShapes: readonly (Shape | null)[];
  outputShape: Shape | null;
  /** The shapes of outputs 2… of a layer with several (`LayerDef.multiOutput`); empty for one output or an unknown shape. */
  moreOutputs: readonly Shape[];
  weights: WeightCount | null;
  diagnostics: readonly Diagnostic[];
}

/** What the passes read and write. Fields marked "by <pass>" are empty until that pass has run. */
export interface Context {
  readonly graph: Graph;
  readonly nodes: readonly LayerNode[];
  /** `indexGraph(graph)`: node positions and each node's incoming and outgoing edges. */
  readonly x: GraphIndex;
  /** Each node's layer definition; undefined for a kind Layerlab does not know. */
  readonly defs: readonly (LayerDef | undefined)[];
  /** True when some node's kind has training rules (`LayerDef.trainingIssue`, `LayerDef.cannotRun`). */
  readonly trainingIssues: boolean;
  /** The calls of each layer as positions, owner first (`callGroups`); null when no layer is shared. */
  readonly groups: readonly (readonly number[])[] | null;
  /** Each node's layer (its group's owner), when some layer is shared. */
  readonly owner: Int32Array | null;
  /** Node positions in topological order; fewer than the nodes when there is a cycle. */
  readonly order: Int32Array;
  /** 1 for a node left out of `order` (on or after a cycle); null when the graph is acyclic. */
  readonly cyclic: Uint8Array | null;
  /** Every diagnostic, in the order reported (see `report`). */
  readonly diags: Diagnostic[];
  /** Each node's diagnostics, made on its first one. */
  readonly perNode: (Diagnostic[] | undefined)[];
  /** Input node ids, in graph order (by reachability). */
  inputs: string[];
  /** Each node's results (by shapes). */
  readonly entries: Entry[];
  /** Each node's MACs per sample, 0 when unknown (by shapes). */
  readonly macsAt: Float64Array;
  /** Output node ids (by outputs). */
  outputs: string[];
  /** The model's output tensors, in order (by outputs). */
  outputTensors: TensorRef[];
  /** `entries` by node id (by outputs). */
  nodeInfo: Map<string, Entry>;
  /** The tensor shape each kept edge carries, by edge id (by totals). */
  edgeShapes: Map<string, Shape | null>;
  /** Weights over layers with known shapes, a shared layer once (by totals); may pass 2⁵³ − 1. */
  trainable: number;
  nonTrainable: number;
}

/** Indexes a graph and orders it (Kahn, ties by graph order): every pass's starting point. Linear time but for the heap. */
export function createContext(graph: Graph): Context {
  const nodes = graph.nodes;
  const n = nodes.length;
  const x = indexGraph(graph);
  const groups = callGroups(graph, x.indexOf);
  const owner: Int32Array | null = groups && new Int32Array(n);
  if (groups) for (const cs of groups) for (const c of cs) owner![c] = cs[0];
  const defs = new Array<LayerDef | undefined>(n);
  let trainingIssues = false;
  for (let i = 0; i < n; i++) {
    const d = (defs[i] = layerDef(nodes[i].kind));
    if (d?.trainingIssue || d?.cannotRun) trainingIssues = true;
  }
  const order = topologicalIndices(x);
  let cyclic: Uint8Array | null = null;
  if (order.length < n) {
    cyclic = new Uint8Array(n).fill(1);
    for (let j = 0; j < order.length; j++) cyclic[order[j]] = 0;
  }
  return {
    graph,
    nodes,
    x,
    defs,
    trainingIssues,
    groups,
    owner,
    order,
    cyclic,
    diags: [],
    perNode: new Array<Diagnostic[] | undefined>(n).fill(undefined),
    inputs: [],
    entries: new Array<Entry>(n),
    macsAt: new Float64Array(n),
    outputs: [],
    outputTensors: [],
    nodeInfo: new Map(),
    edgeShapes: new Map(),
    trainable: 0,
    nonTrainable: 0,
  };
}

/** Adds a diagnostic to the list, and to node `i`'s when it names a node. */
export function report(ctx: Context, d: Diagnostic, i: number | undefined): void {
  ctx.diags.push(d);
  if (d.nodeId && i !== undefined) (ctx.perNode[i] ??= []).push(d);
}

/** An error diagnostic. */
export const err = (code: DiagnosticCode, message: string, nodeId?: string, edgeId?: string): Diagnostic => ({
  code,
  severity: 'error',
  message,
  ...(nodeId !== undefined ? { nodeId } : {}),
  ...(edgeId !== undefined ? { edgeId } : {}),
});

/** The one empty list behind every node without inputs or diagnostics (frozen: results are read-only). */
export const NONE: readonly never[] = Object.freeze([]);

/** A pass: one concern, the diagnostic codes it may report, and the function that runs it on a context. */
export interface Pass {
  readonly name: string;
  /** Every code the pass may report (the tests check it reports no other). */
  readonly codes: readonly DiagnosticCode[];
  readonly run: (ctx: Context) => void;
}
