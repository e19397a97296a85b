/**
 * One layer entry of a Keras / tfjs model file → a node (kerasImport.ts reads the model around it): the entry's schema,
 * its class → Layerlab's kind, every parameter read and checked (`checkParam`, sizes at most MAX_DIM), settings
 * Layerlab does not model refused by name (`checkKeys`, kerasKeys.ts has the rule), a class Layerlab cannot run kept as
 * an opaque node, an InputLayer → an Input node; and the context an import collects on its way (`Ctx`).
 */
import { z } from 'zod';
import type { LayerNode, ParamValue, Shape } from '../graph/types';
import { LAYER_DEFS } from '../layers/registry';
import { MAX_OPAQUE_JSON, opaque } from '../layers/opaque';
import type { LayerDef } from '../layers/define';
import { checkParam, type ParamSpec } from '../layers/params';
import { isList } from '../guards';
import { brief, isFlatValue, isFloat32, judgeKey, safeText } from './kerasKeys';
import { formatCount } from '../format';

/** Largest size accepted for one dimension of an input shape. */
export const MAX_DIM = 1 << 24;

/** Keras 3 activation names that tfjs and Layerlab spell differently. */
export const ACTIVATION_ALIASES: Readonly<Record<string, string>> = { silu: 'swish' };

export const layerEntry = z.object({
  class_name: z.string().max(200),
  config: z.record(z.string(), z.unknown()),
  name: z.string().max(500).optional(),
  inbound_nodes: z.array(z.unknown()).max(1000).optional(),
  // Kept for a layer Layerlab cannot run (an opaque node writes them back on export).
  module: z.unknown().optional(),
  registered_name: z.unknown().optional(),
});
export type LayerEntry = z.infer<typeof layerEntry>;

/** Every Keras class name Layerlab reads: each kind's class and its `keras.aliases` (Keras 2-only names, mapped as the tfjs converter maps them). */
export const kindByClass = new Map<string, LayerDef>(LAYER_DEFS.flatMap((d) => [d.kerasClass, ...(d.keras?.aliases ?? [])].map((c) => [c, d] as const)));

/** The layer definition for a Keras class name, after aliases; undefined when Layerlab lacks it. */
export function defForClass(className: string): LayerDef | undefined {
  return kindByClass.get(className);
}

export class ImportError extends Error {}

/**
 * What the import collects on its way: warnings, settings dropped with a note (key → layer names), checks
 * that need the input shapes (made once the graph is built), and the names shown for layers whose
 * file names Layerlab cannot use.
 */
export interface Ctx {
  readonly warnings: string[];
  /** True to flatten nested models (`importKerasJson`'s `nested: 'flatten'`); else each stays a block. */
  readonly flatten: boolean;
  readonly dropped: Map<string, string[]>;
  readonly shapeChecks: { nodeId: string; layer: string; key: string; value: unknown }[];
  /** File name → name used in the graph (only for renamed layers). */
  readonly renamed: Map<string, string>;
  /** Negative `axes` to resolve against the input ranks once the graph is built (`resolveNegativeAxes`). */
  readonly axisFixes: {
    nodeId: string;
    readonly layer: string;
    readonly key: string;
    readonly value: number | number[];
    /** An `axis` read from a one-entry list: becomes −1 when it names the last axis, stays otherwise. */
    readonly lastAsMinusOne?: boolean;
  }[];
  /** Set for a file tfjs wrote: the shapes of its weights by name (from model.json's weightsManifest; empty without one). */
  tfjs: { readonly weights: ReadonlyMap<string, readonly number[]> } | null;
  /** Layers kept as opaque nodes (classes Layerlab cannot run), with where their output shape came from. */
  readonly opaque: { readonly id: string; readonly name: string; readonly cls: string; readonly shapeFrom: string | null }[];
}
export const newCtx = (warnings: string[], flatten = false): Ctx => ({
  warnings,
  dropped: new Map(),
  shapeChecks: [],
  renamed: new Map(),
  opaque: [],
  axisFixes: [],
  tfjs: null,
  flatten,
});

/** A layer name as shown in messages: quoted, cut, control and bidi characters escaped. */
export const q = (name: string) => `'${safeText(name)}'`;

/** One parameter's value from a Keras config, normalised to what the spec stores (undefined: unreadable). */
export function readParam(spec: ParamSpec, v: unknown): ParamValue | undefined {
  if (v === undefined) return undefined;
  if (spec.type === 'intTuple') {
    if (v === null) return spec.nullable ? null : undefined;
    if (typeof v === 'number') return new Array<number>(spec.length).fill(v);
    if (Array.isArray(v) && v.length === 1 && spec.length > 1 && typeof v[0] === 'number') return new Array<number>(spec.length).fill(v[0]);
    // Tuples of pairs, e.g. ZeroPadding2D padding ((1, 1), (2, 2)) or (1, 2) meaning ((1, 1), (2, 2)).
    if (spec.groups && Array.isArray(v)) {
      const size = spec.length / spec.groups;
      if (v.length === spec.groups && v.every((g) => typeof g === 'number')) return v.flatMap((g) => new Array<number>(size).fill(g));
      if (v.every((g) => Array.isArray(g) && g.length === size)) return (v as number[][]).flat();
    }
    return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : undefined;
  }
  // One axis written as a number where the parameter lists axes (Keras UnitNormalization axis=-1, PReLU shared_axes=1).
  if (spec.type === 'intList' && typeof v === 'number') return [v];
  if (spec.type === 'intList' || spec.type === 'shape') return Array.isArray(v) && v.every((x) => typeof x === 'number') ? v : v === null ? null : undefined;
  // An int written as a one-entry list (tf.keras writes LayerNormalization axis as [2]).
  if (spec.type === 'int' && Array.isArray(v) && v.length === 1 && typeof v[0] === 'number') return v[0];
  if (spec.type === 'choice' && typeof v === 'string' && spec.options.includes('relu')) return ACTIVATION_ALIASES[v] ?? v;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  return undefined;
}

/** Largest magnitude of any whole number in a parameter value (a size, count or axis). */
export const maxMagnitude = (v: ParamValue): number => (isList(v) ? Math.max(0, ...v.map((x) => Math.abs(x ?? 0))) : typeof v === 'number' ? Math.abs(v) : 0);

/**
 * Checks every key of one layer config: a parameter of `paramKeys` is left for `makeNode`; any other key
 * is judged by `judgeKey` (kerasKeys.ts): dropped, noted, checked against shapes later, or refused naming
 * the layer, the setting and its value.
 */
export function checkKeys(
  config: Record<string, unknown>,
  paramKeys: ReadonlySet<string>,
  name: string,
  cls: string,
  ctx: Ctx,
  pending: { key: string; value: unknown }[],
): void {
  for (const key of Object.keys(config)) {
    if (paramKeys.has(key)) continue;
    const value = config[key];
    const verdict = judgeKey(key, value);
    if (verdict === 'ignore') continue;
    if (verdict === 'note') ctx.dropped.set(key, [...(ctx.dropped.get(key) ?? []), name]);
    else if (verdict === 'shape') pending.push({ key, value });
    else
      throw new ImportError(
        verdict.refuse === 'does not model yet'
          ? `Layer ${q(name)} (${cls}) uses ${safeText(key, 40)}=${brief(value)}, which Layerlab does not model yet; nothing was changed.`
          : `Layer ${q(name)} (${cls}) has the setting ${safeText(key, 40)}=${brief(value)}, which Layerlab does not know; nothing was changed.`,
      );
  }
}

/**
 * A layer config's arguments with Keras 2 names mapped and every key checked (`checkKeys`), and for a
 * wrapper (Bidirectional, TimeDistributed) the wrapped layer's kind and arguments merged in, as the
 * wrapper's params hold them. `required` receives the parameters Keras always writes (units, filters, …).
 */
export function configArgs(
  def: LayerDef,
  config: Record<string, unknown>,
  name: string,
  ctx: Ctx,
  pending: { key: string; value: unknown }[],
  required: Set<string>,
): Record<string, unknown> {
  const args: Record<string, unknown> = { ...config };
  // Keras 2 argument names that Keras 3 (and Layerlab) spell differently: the kind's `keras.argAliases`.
  const aliases = def.keras?.argAliases ?? {};
  for (const [from, to] of Object.entries(aliases)) if (from in args && !(to in args)) args[to] = args[from];
  const layerKey = Object.entries(def.params).find(([, s]) => s.type === 'layer')?.[0];
  const own = new Set([...Object.keys(def.params).filter((k) => !def.params[k].inner), ...Object.keys(aliases)]);
  checkKeys(config, own, name, def.kerasClass, ctx, pending);
  for (const [k, s] of Object.entries(def.params)) if (s.always && !s.inner) required.add(k);
  if (layerKey) {
    const inner = config.layer as { class_name?: unknown; config?: unknown } | undefined;
    const innerDef = typeof inner?.class_name === 'string' ? defForClass(inner.class_name) : undefined;
    const options = (def.params[layerKey] as { options: readonly string[] }).options;
    if (!innerDef || !options.includes(innerDef.kind) || typeof inner?.config !== 'object' || inner.config === null || Array.isArray(inner.config))
      throw new ImportError(
        `Layer ${q(name)} (${def.kerasClass}) wraps ${brief(inner?.class_name ?? null)}; Layerlab's ${def.kerasClass} wraps ${options.join(', ')}.`,
      );
    const innerConfig = inner.config as Record<string, unknown>;
    const exposed = new Set(Object.keys(def.params).filter((k) => def.params[k].inner));
    // The wrapped layer's own name, dtype and trainable flag are judged like the wrapper's.
    const innerRequired = new Set<string>();
    const innerArgs = configArgs(
      innerDef,
      Object.fromEntries(Object.entries(innerConfig).filter(([k]) => exposed.has(k) || !(k in innerDef.params))),
      name,
      ctx,
      pending,
      innerRequired,
    );
    for (const k of Object.keys(innerDef.params))
      if (!exposed.has(k) && k in innerConfig) checkKeys({ [k]: innerConfig[k] }, new Set(), name, innerDef.kerasClass, ctx, pending);
    for (const k of innerRequired) if (exposed.has(k)) required.add(k);
    for (const [k, spec] of Object.entries(def.params)) if (spec.inner && k in innerArgs) args[k] = innerArgs[k];
    args[layerKey] = innerDef.kind;
    const back = config.backward_layer as { class_name?: unknown } | null | undefined;
    if (back !== undefined && back !== null && back.class_name !== inner.class_name)
      throw new ImportError(
        `Layer ${q(name)} (${def.kerasClass}) runs a different backward layer (${brief(back.class_name ?? null)}); Layerlab's Bidirectional runs the same layer both ways.`,
      );
  }
  const refusal = def.keras?.refuse?.(args);
  if (refusal) throw new ImportError(`Layer ${q(name)} ${refusal}`);
  return args;
}

let seq = 0;
/** The import's next serial number (node, edge and block ids). */
export const nextSeq = (): number => ++seq;
/** A fresh node id: short and unrelated to the layer's name (ids have a length limit; names come from the file). */
export const nodeId = () => `imp${nextSeq().toString(36)}_${Date.now().toString(36)}`;

/**
 * A layer node from its Keras config: every parameter read and checked with `checkParam`, sizes at most
 * MAX_DIM, settings Layerlab does not model refused (`checkKeys`).
 * @throws ImportError naming the layer, the parameter and the value.
 */
export function makeNode(asWritten: LayerDef, written: Record<string, unknown>, fileName: string, ctx: Ctx): LayerNode {
  // A config that computes another kind's function is read as that kind (`keras.asKind`: Keras 3's ReLU(threshold=θ)).
  const moved = asWritten.keras?.asKind?.(written);
  const def = moved ? (LAYER_DEFS.find((d) => d.kind === moved.kind) ?? asWritten) : asWritten;
  const config = moved && def !== asWritten ? moved.config : written;
  const pending: { key: string; value: unknown }[] = [];
  const required = new Set<string>();
  const args = configArgs(def, config, fileName, ctx, pending, required);
  const params: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(def.params)) {
    let raw = args[key];
    // A parameter tfjs's toJSON leaves out (KerasFacts.unwrittenByTfjs): from its weight's shape in the manifest.
    const unwritten = def.keras?.unwrittenByTfjs?.[key];
    if (raw === undefined && unwritten && ctx.tfjs) {
      const shape = [...ctx.tfjs.weights].find(
        ([name]) => name === `${fileName}/${unwritten.weight}` || name.endsWith(`/${fileName}/${unwritten.weight}`),
      )?.[1];
      if (shape && Number.isInteger(shape[unwritten.axis])) raw = shape[unwritten.axis];
      else
        ctx.warnings.push(
          `Layer ${q(fileName)} (${def.kerasClass}): the file does not say its ${key} (tfjs 4.22 leaves it out of the JSON and this file has no weights manifest to read it from); read as ${brief(spec.default)}, Keras's default.`,
        );
    }
    if (raw === undefined) {
      if (required.has(key))
        throw new ImportError(`Layer ${q(fileName)} (${def.kerasClass}) does not say its ${key}; Keras and tfjs need it, and Layerlab will not guess.`);
      params[key] = spec.default;
      continue;
    }
    const shown = `${key}=${brief(raw)}`;
    // Negative axes (Dot(axes=-1), as Keras and tfjs accept): resolved against the input ranks once the graph is built.
    if (spec.type === 'intTuple' && key === 'axes' && spec.min >= 0 && isNegativeAxes(raw, spec.length)) {
      params[key] = spec.default;
      ctx.axisFixes.push({ nodeId: '', layer: fileName, key, value: raw as number | number[] });
      continue;
    }
    // One axis written as a one-entry list counted from the front (tfjs and tf.keras write LayerNormalization's −1 as
    // [rank − 1]): read as the number, and as −1 when it is the last axis, once the input rank is known.
    if (spec.type === 'int' && spec.default === -1 && Array.isArray(raw) && raw.length === 1 && Number.isInteger(raw[0]) && (raw[0] as number) > 0)
      ctx.axisFixes.push({ nodeId: '', layer: fileName, key, value: raw[0] as number, lastAsMinusOne: true });
    // Several axes where the kind takes one (tfjs and Keras write LayerNormalization axis=[1, 2]).
    if (spec.type === 'int' && Array.isArray(raw) && raw.length > 1 && raw.every((x) => typeof x === 'number'))
      throw new ImportError(
        `Layer ${q(fileName)} (${def.kerasClass}) has ${shown}: it works over ${raw.length} axes together, and Layerlab's ${def.kerasClass} takes one ${key} yet; nothing was changed.`,
      );
    if (!isFlatValue(raw))
      throw new ImportError(`Layer ${q(fileName)} (${def.kerasClass}) has ${shown}, which is not a number, text or a short list of them; nothing was changed.`);
    const v = readParam(spec, raw);
    const problem = v === undefined ? 'cannot be read' : checkParam(spec, v);
    if (problem)
      throw new ImportError(`Layer ${q(fileName)} (${def.kerasClass}) has ${shown}, which Layerlab cannot use: it ${problem.replace(/\s*\(got [^]*\)$/, '')}.`);
    if (spec.type !== 'float' && maxMagnitude(v!) > MAX_DIM)
      throw new ImportError(
        `Layer ${q(fileName)} (${def.kerasClass}) has ${shown}, larger than the ${formatCount(MAX_DIM)} Layerlab accepts for a size; nothing was changed.`,
      );
    params[key] = v!;
  }
  // A frozen layer (Keras trainable=false). A wrapper's weights are its wrapped layer's, and Keras 3 and tfjs count them
  // by the wrapped layer's own flag (Keras 3 writes it after `bidi.trainable = False`; `Bidirectional(LSTM(5),
  // trainable=False)` still trains the LSTM there, where tf.keras 2 did not): that flag decides, with a note when the
  // wrapper's differs.
  const innerConfig = (config.layer as { config?: { trainable?: unknown } } | undefined)?.config;
  const wrapped = typeof innerConfig === 'object' && innerConfig !== null;
  const frozen = wrapped ? innerConfig.trainable === false : config.trainable === false;
  if (wrapped && config.trainable === false && !frozen)
    ctx.warnings.push(
      `Layer ${q(fileName)} (${def.kerasClass}) is marked trainable=false but the layer it wraps is not: Keras 3 and tfjs train the wrapped layer then (tf.keras 2 did not), so it is read as trainable.`,
    );
  const node: LayerNode = {
    id: nodeId(),
    kind: def.kind,
    name: ctx.renamed.get(fileName) ?? fileName,
    params,
    position: { x: 0, y: 0 },
    ...(frozen ? { trainable: false as const } : {}),
  };
  for (const p of pending) ctx.shapeChecks.push({ nodeId: node.id, layer: fileName, ...p });
  for (const f of ctx.axisFixes) if (f.nodeId === '') f.nodeId = node.id;
  return node;
}

/**
 * The node for one layer entry: its kind's node (`makeNode`), or, for a class Layerlab lacks (a Lambda,
 * TFOpLambda, SlicingOpLambda, a user's class), an opaque node (`opaqueNode`).
 * @param recorded Keras 3's recorded tensor shapes (`recordedShapes`), for an opaque layer's output shape.
 */
export function layerNode(l: LayerEntry, config: Record<string, unknown>, fileName: string, ctx: Ctx, recorded?: ReadonlyMap<string, Shape>): LayerNode {
  const def = defForClass(l.class_name);
  return def ? makeNode(def, config, fileName, ctx) : opaqueNode(l, config, fileName, ctx, recorded?.get(tensorKey(fileName, 0, 0)) ?? null);
}

/**
 * An opaque node (core/layers/opaque.ts) for a layer Layerlab cannot run: its class, its config verbatim (with
 * Keras 3's `module` and `registered_name` when written), and its output shape without the batch axis — from the
 * config's `output_shape` (Keras's Lambda; Keras 2 marks a function there with `output_shape_type: 'lambda'`,
 * which is not read), else from `recorded` (the shape Keras 3 wrote for its output where a layer reads it),
 * else null: the user enters it.
 * @throws ImportError when the layer entry is longer than MAX_OPAQUE_JSON characters as JSON.
 */
export function opaqueNode(l: LayerEntry, config: Record<string, unknown>, fileName: string, ctx: Ctx, recorded: Shape | null): LayerNode {
  const entry: Record<string, unknown> = { config };
  if (l.module !== undefined) entry.module = l.module;
  if (l.registered_name !== undefined) entry.registered_name = l.registered_name;
  const text = JSON.stringify(entry);
  if (text.length > MAX_OPAQUE_JSON)
    throw new ImportError(
      `Layer ${q(fileName)} (${safeText(l.class_name, 60)}) has a config of ${formatCount(text.length)} characters; Layerlab keeps layers it cannot run up to ${formatCount(MAX_OPAQUE_JSON)}; nothing was changed.`,
    );
  const written = config.output_shape_type === undefined || config.output_shape_type === 'raw' ? outputShapeOf(config.output_shape) : null;
  const fromFile = recorded && recorded.length >= 2 ? outputShapeOf(recorded.slice(1)) : null;
  const shape = written ?? fromFile;
  const id = nodeId();
  ctx.opaque.push({ id, name: fileName, cls: l.class_name, shapeFrom: written ? 'its output_shape' : fromFile ? 'the shape the file records for it' : null });
  return {
    id,
    kind: opaque.kind,
    name: ctx.renamed.get(fileName) ?? fileName,
    // The file says nothing of the layer's weights: none counted (a Python code import fills them in, run.ts).
    params: {
      class_name: l.class_name,
      output_shape: shape,
      trainable_params: 0,
      non_trainable_params: 0,
      python_source: '',
      python_args: '',
      layer_json: text,
    },
    // A frozen layer (trainable=False on a user's class, or a layer class Layerlab lacks): Keras counts its weights
    // non-trainable, so the node is frozen too (a code import counts them; a Keras JSON file says none).
    ...(config.trainable === false ? { trainable: false as const } : {}),
    position: { x: 0, y: 0 },
  };
}

/** A shape without the batch axis as an opaque layer's `output_shape` takes it (1 to 5 sizes, each 1…MAX_DIM or None), or null. */
export function outputShapeOf(v: unknown): (number | null)[] | null {
  if (!Array.isArray(v) || v.length < 1 || v.length > 5) return null;
  return v.every((d) => d === null || (Number.isInteger(d) && (d as number) >= 1 && (d as number) <= MAX_DIM)) ? (v as (number | null)[]) : null;
}

/** An Input node; the InputLayer's other settings are checked (an integer dtype is read as float32, with a note). */
export function inputNode(fileName: string, shape: (number | null)[], config: Record<string, unknown>, ctx: Ctx): LayerNode {
  const { dtype, ...rest } = config;
  if (!isFloat32(dtype)) {
    const d = typeof dtype === 'object' && dtype !== null ? (dtype as { config?: { name?: unknown } }).config?.name : dtype;
    if (typeof d === 'string' && /^u?int(8|16|32|64)$/.test(d))
      ctx.warnings.push(`Input ${q(fileName)} has dtype ${d}; Layerlab's inputs are float32 (an Embedding reads them the same).`);
    else throw new ImportError(`Input ${q(fileName)} has dtype=${brief(dtype)}, which Layerlab does not model yet; nothing was changed.`);
  }
  checkKeys(rest, new Set(), fileName, 'InputLayer', ctx, []);
  return { id: nodeId(), kind: 'Input', name: ctx.renamed.get(fileName) ?? fileName, params: { shape: shape.slice(1) }, position: { x: 0, y: 0 } };
}

/** True when `v` is an axes value with a negative entry: one number, or `length` numbers (Dot's `axes=-1`, `[-1, 1]`). */
function isNegativeAxes(v: unknown, length: number): boolean {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) && v.length === length ? v : null;
  return !!list && list.every((x) => Number.isInteger(x) && Math.abs(x as number) <= 64) && list.some((x) => (x as number) < 0);
}

/** Key of a tensor [layer, call, tensor] in the shapes a Keras 3 file records (kerasImport.ts `recordedShapes`). */
export const tensorKey = (layer: string, call: number, tensor: number) => `${layer}\u0000${call}\u0000${tensor}`;
