/**
 * Which Keras API can write a graph down — Sequential, Functional or both — with a short explanation
 * for the code panel. The decision itself is core's `outerApiPlan`; this file only puts it into words.
 */
import { outerApiPlan, type Graph } from '../core';

/** The code panel's answer to "Sequential or Functional?". */
export interface ApiChoice {
  /** True when the Sequential API can express the model (the Functional API always can, once it is valid). */
  readonly sequential: boolean;
  /** One sentence: why Sequential works, or core's reason why it does not. */
  readonly reason: string;
  /** The node that rules Sequential out, when there is one (the panel can select it). */
  readonly nodeId?: string;
  /** Two or three sentences for the code panel: the reason plus what the other API offers. */
  readonly explanation: string;
}

/** What the Functional API adds, in one sentence. */
export const FUNCTIONAL_ADDS =
  'The Functional API wires layers as a graph, calling each layer on the tensors it reads, so a model can have several inputs or outputs, branches, merges, shared layers and layers that return several tensors.';

/**
 * What Model subclassing can write, in one sentence: every model the Functional API can (the same layers called on
 * the same tensors, written in `call`).
 */
export const SUBCLASSING_NOTE =
  'Model subclassing can express every model the Functional API can: the layers are created in __init__ and called on the tensors in call(), as the Functional code calls them.';

/**
 * Why TypeScript has no Model subclassing form (the code panel shows it in place of the code): tfjs 4.22's Layers
 * API builds a `tf.LayersModel` only from symbolic tensors (tfjs-layers `tf.model` / `tf.sequential`; a
 * `LayersModel` subclass overriding `call` is never traced); only layers can be custom classes.
 */
export const TFJS_NO_SUBCLASSING =
  'TypeScript code is not possible in the Model subclassing form: tfjs has no Model subclassing in its Layers API. A tf.LayersModel is built from symbolic tensors only (tf.model or tf.sequential); custom classes are possible only for layers, which Layerlab already uses for the layers tfjs lacks. The Functional TypeScript builds the same model.';

/** `FUNCTIONAL_ADDS` after a reason that already names the Functional API ("…; the Functional API unpacks them."). */
const FUNCTIONAL_ADDS_AFTER = FUNCTIONAL_ADDS.replace('The Functional API wires', 'It wires');

/**
 * Explains which Keras API fits the graph, from core `outerApiPlan` (nested models as layers of the outer model: an
 * outer chain may hold a nested model of one input and one output, `keras.Sequential([..., block, ...])`).
 * Example (Sequential impossible): reason "'concatenate_branches' has 2 inputs: a Sequential model is one
 * chain, each layer fed by the one before it." and the explanation adds what the Functional API offers.
 * When there is nothing to build yet (no Input, or no layer after it) the explanation is the reason alone.
 */
export function explainApi(graph: Graph): ApiChoice {
  const plan = outerApiPlan(graph);
  if (plan.kind === 'sequential') {
    const reason = 'This model is one chain from one input to one output.';
    return {
      sequential: true,
      reason,
      explanation: `${reason.slice(0, -1)}, so Keras's Sequential API can express it: a list of layers, each fed by the one before. The Functional API can too.`,
    };
  }
  // Nothing to build yet: no Input, or the only Input feeds nothing. Then the Functional API is no answer either.
  const inputs = graph.nodes.filter((n) => n.kind === 'Input');
  const lonelyInput = inputs.length === 1 && !graph.edges.some((e) => e.source === inputs[0].id);
  const structural = inputs.length > 0 && !lonelyInput;
  return {
    sequential: false,
    reason: plan.reason,
    ...(plan.nodeId !== undefined ? { nodeId: plan.nodeId } : {}),
    explanation: structural ? `${plan.reason} ${/Functional API/.test(plan.reason) ? FUNCTIONAL_ADDS_AFTER : FUNCTIONAL_ADDS}` : plan.reason,
  };
}
