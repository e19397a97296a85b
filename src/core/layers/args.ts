/**
 * Layer arguments as tfjs and Keras spell them, from a node's stored parameters.
 * Shared by the runtime (which passes them to `tf.layers.<factory>`) and the code generators.
 */
import type { LayerNode, ParamValue, Params, Shape } from '../graph/types';
import { toSnakeCase } from '../graph/naming';
import { isList } from '../guards';
import { wrappedParams, type LayerDef } from './define';
import { layerDef } from './registry';
import { ACTIVATIONS, sameValue, type ParamSpec } from './params';

/** An argument value as written in code or passed to tfjs: a parameter value, or tuples of them (((1, 1), (2, 2))). */
export type ArgValue = ParamValue | readonly ArgValue[];

/** 'kernel_size' → 'kernelSize' (tfjs's camelCase argument names). */
export const toCamelCase = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

const isActivation = (spec: ParamSpec) => spec.type === 'choice' && spec.options === ACTIVATIONS;

/** A stored value as an argument: tuples copied (tfjs mutates some, e.g. Reshape's), `groups` split into nested tuples. */
function argValue(spec: ParamSpec, v: ParamValue): ArgValue {
  if (!isList(v)) return v;
  const groups = spec.type === 'intTuple' ? spec.groups : undefined;
  if (!groups) return [...v];
  const size = v.length / groups;
  return Array.from({ length: groups }, (_x, i) => v.slice(i * size, (i + 1) * size));
}

/** Keras activation names → tfjs's (tfjs accepts camelCase: 'hard_sigmoid' → 'hardSigmoid'). */
const tfjsValue = (spec: ParamSpec, v: ParamValue): ArgValue => (isActivation(spec) && typeof v === 'string' ? toCamelCase(v) : argValue(spec, v));

export interface ArgOptions {
  /** Keep only arguments that differ from the default or that Keras code always writes (units, filters, …). */
  readonly onlyNonDefault?: boolean;
}

function definition(kind: string): LayerDef {
  const def = layerDef(kind);
  if (!def) throw new Error(`Unknown layer kind '${kind}'`);
  return def;
}

/** The parameter naming a wrapper's inner layer kind (a `layer` spec), or undefined for other kinds. */
const layerParam = (def: LayerDef): string | undefined => Object.entries(def.params).find(([, s]) => s.type === 'layer')?.[0];

/** The wrapper's own arguments, in definition order: not the inner kind, not the inner layer's arguments. */
const ownParams = (def: LayerDef): [string, ParamSpec][] => Object.entries(def.params).filter(([, s]) => s.type !== 'layer' && !s.inner);

/**
 * The layer a wrapper (Bidirectional, TimeDistributed) wraps, as a node of its own kind: the kind named
 * by the wrapper's `layer` parameter, that kind's defaults, overridden by the wrapper's `inner` parameters
 * the kind has. Null for a kind that wraps nothing.
 * Example: Bidirectional { layer: 'GRU', units: 8, merge_mode: 'sum' } → GRU { units: 8, reset_after: false, … }.
 * @throws Error for an unknown kind.
 */
export function innerLayer(node: LayerNode): LayerNode | null {
  const def = definition(node.kind);
  const key = layerParam(def);
  if (!key) return null;
  const kind = node.params[key] as string;
  const params = wrappedParams(def.params, definition(kind), node.params);
  // A frozen wrapper's wrapped layer is frozen too (tfjs's Wrapper reads `trainable` from the wrapped layer).
  const frozen = node.trainable === false ? { trainable: false as const } : {};
  return { id: `${node.id}/${kind}`, kind, name: `${node.name}/${toSnakeCase(kind)}`, params, position: node.position, ...frozen };
}

/**
 * False for a wrapper's inner parameter that the chosen inner kind does not have (SimpleRNN has no
 * recurrent_activation); the inspector hides it and no code writes it. True otherwise.
 */
export function paramApplies(def: LayerDef, params: Params, key: string): boolean {
  const spec = def.params[key];
  if (!spec?.inner) return true;
  const lp = layerParam(def);
  const inner = lp ? layerDef(params[lp] as string) : undefined;
  return !!inner && key in inner.params;
}

/**
 * The node's arguments in Keras's snake_case, in the definition's order. Null values (e.g. pooling
 * strides = pool_size) are left out where null is Keras's default, written as null (None) where it is not
 * (Normalization axis), and `name` is left out (callers add it), and for a wrapper the wrapped layer
 * (see `innerLayer`). With `onlyNonDefault`, an argument equal to Keras's default is left out unless
 * Keras code always writes it.
 * @throws Error for an unknown kind.
 */
export function kerasArgs(node: LayerNode, opts: ArgOptions = {}): [string, ArgValue][] {
  const def = definition(node.kind);
  const keras = (s: ParamSpec) => ('kerasDefault' in s ? s.kerasDefault : s.default) as ParamValue;
  return (
    ownParams(def)
      .filter(([, spec]) => !spec.call)
      // A null (Keras's None) is written where Keras's default is something else (Normalization axis=None), else left out.
      .filter(([k, spec]) => node.params[k] !== undefined && (node.params[k] !== null || (keras(spec) ?? null) !== null))
      .filter(([k, spec]) => !opts.onlyNonDefault || spec.always || !sameValue(node.params[k], keras(spec)))
      .map(([k, spec]) => [k, argValue(spec, node.params[k])])
  );
}

/**
 * The node's call arguments (ParamSpec `call`: MultiHeadAttention's use_causal_mask, return_attention_scores) in
 * Keras's snake_case, those that differ from Keras's default: what Python writes in the call
 * (`mha(x, x, use_causal_mask=True)`) and Keras JSON in the inbound node's kwargs. `kerasArgs` leaves them out.
 * @throws Error for an unknown kind.
 */
export function kerasCallArgs(node: LayerNode): [string, ArgValue][] {
  const def = definition(node.kind);
  return ownParams(def)
    .filter(([k, spec]) => spec.call && node.params[k] !== null && node.params[k] !== undefined && !sameValue(node.params[k], spec.default))
    .map(([k, spec]) => [k, argValue(spec, node.params[k])]);
}

/**
 * The parameters tfjs is given: the stored ones, or those the definition's `tfjsParams` derives from the
 * input shapes (a Reshape −1 resolved) when the input shapes are known.
 */
function tfjsParamsOf(def: LayerDef, node: LayerNode, inputShapes?: readonly Shape[]): Params {
  return (inputShapes && def.tfjsParams?.(node.params, inputShapes)?.params) || node.params;
}

/**
 * Why generated TypeScript gives tfjs other values than the node holds (one line), or null.
 * Example: "target_shape (-1, 4) is written with the −1 resolved: tfjs 4.22 leaves a −1 unknown when it builds the model."
 */
export function tfjsNote(node: LayerNode, inputShapes: readonly Shape[]): string | null {
  return definition(node.kind).tfjsParams?.(node.params, inputShapes)?.note ?? null;
}

/**
 * The config object for `tf.layers.<factory>(config)` (camelCase keys or the spec's `tfjsName`, tfjs
 * activation names), without `name`, and for a wrapper without `layer` (the caller builds it from
 * `innerLayer`). With `inputShapes`, parameters tfjs must get resolved are (see `LayerDef.tfjsParams`).
 * With `onlyNonDefault`, an argument equal to tfjs's default is left out unless Keras code always writes it.
 * Example: Conv2D → `{ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', useBias: true, … }`.
 * Call arguments (ParamSpec `call`) are included: Layerlab's custom classes take them in their config.
 * A frozen node (`trainable: false`) gets `trainable: false` (tfjs LayerArgs; last, always written).
 * @throws Error for an unknown kind.
 */
export function tfjsArgs(node: LayerNode, opts: ArgOptions = {}, inputShapes?: readonly Shape[]): Record<string, ArgValue> {
  const def = definition(node.kind);
  const params = tfjsParamsOf(def, node, inputShapes);
  const tfjsDefault = (s: ParamSpec) => ('tfjsDefault' in s ? s.tfjsDefault : s.default) as ParamValue;
  const args: Record<string, ArgValue> = Object.fromEntries(
    ownParams(def)
      .filter(([k, spec]) => (params[k] !== null || spec.tfjsKeepsNull === true) && params[k] !== undefined)
      .filter(([k, spec]) => !opts.onlyNonDefault || spec.always || !sameValue(params[k], tfjsDefault(spec)))
      .map(([k, spec]) => [spec.tfjsName ?? toCamelCase(k), tfjsValue(spec, params[k])]),
  );
  // A frozen layer (LayerNode.trainable): tfjs's LayerArgs `trainable`, so `model.trainableWeights` leaves it out.
  if (node.trainable === false) args.trainable = false;
  return args;
}
