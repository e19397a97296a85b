import type { LayerDef } from '../../layers/define';
import { checkParam, type ParamSpec } from '../../layers/params';
import { quoteName } from '../describe';
import { err, report, type Context, type Pass } from '../context';

/**
 * A kind's parameters, listed once per kind, each with the verdicts of `checkParam` on the plain values
 * (numbers, strings, booleans, null, undefined) seen so far: `checkParam` is a pure function of the spec
 * and the value, and an editor's graphs repeat the same few values. Lists (tuples, shapes) are checked each
 * time. At most `MEMO` verdicts are kept per parameter.
 */
interface ParamCheck {
  readonly key: string;
  readonly spec: ParamSpec;
  readonly seen: Map<unknown, string | null>;
}
const MEMO = 64;
const paramLists = new WeakMap<LayerDef, readonly ParamCheck[]>();
function paramList(def: LayerDef): readonly ParamCheck[] {
  let l = paramLists.get(def);
  if (!l) paramLists.set(def, (l = Object.entries(def.params).map(([key, spec]) => ({ key, spec, seen: new Map() }))));
  return l;
}
function checkValue(c: ParamCheck, v: unknown): string | null {
  if (typeof v === 'object' && v !== null) return checkParam(c.spec, v);
  let bad = c.seen.get(v);
  if (bad === undefined) {
    bad = checkParam(c.spec, v);
    if (c.seen.size >= MEMO) c.seen.clear();
    c.seen.set(v, bad);
  }
  return bad;
}

/**
 * A known node's own settings, node by node: each parameter value against its schema (`param/invalid`),
 * then its number of inputs against the kind's `inputs` range (`arity/missing`, `arity/too-many`).
 */
function paramsAndArity(ctx: Context): void {
  const { nodes, defs } = ctx;
  const inStart = ctx.x.inStart;
  for (let i = 0; i < nodes.length; i++) {
    const def = defs[i];
    if (!def) continue;
    const nd = nodes[i];
    const params = nd.params;
    for (const c of paramList(def)) {
      const bad = checkValue(c, params[c.key]);
      if (bad) report(ctx, err('param/invalid', `${quoteName(nd.name)}: ${c.key} ${bad}.`, nd.id), i);
    }
    const k = inStart[i + 1] - inStart[i];
    const { min, max } = def.inputs;
    if (k < min) {
      const text =
        min === 1
          ? `${quoteName(nd.name)} has no input; connect a layer's output to it.`
          : `${quoteName(nd.name)} (${nd.kind}) needs at least ${min} inputs but has ${k}; connect ${min - k} more.`;
      report(ctx, err('arity/missing', text, nd.id), i);
    }
    if (k > max) {
      const text =
        max === 0
          ? `${quoteName(nd.name)} is an Input and takes no inputs; remove the connection into it.`
          : `${quoteName(nd.name)} (${nd.kind}) takes ${max === 1 ? 'one input' : `at most ${max} inputs`} but has ${k}; merge them first with Concatenate.`;
      report(ctx, err('arity/too-many', text, nd.id), i);
    }
  }
}

export const paramsPass: Pass = { name: 'parameters and arity', codes: ['param/invalid', 'arity/missing', 'arity/too-many'], run: paramsAndArity };
