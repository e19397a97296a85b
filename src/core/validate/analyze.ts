/**
 * The validator: from a graph, everything the UI, code generator and runtime need to know.
 * Pure and total: it never throws, whatever the graph holds. A short pipeline of passes (passes/*.ts, in the
 * order of `PASSES`) over one shared context (context.ts).
 */
import type { Graph, Shape, TensorRef } from '../graph/types';
import type { WeightCount } from '../layers/define';
import type { Diagnostic } from './diagnostics';
import { createContext } from './context';
import { PASSES } from './passes';
import { exactOrInfinity } from './sizes';

export { MAX_EXACT, describeHuge, exactOrInfinity } from './sizes';
export { trainingBlock } from './passes/training';

export interface NodeInfo {
  /** Shapes of the incoming tensors, in input order; null where an input's shape is unknown. */
  readonly inputShapes: readonly (Shape | null)[];
  /** Output shape (the first output of a layer with several), or null when it cannot be computed (an error here or upstream). */
  readonly outputShape: Shape | null;
  /** The shapes of outputs 2… of a layer with several (LSTM with return_state: state_h, state_c); empty otherwise or when unknown. */
  readonly moreOutputs: readonly Shape[];
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
  /**
   * Output node ids: `graph.outputs` (when set: existing layers, in its order), then the other layers whose
   * output nothing consumes (Inputs excluded), in topological order.
   */
  readonly outputs: readonly string[];
  /**
   * The model's output tensors, in order (what `keras.Model(inputs, outputs)` gets): each listed output
   * (`graph.outputs`), then every output of each other layer nothing reads.
   */
  readonly outputTensors: readonly TensorRef[];
  /** All diagnostics, errors first. */
  readonly diagnostics: readonly Diagnostic[];
  /** Parameter totals over layers with known shapes. */
  readonly totals: Totals;
  /** True when there is at least one layer and no error. */
  readonly valid: boolean;
}

/**
 * Validates a graph and infers every shape and parameter count.
 * Runs the passes in order (passes/index.ts): unknown kinds and names (unique, valid), cycles (naming the
 * nodes on one), parameter values and arity, inputs and reachability from an Input, then shapes in
 * topological order (a node whose input is unknown because of an upstream error gets no extra error), shared
 * calls, outputs, Keras masks as tfjs runs them (masks.ts), as warnings configurations tfjs 4.22 builds but
 * cannot train (`LayerDef.trainingIssue`), and last the totals.
 * The graph's structure is indexed once (`indexGraph`) and every pass works on node positions; edges whose
 * ends do not exist are ignored.
 */
export function analyze(graph: Graph): Analysis {
  const ctx = createContext(graph);
  for (const pass of PASSES) pass.run(ctx);
  const { nodes, order, entries, perNode, diags, trainable, nonTrainable } = ctx;
  let layers = false;
  for (let i = 0; i < nodes.length && !layers; i++) layers = nodes[i].kind !== 'Input';
  for (let i = 0; i < nodes.length; i++) {
    const d = perNode[i];
    if (d) entries[i].diagnostics = d;
  }
  const ids = new Array<string>(order.length);
  for (let j = 0; j < order.length; j++) ids[j] = nodes[order[j]].id;
  return {
    order: ids,
    nodes: ctx.nodeInfo,
    edgeShapes: ctx.edgeShapes,
    inputs: ctx.inputs,
    outputs: ctx.outputs,
    outputTensors: ctx.outputTensors,
    diagnostics: diags,
    // A total past 2⁵³ − 1 (refused by the totals pass) is Infinity, shown as '∞', never as an inexact count.
    totals: { total: exactOrInfinity(trainable + nonTrainable), trainable: exactOrInfinity(trainable), nonTrainable: exactOrInfinity(nonTrainable) },
    valid: layers && diags.every((d) => d.severity !== 'error'),
  };
}
