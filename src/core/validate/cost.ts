/**
 * What every node costs: its parameters, its multiply-accumulates per sample (MACs) and the size of its
 * output (values per sample, and bytes at float32), with the graph's totals and largest values (the bars on
 * the nodes are scaled to those). Pure: computed from the graph and its analysis.
 *
 * ## The convention
 * MACs count the multiply-accumulates of a layer's weighted products; element-wise operations are not
 * counted. Counted: a Dense's or a convolution's input × kernel, a recurrent layer's input × kernel and
 * state × recurrent kernel at every step (×2 for Bidirectional, × steps for TimeDistributed), and Dot's
 * products of its two inputs (a matrix product that happens to have no weights). Not counted: bias
 * additions, activations (also as layers: ReLU, Softmax, PReLU, …), BatchNormalization and
 * LayerNormalization (a scale and shift per value; at inference BatchNormalization folds into the preceding
 * convolution), pooling (comparisons and sums, no products with weights), element-wise merges (Add,
 * Multiply, Average, Maximum, Minimum), Dropout and noise, Rescaling; Embedding (a table lookup) and the
 * layers that only move values (Flatten, Reshape, Permute, RepeatVector, Concatenate, ZeroPadding2D,
 * Cropping2D, UpSampling2D, Masking) compute no products. Each kind's formula is in its layer file (`macs`).
 *
 * One MAC is one multiplication and one addition: the "mult-adds" of the architecture papers, whose figures
 * this reproduces (tests/unit/cost.test.ts): MobileNet 1.0-224, 569 million mult-adds (Howard et al. 2017,
 * "MobileNets", Table 1 and §3.1: a convolution costs D_K·D_K·M·N·D_F·D_F, counted over convolutions and
 * the fully connected layer only); ResNet-50, 3.8·10⁹ "FLOPs (multiply-adds)" (He et al. 2015, §4.1 and
 * Table 1); VGG16, 15.5·10⁹ (15,300 million in MobileNets Table 8). FLOP counters built on tf.profiler
 * (keras-flops `get_flops`; tensorflow/python/profiler/internal/flops_registry.py) count each of these
 * products as 2 FLOPs (MatMul 2·m·k·n, Conv2D 2·out_elements·kh·kw·c_in) and add the element-wise
 * operations (bias, batch-norm, pooling) at about 1 FLOP per value, so they report a little more than twice
 * these figures.
 *
 * Per sample: the batch axis is left out; a sequence's steps and an image's positions are in. A count that
 * depends on an unknown dimension (a sequence of unknown length) is null, never a guess.
 * Transposed convolutions are counted per input position (see conv2dTranspose.ts for why).
 *
 * Shared layers: a layer called several times has one set of weights, so its parameters count once (on its
 * first call with known weights, as Keras and the analysis count them); its MACs and its output count at
 * every call, since every call computes.
 *
 * Activations: the values of the node's output tensor per sample, and 4 bytes per value (float32, what tfjs
 * computes in). The total sums every node's output, Inputs included: what one forward pass of one sample
 * produces (memory.ts keeps them for a batch, twice, while training).
 */
import type { Graph, LayerNode, Shape } from '../graph/types';
import { callsByLayer } from '../graph/shared';
import { layerDef } from '../layers/registry';
import { sizeOf } from '../layers/define';
import { exactOrInfinity, type Analysis } from './analyze';

/** Bytes of one activation value: float32. */
export const ACTIVATION_BYTES = 4;

export interface NodeCost {
  /** Weights of the layer the node calls (trainable + non-trainable); null when its input shapes are unknown. */
  readonly params: number | null;
  /** True when the node's parameters are counted in the totals: false on the further calls of a shared layer. */
  readonly paramsCounted: boolean;
  /** Multiply-accumulates per sample (the convention above); null when unknown. */
  readonly macs: number | null;
  /** Values in the output per sample (batch axis left out); null when unknown. */
  readonly activations: number | null;
  /** activations · 4 (float32); null when unknown. */
  readonly bytes: number | null;
}

export interface CostFigures {
  /** Parameters (a shared layer's once). */
  readonly params: number;
  /** Multiply-accumulates per sample. */
  readonly macs: number;
  /** Output values per sample. */
  readonly activations: number;
  /** Output bytes per sample at float32. */
  readonly bytes: number;
}

export interface GraphCost {
  readonly nodes: ReadonlyMap<string, NodeCost>;
  /** Sums over the nodes whose values are known (parameters: counted nodes only). */
  readonly totals: CostFigures;
  /** The largest value on one node (parameters: over counted nodes), 0 when none: the full length of a bar. */
  readonly max: CostFigures;
  /** Nodes (ids, graph order) whose MACs or output size is unknown and so missing from the totals. */
  readonly unknown: readonly string[];
}

const UNKNOWN: NodeCost = { params: null, paramsCounted: false, macs: null, activations: null, bytes: null };

/** MACs of one node whose input and output shapes are known, with its layer's parameters; null when unknown. */
function nodeMacs(n: LayerNode, inputs: readonly (Shape | null)[], params: LayerNode['params']): number | null {
  const def = layerDef(n.kind);
  if (!def || inputs.some((s) => s === null)) return null;
  if (!def.macs) return 0;
  try {
    const m = def.macs(inputs as Shape[], params);
    return m !== null && Number.isFinite(m) && m >= 0 ? m : null;
  } catch {
    return null;
  }
}

/**
 * The cost of every node of a graph and the graph's totals (convention and sources in the module comment).
 * Per node: parameters (weights, as the analysis counts them), MACs per sample (the layer's `macs` on the
 * node's input shapes, with its layer's parameters), output values per sample (product of the output shape
 * without the batch axis) and their bytes at 4 per value. Nodes the analysis gives no output shape (an error
 * here or upstream) have unknown cost. Every figure of a graph the validator accepts is exact: it refuses any
 * node figure or total (parameters, MACs, values) past 2⁵³ − 1; on a refused graph such a total is
 * Infinity (shown as '∞'), never an inexact number; bytes are the values · 4. Never throws.
 */
export function graphCost(graph: Graph, analysis: Analysis): GraphCost {
  // Parameters count once per layer: on its first call with known weights (analyze's totals do the same).
  const counted = new Set<string>();
  const ownerParams = new Map<string, LayerNode['params']>();
  for (const calls of callsByLayer(graph).values()) {
    const first = calls.find((c) => analysis.nodes.get(c.id)?.weights);
    if (first) counted.add(first.id);
    for (const c of calls) ownerParams.set(c.id, calls[0].params);
  }
  const nodes = new Map<string, NodeCost>();
  const totals = { params: 0, macs: 0, activations: 0, bytes: 0 };
  const max = { params: 0, macs: 0, activations: 0, bytes: 0 };
  const unknown: string[] = [];
  for (const n of graph.nodes) {
    const info = analysis.nodes.get(n.id);
    if (!info) {
      nodes.set(n.id, UNKNOWN);
      unknown.push(n.id);
      continue;
    }
    const w = info.weights;
    const params = w ? w.trainable + w.nonTrainable : null;
    const paramsCounted = counted.has(n.id);
    const out = info.outputShape;
    const activations = out ? sizeOf(out) : null;
    const macs = out ? nodeMacs(n, info.inputShapes, ownerParams.get(n.id) ?? n.params) : null;
    const bytes = activations === null ? null : activations * ACTIVATION_BYTES;
    nodes.set(n.id, { params, paramsCounted, macs, activations, bytes });
    if (paramsCounted && params !== null) {
      totals.params += params;
      max.params = Math.max(max.params, params);
    }
    if (macs !== null) {
      totals.macs += macs;
      max.macs = Math.max(max.macs, macs);
    }
    if (activations !== null && bytes !== null) {
      totals.activations += activations;
      totals.bytes += bytes;
      max.activations = Math.max(max.activations, activations);
      max.bytes = Math.max(max.bytes, bytes);
    }
    if (macs === null || activations === null) unknown.push(n.id);
  }
  // Sums past 2⁵³ − 1 (the validator refuses such graphs) are Infinity, shown as '∞', never inexact.
  for (const k of ['params', 'macs', 'activations'] as const) totals[k] = exactOrInfinity(totals[k]);
  // Four bytes per value: exact (a power-of-two multiple of an exact count), Infinity with it.
  totals.bytes = totals.activations * ACTIVATION_BYTES;
  return { nodes, totals, max, unknown };
}
