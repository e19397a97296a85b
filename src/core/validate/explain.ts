/**
 * How Keras computes a layer's output shape and parameter count, with the numbers, for the editor's hover
 * explanations (issue: every shape and count explained). Both come from the definition that computes the values:
 * the shape's steps are recorded while its `outputShape` runs (layers/trace.ts), the count is the sum of its weight
 * tensors (`LayerDef.weightShapes`). Pure; never throws.
 */
import type { Graph, Shape } from '../graph/types';
import { formatShape, type WeightSpec } from '../layers/define';
import { layerDef } from '../layers/registry';
import { isFrozen } from '../graph/frozen';
import { num, traceSteps } from '../layers/trace';
import type { Analysis } from './analyze';

/** One weight tensor in an explanation: its Keras name, shape, size and whether training changes it. */
export interface WeightTerm extends WeightSpec {
  /** The product of its shape. */
  readonly size: number;
}

/** How a node's output shape and parameter count come about. */
export interface Explanation {
  /** The kind's shape rule in one line, e.g. '(batch, …, d) → (batch, …, units)'. */
  readonly rule: string;
  /** Input shapes → output shape, e.g. '(None, 3136) → (None, 64)'. */
  readonly shapes: string;
  /** The arithmetic of the output shape, one line per computed axis (empty when the rule has none: a Dropout). */
  readonly shapeSteps: readonly string[];
  /** The weight tensors in Keras's order (empty for a layer without weights), or null when its kind does not list them. */
  readonly weights: readonly WeightTerm[] | null;
  /** The count as arithmetic: 'kernel 3,136 × 64 = 200,704 + bias 64 = 200,768', or null without weights. */
  readonly countText: string | null;
  /**
   * The outputs after the first of a layer that returns several (an LSTM's state_h and state_c, MultiHeadAttention's
   * attention_scores: `LayerDef.multiOutput`), each with its name, shape and the arithmetic of that shape; empty for
   * a layer with one output.
   */
  readonly moreOutputs: readonly { readonly name: string; readonly shape: string; readonly steps: readonly string[] }[];
}

/** `f()`, or null when it throws (an explanation never throws). */
function attempt<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

/**
 * A weight tensor as a term: `kernel 3 × 3 × 3 × 32 = 864`; a vector `bias 32`; a scalar `count 1`; a tensor training
 * does not change says so (`moving_mean 64 (non-trainable)`); its note, when it has one, follows the first term that
 * carries it (`kernel 3 × 16 = 48 (16 = 4 gates × 4 units: input, forget, cell and output gates)`).
 */
function termText(w: WeightTerm, withNote: boolean): string {
  const size = w.shape.length <= 1 ? `${w.name} ${num(w.size)}` : `${w.name} ${w.shape.map(num).join(' × ')} = ${num(w.size)}`;
  const notes = [w.trainable ? null : 'non-trainable', withNote && w.note ? w.note : null].filter((n) => n !== null);
  return notes.length ? `${size} (${notes.join('; ')})` : size;
}

/**
 * The count as arithmetic: the terms joined by ' + ' and their total, `kernel 3,136 × 64 = 200,704 + bias 64 =
 * 200,768`; one tensor alone is its own total (`alpha 64`, `embeddings 1,000 × 64 = 64,000`). Each note is written once (see `termText`).
 */
export function countText(weights: readonly WeightTerm[]): string | null {
  if (weights.length === 0) return null;
  const seen = new Set<string>();
  const terms = weights.map((w) => {
    const first = w.note !== undefined && !seen.has(w.note);
    if (w.note !== undefined) seen.add(w.note);
    return termText(w, first);
  });
  const total = weights.reduce((a, w) => a + w.size, 0);
  return weights.length > 1 ? `${terms.join(' + ')} = ${num(total)}` : terms[0];
}

/**
 * The explanation of node `nodeId`'s output shape and parameter count, or null when the node has no computed
 * output shape (an error on it or upstream) or is unknown. For a shared layer's call, the layer's (its owner's)
 * parameters, as the validator computes it.
 */
export function explainNode(graph: Graph, analysis: Analysis, nodeId: string): Explanation | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const info = analysis.nodes.get(nodeId);
  const def = node && layerDef(node.kind);
  if (!node || !def || !info?.outputShape || info.inputShapes.some((s) => s === null)) return null;
  const owner = node.layerOf ? (graph.nodes.find((n) => n.id === node.layerOf) ?? node) : node;
  const inputs = info.inputShapes as Shape[];
  const shapeSteps = attempt(() => traceSteps(() => def.outputShape(inputs, owner.params)).steps) ?? [];
  const weights: WeightTerm[] | null =
    (def.weightShapes &&
      attempt(() =>
        def.weightShapes!(inputs, owner.params).map((w) => ({
          ...w,
          // A frozen layer (trainable=False) trains none of its weights.
          trainable: w.trainable && !isFrozen(owner),
          size: w.shape.reduce((a, d) => a * d, 1),
        })),
      )) ??
    null;
  const names = def.multiOutput?.names(owner.params) ?? [];
  const more = names.length > 1 ? attempt(() => traceSteps(() => def.multiOutput!.shapes(inputs, owner.params, info.outputShape!))) : null;
  return {
    rule: def.shapeRule,
    shapes: `${inputs.map(formatShape).join(' + ') || '—'} → ${formatShape(info.outputShape)}`,
    shapeSteps,
    weights,
    countText: weights && countText(weights),
    // The further outputs' rule records one step per output, in order (shared/rnn.ts rnnOutputs, multiHeadAttention.ts).
    moreOutputs: more ? more.value.map((shape, i) => ({ name: names[i + 1], shape: formatShape(shape), steps: more.steps[i] ? [more.steps[i]] : [] })) : [],
  };
}
