/**
 * Graph → tfjs model. The tfjs module is passed in (`tf`), so Node tests can hand over the npm package
 * on the cpu backend and the worker its own instance; this file imports tfjs for types only.
 */
import type * as tfjs from '@tensorflow/tfjs';
import {
  usesCustomLayer,
  analyze,
  apiPlan,
  callInput,
  edgeOutput,
  incoming,
  innerLayer,
  layerDef,
  layerIdOf,
  tfjsArgs,
  type Analysis,
  type Graph,
  type LayerNode,
  type Shape,
} from '../core';
import { CUSTOM_LAYERS } from './layers';

/** The tfjs module (`import * as tf from '@tensorflow/tfjs'`). */
export type TF = typeof tfjs;

type LayerFactory = (config: object) => tfjs.layers.Layer;

/**
 * Creates the tfjs layer for one non-Input node: `tf.layers[def.tfjsFactory]({ ...tfjsArgs(node), name })`,
 * plus `inputShape` when given (the first layer of a Sequential model). For a wrapper (Bidirectional,
 * TimeDistributed) the wrapped layer is built first from core `innerLayer` and passed as `layer`.
 * `inputShapes` (the node's input shapes, from the analysis) let arguments tfjs needs resolved be
 * resolved (core `LayerDef.tfjsParams`: a Reshape −1); without them the stored values are passed.
 * Parameters keep tfjs's defaults where the node does not set them (kernel initializer: tfjs's
 * glorotNormal; Keras uses glorot_uniform, which changes no shape or parameter count).
 * A frozen node (`LayerNode.trainable` false) is built with `trainable: false`: its weights are in the model's
 * `nonTrainableWeights` and `fit` leaves them unchanged. A frozen BatchNormalization also runs in inference mode, as
 * Keras 3 runs it (keras/src/layers/normalization/batch_normalization.py `call`: `if training and self.trainable`):
 * tfjs 4.22's would normalise with the batch's statistics and update its moving mean and variance while training
 * (its `call` reads only the `training` flag), so its `call` is given `training: false` (`inferenceWhenFrozen`).
 * @throws Error for an unknown kind, an Input node, or a factory tfjs does not have.
 */
export function createLayer(tf: TF, node: LayerNode, inputShape?: readonly (number | null)[], inputShapes?: readonly Shape[]): tfjs.layers.Layer {
  const config: Record<string, unknown> = { ...tfjsArgs(node, {}, inputShapes), name: node.name };
  const inner = innerLayer(node);
  if (inner) config.layer = factoryOf(tf, inner)(tfjsArgs(inner));
  if (inputShape) config.inputShape = [...inputShape];
  const layer = factoryOf(tf, node)(config);
  // A frozen layer: tfjs's Wrapper and Bidirectional read `trainable` from the wrapped layers, so it is set through
  // the setter too (a plain layer already has it from its config).
  if (node.trainable === false) layer.trainable = false;
  if (node.trainable === false && node.kind === 'BatchNormalization') inferenceWhenFrozen(layer);
  if (layerDef(node.kind)?.callForm === 'initialState') {
    ownCallArguments(layer);
    if (node.params.return_state === true) distinctOutputs(tf, layer);
  }
  return layer;
}

/**
 * Runs a frozen BatchNormalization in inference mode (its moving mean and variance, never updated), as Keras 3 does
 * for a BatchNormalization whose `trainable` is False: its `call` always gets `training: false`.
 */
function inferenceWhenFrozen(layer: tfjs.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
}

/**
 * Gives a recurrent layer its own copy of the call arguments. tfjs 4.22's `RNN.apply` writes the initial states it
 * was called with into the `kwargs` object it is given (tfjs-layers layers/recurrent.ts `apply`: `kwargs['initialState']
 * = initialState`), and the executor that runs a model (engine/executor.ts `execute`, in `fit` and `trainOnBatch`)
 * hands one object to every layer. A recurrent layer run after one started from states — including a layer with
 * several outputs, which the executor applies again for each output tensor — then finds those states in its
 * arguments and fails: "When inputs is an array, neither initialState or constants should be provided".
 */
function ownCallArguments(layer: tfjs.layers.Layer): void {
  const apply = layer.apply.bind(layer);
  layer.apply = (inputs, kwargs) => apply(inputs, kwargs == null ? kwargs : { ...kwargs });
}

/**
 * Makes a recurrent layer with return_state return a distinct tensor object for each output. Without
 * return_sequences tfjs 4.22's RNN returns one tensor object as its output and its (first) state (Keras: the output
 * equals state_h / state), and its inference executor (tfjs-layers engine/executor.ts `execute`, used by `predict`
 * and `evaluate`) counts readers per symbolic tensor and disposes a tensor when the readers of either are done: a
 * model reading both (a Dense on the output, a decoder started from the state) fails in `predict` with "Cannot read
 * properties of undefined (reading 'backend')". The layer's `call` is wrapped to return a clone of a repeated
 * tensor (`tf.clone`: the same values, its own reference; gradient the identity). Training and serialization are
 * unchanged.
 */
function distinctOutputs(tf: TF, layer: tfjs.layers.Layer): void {
  const call = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const out = call(inputs, kwargs);
    if (!Array.isArray(out)) return out;
    return out.map((t, i) => (out.indexOf(t) < i ? tf.clone(t) : t));
  };
}

/**
 * `tf.layers[def.tfjsFactory]` for the node's kind, or Layerlab's custom layer of that name (runtime/layers/)
 * for a kind tfjs lacks or parameters it cannot run (core `usesCustomLayer`). @throws Error as `createLayer` does.
 */
function factoryOf(tf: TF, node: LayerNode): LayerFactory {
  const def = layerDef(node.kind);
  if (!def) throw new Error(`'${node.name}': unknown layer kind '${node.kind}'.`);
  if (def.tfjsFactory === null) throw new Error(`'${node.name}' (${node.kind}) is not a layer: build it with tf.input.`);
  if (usesCustomLayer(node)) {
    const custom = CUSTOM_LAYERS[def.tfjsFactory] as LayerFactory | undefined;
    if (!custom) throw new Error(`Layerlab has no custom layer ${def.tfjsFactory} for '${node.name}' (${node.kind}).`);
    return custom;
  }
  const factory = (tf.layers as unknown as Record<string, LayerFactory | undefined>)[def.tfjsFactory];
  if (typeof factory !== 'function') throw new Error(`tfjs has no layer factory tf.layers.${def.tfjsFactory} for '${node.name}' (${node.kind}).`);
  return factory;
}

/**
 * The first error of an analysis as an Error, or null when the graph can be built.
 * A graph without any layer but Inputs has no diagnostic yet cannot be built; it gets its own message. A graph
 * with a layer Layerlab cannot run (core `train/blocked`: a Lambda from a file) cannot either: its warning's message.
 */
export function buildError(analysis: Analysis): Error | null {
  // A layer tfjs cannot build (core LayerDef.cannotRun: a Lambda from a file) is a warning, not an error, yet blocks building.
  // (Every layer frozen, core `train/frozen`, builds: only training is refused, by the Train panel.)
  const blocked = analysis.diagnostics.find((d) => d.code === 'train/blocked')?.message;
  if (blocked) return new Error(blocked);
  if (analysis.valid) return null;
  const first = analysis.diagnostics.find((d) => d.severity === 'error') ?? analysis.diagnostics[0];
  return new Error(first ? first.message : 'The model has no layers yet: add an Input and connect at least one layer to it.');
}

/** The Input node's `shape` parameter (one sample, no batch axis). */
const inputShapeOf = (node: LayerNode): (number | null)[] => [...(node.params.shape as readonly (number | null)[])];

/**
 * Builds the tfjs model the graph describes.
 * - One chain (core `apiPlan` kind 'sequential'): `tf.sequential({ name, layers })`, the first layer
 *   given `inputShape` = the Input's shape; tfjs then names the InputLayer itself, as Keras does.
 * - Otherwise: `tf.input({ shape, name })` per Input node in graph order, layers (one tfjs layer per
 *   shared layer, applied at each of its calls) applied in
 *   topological order to their inputs in edge order (a merge layer such as Concatenate gets the array, a
 *   recurrent layer with initial states `[x, ...states]`: core `callInput`), each edge reading output
 *   `edgeOutput(e)` of its source (a layer with several outputs, an LSTM with return_state, returns a list), and
 *   `tf.model({ name, inputs, outputs })` with outputs the tensors of `analysis.outputTensors`, in order.
 * Every layer is named after its node, so rows can be matched with the core's summary by name.
 * The caller owns the model and must `dispose()` it.
 * @param analysis `analyze(graph)`, when the caller already has it.
 * @throws Error with the first diagnostic's message when the graph is invalid, or tfjs's own error
 *   if it refuses a layer the core accepted (a core bug: the contract tests guard against it).
 */
export function buildModel(tf: TF, graph: Graph, analysis: Analysis = analyze(graph)): tfjs.LayersModel {
  const bad = buildError(analysis);
  if (bad) throw bad;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const shapesIn = (id: string) => analysis.nodes.get(id)!.inputShapes as Shape[];
  const plan = apiPlan(graph);
  const made: tfjs.layers.Layer[] = [];
  try {
    if (plan.kind === 'sequential') {
      const shape = inputShapeOf(byId.get(plan.input)!);
      const layers = plan.chain.map((id, i) => {
        const layer = createLayer(tf, byId.get(id)!, i === 0 ? shape : undefined, shapesIn(id));
        made.push(layer);
        return layer;
      });
      return tf.sequential({ name: graph.name, layers });
    }
    const ins = incoming(graph);
    // Each node's output tensors, in order: one for most layers, several for a layer that returns several
    // (an LSTM with return_state: output, state_h, state_c), of which an edge reads `edgeOutput(e)`.
    const tensors = new Map<string, tfjs.SymbolicTensor[]>();
    for (const id of analysis.inputs) {
      const n = byId.get(id)!;
      tensors.set(id, [tf.input({ shape: inputShapeOf(n), name: n.name })]);
    }
    const tensorOf = (node: string, output: number, reader: string): tfjs.SymbolicTensor => {
      const t = tensors.get(node)?.[output];
      if (!t) {
        const from = byId.get(node);
        throw new Error(`'${byId.get(reader)?.name ?? reader}' reads output ${output + 1} of '${from?.name ?? node}', which tfjs did not return.`);
      }
      return t;
    };
    // One tfjs layer per layer; a shared layer's later calls apply the same object (same weights).
    const layers = new Map<string, tfjs.layers.Layer>();
    for (const id of analysis.order) {
      const n = byId.get(id)!;
      if (n.kind === 'Input') continue;
      const args = ins.get(id)!.map((e) => tensorOf(e.source, edgeOutput(e), id));
      let layer = layers.get(layerIdOf(n));
      if (!layer) {
        layer = createLayer(tf, n, undefined, shapesIn(id));
        made.push(layer);
        layers.set(layerIdOf(n), layer);
      }
      const out = layer.apply(callInput(n.kind, args)) as tfjs.SymbolicTensor | tfjs.SymbolicTensor[];
      tensors.set(id, Array.isArray(out) ? out : [out]);
    }
    return tf.model({
      name: graph.name,
      inputs: analysis.inputs.map((id) => tensors.get(id)![0]),
      outputs: analysis.outputTensors.map((r) => tensorOf(r.node, r.output, r.node)),
    });
  } catch (e) {
    // Free the weights of layers built before the failure (a model that was never made cannot). A layer
    // whose apply threw may hold weights yet refuse dispose() ("not been used yet"): free those directly.
    for (const l of made) {
      try {
        l.dispose();
      } catch {
        for (const w of l.weights) w.dispose();
      }
    }
    throw e;
  }
}

/**
 * Frees the dropout masks tfjs 4.22's recurrent cells keep after a call: SimpleRNNCell, GRUCell and
 * LSTMCell (tfjs-layers recurrent.ts) `tf.keep` their dropout and recurrent-dropout masks and free them
 * only at the layer's next call, never in `dispose()`. Call it before disposing a model (or layers) whose
 * SimpleRNN, GRU, LSTM or Bidirectional has dropout or recurrent_dropout > 0, or those tensors leak.
 */
export function freeRecurrentDropoutMasks(tf: TF, layers: readonly tfjs.layers.Layer[]): void {
  type Holder = { cell?: Record<string, unknown>; forwardLayer?: Holder; backwardLayer?: Holder };
  const free = (l: Holder | undefined) => {
    if (!l) return;
    for (const key of ['dropoutMask', 'recurrentDropoutMask'])
      if (l.cell?.[key]) {
        tf.dispose(l.cell[key] as tfjs.Tensor | tfjs.Tensor[]);
        l.cell[key] = null;
      }
    free(l.forwardLayer);
    free(l.backwardLayer);
  };
  for (const l of layers) free(l as unknown as Holder);
}

/**
 * Disposes a model built by `buildModel`, fully: `model.dispose()` leaves the weights of a layer
 * applied more than once (a shared layer: tfjs counts one reference per call) and RNN cells' dropout
 * masks; both are freed here. Safe to call once per model.
 */
export function disposeModel(tf: TF, model: tfjs.LayersModel): void {
  const weights = model.weights;
  freeRecurrentDropoutMasks(tf, model.layers);
  try {
    model.dispose();
  } finally {
    for (const w of weights)
      try {
        w.dispose();
      } catch {
        // already freed by model.dispose()
      }
  }
}
