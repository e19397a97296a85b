import type { Shape } from '../../graph/types';
import { formatShape, inputSpecFixesShape, inputSpecMismatch } from '../../layers/define';
import { layerDef } from '../../layers/registry';
import { quoteName } from '../describe';
import { err, NONE, report, type Context, type Pass } from '../context';

/** A call's input shapes for a message: "(None, 4) + ?". */
const inputsText = (ctx: Context, i: number) => ctx.entries[i].inputShapes.map((s) => (s ? formatShape(s) : '?')).join(' + ');

/** Refuses call `c` of a shared layer: `shared/incompatible` with `why` (the end of a sentence), and no output shape. */
function refuse(ctx: Context, c: number, why: string): void {
  report(ctx, err('shared/incompatible', `${quoteName(ctx.nodes[c].name)} is a shared layer: ${why}`, ctx.nodes[c].id), c);
  ctx.entries[c].outputShape = null;
  ctx.entries[c].moreOutputs = NONE;
}

/** Every call must need the weights the first call with known shapes (`first`) made. */
function sameWeights(ctx: Context, cs: readonly number[], first: number): void {
  const w = ctx.entries[first].weights!;
  for (const c of cs) {
    const cw = ctx.entries[c].weights;
    if (!cw || (cw.trainable === w.trainable && cw.nonTrainable === w.nonTrainable)) continue;
    refuse(
      ctx,
      c,
      `this call on ${inputsText(ctx, c)} would need ${cw.trainable + cw.nonTrainable} weights, but its weights (${w.trainable + w.nonTrainable}) were made for ${inputsText(ctx, first)}; every call of a shared layer needs inputs of the same feature sizes.`,
    );
  }
}

/**
 * tfjs builds the layer at its first call and checks every later call against the InputSpec it set then
 * (the kind's `inputSpec`); a few kinds also fail on another rank that their InputSpec allows (`fixedWhenBuilt`).
 */
function sameInputSpec(ctx: Context, cs: readonly number[], first: number): void {
  const { entries, nodes } = ctx;
  const kindDef = layerDef(nodes[cs[0]].kind);
  const firstShapes = entries[first].inputShapes;
  const spec = kindDef?.inputSpec && firstShapes.every((x) => x) ? kindDef.inputSpec(firstShapes as Shape[], nodes[cs[0]].params) : null;
  const fixed = kindDef?.fixedWhenBuilt;
  const inputOf = (i: number) => entries[i].inputShapes.map((x) => (fixed === 'rank' ? x?.length : JSON.stringify(x?.slice(1)))).join(',');
  const fixes = fixed ?? (spec && firstShapes[0] && inputSpecFixesShape(spec, firstShapes[0].length) ? 'shape' : 'rank');
  for (const c of cs) {
    if (!entries[c].outputShape || c === first) continue;
    const x = entries[c].inputShapes[0];
    const bad = (spec && x && inputSpecMismatch(spec, x) !== null) || (fixed && inputOf(c) !== inputOf(first));
    if (!bad) continue;
    refuse(
      ctx,
      c,
      `this call on ${inputsText(ctx, c)} does not fit the input ${inputsText(ctx, first)} it was built for (tfjs fixes a built layer's input ${fixes}); give each call its own layer.`,
    );
  }
}

/**
 * tfjs builds a layer once, with arguments some kinds resolve from the first call's input (a Reshape −1,
 * the kind's `tfjsParams`): every call must resolve them alike, or tfjs refuses the later calls.
 */
function sameArguments(ctx: Context, cs: readonly number[], first: number): void {
  const { entries, nodes } = ctx;
  const def = layerDef(nodes[cs[0]].kind);
  if (!def?.tfjsParams) return;
  const resolved = (i: number) => {
    const shapes = entries[i].inputShapes;
    if (!entries[i].outputShape || shapes.some((x) => x === null)) return null;
    return JSON.stringify(def.tfjsParams!(nodes[cs[0]].params, shapes as Shape[])?.params ?? null);
  };
  const base = resolved(first);
  for (const c of cs) {
    const r = resolved(c);
    if (r === null || r === base) continue;
    refuse(
      ctx,
      c,
      `on ${inputsText(ctx, c)} its arguments resolve differently than on ${inputsText(ctx, first)} (e.g. what a −1 in target_shape stands for), and tfjs builds a layer once; give each call its own layer.`,
    );
  }
}

/**
 * Shared calls: every call of a shared layer must fit the one set of weights its first call (with known
 * shapes) created — same weight counts, the InputSpec tfjs fixed at that call, the same resolved arguments.
 * A refused call is left without an output shape (and its edges without one).
 */
function sharedCalls(ctx: Context): void {
  if (!ctx.groups) return;
  for (const cs of ctx.groups) {
    if (cs.length < 2) continue;
    const first = cs.find((c) => ctx.entries[c].weights);
    if (first === undefined) continue;
    sameWeights(ctx, cs, first);
    sameInputSpec(ctx, cs, first);
    sameArguments(ctx, cs, first);
  }
}

export const sharedPass: Pass = { name: 'shared calls', codes: ['shared/incompatible'], run: sharedCalls };
