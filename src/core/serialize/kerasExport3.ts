/**
 * Writes a graph as Keras 3 model JSON, the form Keras 3's own `model.to_json()` writes (Keras 3.15,
 * keras/src/saving/serialization_lib.py `serialize_keras_object`, keras/src/models/functional.py
 * `get_config`), which `keras.models.model_from_json` reads. tfjs does not read this form: the Keras 2 form
 * (kerasExport.ts) is the one for `tf.models.modelFromJSON`.
 *
 * What differs from the Keras 2 form:
 *  - every object is `{ module, class_name, config, registered_name }`: layers `keras.layers` (also the kinds
 *    Layerlab runs as tfjs custom layers: Keras's own MultiHeadAttention, GroupNormalization, …), initializers
 *    `keras.initializers`, the model `keras` (Sequential) or `keras.src.models.functional` (Functional,
 *    registered_name 'Functional');
 *  - `dtype` is a `DTypePolicy` object; an InputLayer has `batch_shape` (not `batch_input_shape`);
 *  - every layer but an InputLayer carries `build_config`: `{ input_shape }` (a list of shapes for a layer
 *    called on a list), or `{ shapes_dict: { query_shape, value_shape, key_shape } }` for a kind called on
 *    several positional tensors (MultiHeadAttention) — what Keras's `Layer.get_build_config` writes;
 *  - a Functional model's `inbound_nodes` are `{ args, kwargs }` with `__keras_tensor__` objects carrying
 *    their shape, dtype and `keras_history` [layer, call, tensor]; a merge's list is one argument, a
 *    positional kind's tensors are separate arguments (`mha(query, value, key)`); a recurrent layer's initial
 *    states are `kwargs.initial_state` (`layer(x, initial_state=[h, c])`); call arguments (`kerasCallArgs`:
 *    MultiHeadAttention's use_causal_mask, return_attention_scores) are kwargs; a tensor's index says which output
 *    of a layer with several it is (an LSTM's state_h: [lstm, call, 1]); `input_layers` / `output_layers` (every
 *    output tensor, `Analysis.outputTensors`) are one [layer, call, tensor] triple for one tensor, a list for several;
 *  - a Sequential model's config has `dtype`, its InputLayer first and `build_input_shape`;
 *  - a Bidirectional layer writes `layer` (named `forward_<name>`) and `backward_layer` (`backward_<name>`,
 *    go_backwards true), as Keras 3's Bidirectional builds them from one wrapped layer;
 *  - a kind Keras 3 has no class for is written as the class the Python code writes (`LayerDef.keras3`:
 *    ThresholdedReLU(θ) → ReLU(threshold=θ)).
 * SpatialDropout1D/2D/3D write dtype as a string, as Keras 3's SpatialDropout `get_config` does. A layer kept
 * as its file wrote it (an opaque node: a Lambda, a user's class; `keras.verbatim`) is written back as it came:
 * its class, config, and module / registered_name / build_config when the file had them (a Lambda from a Keras 2
 * file gets module keras.layers; a user's class without one keeps none, so Keras finds it in `custom_objects`).
 * Left out on purpose: the mask operations Keras 3 writes as their own nodes (`NotEqual`, `Any` feeding a
 * layer's `mask` keyword): Keras computes a layer's mask from its input tensors when it rebuilds the model, so
 * the loaded model is masked the same. Keras writes `build_config` only for layers built on their first call
 * (not for Dropout or an activation, built at construction); writing it for them too only builds them early.
 * InputLayer's `ragged` and `optional` are left out (Keras 3.0 refuses keys it does not know; both default to
 * false).
 */
import { edgeOutput, type Edge, type Graph, type LayerNode, type Shape, type TensorRef } from '../graph/types';
import { incoming } from '../graph/topology';
import { callIndex, callsByLayer } from '../graph/shared';
import { collapseBlocks, hasBlocks, nestedModelGraph } from '../graph/blocks';
import { callInput } from '../graph/callInput';
import { innerLayer, kerasCallArgs } from '../layers/args';
import { toSnakeCase } from '../graph/naming';
import { kerasClassOf, layerDef } from '../layers/registry';
import { analyze, type Analysis } from '../validate/analyze';
import { apiPlan, functionalOrder, outerApiPlan } from '../validate/structure';
import { kerasConfig } from './kerasExport';
import { allFrozen } from '../graph/frozen';

type Json = Record<string, unknown>;

/** Keras 3's dtype policy object for float32, as every layer config and a Sequential model's config write it. */
const FLOAT32_POLICY = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null } as const;

/** A Keras 3 serialized object: module, class, config, registered name (null: a built-in class). */
const kerasObject = (module: string, className: string, config: Json, registered: string | null = null): Json => ({
  module,
  class_name: className,
  config,
  registered_name: registered,
});

/**
 * The name Keras gives a layer made without one: its class in snake case, then `_1`, `_2`, … for later ones
 * (keras/src/backend/common/global_state.py `get_uid`, per name in a fresh session). The generated Python
 * makes a wrapper's layer without a name, so this is the name Keras 3's own file gives it.
 */
export function kerasAutoNamer(): (className: string) => string {
  const uid = new Map<string, number>();
  return (className) => {
    const base = toSnakeCase(className);
    const n = uid.get(base) ?? 0;
    uid.set(base, n + 1);
    return n ? `${base}_${n}` : base;
  };
}

/**
 * A layer's Keras 3 config (not an InputLayer): the Keras 2 config of `kerasConfig` (name, trainable, the
 * arguments, initializers) with the dtype as a `DTypePolicy` and each initializer as a `keras.initializers`
 * object. A kind Keras 3 lacks (`LayerDef.keras3`) becomes the equivalent class with its arguments.
 * A wrapper's wrapped layer is a `keras.layers` object named by `autoName` (Bidirectional: `forward_…` and
 * `backward_…`), with its own `build_config` when `inputShape` (the wrapper's, batch axis included) is known.
 * A kind that writes no `trainable` (`keras.noTrainableArg`: SpatialDropout1D/2D/3D) writes its dtype as a
 * string: both come from Keras 3's SpatialDropout `get_config`, which writes its own config.
 * @returns the class name Keras 3 knows and the config.
 */
export function keras3LayerConfig(
  node: LayerNode,
  inputShape: Shape | null = null,
  autoName: (className: string) => string = kerasAutoNamer(),
): { className: string; config: Json } {
  const def = layerDef(node.kind)!;
  const dtype = def.keras?.noTrainableArg ? 'float32' : FLOAT32_POLICY;
  if (def.keras3) {
    const trainable = def.keras?.noTrainableArg ? {} : { trainable: node.trainable !== false };
    return { className: def.keras3.kerasClass, config: { name: node.name, ...trainable, dtype, ...Object.fromEntries(def.keras3.args(node.params)) } };
  }
  const config: Json = { ...kerasConfig(node), dtype };
  for (const key of Object.keys(def.keras?.initializers ?? {})) {
    const init = config[key] as { class_name: string; config: Json };
    config[key] = kerasObject('keras.initializers', init.class_name, { ...init.config });
  }
  const inner = innerLayer(node);
  if (inner) {
    // The wrapped layer sees one time step for TimeDistributed, the whole sequence for Bidirectional.
    const wrapper = def.keras?.wrapper;
    const innerShape = inputShape && wrapper?.innerShape ? wrapper.innerShape(inputShape) : inputShape;
    const wrapped = (name: string, extra: Json = {}) => {
      const c = keras3LayerConfig({ ...inner, name }, null);
      return { ...kerasObject('keras.layers', c.className, { ...c.config, ...extra }), ...(innerShape ? { build_config: { input_shape: innerShape } } : {}) };
    };
    const name = autoName(layerDef(inner.kind)!.kerasClass);
    if (wrapper?.backward) {
      config.layer = wrapped(`forward_${name}`);
      config.backward_layer = wrapped(`backward_${name}`, { go_backwards: true });
    } else config.layer = wrapped(name);
  }
  return { className: def.kerasClass, config };
}

/**
 * The entry of a layer kept as its file wrote it (`keras.verbatim`: an opaque node), or null for every other
 * kind: module (the file's; keras.layers for a Keras built-in class such as Lambda), class, the kept config
 * under the node's name, registered_name when the file had one, and build_config: the file's, or for a Lambda
 * `lambdaBuild` (what Keras writes for it: the input shape of its first call).
 */
function verbatimEntry(node: LayerNode, lambdaBuild: Json): Json | null {
  const kept = layerDef(node.kind)?.keras?.verbatim?.(node.params);
  if (!kept) return null;
  const className = kerasClassOf(node);
  const module = kept.module ?? (className === 'Lambda' ? 'keras.layers' : undefined);
  const extra = kept as { build_config?: unknown };
  return Object.fromEntries(
    Object.entries({
      module,
      class_name: className,
      config: { ...kept.config, name: node.name },
      registered_name: kept.registered_name,
      build_config: extra.build_config ?? (className === 'Lambda' ? lambdaBuild : undefined),
    }).filter(([, v]) => v !== undefined),
  );
}

/** An InputLayer's Keras 3 config: `batch_shape` with the batch axis None. */
const inputLayer = (node: LayerNode): Json =>
  kerasObject('keras.layers', 'InputLayer', {
    batch_shape: [null, ...(node.params.shape as (number | null)[])],
    dtype: 'float32',
    sparse: false,
    name: node.name,
  });

/** A tensor in a Keras 3 call's arguments: its shape (batch axis null), float32, and [layer, call, 0]. */
const kerasTensor = (history: [string, number, number], shape: Shape): Json => ({
  class_name: '__keras_tensor__',
  config: { shape: [...shape], dtype: 'float32', keras_history: history },
});

/** Why a graph cannot be exported: the first error, or that it has no layers. */
function refusal(a: Analysis): string {
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  return errors.length
    ? `Fix the ${errors.length === 1 ? 'problem' : `${errors.length} problems`} first: ${errors[0].message}`
    : 'The model has no layers to export.';
}

/**
 * A layer's `build_config` for the call that built it, given what it is called on (`called`: one tensor's
 * shape or a list): `{ input_shape }`, or for a positional kind `{ shapes_dict: { <arg>_shape, … } }` named
 * by `LayerDef.callArgs` (MultiHeadAttention: query_shape, value_shape, key_shape), as Keras's
 * `Layer.get_build_config` writes them; for a recurrent layer called with initial states, `{ shapes_dict:
 * { sequences_shape, initial_state_shape: [state shapes] } }` (Keras 3.15's to_json of `LSTM(x, initial_state=[h, c])`).
 */
function buildConfig(node: LayerNode, called: Shape | Shape[], positional: boolean): Json {
  // A recurrent layer called with initial states (`layer(x, initial_state=[h, c])`): Keras's shapes of both arguments.
  if (layerDef(node.kind)!.callForm === 'initialState' && Array.isArray(called[0]))
    return { shapes_dict: { sequences_shape: called[0], initial_state_shape: (called as Shape[]).slice(1) } };
  if (!positional) return { input_shape: called };
  const names = layerDef(node.kind)!.callArgs ?? [];
  return { shapes_dict: Object.fromEntries((called as Shape[]).map((s, i) => [`${names[i] ?? `arg${i}`}_shape`, s])) };
}

/**
 * The graph as Keras 3 model JSON text (`model.to_json()` form): `Sequential` for a single chain (unless
 * `functional`), `Functional` otherwise; readable by Keras 3's `keras.models.model_from_json` and by Layerlab's
 * importer. A block (core/graph/blocks.ts) is written as Keras 3 writes a nested model: a `Functional` (or, for
 * `Block.sequential`, `Sequential`) entry holding its own layers, with one inbound node per call; an outer chain of
 * layers and nested models called once (core `outerApiPlan`) is a `Sequential` listing them, as Keras 3 writes
 * `keras.Sequential([keras.Input(...), block, ...]).to_json()`.
 * @returns the JSON, or a reason when the graph has errors (the export would not load anywhere).
 */
export function exportKeras3Json(graph: Graph, functional = false): { ok: true; json: string } | { ok: false; reason: string } {
  const a = analyze(graph);
  if (!a.valid) return { ok: false, reason: refusal(a) };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const shapeOf = (id: string) => a.nodes.get(id)!.outputShape!;
  // With blocks, the outer model decides (core outerApiPlan): a chain whose nested models each have one input and one
  // output and are called once is a Sequential holding them, as `keras.Sequential([keras.Input(...), block, ...])`
  // writes it (Keras 3.15: each nested model an entry of the list with its own layers, build_config input_shape null
  // and an empty compile_config; no inbound nodes in a Sequential).
  const plan = hasBlocks(graph) ? outerApiPlan(graph) : apiPlan(graph);
  const view = hasBlocks(graph) ? collapseBlocks(graph) : null;
  // Wrapped layers are named as Keras names them in the generated Python, in the order it makes them.
  const autoName = kerasAutoNamer();
  let model: Json;
  if (plan.kind === 'sequential' && !functional) {
    const input = byId.get(plan.input)!;
    const flatShape = (t: TensorRef): Shape => (t.output === 0 ? a.nodes.get(t.node)!.outputShape! : a.nodes.get(t.node)!.moreOutputs[t.output - 1]);
    const layers = plan.chain.map((id) => {
      const itf = view?.interfaces.get(id);
      if (itf) {
        const r = exportKeras3Json(nestedModelGraph(graph, itf, flatShape), !itf.first.sequential);
        if (!r.ok) throw new Error(`Block '${itf.block.name}' cannot be written: ${r.reason}`);
        return { ...(JSON.parse(r.json) as Record<string, Json>), build_config: { input_shape: null }, compile_config: {} };
      }
      const n = byId.get(id)!;
      const inShape = a.nodes.get(id)!.inputShapes[0]!;
      const kept = verbatimEntry(n, { input_shape: inShape });
      if (kept) return kept;
      const { className, config } = keras3LayerConfig(n, inShape, autoName);
      return { ...kerasObject('keras.layers', className, config), build_config: { input_shape: inShape } };
    });
    const inputShape = shapeOf(input.id);
    model = {
      ...kerasObject('keras', 'Sequential', {
        name: graph.name,
        trainable: !allFrozen(graph),
        dtype: FLOAT32_POLICY,
        layers: [inputLayer(input), ...layers],
        build_input_shape: inputShape,
      }),
      build_config: { input_shape: inputShape },
    };
  } else model = functionalJson(graph, a, autoName);
  return { ok: true, json: JSON.stringify(model, null, 1) };
}

/**
 * A Functional model's Keras 3 object for a valid graph (`a` its analysis). With blocks, the outer model is core
 * `collapseBlocks`'s graph and each nested model (a block's first call) is an entry of its own: its own model
 * object (`nestedModelGraph`, exported by `exportKeras3Json`), `build_config` `{ input_shape: null }`, and one
 * inbound node per call (the call's input tensor, or the list of them).
 */
function functionalJson(flat: Graph, a: Analysis, autoName: (className: string) => string): Json {
  const view = hasBlocks(flat) ? collapseBlocks(flat) : null;
  const graph = view ? view.graph : flat;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  /** A flat tensor's shape. */
  const flatShape = (t: TensorRef): Shape => (t.output === 0 ? a.nodes.get(t.node)!.outputShape! : a.nodes.get(t.node)!.moreOutputs[t.output - 1]);
  /** The shape of a tensor of `graph` (a block's output k: its interface's output k). */
  const shapeOf = (t: TensorRef): Shape => {
    const itf = view?.interfaces.get(t.node);
    return flatShape(itf ? itf.outputs[t.output] : t);
  };
  const ins = incoming(graph);
  // A shared layer's calls in Keras's node order (data-flow order, `callIndex`), as in the Keras 2 form.
  const callNo = callIndex(graph);
  const calls = new Map([...callsByLayer(graph)].map(([id, cs]) => [id, [...cs].sort((x, y) => callNo.get(x.id)! - callNo.get(y.id)!)]));
  // A tensor is [layer, call, tensor index] (an LSTM's state_h is tensor 1 of its call); a nested Sequential's calls count from 1.
  const ref = (t: TensorRef): [string, number, number] => [
    byId.get(t.node)!.name,
    (callNo.get(t.node) ?? 0) + (view?.interfaces.get(t.node)?.first.sequential ? 1 : 0),
    t.output,
  ];
  const edgeShape = (e: Edge) => shapeOf({ node: e.source, output: edgeOutput(e) });
  const tensor = (e: Edge) => kerasTensor(ref({ node: e.source, output: edgeOutput(e) }), edgeShape(e));
  const outputs = view ? [...new Set(a.outputTensors.map((t) => view.tensor(t)?.node).filter((x): x is string => !!x))] : a.outputs;
  const layers = functionalOrder(graph, outputs).map((id) => {
    const n = byId.get(id)!;
    if (n.kind === 'Input') return { ...inputLayer(n), name: n.name, inbound_nodes: [] };
    const itf = view?.interfaces.get(id);
    if (itf) {
      // A nested model: its own model object, called on its input or the list of its inputs at each call.
      const sub = nestedModelGraph(flat, itf, flatShape);
      const r = exportKeras3Json(sub, !itf.first.sequential);
      if (!r.ok) throw new Error(`Block '${itf.block.name}' cannot be written: ${r.reason}`);
      const inbound = (calls.get(id) ?? [n]).map((c) => {
        const es = ins.get(c.id)!;
        return { args: es.length === 1 ? [tensor(es[0])] : [es.map(tensor)], kwargs: {} };
      });
      return { ...(JSON.parse(r.json) as Json), build_config: { input_shape: null }, name: n.name, inbound_nodes: inbound };
    }
    const def = layerDef(n.kind)!;
    const positional = def.callForm === 'positional';
    const states = def.callForm === 'initialState';
    // Call arguments (MultiHeadAttention's use_causal_mask, …) in every call's kwargs, as Keras 3 writes them.
    const callArgs = Object.fromEntries(kerasCallArgs(n));
    // Each call: what Keras calls the layer on (core callInput: a list for merges, self-attention's input twice,
    // a recurrent layer's sequence then its initial states).
    const called = (calls.get(id) ?? [n]).map((c) => callInput(n.kind, ins.get(c.id)!));
    const inbound = called.map((s) => {
      if (!Array.isArray(s)) return { args: [tensor(s)], kwargs: { ...callArgs } };
      // `layer(x, initial_state=[h, c])`: the sequence is the argument, the states a keyword list.
      if (states) return { args: [tensor(s[0])], kwargs: { ...callArgs, initial_state: s.slice(1).map(tensor) } };
      return { args: positional ? s.map(tensor) : [s.map(tensor)], kwargs: { ...callArgs } };
    });
    const first = called[0];
    const firstShapes = Array.isArray(first) ? first.map(edgeShape) : edgeShape(first);
    const kept = verbatimEntry(n, buildConfig(n, firstShapes, positional));
    if (kept) return { ...kept, name: n.name, inbound_nodes: inbound };
    const { className, config } = keras3LayerConfig(n, Array.isArray(first) ? null : edgeShape(first), autoName);
    return { ...kerasObject('keras.layers', className, config), build_config: buildConfig(n, firstShapes, positional), name: n.name, inbound_nodes: inbound };
  });
  const tensors = (ts: readonly TensorRef[]) => (ts.length === 1 ? ref(ts[0]) : ts.map(ref));
  const outTensors = view ? a.outputTensors.map((t) => view.tensor(t)).filter((t): t is TensorRef => t !== null) : a.outputTensors;
  return {
    ...kerasObject(
      'keras.src.models.functional',
      'Functional',
      {
        name: flat.name,
        trainable: !allFrozen(flat),
        layers,
        input_layers: tensors(a.inputs.map((node) => ({ node, output: 0 }))),
        // Every output tensor in order (`outputTensors`): an LSTM with return_state nothing reads gives its three.
        output_layers: tensors(outTensors),
      },
      'Functional',
    ),
    build_config: { input_shape: null },
  };
}
