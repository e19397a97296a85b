/**
 * Layer arguments as tfjs and Keras spell them, from a node's stored parameters.
 * Shared by the runtime (which passes them to `tf.layers.<factory>`) and the code generators.
 */
import type { LayerNode, ParamValue } from '../graph/types';
import { layerDef } from './registry';
import { sameValue } from './params';

/** 'kernel_size' → 'kernelSize' (tfjs's camelCase argument names). */
export const toCamelCase = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** Keras activation names → tfjs's (tfjs accepts camelCase: 'hard_sigmoid' → 'hardSigmoid'). */
const tfjsValue = (key: string, v: ParamValue): ParamValue => (key === 'activation' && typeof v === 'string' ? toCamelCase(v) : v);

export interface ArgOptions {
  /** Keep only arguments that differ from the default or that Keras code always writes (units, filters, …). */
  readonly onlyNonDefault?: boolean;
}

/**
 * The node's arguments in Keras's snake_case, in the definition's order. Null values (e.g. pooling
 * strides = pool_size) are left out, as is `name` (callers add it).
 * @throws Error for an unknown kind.
 */
export function kerasArgs(node: LayerNode, opts: ArgOptions = {}): [string, ParamValue][] {
  const def = layerDef(node.kind);
  if (!def) throw new Error(`Unknown layer kind '${node.kind}'`);
  return Object.entries(def.params)
    .filter(([k]) => node.params[k] !== null && node.params[k] !== undefined)
    .filter(([k, spec]) => !opts.onlyNonDefault || spec.always || !sameValue(node.params[k], spec.default))
    .map(([k]) => [k, node.params[k]]);
}

/**
 * The config object for `tf.layers.<factory>(config)` (camelCase keys, tfjs activation names),
 * without `name`. For an Input node: `{ shape }`, the config of `tf.input`.
 * Example: Conv2D → `{ filters: 32, kernelSize: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu', useBias: true }`.
 * @throws Error for an unknown kind.
 */
export function tfjsArgs(node: LayerNode, opts: ArgOptions = {}): Record<string, ParamValue> {
  return Object.fromEntries(kerasArgs(node, opts).map(([k, v]) => [toCamelCase(k), tfjsValue(k, v)]));
}
