/**
 * Nested models in a Functional model's JSON (a Sequential or Functional model used as a layer, e.g. the
 * shared "sequential" tower of a siamese or triplet model) are flattened into the outer model: each inner
 * layer becomes an outer layer, called once per call of the nested model — so a nested model called k
 * times becomes k calls of each of its layers (shared layers, same weights), which is what it is.
 *
 * Node indices follow Keras (docs/keras-facts.md §1c): a nested model owns node 0 (its
 * internal graph), so the outer model's calls of it are numbered from 1.
 */
import { describeValue } from '../validate/describe';

/** A layer entry of a Functional model's `layers` list (the fields flattening needs). */
export interface RawLayer {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
  readonly name?: string;
  readonly inbound_nodes?: readonly unknown[];
  /**
   * Set by `flattenModel` on an inlined layer: the name of the outermost nested model it came from (its calls are
   * that model's calls), so the importer can keep the nested model as a block (core/graph/blocks.ts).
   */
  readonly nested?: string;
}

export type Ref = [string, number, number];
const NESTED = new Set(['Sequential', 'Model', 'Functional']);

/** Thrown for a nested model that cannot be flattened; the message says why. */
export class NestedModelError extends Error {}

const isDict = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
/** True for a Keras 2 tensor reference [layer name, node index, tensor index] (a keyword tensor in a kwargs dict). */
const isListRef = (v: unknown): v is unknown[] =>
  Array.isArray(v) && v.length >= 3 && v.length <= 4 && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);

/**
 * Tensor references of one inbound node, in Keras 2 list form or Keras 3 `{args, kwargs}` form, in call order: the
 * positional tensors, then those passed by keyword other than `mask` (Keras 3's `initial_state=[h, c]` of a recurrent
 * layer, MultiHeadAttention's `value=`; tf.keras 2's keyword tensors in an entry's kwargs dict), in the order written.
 * The tensor index of each is kept (an LSTM's state_h is [lstm, node, 1]).
 */
export function refsOf(node: unknown): Ref[] {
  if (Array.isArray(node)) {
    const refs: Ref[] = [];
    for (const r of node.filter(Array.isArray)) {
      refs.push([String(r[0]), Number(r[1] ?? 0), Number(r[2] ?? 0)]);
      if (isDict(r[3])) for (const [key, v] of Object.entries(r[3])) if (key !== 'mask' && isListRef(v)) refs.push([String(v[0]), Number(v[1]), Number(v[2])]);
    }
    return refs;
  }
  const found: Ref[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 20 || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    const o = v as Record<string, unknown>;
    const h = o.class_name === '__keras_tensor__' ? (o.config as { keras_history?: unknown[] } | undefined)?.keras_history : undefined;
    if (Array.isArray(h)) found.push([String(h[0]), Number(h[1] ?? 0), Number(h[2] ?? 0)]);
    else Object.values(o).forEach((x) => walk(x, depth + 1));
  };
  if (isDict(node)) {
    walk(node.args, 0);
    if (isDict(node.kwargs)) for (const [key, v] of Object.entries(node.kwargs)) if (key !== 'mask') walk(v, 1);
  }
  return found;
}

/**
 * The plain (not tensor) keyword arguments of one inbound node, kept when flattening rewrites it in list form:
 * MultiHeadAttention's `use_causal_mask=True` (Keras 3's `kwargs`, or tf.keras 2's kwargs dict of its entries).
 */
export function plainKwargsOf(node: unknown): Record<string, unknown> {
  const scalar = (v: unknown) => v === null || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string';
  const dicts = Array.isArray(node)
    ? node.map((r) => (Array.isArray(r) && isDict(r[3]) ? r[3] : {}))
    : isDict(node) && isDict(node.kwargs)
      ? [node.kwargs]
      : [];
  return Object.fromEntries(dicts.flatMap((d) => Object.entries(d)).filter(([, v]) => scalar(v)));
}

const nameOf = (l: RawLayer): string => {
  const n = l.name ?? l.config.name ?? '';
  return typeof n === 'string' ? n : describeValue(n);
};

/**
 * A nested model's layers in Functional form, with its input layer names and its output tensors as [layer name,
 * tensor index] (a nested model may output several tensors of one layer: an LSTM's output and states).
 */
function innerModel(l: RawLayer, depth = 0): { layers: RawLayer[]; inputs: string[]; outputs: [string, number][] } {
  if (depth > 5) throw new NestedModelError('Models are nested more than 5 deep.');
  const cfg = l.config as { layers?: unknown; input_layers?: unknown; output_layers?: unknown; build_input_shape?: unknown };
  const layers = (Array.isArray(l.config) ? l.config : cfg.layers) as RawLayer[] | undefined;
  const name = nameOf(l);
  if (!Array.isArray(layers) || !layers.length) throw new NestedModelError(`The nested model '${name}' has no layers.`);
  if (layers.length > 5000) throw new NestedModelError(`The nested model '${name}' has ${layers.length} layers; Layerlab opens models of up to 5000.`);
  for (const [i, x] of layers.entries()) {
    const ok =
      x !== null &&
      typeof x === 'object' &&
      typeof x.class_name === 'string' &&
      x.config !== null &&
      typeof x.config === 'object' &&
      (x.inbound_nodes === undefined || Array.isArray(x.inbound_nodes));
    if (!ok) throw new NestedModelError(`Layer ${i + 1} of the nested model '${name}' is not a {class_name, config} entry.`);
  }
  if (l.class_name !== 'Sequential') {
    const refs = (v: unknown) => (Array.isArray(v) ? ((Array.isArray(v[0]) ? v : [v]) as unknown[][]) : []);
    return {
      layers,
      inputs: refs(cfg.input_layers).map((r) => String(r[0])),
      outputs: refs(cfg.output_layers).map((r): [string, number] => [String(r[0]), Number(r[2] ?? 0)]),
    };
  }
  // A Sequential becomes a chain: an InputLayer first (made from the first layer's batch_input_shape if absent).
  const chain: RawLayer[] = [];
  let prev: string;
  if (layers[0].class_name === 'InputLayer') {
    prev = nameOf(layers[0]);
    chain.push({ ...layers[0], name: prev, inbound_nodes: [] });
  } else {
    const shape =
      layers[0].config.batch_input_shape ??
      layers[0].config.batch_shape ??
      cfg.build_input_shape ??
      (NESTED.has(layers[0].class_name) ? nestedInputShape(layers[0], depth + 1) : undefined);
    if (!Array.isArray(shape)) throw new NestedModelError(`The nested model '${name}' does not say its input shape.`);
    prev = `${name}_input`;
    chain.push({ class_name: 'InputLayer', name: prev, config: { name: prev, batch_input_shape: shape }, inbound_nodes: [] });
  }
  for (const x of layers.slice(layers[0].class_name === 'InputLayer' ? 1 : 0)) {
    const n = nameOf(x);
    chain.push({ ...x, name: n, inbound_nodes: [[[prev, 0, 0, {}]]] });
    prev = n;
  }
  return { layers: chain, inputs: [nameOf(chain[0])], outputs: [[prev, 0]] };
}

/**
 * The batch input shape (batch dimension first) a nested model declares — its InputLayer's, its first
 * layer's `batch_input_shape`, its `build_input_shape`, or that of a model nested first in it — or
 * undefined when it declares none. Used when a nested model is the first layer of a Sequential.
 * @throws NestedModelError for models nested more than 5 deep or without layers.
 */
export function nestedInputShape(l: RawLayer, depth = 0): unknown {
  const { layers, inputs } = innerModel(l, depth);
  const c = layers.find((x) => nameOf(x) === inputs[0])?.config;
  if (!c) return undefined;
  return c.batch_input_shape ?? c.batch_shape ?? (Array.isArray(c.shape) ? [null, ...(c.shape as unknown[])] : undefined);
}

/**
 * The layer list with every nested model replaced by its layers (recursively). Inner names that clash
 * with outer ones get the nested model's name as a prefix.
 * @throws NestedModelError for a nested model that cannot be flattened (named, with the reason).
 */
export function flattenNested(layers: readonly RawLayer[], depth = 0): RawLayer[] {
  return flattenModel(layers, [], depth).layers;
}

/**
 * `flattenNested`, also mapping the model's own output references (`output_layers`, as
 * [layer, node index, tensor index]) that point at a nested model to the inlined layer that makes that
 * tensor, as [layer, call index, 0].
 * @throws NestedModelError as `flattenNested`.
 */
export function flattenModel(
  layers: readonly RawLayer[],
  outputs: readonly Ref[],
  depth = 0,
): { layers: RawLayer[]; outputs: Ref[]; models: Map<string, NestedInfo> } {
  const models = new Map<string, NestedInfo>();
  if (!layers.some((l) => NESTED.has(l.class_name))) return { layers: [...layers], outputs: [...outputs], models };
  if (depth > 5) throw new NestedModelError('Models are nested more than 5 deep.');
  const taken = new Set(layers.map(nameOf));
  /** For each nested model: how outer references to its tensors map to inlined layers' tensors. */
  const outputsOf = new Map<string, { outputs: [string, number][]; offset: number }>();
  const out: RawLayer[] = [];
  for (const l of layers) {
    if (!NESTED.has(l.class_name)) {
      out.push(l);
      continue;
    }
    const name = nameOf(l);
    // A frozen nested model (Keras `base.trainable = False`): Keras's setter freezes every layer in it, and Keras writes
    // each layer's own flag, which then decides (Keras 3 counts a layer set trainable again inside a frozen nested
    // model as trainable: it reads the weights' own flags). A layer that writes no flag (a hand-made or older file)
    // follows the nested model and comes out frozen.
    const frozen = (l.config as { trainable?: unknown }).trainable === false;
    const inner = innerModel(l, depth);
    const flat = flattenNested(inner.layers, depth + 1);
    const calls = (l.inbound_nodes ?? []).map(refsOf);
    if (!calls.length) throw new NestedModelError(`The nested model '${name}' is never called.`);
    const rename = new Map<string, string>();
    for (const x of flat) {
      const n = nameOf(x);
      if (inner.inputs.includes(n)) continue;
      let m = taken.has(n) ? `${name}_${n}` : n;
      while (taken.has(m)) m = `${m}_`;
      taken.add(m);
      rename.set(n, m);
    }
    for (const x of flat) {
      const n = nameOf(x);
      if (inner.inputs.includes(n)) continue;
      const own = x.inbound_nodes ?? [];
      if (own.length !== 1)
        throw new NestedModelError(
          `'${n}' inside the nested model '${name}' is called ${own.length} times there; Layerlab flattens nested models whose layers are called once inside.`,
        );
      const innerRefs = refsOf(own[0]);
      const kwargs = plainKwargsOf(own[0]);
      const inbound = calls.map((callInputs, k) =>
        innerRefs.map(([src, , t]) => {
          const i = inner.inputs.indexOf(src);
          if (i >= 0) {
            if (!callInputs[i])
              throw new NestedModelError(`The nested model '${name}' has ${inner.inputs.length} inputs but is called with ${callInputs.length}.`);
            return [...callInputs[i], kwargs];
          }
          return [rename.get(src) ?? src, k, t, kwargs];
        }),
      );
      // (A flag that is not true, false or null stays as written, for the importer to refuse by name.)
      const t = (x.config as { trainable?: unknown }).trainable;
      const freeze = frozen && (t === undefined || t === null);
      const config = { ...x.config, name: rename.get(n)!, ...(freeze ? { trainable: false } : {}) };
      out.push({ ...x, name: rename.get(n)!, config, inbound_nodes: inbound, nested: name });
    }
    const maxRef = Math.max(
      -1,
      ...layers
        .flatMap((o) => (o.inbound_nodes ?? []).flatMap(refsOf))
        .filter((r) => r[0] === name)
        .map((r) => r[1]),
    );
    outputsOf.set(name, { outputs: inner.outputs.map(([o, t]) => [rename.get(o) ?? o, t]), offset: maxRef >= calls.length ? 1 : 0 });
    models.set(name, { outputs: outputsOf.get(name)!.outputs, sequential: l.class_name === 'Sequential' });
  }
  // Outer references to a nested model's tensors now point at its inlined output layers' tensors.
  const remap = (r: Ref, kwargs: Record<string, unknown> = {}): unknown[] => {
    const m = outputsOf.get(r[0]);
    if (!m) return [...r, kwargs];
    const target = m.outputs[r[2]];
    if (!target) throw new NestedModelError(`A layer reads output ${r[2]} of the nested model '${r[0]}', which has ${m.outputs.length}.`);
    return [target[0], r[1] - m.offset, target[1], kwargs];
  };
  return {
    layers: out.map((l) =>
      l.inbound_nodes ? { ...l, inbound_nodes: l.inbound_nodes.map((node) => refsOf(node).map((r) => remap(r, plainKwargsOf(node)))) } : l,
    ),
    outputs: outputs.map((r) => remap(r).slice(0, 3) as Ref),
    models,
  };
}

/** What `flattenModel` tells of each nested model it inlined: its outputs (inlined layer name, tensor index), in order, and whether it was a Sequential. */
export interface NestedInfo {
  readonly outputs: readonly [string, number][];
  readonly sequential: boolean;
}
