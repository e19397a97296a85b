/**
 * Reads a Keras model topology in every form Keras and tfjs write (docs/keras-facts.md §1):
 * Keras 2 `model.to_json()` (Sequential as a bare list or `{name, layers}`, Functional as "Model" or
 * "Functional"), Keras 3 `to_json()` (`batch_shape`, dict-form `inbound_nodes` with `keras_history`),
 * tfjs `model.json` (`modelTopology`, also nested under `model_config` as the Python converter writes it).
 * The structure is checked with zod; anything Layerlab cannot represent is refused with one message
 * naming it, so a failed import never changes the user's graph.
 */
import { z } from 'zod';
import type { Block, Edge, Graph, LayerNode, OutputEntry, Shape, TensorRef } from '../graph/types';
import { withTrainable } from '../graph/frozen';
import { autoLayout } from '../graph/layout';
import { findCycle, topologicalOrder } from '../graph/topology';
import { LAYER_DEFS, layerDef, outputNamesOf } from '../layers/registry';
import { keptEntry, OPAQUE_CODE_CLASSES, opaque } from '../layers/opaque';
import { checkName, MAX_NAME_LENGTH } from '../graph/naming';
import { removeNodes } from '../graph/ops';
import { analyze } from '../validate/analyze';
import { describeValue } from '../validate/describe';
import { firstIssue } from './zodMessage';
import { flattenModel, nestedInputShape, NestedModelError, type NestedInfo, type RawLayer, type Ref } from './nested';
import { brief, isFloat32, safeText } from './kerasKeys';
import { formatBytes } from '../format';
import {
  MAX_DIM,
  layerEntry,
  type LayerEntry,
  defForClass,
  ImportError,
  type Ctx,
  newCtx,
  q,
  layerNode,
  inputNode,
  nextSeq,
  tensorKey,
} from './kerasImportLayer';

export type ImportResult =
  { readonly ok: true; readonly graph: Graph; readonly format: string; readonly warnings: readonly string[] } | { readonly ok: false; readonly reason: string };

/** Largest file read, in bytes of text: a topology without weights is far smaller (InceptionV3's is ~0.5 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Most layers an imported model may have. */
export const MAX_IMPORT_LAYERS = 5000;
export { MAX_DIM, defForClass } from './kerasImportLayer';

const modelSchema = z.object({ class_name: z.string().max(200), config: z.unknown() });
const sequentialConfig = z.union([
  z.array(layerEntry).max(MAX_IMPORT_LAYERS),
  z.object({ name: z.string().max(500).optional(), layers: z.array(layerEntry).max(MAX_IMPORT_LAYERS) }).loose(),
]);
const tensorRef = z.array(z.unknown()).min(1);
const functionalConfig = z
  .object({
    name: z.string().max(500).optional(),
    layers: z.array(layerEntry).max(MAX_IMPORT_LAYERS),
    input_layers: z.unknown(),
    output_layers: z.unknown(),
  })
  .loose();

const where = firstIssue;

/**
 * Parses a Keras / tfjs model topology file.
 * `opts.layout` (default true) lays the graph out with dagre; pass false to lay it out elsewhere
 * (the page uses ELK in a worker for large models).
 * @returns the graph (names and parameters as in the file), the format it
 *   recognised and warnings about settings it could not keep; or a reason when the file is refused:
 *   too large, not JSON, malformed (with where), not a model, unsupported layer kinds (all named),
 *   a tensor index a layer does not return (`checkTensorIndex`), cycles in `inbound_nodes`, absurd shapes; a
 *   setting Layerlab does not model at a value other than Keras's default (channels_first, BatchNormalization on
 *   another axis, stateful, return_state inside Bidirectional, dtypes other than float32, …) or a
 *   parameter value
 *   `checkParam` refuses, naming layer, setting and value (kerasKeys.ts has the rule). A layer called
 *   several times becomes a shared layer (one node per call); a nested Sequential or Functional model is
 *   inlined (also inside a Sequential) and, unless `opts.nested` is 'flatten', kept as a block (a Keras nested
 *   model, core/graph/blocks.ts: its k calls k blocks sharing weights, its outputs as the file lists them, a
 *   nested Sequential marked so; a model nested inside it is part of it);
 *   a nested model the block rules refuse (its layers not connected, say) stays flat with a warning saying why.
 *   `trainable: false` on a layer, on a wrapper's wrapped layer, on a nested model or on the model freezes the layers
 *   concerned (LayerNode.trainable; a nested model's or the model's flag freezes every layer in it, as Keras 3 does).
 *   `input_layers` / `output_layers` are honoured: inputs and outputs
 *   keep the file's order (explicit outputs go to `Graph.outputs` when they differ from the default), layers
 *   no output depends on and unlisted unused InputLayers are left out with a warning. Names `checkName`
 *   refuses are renamed to the nearest valid unique name with a warning (old → new); node ids never derive
 *   from names. Layers with several outputs (LSTM / GRU / SimpleRNN with return_state, MultiHeadAttention with
 *   return_attention_scores): a tensor [layer, node, k] becomes an edge with `output: k`, an `output_layers` entry
 *   with k > 0 a `Graph.outputs` entry `{ node, output: k }`; a recurrent layer's initial states (Keras 2 / tfjs:
 *   further tensors of its node, Keras 3: `kwargs.initial_state`) become its inputs 2…; MultiHeadAttention's call
 *   keywords use_causal_mask and return_attention_scores (`callParams`) become its parameters.
 * Never throws.
 */
export function importKerasJson(text: string, opts: { readonly layout?: boolean; readonly nested?: 'blocks' | 'flatten' } = {}): ImportResult {
  if (text.length > MAX_IMPORT_BYTES)
    return {
      ok: false,
      reason: `The file is ${formatBytes(text.length)}; Layerlab opens model topology files up to ${formatBytes(MAX_IMPORT_BYTES)} (weights are not needed).`,
    };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `The file is not valid JSON: ${(e as Error).message}` };
  }
  try {
    return importObject(raw, opts.layout ?? true, opts.nested === 'flatten');
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, reason: e.message };
    if (e instanceof NestedModelError) return { ok: false, reason: `${e.message} Nothing was changed.` };
    if (e instanceof RangeError) return { ok: false, reason: 'The file is nested too deeply for Layerlab to read it as a Keras model; nothing was changed.' };
    return { ok: false, reason: `The file could not be read as a Keras model: ${(e as Error).message}` };
  }
}

function importObject(raw: unknown, layout: boolean, flatten: boolean): ImportResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ImportError('The file is not a Keras model: expected a JSON object with "class_name" and "config".');
  const outer = raw as Record<string, unknown>;
  let format = 'Keras model JSON';
  let topology: unknown = outer;
  if ('modelTopology' in outer) {
    topology = outer.modelTopology;
    format = 'tfjs model.json';
  }
  if (typeof topology === 'object' && topology !== null && 'model_config' in topology) {
    topology = (topology as Record<string, unknown>).model_config;
    format = 'tfjs model.json (Python converter)';
  }
  const m = modelSchema.safeParse(topology);
  if (!m.success) throw new ImportError(`The file is not a Keras model (it needs "class_name" and "config"): ${where(m.error)}.`);
  const { class_name: cls, config } = m.data;
  const warnings: string[] = [];
  const ctx = newCtx(warnings, flatten);
  // Written by tfjs: a model.json, or a topology whose keras_version is 'tfjs-layers …' (tfjs's toJSON).
  const version = (topology as { keras_version?: unknown }).keras_version;
  if (format.startsWith('tfjs') || (typeof version === 'string' && version.startsWith('tfjs'))) ctx.tfjs = { weights: manifestShapes(outer.weightsManifest) };
  let graph: Graph;
  if (cls === 'Sequential') {
    const c = sequentialConfig.safeParse(config);
    if (!c.success) throw new ImportError(`The Sequential model is malformed at ${where(c.error, 'config')}.`);
    const layers = Array.isArray(c.data) ? c.data : c.data.layers;
    const name = Array.isArray(c.data) ? 'sequential' : (c.data.name ?? 'sequential');
    if (format === 'Keras model JSON') format = Array.isArray(c.data) ? 'Keras ≤ 2.2 Sequential JSON' : 'Keras Sequential JSON';
    if (!Array.isArray(c.data)) checkModelKeys(c.data, name);
    graph = readSequential(modelName(name, ctx), layers, config, ctx);
  } else if (cls === 'Model' || cls === 'Functional') {
    const c = functionalConfig.safeParse(config);
    if (!c.success) throw new ImportError(`The Functional model is malformed at ${where(c.error, 'config')}.`);
    const keras3 = c.data.layers.some(
      (l) => Array.isArray(l.inbound_nodes) && l.inbound_nodes.some((n) => n !== null && typeof n === 'object' && !Array.isArray(n)),
    );
    if (format === 'Keras model JSON') format = keras3 ? 'Keras 3 Functional JSON' : `Keras 2 Functional JSON ("${cls}")`;
    const name = c.data.name ?? 'model';
    checkModelKeys(c.data, name);
    graph = readFunctional(modelName(name, ctx), c.data.layers, c.data.input_layers, c.data.output_layers, ctx);
  } else throw new ImportError(`The file's model class ${q(cls)} is not Sequential, Model or Functional; Layerlab cannot open it.`);
  const { cyclic } = topologicalOrder(graph);
  if (cyclic.length) {
    const names = findCycle(graph, cyclic).map((id) => graph.nodes.find((n) => n.id === id)!.name);
    throw new ImportError(`The file's inbound_nodes form a cycle (${[...names, names[0]].map(q).join(' → ')}); a Keras model is acyclic.`);
  }
  graph = resolveNegativeAxes(graph, ctx);
  // A frozen model (Keras `model.trainable = False`): every layer of it is frozen, as Keras 3's setter makes them.
  if (typeof config === 'object' && config !== null && !Array.isArray(config) && (config as { trainable?: unknown }).trainable === false)
    graph = { ...graph, nodes: graph.nodes.map((n) => (n.kind === 'Input' ? n : withTrainable(n, false))) };
  checkShapeDependent(graph, ctx);
  // Only the opaque layers the model keeps (Keras 3's mask operations NotEqual / Any feed no output and are left out).
  const ids = new Set(graph.nodes.map((n) => n.id));
  const kept = ctx.opaque.filter((o) => ids.has(o.id));
  if (kept.length) warnings.push(opaqueNote(kept));
  for (const [key, layerNames] of ctx.dropped) {
    const shown = layerNames.slice(0, 3).map(q).join(', ') + (layerNames.length > 3 ? `, … ${layerNames.length} layers` : '');
    warnings.push(`${safeText(key, 40)} of ${shown} is not kept: Layerlab does not model it (it changes no shape or count).`);
  }
  return { ok: true, graph: layout ? autoLayout(graph) : graph, format, warnings };
}

/** A model-level config: dtypes other than float32 are refused (a frozen model, `trainable: false`, freezes its layers in `importObject`). */
function checkModelKeys(config: Record<string, unknown>, name: string): void {
  if (!isFloat32(config.dtype)) throw new ImportError(`The model ${q(String(name))} uses dtype=${brief(config.dtype)}, which Layerlab does not model yet.`);
}

/** The model's name, mapped like a layer name when Layerlab cannot use it (with a warning). */
function modelName(name: string, ctx: Ctx): string {
  if (checkName(name) === null) return name;
  const m =
    name
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, MAX_NAME_LENGTH) || 'model';
  const fixed = checkName(m) === null ? m : `model_${m}`.slice(0, MAX_NAME_LENGTH);
  const final = checkName(fixed) === null ? fixed : 'model';
  ctx.warnings.push(`Renamed the model ${q(name)} → '${final}' (Layerlab names use letters, digits, '_', '-' and '.').`);
  return final;
}

/** An input shape (batch dimension first) from a layer config, validated; any dimension may be unknown (null, Keras's None). */
function batchShapeOf(config: Record<string, unknown>, layerName: string): (number | null)[] | null {
  let s: unknown = config.batch_input_shape ?? config.batch_shape;
  if (s === undefined && Array.isArray(config.input_shape)) s = [null, ...(config.input_shape as unknown[])];
  if (s === undefined && Array.isArray(config.shape)) s = [null, ...(config.shape as unknown[])];
  if (s === undefined || s === null) return null;
  if (!Array.isArray(s) || s.length < 2 || s.length > 6)
    throw new ImportError(`'${layerName}': its input shape ${JSON.stringify(s)?.slice(0, 80)} is not a list of 2 to 6 dimensions.`);
  for (const d of s.slice(1))
    if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_DIM))
      throw new ImportError(`'${layerName}': input dimension ${JSON.stringify(d)?.slice(0, 40)} is not a whole number from 1 to ${MAX_DIM}.`);
  // Unknown sizes (None) besides the batch are kept: `keras.Input(shape=(None, 3))`, InceptionV3's (None, None, 3).
  return s as (number | null)[];
}

/** Every layer entry of a model, those inside nested models too (5 levels at most), in file order. */
function withNestedLayers(layers: readonly LayerEntry[]): LayerEntry[] {
  const out: LayerEntry[] = [];
  const walk = (ls: readonly unknown[], depth: number) => {
    for (const l of ls) {
      const e = layerEntry.safeParse(l);
      if (!e.success) continue;
      out.push(e.data);
      const inner = (e.data.config as { layers?: unknown }).layers;
      if (NESTED_CLASSES.has(e.data.class_name) && Array.isArray(inner) && depth < 5) walk(inner, depth + 1);
    }
  };
  walk(layers, 0);
  return out;
}

/**
 * The shapes Keras 3 records for tensors where layers read them (each `__keras_tensor__` in an inbound node's
 * args or kwargs carries `shape` and `keras_history` [layer, call, tensor]), keyed by `tensorKey`; Keras 2 and
 * tfjs files record none. Walked iteratively to a bounded depth.
 */
function recordedShapes(layers: readonly LayerEntry[]): Map<string, Shape> {
  const out = new Map<string, Shape>();
  for (const l of layers)
    for (const node of l.inbound_nodes ?? []) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
      const todo: [unknown, number][] = [[node, 0]];
      while (todo.length) {
        const [v, depth] = todo.pop()!;
        if (depth > 20 || v === null || typeof v !== 'object') continue;
        if (Array.isArray(v)) {
          for (const x of v) todo.push([x, depth + 1]);
          continue;
        }
        const o = v as Record<string, unknown>;
        const c = o.config as { keras_history?: unknown; shape?: unknown } | undefined;
        if (o.class_name === '__keras_tensor__' && Array.isArray(c?.keras_history) && Array.isArray(c.shape)) {
          const [name, call, tensor] = c.keras_history as unknown[];
          if (typeof name === 'string') out.set(tensorKey(name, Number(call ?? 0), Number(tensor ?? 0)), c.shape as Shape);
          continue;
        }
        for (const x of Object.values(o)) todo.push([x, depth + 1]);
      }
    }
  return out;
}

/** The import note on layers kept as opaque nodes: which, where each output shape came from, and what they block. */
function opaqueNote(list: Ctx['opaque']): string {
  const shown = list
    .slice(0, 5)
    .map(
      (o) => `${q(o.name)} (${safeText(o.cls, 40)}, ${o.shapeFrom ? `output shape from ${o.shapeFrom}` : 'output shape unknown: enter it in the inspector'})`,
    )
    .join(', ');
  const more = list.length > 5 ? `, … ${list.length - 5} more` : '';
  const custom = list.some((o) => !OPAQUE_CODE_CLASSES.has(o.cls));
  return `Kept ${list.length} layer${list.length === 1 ? '' : 's'} Layerlab cannot run as ${list.length === 1 ? 'a placeholder' : 'placeholders'}: ${shown}${more}. Training is off while ${list.length === 1 ? 'it is' : 'they are'} in the model; shapes, summary, Python code and Keras JSON export work${custom ? "; a custom class's weights, if it has any, are not counted (the file does not say them)" : ''}.`;
}

/**
 * Maps every layer name `checkName` refuses (or that repeats) to the nearest valid unused one: characters
 * Layerlab cannot use become '_', leading ones are dropped, the name is cut to MAX_NAME_LENGTH, and
 * '_1', '_2', … are appended until it is valid and unique. Records old → new in `ctx.renamed` and one
 * warning listing them.
 * @throws ImportError when a name cannot be mapped (not text).
 */
function mapNames(names: readonly unknown[], ctx: Ctx): string[] {
  const result: string[] = [];
  const valid = new Set<string>();
  for (const n of names) if (typeof n === 'string' && checkName(n) === null) valid.add(n);
  const taken = new Set(valid);
  const seen = new Set<string>();
  const changes: string[] = [];
  for (const n of names) {
    if (typeof n !== 'string') throw new ImportError(`A layer name in the file is ${brief(n)}, not text.`);
    const repeated = seen.has(n);
    seen.add(n);
    if (valid.has(n) && !repeated) {
      result.push(n);
      continue;
    }
    if (ctx.renamed.has(n) && !repeated) {
      result.push(ctx.renamed.get(n)!);
      continue;
    }
    let base = n
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, MAX_NAME_LENGTH - 8);
    if (!n.endsWith('_')) base = base.replace(/_+$/, '');
    base ||= 'layer';
    let m = base;
    for (let i = 1; (checkName(m) !== null || taken.has(m)) && i < 100_000; i++) m = `${base}_${i}`;
    if (checkName(m) !== null || taken.has(m)) throw new ImportError(`The layer name ${q(n)} cannot be mapped to a name Layerlab accepts.`);
    taken.add(m);
    if (!repeated) ctx.renamed.set(n, m);
    result.push(m);
    changes.push(`${q(n)} → '${m}'${repeated ? ' (a repeated name)' : ''}`);
  }
  if (changes.length)
    ctx.warnings.push(
      `Renamed ${changes.length} layer${changes.length === 1 ? '' : 's'} whose name Layerlab cannot use (Keras 3 and tfjs accept letters, digits, '_', '-' and '.'): ${changes.slice(0, 5).join(', ')}${changes.length > 5 ? `, … ${changes.length - 5} more` : ''}.`,
    );
  return result;
}

/** A layer's name as written in the file (its `config.name`, else its entry's `name`, else `fallback`); refused unless text. */
function fileNameOf(l: { readonly name?: unknown; readonly config: Record<string, unknown> }, fallback: string): string {
  const n = l.config.name ?? l.name ?? fallback;
  if (typeof n !== 'string') throw new ImportError(`A layer name in the file is ${brief(n)}, not text.`);
  return n;
}

/** A Sequential model's layer list in Functional form: a chain from an InputLayer (made when absent). */
function sequentialAsFunctional(layers: readonly LayerEntry[], config: unknown): { layers: RawLayer[]; inputs: Ref[]; outputs: Ref[] } {
  const first = layers[0];
  const firstName = fileNameOf(first, 'layer');
  const chain: RawLayer[] = [];
  let prev: string;
  let rest: readonly LayerEntry[] = layers;
  if (first.class_name === 'InputLayer') {
    prev = firstName;
    chain.push({ ...first, name: prev, inbound_nodes: [] });
    rest = layers.slice(1);
  } else {
    const build = (config as { build_input_shape?: unknown } | null)?.build_input_shape;
    let shape: unknown = first.config.batch_input_shape ?? first.config.batch_shape ?? build;
    if (shape === undefined && NESTED_CLASSES.has(first.class_name)) shape = nestedInputShape(first);
    if (!Array.isArray(shape))
      throw new ImportError(`The Sequential model does not say its input shape (no InputLayer, no batch_input_shape on ${q(firstName)}).`);
    prev = `${firstName}_input`;
    chain.push({ class_name: 'InputLayer', name: prev, config: { name: prev, batch_input_shape: shape }, inbound_nodes: [] });
  }
  for (const [i, x] of rest.entries()) {
    if (x.class_name === 'InputLayer') throw new ImportError(`${q(fileNameOf(x, 'InputLayer'))}: an InputLayer can only come first in a Sequential model.`);
    const n = fileNameOf(x, `layer_${i}`);
    const { batch_input_shape: _b, batch_shape: _s, ...config } = x.config;
    chain.push({ ...x, name: n, config: { ...config, name: n }, inbound_nodes: [[[prev, 0, 0, {}]]] });
    prev = n;
  }
  return { layers: chain, inputs: [[chain[0].name!, 0, 0]], outputs: [[prev, 0, 0]] };
}

const NESTED_CLASSES = new Set(['Sequential', 'Model', 'Functional']);

function readSequential(name: string, layers: readonly LayerEntry[], config: unknown, ctx: Ctx): Graph {
  if (!layers.length) throw new ImportError('The Sequential model has no layers.');
  if (layers.some((l) => NESTED_CLASSES.has(l.class_name))) {
    const f = sequentialAsFunctional(layers, config);
    return readFunctional(name, f.layers as LayerEntry[], f.inputs, f.outputs, ctx);
  }
  const nodes: LayerNode[] = [];
  const first = layers[0];
  const firstName = fileNameOf(first, 'layer');
  const names = layers.map((l, i) => fileNameOf(l, `layer_${i}`));
  const shown = mapNames(first.class_name === 'InputLayer' ? names : [`${firstName}_input`, ...names], ctx);
  const shownOf = shown.slice(first.class_name === 'InputLayer' ? 0 : 1);
  if (first.class_name !== 'InputLayer') {
    const build = (config as { build_input_shape?: unknown } | null)?.build_input_shape;
    const shape = batchShapeOf(first.config, firstName) ?? (Array.isArray(build) ? batchShapeOf({ batch_input_shape: build }, firstName) : null);
    if (!shape) throw new ImportError(`The Sequential model does not say its input shape (no InputLayer, no batch_input_shape on ${q(firstName)}).`);
    nodes.push(inputNode(`${firstName}_input`, shape, { dtype: first.config.dtype }, ctx));
  }
  for (const [i, l] of layers.entries()) {
    const lname = names[i];
    if (l.class_name === 'InputLayer') {
      if (i !== 0) throw new ImportError(`${q(lname)}: an InputLayer can only come first in a Sequential model.`);
      const shape = batchShapeOf(l.config, lname);
      if (!shape) throw new ImportError(`${q(lname)}: the InputLayer has no shape.`);
      nodes.push({ ...inputNode(lname, shape, withoutShape(l.config), ctx), name: shownOf[i] });
    } else nodes.push({ ...layerNode(l, i === 0 ? withoutShape(l.config) : l.config, lname, ctx), name: shownOf[i] });
  }
  const edges: Edge[] = nodes.slice(1).map((n, i) => ({ id: `imp_e${nextSeq()}`, source: nodes[i].id, target: n.id }));
  return { name, nodes, edges };
}

/** A config without its input-shape keys (read separately). */
const withoutShape = (c: Record<string, unknown>): Record<string, unknown> => {
  const { batch_input_shape: _a, batch_shape: _b, input_shape: _c, batch_size: _d, ...rest } = c;
  return rest;
};

/**
 * Refuses a tensor index (Keras's `tensor_index`, counted from 0) that the layer `from` does not return with the
 * parameters it was imported with (`outputNamesOf`: an LSTM returns 3 with return_state, else 1), naming the layer.
 * `who` starts the message ("'decoder' reads", "The model's output_layers names").
 * @throws ImportError for an index that is not a whole number from 0 to the layer's output count − 1.
 */
function checkTensorIndex(from: LayerNode, src: string, tensor: number, who: string): void {
  const names = outputNamesOf(from);
  if (Number.isInteger(tensor) && tensor >= 0 && tensor < names.length) return;
  const multi = layerDef(from.kind)?.multiOutput;
  const returns = names.length === 1 ? 'returns one tensor' : `returns ${names.length} (${names.join(', ')}: tensor_index 0 to ${names.length - 1})`;
  const hint = multi && names.length === 1 ? ` with ${multi.param} off, as the file configures it` : '';
  throw new ImportError(`${who} output tensor_index=${brief(tensor)} of ${q(src)} (${kindLabel(from)}), which ${returns}${hint}; nothing was changed.`);
}

/** A node's kind as shown in messages: its Keras class (an opaque node's class from its file). */
const kindLabel = (n: LayerNode): string => (n.kind === opaque.kind ? safeText(String(n.params.class_name), 40) : (layerDef(n.kind)?.kerasClass ?? n.kind));

/**
 * The call arguments a layer's inbound nodes pass that its kind takes as parameters (ParamSpec `call`:
 * MultiHeadAttention's use_causal_mask and return_attention_scores): Keras 2 writes them in each inbound tensor's
 * kwargs dict (`[["x", 0, 0, {"use_causal_mask": true}]]`), Keras 3 in the node's `kwargs`. Returned as config
 * keys, which `makeNode` reads and checks like any parameter. Other call keywords (training, mask, …) are not read
 * here. Every call of a shared layer must pass the same values: Layerlab keeps one per layer.
 * @throws ImportError when two calls of the layer pass different values, naming the layer and the argument.
 */
function callParams(l: LayerEntry, lname: string): Record<string, unknown> {
  const def = defForClass(l.class_name);
  const keys = def
    ? Object.entries(def.params)
        .filter(([, s]) => s.call && !s.inner)
        .map(([k]) => k)
    : [];
  if (!keys.length) return {};
  const found: Record<string, unknown> = {};
  (l.inbound_nodes ?? []).forEach((node, k) => {
    const kw = callKwargs(node);
    for (const key of keys) {
      const v = Object.hasOwn(kw, key) ? kw[key] : undefined;
      if (k === 0) {
        if (v !== undefined) found[key] = v;
      } else if (JSON.stringify(v) !== JSON.stringify(found[key]))
        throw new ImportError(
          `Layer ${q(lname)} (${def!.kerasClass}) is called with ${key}=${brief(found[key] ?? null)} and with ${key}=${brief(v ?? null)}; Layerlab keeps one ${key} for every call of a shared layer; nothing was changed.`,
        );
    }
  });
  return found;
}

/** The keyword arguments of one inbound node: Keras 3's `kwargs`, or the kwargs dict of Keras 2's tensor entries (merged). */
function callKwargs(node: unknown): Record<string, unknown> {
  const isDict = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (Array.isArray(node)) return Object.assign({}, ...node.map((ref) => (Array.isArray(ref) && isDict(ref[3]) ? ref[3] : {}))) as Record<string, unknown>;
  if (isDict(node) && isDict(node.kwargs)) return node.kwargs;
  return {};
}

/**
 * Input tensors of one inbound node, as [layer name, node index, tensor index], in Keras 2 or Keras 3 form. For a
 * kind Keras calls positionally (`callArgs`: MultiHeadAttention's query, value, key), tensors passed by keyword
 * follow in that order: tf.keras 2's `[["q", 0, 0, {"value": ["v", 0, 0]}]]`, Keras 3's `kwargs`. For a recurrent kind
 * (`initialState`), Keras 3's `kwargs.initial_state` tensors follow the sequence (Keras 2 and tfjs list them as
 * further tensors of the node, `[x, h, c]`, read as they are).
 */
function nodeInputs(node: unknown, layerName: string, callArgs: readonly string[] = [], initialState = false): [string, number, number][] {
  const keyword = (kwargs: unknown, read: (v: unknown) => void) => {
    if (kwargs === null || typeof kwargs !== 'object' || Array.isArray(kwargs)) return;
    for (const name of callArgs.slice(1)) if (Object.hasOwn(kwargs, name)) read((kwargs as Record<string, unknown>)[name]);
  };
  if (Array.isArray(node)) {
    const one = (ref: unknown): [string, number, number] => {
      const r = tensorRef.safeParse(ref);
      if (!r.success || typeof r.data[0] !== 'string')
        throw new ImportError(`${q(layerName)}: an inbound node entry is not [layer name, node index, tensor index].`);
      return [r.data[0], Number(r.data[1] ?? 0), Number(r.data[2] ?? 0)];
    };
    return node.flatMap((ref) => {
      const refs = [one(ref)];
      if (Array.isArray(ref)) keyword(ref[3], (v) => refs.push(one(v)));
      return refs;
    });
  }
  if (node !== null && typeof node === 'object') {
    const found: [string, number, number][] = [];
    const walk = (v: unknown, depth: number) => {
      if (depth > 20 || v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
      const o = v as Record<string, unknown>;
      if (o.class_name === '__keras_tensor__') {
        const h = (o.config as { keras_history?: unknown } | undefined)?.keras_history;
        if (!Array.isArray(h) || typeof h[0] !== 'string') throw new ImportError(`${q(layerName)}: a __keras_tensor__ has no keras_history.`);
        found.push([h[0], Number(h[1] ?? 0), Number(h[2] ?? 0)]);
        return;
      }
      Object.values(o).forEach((x) => walk(x, depth + 1));
    };
    walk((node as { args?: unknown }).args, 0);
    keyword((node as { kwargs?: unknown }).kwargs, (v) => walk(v, 1));
    // A recurrent layer's initial states (Keras 3: `layer(x, initial_state=[h, c])`) are its inputs 2… in order.
    const kwargs = (node as { kwargs?: unknown }).kwargs;
    if (kwargs !== null && typeof kwargs === 'object' && Object.hasOwn(kwargs, 'initial_state')) {
      const before = found.length;
      walk((kwargs as { initial_state?: unknown }).initial_state, 1);
      // Initial states of a kind that takes none here (a Bidirectional's): refused rather than dropped.
      if (!initialState && found.length > before)
        throw new ImportError(
          `${q(layerName)} is called with initial_state tensors; Layerlab models initial states only on LSTM, GRU and SimpleRNN layers, not on this layer; nothing was changed.`,
        );
    }
    return found;
  }
  throw new ImportError(`${q(layerName)}: an inbound node is neither a list nor an {args, kwargs} object.`);
}

/**
 * A model's `input_layers` or `output_layers`: Keras 2 nested lists, Keras 3's flat single reference or
 * a dict of named references (in its order), each [layer name, node index, tensor index].
 * @throws ImportError for anything else.
 */
function modelRefs(v: unknown, what: string): Ref[] {
  const one = (r: unknown): Ref => {
    if (
      !Array.isArray(r) ||
      typeof r[0] !== 'string' ||
      r.length < 1 ||
      r.length > 4 ||
      !r.slice(1, 3).every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) < 100_000)
    )
      throw new ImportError(`The model's ${what} entry ${brief(r)} is not [layer name, node index, tensor index].`);
    return [r[0], (r[1] as number | undefined) ?? 0, (r[2] as number | undefined) ?? 0];
  };
  if (Array.isArray(v)) {
    if (v.length === 0) throw new ImportError(`The model's ${what} list is empty.`);
    if (typeof v[0] === 'string') return [one(v)];
    if (v.length > MAX_IMPORT_LAYERS) throw new ImportError(`The model's ${what} list has ${v.length} entries.`);
    return v.map(one);
  }
  if (v !== null && typeof v === 'object') {
    const vals = Object.values(v as Record<string, unknown>);
    if (!vals.length || vals.length > MAX_IMPORT_LAYERS) throw new ImportError(`The model's ${what} has ${vals.length} entries.`);
    return vals.map(one);
  }
  throw new ImportError(`The model's ${what} is ${brief(v)}, not a list of [layer name, node index, tensor index].`);
}

/**
 * A Functional model's graph from its layer list and its `input_layers` / `output_layers` as written
 * (read with `modelRefs` once nested models are flattened, so a broken nested model is named first).
 */
function readFunctional(name: string, given: readonly LayerEntry[], inputLayers: unknown, outputLayers: unknown, ctx: Ctx): Graph {
  if (!given.length) throw new ImportError('The model has no layers.');
  let layers: LayerEntry[];
  let outs: Ref[];
  let inputRefs: Ref[];
  let models: Map<string, NestedInfo>;
  try {
    flattenModel(given, []);
    inputRefs = modelRefs(inputLayers, 'input_layers');
    const flat = flattenModel(given, modelRefs(outputLayers, 'output_layers'));
    layers = flat.layers as LayerEntry[];
    outs = flat.outputs;
    models = flat.models;
  } catch (e) {
    if (e instanceof NestedModelError) throw new ImportError(`${e.message} Nothing was changed.`);
    throw e;
  }
  const fileNames = layers.map((l) => l.name ?? l.config.name ?? '');
  for (const n of fileNames) if (n === '') throw new ImportError('A layer of the model has no name.');
  const nameSet = new Set<unknown>();
  for (const n of fileNames) {
    if (nameSet.has(n)) throw new ImportError(`Two layers are named ${q(describeValue(n))}; Keras layer names are unique.`);
    nameSet.add(n);
  }
  mapNames(fileNames, ctx);
  // From the layers as written (flattening rewrites inbound nodes without shapes), nested models' included.
  const recorded = recordedShapes(withNestedLayers(given));
  const nodes: LayerNode[] = [];
  const byName = new Map<string, LayerNode>();
  for (const l of layers) {
    const lname = String(l.name ?? l.config.name);
    let node: LayerNode;
    if (l.class_name === 'InputLayer') {
      const shape = batchShapeOf(l.config, lname);
      if (!shape) throw new ImportError(`${q(lname)}: the InputLayer has no shape.`);
      node = inputNode(lname, shape, withoutShape(l.config), ctx);
    } else node = layerNode(l, { ...withoutShape(l.config), ...callParams(l, lname) }, lname, ctx, recorded);
    nodes.push(node);
    byName.set(lname, node);
  }
  // A layer called k times (a shared layer) becomes its node plus k − 1 call nodes; a tensor
  // [layer, call, 0] is the output of that call.
  const callNodes = new Map<string, LayerNode[]>();
  for (const l of layers) {
    const lname = String(l.name ?? l.config.name);
    const owner = byName.get(lname)!;
    const count = l.class_name === 'InputLayer' ? 1 : Math.max(1, (l.inbound_nodes ?? []).length);
    const list = [owner];
    for (let k = 1; k < count; k++) {
      const call: LayerNode = { ...owner, id: `${owner.id}#${k}`, layerOf: owner.id };
      nodes.push(call);
      list.push(call);
    }
    callNodes.set(lname, list);
  }
  const edges: Edge[] = [];
  for (const l of layers) {
    const lname = String(l.name ?? l.config.name);
    const calls = l.inbound_nodes ?? [];
    if (l.class_name === 'InputLayer') continue;
    if (calls.length === 0) throw new ImportError(`${q(lname)} has no inbound node: it is not connected to anything.`);
    calls.forEach((callData, k) => {
      const def = defForClass(l.class_name);
      let refs = nodeInputs(callData, lname, def?.callArgs, def?.callForm === 'initialState');
      if (!refs.length) throw new ImportError(`${q(lname)} is called with no input tensor; Layerlab cannot tell what it reads.`);
      // Self-attention (LayerDef.selfCall): a call on one tensor repeated is one edge; a key equal to the value is left out.
      const same = (x: readonly unknown[], y: readonly unknown[]) => x.join('\u0000') === y.join('\u0000');
      if (def?.selfCall && refs.length === 3 && same(refs[1], refs[2])) refs = refs.slice(0, 2);
      if (def?.selfCall && refs.length === 2 && same(refs[0], refs[1])) refs = refs.slice(0, 1);
      for (const [src, callIdx, tensor] of refs) {
        const s = callNodes.get(src);
        if (!s) throw new ImportError(`${q(lname)} reads from ${q(src)}, which is not a layer of the model.`);
        const from = Number.isInteger(callIdx) ? s[callIdx] : undefined;
        if (!from)
          throw new ImportError(`${q(lname)} reads call ${brief(callIdx)} of ${q(src)}, which is called only ${s.length} time${s.length === 1 ? '' : 's'}.`);
        checkTensorIndex(from, src, tensor, `${q(lname)} reads`);
        edges.push({ id: `imp_e${nextSeq()}`, source: from.id, target: callNodes.get(lname)![k].id, ...(tensor ? { output: tensor } : {}) });
      }
    });
  }
  const g = selectModel({ name, nodes, edges }, layers, callNodes, inputRefs, outs, ctx);
  return ctx.flatten ? g : keepNestedAsBlocks(g, layers, callNodes, models, ctx);
}

/**
 * Marks the layers inlined from each outermost nested model (`RawLayer.nested`) as its blocks: call k of the nested
 * model is block k (call 0 the first; later calls share its weights, `Block.callOf`), named after the model. When the
 * graph's blocks break a block rule (the validator's `block/…` codes), the nested models stay flat and a warning
 * gives the first reason.
 */
function keepNestedAsBlocks(
  graph: Graph,
  layers: readonly LayerEntry[],
  callNodes: ReadonlyMap<string, LayerNode[]>,
  models: ReadonlyMap<string, NestedInfo>,
  ctx: Ctx,
): Graph {
  const blockOf = new Map<string, string>();
  const blocks: Block[] = [];
  const firstOf = new Map<string, string>();
  for (const l of layers) {
    const model = (l as RawLayer).nested;
    if (model === undefined) continue;
    const calls = callNodes.get(String(l.name ?? l.config.name)) ?? [];
    calls.forEach((n, k) => {
      const key = `${model}\u0000${k}`;
      let id = firstOf.get(key);
      if (id === undefined) {
        id = `imp_b${nextSeq()}`;
        firstOf.set(key, id);
        const first = firstOf.get(`${model}\u00000`);
        if (k === 0 || !first) {
          // The nested model's outputs as its file lists them (also those nothing reads), and whether it is a Sequential.
          const info = models.get(model);
          const outputs = (info?.outputs ?? []).map(([layer, output]) => ({ node: callNodes.get(layer)?.[0]?.id ?? '', output })).filter((t) => t.node);
          blocks.push({ id, name: model, ...(outputs.length ? { outputs } : {}), ...(info?.sequential ? { sequential: true } : {}) });
        } else blocks.push({ id, name: model, callOf: first });
      }
      blockOf.set(n.id, id);
    });
  }
  if (!blocks.length) return graph;
  const nodes = graph.nodes.map((n) => (blockOf.has(n.id) ? { ...n, block: blockOf.get(n.id)! } : n));
  const used = new Set(nodes.map((n) => n.block));
  const kept = blocks.filter((b) => used.has(b.id));
  if (!kept.length) return graph;
  const withBlocks: Graph = { ...graph, nodes, blocks: kept };
  const problem = analyze(withBlocks).diagnostics.find((d) => d.code.startsWith('block/'));
  if (!problem) return withBlocks;
  ctx.warnings.push(`Kept the nested models' layers in the outer model (not as blocks): ${problem.message}`);
  return graph;
}

/**
 * Applies the file's `input_layers` and `output_layers` (each output a tensor: [layer, call, tensor index]): the Input
 * nodes are put in the listed order
 * (Layerlab's inputs are the Input nodes in graph order); layers no listed output depends on are left
 * out with a warning naming them (tfjs and Keras leave them out of the model, and its count); an unlisted
 * InputLayer nothing uses is left out likewise; the outputs are those listed, in order — kept in
 * `Graph.outputs` when they differ from Layerlab's default (every output of each layer nothing reads, in
 * topological order), e.g. an output another layer also reads, or one state of an LSTM (`{ node, output }`).
 * @throws ImportError for an output tensor listed twice, a tensor index the layer does not return, an output that is an InputLayer, a listed input that is
 *   not an InputLayer, an unlisted InputLayer that an output needs, or references to missing layers or calls.
 */
function selectModel(
  graph: Graph,
  layers: readonly LayerEntry[],
  callNodes: ReadonlyMap<string, LayerNode[]>,
  inputRefs: readonly Ref[],
  outputRefs: readonly Ref[],
  ctx: Ctx,
): Graph {
  const classOf = new Map(layers.map((l) => [String(l.name ?? l.config.name), l.class_name]));
  const resolve = (r: Ref, what: string): LayerNode => {
    const calls = callNodes.get(r[0]);
    if (!calls) throw new ImportError(`The model's ${what} names ${q(r[0])}, which is not a layer of the model.`);
    const n = calls[r[1]];
    if (!n)
      throw new ImportError(`The model's ${what} names call ${r[1]} of ${q(r[0])}, which is called only ${calls.length} time${calls.length === 1 ? '' : 's'}.`);
    checkTensorIndex(n, r[0], r[2], `The model's ${what} names`);
    return n;
  };
  const inputs = inputRefs.map((r) => {
    if (classOf.get(r[0]) !== 'InputLayer') throw new ImportError(`The model's input ${q(r[0])} is not an InputLayer; Layerlab's inputs are InputLayers.`);
    return resolve(r, 'input_layers');
  });
  // Output tensors: a layer with several outputs (an LSTM with return_state) may give more than one, each by its tensor index.
  const outTensors = outputRefs.map((r): { node: LayerNode; output: number } => ({ node: resolve(r, 'output_layers'), output: r[2] }));
  const outputs = outTensors.map((t) => t.node);
  const seenOut = new Set<string>();
  for (const { node: o, output } of outTensors) {
    if (o.kind === 'Input') throw new ImportError(`The model's output ${q(o.name)} is an InputLayer; Layerlab's outputs are layers.`);
    const key = `${output}\u0000${o.id}`;
    if (seenOut.has(key))
      throw new ImportError(
        `The model lists ${output ? `output tensor_index=${output} of ` : ''}${q(o.name)} twice among its outputs; Layerlab gives each output one loss and cannot represent a repeated output yet.`,
      );
    seenOut.add(key);
  }
  const seenIn = new Set<string>();
  for (const i of inputs) {
    if (seenIn.has(i.id)) throw new ImportError(`The model lists the input ${q(i.name)} twice; tfjs and Keras refuse repeated inputs.`);
    seenIn.add(i.id);
  }
  // Everything some output depends on (iteratively: no recursion over the file's graph).
  const into = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = into.get(e.target);
    if (list) list.push(e.source);
    else into.set(e.target, [e.source]);
  }
  const live = new Set<string>();
  const todo = outputs.map((o) => o.id);
  while (todo.length) {
    const id = todo.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    for (const s of into.get(id) ?? []) todo.push(s);
  }
  for (const i of inputs) live.add(i.id);
  for (const n of graph.nodes)
    if (n.kind === 'Input' && live.has(n.id) && !seenIn.has(n.id))
      throw new ImportError(`The InputLayer ${q(n.name)} feeds the model's outputs but is not in its input_layers; the file is inconsistent.`);
  const dead = graph.nodes.filter((n) => !live.has(n.id));
  let g = graph;
  if (dead.length) {
    const deadInputs = dead.filter((n) => n.kind === 'Input').map((n) => q(n.name));
    const list = (xs: string[]) => `${xs.slice(0, 5).join(', ')}${xs.length > 5 ? `, … ${xs.length} in all` : ''}`;
    // Keras 3 writes the mask a layer receives (Embedding mask_zero, Masking) as operation nodes (NotEqual, Any; module
    // keras.src.ops.…) read only by a `mask` keyword: no output depends on them, and the layers make the same mask.
    const maskOps = new Set(dead.filter((n) => n.kind === opaque.kind && isKerasOp(n)).map((n) => n.name));
    const deadLayers = [...new Set(dead.filter((n) => n.kind !== 'Input' && !maskOps.has(n.name)).map((n) => n.name))].map(q);
    if (maskOps.size)
      ctx.warnings.push(
        `Left out ${maskOps.size === 1 ? 'the operation' : `${maskOps.size} operations`} ${list([...maskOps].map(q))} that Keras 3 writes to pass a mask on (read by no output; the layers make the same mask).`,
      );
    if (deadLayers.length)
      ctx.warnings.push(
        `Left out ${deadLayers.length} layer${deadLayers.length === 1 ? '' : 's'} that no output of the model depends on (${list(deadLayers)}); Keras and tfjs leave them out of the model too.`,
      );
    if (deadInputs.length)
      ctx.warnings.push(
        `Left out the unused InputLayer${deadInputs.length === 1 ? '' : 's'} ${list(deadInputs)}, which ${deadInputs.length === 1 ? 'is' : 'are'} not among the model's inputs.`,
      );
    g = removeNodes(
      graph,
      dead.map((n) => n.id),
    );
  }
  // Input nodes in the listed order, at the places Input nodes hold in the node list.
  const slots: number[] = [];
  g.nodes.forEach((n, i) => n.kind === 'Input' && slots.push(i));
  const nodes = [...g.nodes];
  const inputAt = new Map(g.nodes.map((n) => [n.id, n]));
  slots.forEach((slot, k) => (nodes[slot] = (inputs[k] && inputAt.get(inputs[k].id)) || nodes[slot]));
  g = { ...g, nodes };
  // Kept in Graph.outputs when they differ from the default (every output of each layer nothing reads, in order).
  const derived = analyze(g).outputTensors;
  const listed: TensorRef[] = outTensors.map((t) => ({ node: t.node.id, output: t.output }));
  if (derived.length !== listed.length || derived.some((t, i) => t.node !== listed[i].node || t.output !== listed[i].output))
    g = { ...g, outputs: listed.map((t): OutputEntry => (t.output ? t : t.node)) };
  return g;
}

/** The shapes of the weights a tfjs model.json lists (`weightsManifest`: groups of `{ name, shape }`), by name; empty when absent or malformed. */
function manifestShapes(manifest: unknown): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!Array.isArray(manifest)) return out;
  for (const group of manifest.slice(0, 10_000)) {
    const weights = (group as { weights?: unknown } | null)?.weights;
    if (!Array.isArray(weights)) continue;
    for (const w of weights.slice(0, 100_000)) {
      const { name, shape } = (w ?? {}) as { name?: unknown; shape?: unknown };
      if (typeof name === 'string' && Array.isArray(shape) && shape.length <= 8 && shape.every((d) => Number.isInteger(d))) out.set(name, shape as number[]);
    }
  }
  return out;
}

/**
 * Negative `axes` (Dot: −1 = the last axis) as the axis each counts from the end of its input: Keras 3's
 * Dot.build takes `axes % ndim` per input (keras/src/layers/merging/dot.py), tfjs-layers merge.ts
 * `interpretAxis` likewise; one number applies to both inputs. And an `axis` written as `[rank − 1]` (tfjs's and
 * tf.keras's LayerNormalization) as −1, the value Layerlab and Keras 3 write for the last axis. Updates the node and
 * its further calls.
 * @throws ImportError when an axis names none of its input's non-batch axes, or an input shape is unknown.
 */
function resolveNegativeAxes(graph: Graph, ctx: Ctx): Graph {
  if (!ctx.axisFixes.length) return graph;
  const a = analyze(graph);
  let nodes = graph.nodes;
  for (const f of ctx.axisFixes) {
    const shapes = a.nodes.get(f.nodeId)?.inputShapes ?? [];
    if (f.lastAsMinusOne) {
      if (shapes[0] && f.value === shapes[0].length - 1)
        nodes = nodes.map((n) => (n.id === f.nodeId || n.layerOf === f.nodeId ? { ...n, params: { ...n.params, [f.key]: -1 } } : n));
      continue;
    }
    const given = typeof f.value === 'number' ? [f.value, f.value] : f.value;
    const resolved = given.map((ax, i) => {
      const rank = shapes[i]?.length;
      if (rank === undefined)
        throw new ImportError(`Layer ${q(f.layer)} has ${f.key}=${brief(f.value)}, which Layerlab resolves from its input shapes, and these are unknown.`);
      const r = ax < 0 ? rank + ax : ax;
      if (r < 1 || r >= rank)
        throw new ImportError(
          `Layer ${q(f.layer)} has ${f.key}=${brief(f.value)}: ${ax} names no axis of its input ${i + 1} of rank ${rank}; nothing was changed.`,
        );
      return r;
    });
    nodes = nodes.map((n) => (n.id === f.nodeId || n.layerOf === f.nodeId ? { ...n, params: { ...n.params, [f.key]: resolved } } : n));
  }
  return { ...graph, nodes };
}

/** True for an opaque node Keras 3 wrote for an operation rather than a layer (module keras.src.ops.…: NotEqual, Any). */
function isKerasOp(n: LayerNode): boolean {
  const kept = keptEntry(n.params.layer_json);
  return typeof kept.module === 'string' && kept.module.startsWith('keras.src.ops.');
}

/**
 * Settings whose Keras default depends on the input shape, checked on the imported graph: BatchNormalization
 * `axis` must be the last axis (−1, rank − 1 or [rank − 1]); Embedding `input_length` must equal the input's
 * length. Refuses the file otherwise, naming layer, setting and value.
 */
function checkShapeDependent(graph: Graph, ctx: Ctx): void {
  if (!ctx.shapeChecks.length) return;
  const a = analyze(graph);
  const kindOf = new Map(graph.nodes.map((n) => [n.id, n.kind]));
  for (const c of ctx.shapeChecks) {
    const info = a.nodes.get(c.nodeId);
    if (!info) continue;
    const kind = kindOf.get(c.nodeId) ?? '';
    // The kind's own check of the key against its input shape (LayerDef keras.shapeKeys); none: refused.
    const check = layerDef(kind)?.keras?.shapeKeys?.[c.key];
    const verdict = check ? check(c.value, info.inputShapes[0] ?? null) : 'refuse';
    if (verdict === 'refuse')
      throw new ImportError(`Layer ${q(c.layer)} (${kind}) uses ${c.key}=${brief(c.value)}, which Layerlab does not model yet; nothing was changed.`);
    if (verdict === 'unchecked')
      ctx.warnings.push(`Layer ${q(c.layer)}: ${c.key}=${brief(c.value)} could not be checked (its input shape is unknown); Layerlab uses the kind's default.`);
  }
}

/** Known Keras class names (for help texts): every registry kind's class plus InputLayer. */
export const importableClasses = (): string[] => ['InputLayer', ...LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => d.kerasClass)];
