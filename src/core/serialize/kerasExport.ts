/**
 * Writes a graph as Keras 2 model JSON (`model.to_json()` form, plus the top-level `module` key Keras 3
 * needs), which both `tf.models.modelFromJSON` (tfjs) and `keras.models.model_from_json` (Keras 2 and 3) read
 * (docs/keras-facts.md §1c, §2, §1e). Initializers are written out, because tfjs's default
 * kernel initializer (glorotNormal) differs from Keras's (glorot_uniform): the exported model means
 * the same in Keras as in the app.
 */
import { edgeOutput, type Edge, type Graph, type LayerNode, type Shape, type TensorRef } from '../graph/types';
import { incoming } from '../graph/topology';
import { callIndex, callsByLayer } from '../graph/shared';
import { callInput } from '../graph/callInput';
import { collapseBlocks, hasBlocks, nestedModelGraph } from '../graph/blocks';
import { innerLayer, kerasArgs, kerasCallArgs } from '../layers/args';
import { toSnakeCase } from '../graph/naming';
import { kerasClassOf, layerDef } from '../layers/registry';
import { analyze, type Analysis } from '../validate/analyze';
import { apiPlan, functionalOrder, outerApiPlan } from '../validate/structure';

/** The Keras version the export claims to be (its format is that of tf.keras 2.x). */
export const EXPORT_KERAS_VERSION = '2.15.0';

/**
 * A layer's Keras config: name, trainable (false for a frozen node), dtype, its arguments (all of them, tuples of pairs nested as
 * Keras writes them) and initializers. A wrapper (Bidirectional, TimeDistributed) carries its wrapped
 * layer as `layer: { class_name, config }`, named `<wrapper>_<kind>` (Keras 3 refuses '/' in names).
 */
export function kerasConfig(node: LayerNode): Record<string, unknown> {
  if (node.kind === 'Input')
    return { batch_input_shape: [null, ...(node.params.shape as number[])], dtype: 'float32', sparse: false, ragged: false, name: node.name };
  // Initializers: the kind's `keras.initializers` (Keras's defaults); `noTrainableArg`: Keras 3 refuses the key.
  const keras = layerDef(node.kind)?.keras;
  // A layer kept as the file wrote it (an opaque node: a Lambda): its config verbatim, under the node's name.
  if (keras?.verbatim) return { ...keras.verbatim(node.params).config, name: node.name };
  // A frozen layer writes trainable: false (Keras trainable=False; LayerNode.trainable).
  const trainable = keras?.noTrainableArg ? {} : { trainable: node.trainable !== false };
  const config: Record<string, unknown> = { name: node.name, ...trainable, dtype: 'float32', ...Object.fromEntries(kerasArgs(node)), ...keras?.initializers };
  const inner = innerLayer(node);
  if (inner) {
    const named = { ...inner, name: `${node.name}_${toSnakeCase(inner.kind)}` };
    // `module`: Keras 3 deserializes a wrapped layer by module and class, and refuses it without
    // ("Could not locate class 'GRU'"); tf.keras 2 and tfjs ignore the key.
    config.layer = { module: 'keras.layers', class_name: layerDef(inner.kind)!.kerasClass, config: kerasConfig(named) };
  }
  return config;
}

/**
 * The node as exported: parameters tfjs cannot load as stored are resolved from the input shapes
 * (Reshape's −1 becomes the size it stands for: tfjs 4.22 leaves a −1 unknown when it loads a model, and
 * a Flatten after it then fails). The same model in Keras either way.
 */
export function exportedNode(node: LayerNode, inputShapes: readonly (Shape | null)[]): LayerNode {
  const def = layerDef(node.kind);
  if (!def?.tfjsParams || inputShapes.some((s) => s === null)) return node;
  const r = def.tfjsParams(node.params, inputShapes as Shape[]);
  return r ? { ...node, params: r.params } : node;
}

/**
 * Where Keras 3 finds the model class, written at the top level as Keras 3's own `to_json()` writes it.
 * Keras 3's `model_from_json` locates a top-level class only through its `module` key: without it a
 * Keras 2 file is refused ("Could not locate class 'Functional'", Keras 3.15; found by the Keras oracle,
 * tests/keras/). The layers inside stay in Keras 2 form, which Keras 3 reads (legacy inbound nodes,
 * `batch_input_shape`); tf.keras 2 and tfjs ignore the key.
 */
const KERAS3_MODULE = {
  sequential: { module: 'keras', class_name: 'Sequential' },
  functional: { module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional' },
} as const;

/**
 * A tensor as Keras 3 writes it in a call's `args` (`__keras_tensor__` with its shape and `keras_history`
 * [layer, call, tensor]), for the inbound nodes of a kind Keras calls positionally (LayerDef.callForm).
 */
const kerasTensor = (history: readonly (string | number)[], shape: Shape) => ({
  class_name: '__keras_tensor__',
  config: { shape: [...shape], dtype: 'float32', keras_history: [...history] },
});

/**
 * The graph as Keras 2 model JSON text: `Sequential` for a single chain (of layers and nested models), `Functional` otherwise
 * (with nested-list `inbound_nodes`, `input_layers` and `output_layers`). Each tensor is [layer, call, tensor
 * index, kwargs]: the tensor index says which output of a layer with several an edge reads (an LSTM's state_h is 1);
 * a recurrent layer's initial states follow its sequence as further tensors of its node ([x, h, c], as tf.keras 2
 * and tfjs write `layer(x, initial_state=[h, c])`; Keras 3 cannot read that legacy form of it: use the Keras 3
 * export there); call arguments (`kerasCallArgs`: MultiHeadAttention's use_causal_mask, return_attention_scores)
 * go in the kwargs; `output_layers` lists every output tensor (`Analysis.outputTensors`).
 * A block (core/graph/blocks.ts) is written as tf.keras 2 and tfjs write a nested model (`modelJson`): an entry of
 * the outer Functional model with class `Functional` (or `Sequential` for `Block.sequential`) whose config holds its
 * own layers, `input_layers` and `output_layers`, and one inbound node per call (its input tensors); its call k is
 * node k + 1 wherever a tensor names it, node 0 being the one a model makes when it is built (tfjs-layers
 * container.ts and tf.keras 2 functional.py link its inputs to its outputs; tfjs's `toJSON` of a nested model writes
 * its first call as node 1, and Keras 3's `get_tensor` subtracts 1 for a Functional model when it loads the file).
 * An outer chain of layers and nested models called once (core `outerApiPlan`) is a `Sequential` whose list holds
 * each nested model's entry (no inbound nodes), as tf.keras 2 and tfjs write `Sequential([Input, block, …])`.
 * @returns the JSON, or a reason when the graph has errors (the export would not load anywhere).
 */
export function exportKerasJson(graph: Graph): { ok: true; json: string } | { ok: false; reason: string } {
  const a = analyze(graph);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (!a.valid)
    return {
      ok: false,
      reason: errors.length
        ? `Fix the ${errors.length === 1 ? 'problem' : `${errors.length} problems`} first: ${errors[0].message}`
        : 'The model has no layers to export.',
    };
  const { kind, model } = modelJson(graph, a, false);
  return {
    ok: true,
    json: JSON.stringify({ ...KERAS3_MODULE[kind], ...model, keras_version: EXPORT_KERAS_VERSION, backend: 'tensorflow' }, null, 1),
  };
}

/**
 * The Keras 2 model object (`class_name` and `config`) of a valid graph (`a` its analysis), and which kind it is:
 * Sequential for a single chain unless `functional` (with blocks, an outer chain of layers and nested models called
 * once: core `outerApiPlan`), Functional otherwise. With blocks the outer model is core `collapseBlocks`'s graph and
 * each nested model (a block's first call, `nestedModelGraph`) is an entry of its own, written by this function
 * (Functional unless `Block.sequential`; see `exportKerasJson`).
 */
function modelJson(flat: Graph, a: Analysis, functional: boolean): { kind: 'sequential' | 'functional'; model: Record<string, unknown> } {
  const view = hasBlocks(flat) ? collapseBlocks(flat) : null;
  const graph = view ? view.graph : flat;
  const byId = new Map(graph.nodes.map((n) => [n.id, view?.interfaces.has(n.id) ? n : exportedNode(n, a.nodes.get(n.id)!.inputShapes)]));
  const cls = (n: LayerNode) => kerasClassOf(n);
  // `module` where Keras 3 finds the class only through it (KerasFacts.module: the attention layers); a layer kept
  // verbatim (KerasFacts.verbatim) writes the module and registered_name its file had.
  const module = (n: LayerNode) => {
    const kept = layerDef(n.kind)!.keras?.verbatim?.(n.params);
    if (kept) return Object.fromEntries(Object.entries({ module: kept.module, registered_name: kept.registered_name }).filter(([, v]) => v !== undefined));
    return layerDef(n.kind)!.keras?.module ? { module: layerDef(n.kind)!.keras!.module } : {};
  };
  /** A flat tensor's shape. */
  const flatShape = (t: TensorRef): Shape => (t.output === 0 ? a.nodes.get(t.node)!.outputShape! : a.nodes.get(t.node)!.moreOutputs[t.output - 1]);
  // With blocks the outer model decides (core outerApiPlan): a chain whose nested models each have one input and one
  // output and are called once is a Sequential listing them, as tf.keras 2 writes `Sequential([Input, block, …])`
  // (each nested model an entry with its own layers, no inbound nodes).
  const plan = view ? outerApiPlan(flat) : apiPlan(flat);
  if (plan.kind === 'sequential' && !functional) {
    const layers = [plan.input, ...plan.chain].map((id) => {
      const itf = view?.interfaces.get(id);
      if (!itf) {
        const n = byId.get(id)!;
        return { ...module(n), class_name: cls(n), config: kerasConfig(n) };
      }
      const sub = nestedModelGraph(flat, itf, flatShape);
      const inner = modelJson(sub, analyze(sub), !itf.first.sequential);
      return { ...KERAS3_MODULE[inner.kind], ...inner.model };
    });
    return { kind: 'sequential', model: { class_name: 'Sequential', config: { name: flat.name, layers } } };
  }
  const ins = incoming(graph);
  // A shared layer's calls in Keras's node order (`callIndex`: data-flow order): loading refuses
  // inbound nodes where node 0 reads node 1's output ("The graph of the Functional model either has
  // loops or disconnected nodes", Keras 3.15) — the case when the owner reads a further call's output.
  const callNo = callIndex(graph);
  const calls = new Map([...callsByLayer(graph)].map(([id, cs]) => [id, [...cs].sort((x, y) => callNo.get(x.id)! - callNo.get(y.id)!)]));
  // One entry per layer; a shared layer has one inbound node per call, and tensors refer to the call
  // that made them and to which of its outputs they are (Keras's tensor_index: an LSTM's state_h is 1):
  // [layer name, call index, tensor index, kwargs]. A nested model's calls count from 1 (see exportKerasJson).
  const ref = (id: string, output = 0) => [byId.get(id)!.name, (callNo.get(id) ?? 0) + (view?.interfaces.has(id) ? 1 : 0), output];
  /** The shape of a tensor of `graph` (a block's output k: its interface's output k). */
  const shapeOf = (id: string, output: number): Shape => {
    const itf = view?.interfaces.get(id);
    return flatShape(itf ? itf.outputs[output] : { node: id, output });
  };
  const outputs = view ? [...new Set(a.outputTensors.map((t) => view.tensor(t)?.node).filter((x): x is string => !!x))] : a.outputs;
  const layers = functionalOrder(graph, outputs).map((id) => {
    const n = byId.get(id)!;
    const itf = view?.interfaces.get(id);
    if (itf) {
      // A nested model: its own model object, called on its input tensors at each call (one inbound node per call).
      const sub = nestedModelGraph(flat, itf, flatShape);
      const inner = modelJson(sub, analyze(sub), !itf.first.sequential);
      const nodes = (calls.get(id) ?? [n]).map((c) => ins.get(c.id)!.map((e) => [...ref(e.source, edgeOutput(e)), {}]));
      return { ...KERAS3_MODULE[inner.kind], ...inner.model, name: n.name, inbound_nodes: nodes };
    }
    // Call arguments (MultiHeadAttention's use_causal_mask, …): tf.keras 2 writes them in every tensor's kwargs.
    const kwargs = Object.fromEntries(kerasCallArgs(n));
    const nodes = (calls.get(id) ?? [n])
      .map((c) => {
        const sources = ins.get(c.id)!;
        // What Keras calls the layer on (core callInput: self-attention's one input twice; a recurrent layer's
        // initial states after its sequence, [x, h, c], as tf.keras 2 and tfjs write them).
        const called = sources.length ? callInput(n.kind, sources) : [];
        const tensors: Edge[] = Array.isArray(called) ? called : [called];
        // A positional kind (MultiHeadAttention(q, v, k)) in Keras 3's form, the tensors as separate call
        // arguments: Keras 3 reads the legacy list form as one list argument (query=[q, v]) and refuses it.
        if (layerDef(n.kind)!.callForm === 'positional' && tensors.length)
          return { args: tensors.map((e) => kerasTensor(ref(e.source, edgeOutput(e)), shapeOf(e.source, edgeOutput(e)))), kwargs };
        return tensors.map((e) => [...ref(e.source, edgeOutput(e)), kwargs]);
      })
      .filter((x) => !Array.isArray(x) || x.length);
    return { ...module(n), name: n.name, class_name: cls(n), config: kerasConfig(n), inbound_nodes: nodes };
  });
  const outTensors = view ? a.outputTensors.map((t) => view.tensor(t)).filter((t): t is TensorRef => t !== null) : a.outputTensors;
  return {
    kind: 'functional',
    model: {
      class_name: 'Functional',
      config: {
        name: flat.name,
        layers,
        input_layers: a.inputs.map((id) => ref(id)),
        // Every output tensor in order (`outputTensors`): an LSTM with return_state nothing reads gives its three.
        output_layers: outTensors.map((t) => ref(t.node, t.output)),
      },
    },
  };
}
