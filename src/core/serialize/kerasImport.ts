/**
 * Reads a Keras model topology in every form Keras and tfjs write (../shared/reference/FORMAT.md):
 * Keras 2 `model.to_json()` (Sequential as a bare list or `{name, layers}`, Functional as "Model" or
 * "Functional"), Keras 3 `to_json()` (`batch_shape`, dict-form `inbound_nodes` with `keras_history`),
 * tfjs `model.json` (`modelTopology`, also nested under `model_config` as the Python converter writes it).
 * The structure is checked with zod; anything Layerlab cannot represent is refused with one message
 * naming it, so a failed import never changes the user's graph.
 */
import { z } from 'zod';
import type { Edge, Graph, LayerNode, ParamValue } from '../graph/types';
import { autoLayout } from '../graph/layout';
import { findCycle, topologicalOrder } from '../graph/topology';
import { LAYER_DEFS } from '../layers/registry';
import type { LayerDef } from '../layers/define';
import type { ParamSpec } from '../layers/params';
import { firstIssue } from './zodMessage';
import { flattenNested, NestedModelError } from './nested';

export type ImportResult =
  | { readonly ok: true; readonly graph: Graph; readonly format: string; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** Largest file read, in bytes of text: a topology without weights is far smaller (InceptionV3's is ~0.5 MB). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** Most layers an imported model may have. */
export const MAX_IMPORT_LAYERS = 5000;
/** Largest size accepted for one dimension of an input shape. */
export const MAX_DIM = 1 << 24;

/** Keras 2-only class names and their current names (the tfjs converter maps them the same way). */
const CLASS_ALIASES: Readonly<Record<string, string>> = {
  BatchNormalizationV1: 'BatchNormalization',
  UnifiedLSTM: 'LSTM',
  UnifiedGRU: 'GRU',
  Convolution2D: 'Conv2D',
  Conv2d: 'Conv2D',
};
/** Keras 3 activation names that tfjs and Layerlab spell differently. */
const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { silu: 'swish' };

const layerEntry = z.object({
  class_name: z.string().max(200),
  config: z.record(z.string(), z.unknown()),
  name: z.string().max(500).optional(),
  inbound_nodes: z.array(z.unknown()).max(1000).optional(),
});
type LayerEntry = z.infer<typeof layerEntry>;

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
    input_layers: z.array(z.unknown()),
    output_layers: z.array(z.unknown()),
  })
  .loose();

const where = firstIssue;

const kindByClass = new Map<string, LayerDef>(LAYER_DEFS.map((d) => [d.kerasClass, d]));

/** The layer definition for a Keras class name, after aliases; undefined when Layerlab lacks it. */
export function defForClass(className: string): LayerDef | undefined {
  return kindByClass.get(CLASS_ALIASES[className] ?? className);
}

class ImportError extends Error {}

/**
 * Parses a Keras / tfjs model topology file.
 * `opts.layout` (default true) lays the graph out with dagre; pass false to lay it out elsewhere
 * (the page uses ELK in a worker for large models).
 * @returns the graph (names and parameters as in the file), the format it
 *   recognised and warnings about settings it could not keep; or a reason when the file is refused:
 *   too large, not JSON, malformed (with where), not a model, unsupported layer kinds (all named),
 *   layers with several outputs, cycles in `inbound_nodes`, absurd shapes. A layer called several
 *   times becomes a shared layer (one node per call).
 * Never throws.
 */
export function importKerasJson(text: string, opts: { readonly layout?: boolean } = {}): ImportResult {
  if (text.length > MAX_IMPORT_BYTES)
    return { ok: false, reason: `The file is ${(text.length / 1024 / 1024).toFixed(1)} MB; Layerlab opens model topology files up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB (weights are not needed).` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `The file is not valid JSON: ${(e as Error).message}` };
  }
  try {
    return importObject(raw, opts.layout ?? true);
  } catch (e) {
    if (e instanceof ImportError) return { ok: false, reason: e.message };
    return { ok: false, reason: `The file could not be read as a Keras model: ${(e as Error).message}` };
  }
}

function importObject(raw: unknown, layout: boolean): ImportResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ImportError('The file is not a Keras model: expected a JSON object with "class_name" and "config".');
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
  let graph: Graph;
  if (cls === 'Sequential') {
    const c = sequentialConfig.safeParse(config);
    if (!c.success) throw new ImportError(`The Sequential model is malformed at ${where(c.error, 'config')}.`);
    const layers = Array.isArray(c.data) ? c.data : c.data.layers;
    const name = Array.isArray(c.data) ? 'sequential' : (c.data.name ?? 'sequential');
    if (format === 'Keras model JSON') format = Array.isArray(c.data) ? 'Keras ≤ 2.2 Sequential JSON' : 'Keras Sequential JSON';
    graph = readSequential(name, layers, config, warnings);
  } else if (cls === 'Model' || cls === 'Functional') {
    const c = functionalConfig.safeParse(config);
    if (!c.success) throw new ImportError(`The Functional model is malformed at ${where(c.error, 'config')}.`);
    const keras3 = c.data.layers.some((l) => Array.isArray(l.inbound_nodes) && l.inbound_nodes.some((n) => n !== null && typeof n === 'object' && !Array.isArray(n)));
    if (format === 'Keras model JSON') format = keras3 ? 'Keras 3 Functional JSON' : `Keras 2 Functional JSON ("${cls}")`;
    graph = readFunctional(c.data.name ?? 'model', c.data.layers, warnings);
  } else throw new ImportError(`The file's model class '${cls}' is not Sequential, Model or Functional; Layerlab cannot open it.`);
  const { cyclic } = topologicalOrder(graph);
  if (cyclic.length) {
    const names = findCycle(graph, cyclic).map((id) => graph.nodes.find((n) => n.id === id)!.name);
    throw new ImportError(`The file's inbound_nodes form a cycle (${[...names, names[0]].map((s) => `'${s}'`).join(' → ')}); a Keras model is acyclic.`);
  }
  return { ok: true, graph: layout ? autoLayout(graph) : graph, format, warnings };
}

/** Refuses the file when any layer kind is unknown, naming every unknown kind and its layers. */
function checkKinds(layers: readonly LayerEntry[]): void {
  const unknown = new Map<string, string[]>();
  for (const l of layers) {
    if (l.class_name === 'InputLayer' || defForClass(l.class_name)) continue;
    const name = String(l.config.name ?? l.name ?? '?');
    unknown.set(l.class_name, [...(unknown.get(l.class_name) ?? []), name]);
  }
  if (!unknown.size) return;
  const list = [...unknown].map(([k, names]) => `${k} (${names.slice(0, 3).map((n) => `'${n}'`).join(', ')}${names.length > 3 ? `, … ${names.length} layers` : ''})`);
  throw new ImportError(`This model uses layer kinds Layerlab does not support: ${list.join('; ')}. Nothing was changed.`);
}

/** An input shape (batch dimension first) from a layer config, validated. */
function batchShapeOf(config: Record<string, unknown>, layerName: string): (number | null)[] | null {
  let s: unknown = config.batch_input_shape ?? config.batch_shape;
  if (s === undefined && Array.isArray(config.input_shape)) s = [null, ...config.input_shape];
  if (s === undefined && Array.isArray(config.shape)) s = [null, ...config.shape];
  if (s === undefined || s === null) return null;
  if (!Array.isArray(s) || s.length < 2 || s.length > 6)
    throw new ImportError(`'${layerName}': its input shape ${JSON.stringify(s)?.slice(0, 80)} is not a list of 2 to 6 dimensions.`);
  for (const d of s.slice(1))
    if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d < 1 || d > MAX_DIM))
      throw new ImportError(`'${layerName}': input dimension ${JSON.stringify(d)?.slice(0, 40)} is not a whole number from 1 to ${MAX_DIM}.`);
  if (s.slice(1).some((d) => d === null))
    throw new ImportError(`'${layerName}': its input shape ${JSON.stringify(s)} has unknown (None) dimensions besides the batch; Layerlab needs fixed sizes.`);
  return s as (number | null)[];
}

/** Keras 2 argument names that Keras 3 (and Layerlab) spell differently, per class. */
const ARG_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  LeakyReLU: { alpha: 'negative_slope' },
};

/** One parameter's value from a Keras config, normalised to what the spec stores. */
function readParam(spec: ParamSpec, v: unknown): ParamValue | undefined {
  if (v === undefined) return undefined;
  if (spec.type === 'intTuple') {
    if (v === null) return spec.nullable ? null : undefined;
    if (typeof v === 'number') return Array(spec.length).fill(v);
    if (Array.isArray(v) && v.length === 1 && spec.length > 1 && typeof v[0] === 'number') return Array(spec.length).fill(v[0]);
    // Tuples of pairs, e.g. ZeroPadding2D padding ((1, 1), (2, 2)) or (1, 2) meaning ((1, 1), (2, 2)).
    if (spec.groups && Array.isArray(v)) {
      const size = spec.length / spec.groups;
      if (v.length === spec.groups && v.every((g) => typeof g === 'number')) return (v as number[]).flatMap((g) => Array(size).fill(g));
      if (v.every((g) => Array.isArray(g) && g.length === size)) return (v as number[][]).flat();
    }
    return Array.isArray(v) ? (v as number[]) : undefined;
  }
  if (spec.type === 'intList') return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
  if (spec.type === 'choice' && typeof v === 'string' && spec.options.includes('relu')) return ACTIVATION_ALIASES[v] ?? v;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v) && v.every((x) => x === null || typeof x === 'number')) return v as (number | null)[];
  return undefined;
}

/**
 * A layer config's arguments with Keras 2 names mapped, and for a wrapper (Bidirectional,
 * TimeDistributed) the wrapped layer's kind and arguments merged in, as the wrapper's params hold them.
 */
function configArgs(def: LayerDef, config: Record<string, unknown>, name: string): Record<string, unknown> {
  const args: Record<string, unknown> = { ...config };
  for (const [from, to] of Object.entries(ARG_ALIASES[def.kerasClass] ?? {})) if (from in args && !(to in args)) args[to] = args[from];
  const layerKey = Object.entries(def.params).find(([, s]) => s.type === 'layer')?.[0];
  if (layerKey) {
    const inner = config.layer as { class_name?: unknown; config?: unknown } | undefined;
    const innerDef = typeof inner?.class_name === 'string' ? defForClass(inner.class_name) : undefined;
    const options = (def.params[layerKey] as { options: readonly string[] }).options;
    if (!innerDef || !options.includes(innerDef.kind) || typeof inner?.config !== 'object' || inner.config === null)
      throw new ImportError(`'${name}' (${def.kerasClass}) wraps ${JSON.stringify(inner?.class_name) ?? 'nothing'}; Layerlab's ${def.kerasClass} wraps ${options.join(', ')}.`);
    const innerArgs = configArgs(innerDef, inner.config as Record<string, unknown>, name);
    for (const [k, spec] of Object.entries(def.params)) if (spec.inner && k in innerArgs) args[k] = innerArgs[k];
    args[layerKey] = innerDef.kind;
  }
  if (def.kerasClass === 'GRU' && args.reset_after === true)
    throw new ImportError(`'${name}' is a GRU with reset_after=True (the tf.keras and Keras 3 default), which TensorFlow.js 4.22 cannot build; re-save it with reset_after=False.`);
  return args;
}

let seq = 0;
function makeNode(def: LayerDef, config: Record<string, unknown>, name: string, warnings: string[]): LayerNode {
  const args = configArgs(def, config, name);
  const params: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(def.params)) {
    const v = readParam(spec, args[key]);
    if (v === undefined && args[key] !== undefined) warnings.push(`'${name}': ${key} ${JSON.stringify(args[key])?.slice(0, 60)} could not be read; the default is used.`);
    params[key] = v === undefined ? (spec.default as ParamValue) : v;
  }
  return { id: `imp${++seq}_${name}`, kind: def.kind, name, params, position: { x: 0, y: 0 } };
}

function inputNode(name: string, shape: (number | null)[]): LayerNode {
  return { id: `imp${++seq}_${name}`, kind: 'Input', name, params: { shape: shape.slice(1) as number[] }, position: { x: 0, y: 0 } };
}

function readSequential(name: string, layers: readonly LayerEntry[], config: unknown, warnings: string[]): Graph {
  if (!layers.length) throw new ImportError('The Sequential model has no layers.');
  checkKinds(layers);
  const nodes: LayerNode[] = [];
  const first = layers[0];
  const firstName = String(first.config.name ?? 'layer');
  if (first.class_name !== 'InputLayer') {
    const build = (config as { build_input_shape?: unknown } | null)?.build_input_shape;
    const shape = batchShapeOf(first.config, firstName) ?? (Array.isArray(build) ? batchShapeOf({ batch_input_shape: build }, firstName) : null);
    if (!shape) throw new ImportError(`The Sequential model does not say its input shape (no InputLayer, no batch_input_shape on '${firstName}').`);
    nodes.push(inputNode(`${firstName}_input`, shape));
  }
  for (const [i, l] of layers.entries()) {
    const lname = String(l.config.name ?? l.name ?? `layer_${i}`);
    if (l.class_name === 'InputLayer') {
      if (i !== 0) throw new ImportError(`'${lname}': an InputLayer can only come first in a Sequential model.`);
      const shape = batchShapeOf(l.config, lname);
      if (!shape) throw new ImportError(`'${lname}': the InputLayer has no shape.`);
      nodes.push(inputNode(lname, shape));
    } else nodes.push(makeNode(defForClass(l.class_name)!, l.config, lname, warnings));
  }
  const edges: Edge[] = nodes.slice(1).map((n, i) => ({ id: `imp_e${++seq}`, source: nodes[i].id, target: n.id }));
  return { name, nodes, edges };
}

/** Input tensors of one inbound node, as [layer name, node index, tensor index], in Keras 2 or Keras 3 form. */
function nodeInputs(node: unknown, layerName: string): [string, number, number][] {
  if (Array.isArray(node)) {
    return node.map((ref) => {
      const r = tensorRef.safeParse(ref);
      if (!r.success || typeof r.data[0] !== 'string') throw new ImportError(`'${layerName}': an inbound node entry is not [layer name, node index, tensor index].`);
      return [r.data[0], Number(r.data[1] ?? 0), Number(r.data[2] ?? 0)];
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
        if (!Array.isArray(h) || typeof h[0] !== 'string') throw new ImportError(`'${layerName}': a __keras_tensor__ has no keras_history.`);
        found.push([h[0], Number(h[1] ?? 0), Number(h[2] ?? 0)]);
        return;
      }
      Object.values(o).forEach((x) => walk(x, depth + 1));
    };
    walk((node as { args?: unknown }).args, 0);
    return found;
  }
  throw new ImportError(`'${layerName}': an inbound node is neither a list nor an {args, kwargs} object.`);
}

function readFunctional(name: string, given: readonly LayerEntry[], warnings: string[]): Graph {
  if (!given.length) throw new ImportError('The model has no layers.');
  let layers: LayerEntry[];
  try {
    layers = flattenNested(given) as LayerEntry[];
  } catch (e) {
    if (e instanceof NestedModelError) throw new ImportError(`${e.message} Nothing was changed.`);
    throw e;
  }
  checkKinds(layers);
  const nodes: LayerNode[] = [];
  const byName = new Map<string, LayerNode>();
  for (const l of layers) {
    const lname = String(l.name ?? l.config.name ?? '');
    if (!lname) throw new ImportError('A layer of the model has no name.');
    if (byName.has(lname)) throw new ImportError(`Two layers are named '${lname}'; Keras layer names are unique.`);
    let node: LayerNode;
    if (l.class_name === 'InputLayer') {
      const shape = batchShapeOf(l.config, lname);
      if (!shape) throw new ImportError(`'${lname}': the InputLayer has no shape.`);
      node = inputNode(lname, shape);
    } else node = makeNode(defForClass(l.class_name)!, l.config, lname, warnings);
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
    if (calls.length === 0) throw new ImportError(`'${lname}' has no inbound node: it is not connected to anything.`);
    calls.forEach((callData, k) => {
      const refs = nodeInputs(callData, lname);
      if (!refs.length) throw new ImportError(`'${lname}' is called with no input tensor; Layerlab cannot tell what it reads.`);
      for (const [src, callIdx, tensor] of refs) {
        const s = callNodes.get(src);
        if (!s) throw new ImportError(`'${lname}' reads from '${src}', which is not a layer of the model.`);
        if (tensor !== 0) throw new ImportError(`'${lname}' reads output ${tensor} of '${src}' (a layer with several outputs); Layerlab cannot represent that yet.`);
        const from = s[callIdx];
        if (!from) throw new ImportError(`'${lname}' reads call ${callIdx} of '${src}', which is called only ${s.length} time${s.length === 1 ? '' : 's'}.`);
        edges.push({ id: `imp_e${++seq}`, source: from.id, target: callNodes.get(lname)![k].id });
      }
    });
  }
  return { name, nodes, edges };
}

/** Known Keras class names (for help texts): every registry kind's class plus InputLayer. */
export const importableClasses = (): string[] => ['InputLayer', ...LAYER_DEFS.filter((d) => d.kind !== 'Input').map((d) => d.kerasClass)];

