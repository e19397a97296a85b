import type { Params, Shape } from '../../graph/types';
import { ShapeError, type LayerDef } from '../../layers/define';
import { DIAGNOSTIC_CODES, isDiagnosticCode, type DiagnosticCode } from '../diagnostics';
import { quoteName, visibleText } from '../describe';
import { sizeProblem } from '../sizes';
import { frozenCount, isFrozen } from '../../graph/frozen';
import { err, NONE, report, type Context, type Entry, type Pass } from '../context';

/** A layer's MACs per sample (its `macs` formula), or null when it has none or it cannot be computed. */
function macsOf(def: LayerDef, shapes: readonly Shape[], params: Params): number | null {
  if (!def.macs) return 0;
  try {
    return def.macs(shapes, params);
  } catch {
    return null;
  }
}

/** An unexpected error's text for a message: never a stack-overflow or engine text. */
function safeErrorText(e: unknown): string {
  if (e instanceof RangeError) return 'its parameters are too large or too deeply nested to compute.';
  const m = e instanceof Error && typeof e.message === 'string' ? e.message : '';
  return m ? visibleText(m.slice(0, 200)) : 'an unexpected value in its parameters.';
}

/** Computes node `i`'s output shape, weights and MACs into `entry`, or reports why it cannot. */
function computeNode(ctx: Context, i: number, def: LayerDef, entry: Entry): void {
  const nd = ctx.nodes[i];
  try {
    const shapes = entry.inputShapes as Shape[];
    // A call of a shared layer computes with the layer's (its owner's) parameters.
    const layer = ctx.owner ? ctx.nodes[ctx.owner[i]] : nd;
    const params = layer.params;
    entry.outputShape = def.outputShape(shapes, params);
    if (def.multiOutput) entry.moreOutputs = def.multiOutput.shapes(shapes, params, entry.outputShape);
    // A frozen layer (Keras trainable=False) has every weight non-trainable; a further call follows its owner.
    entry.weights = frozenCount(def.weights(shapes, params), isFrozen(layer));
    const macs = macsOf(def, shapes, params);
    if (macs !== null && Number.isFinite(macs) && macs > 0) ctx.macsAt[i] = macs;
    const tooLarge = sizeProblem(entry.outputShape, entry.weights, macs);
    if (tooLarge) {
      report(ctx, err('size/too-large', `${quoteName(nd.name)} (${nd.kind}) ${tooLarge}.`, nd.id), i);
      entry.outputShape = null;
      entry.moreOutputs = NONE;
      entry.weights = null;
    }
  } catch (e) {
    if (e instanceof ShapeError && isDiagnosticCode(e.code)) report(ctx, err(e.code, `${quoteName(nd.name)} (${nd.kind}) ${e.message}.`, nd.id), i);
    else report(ctx, err('param/invalid', `${quoteName(nd.name)} (${nd.kind}) cannot compute its output shape: ${safeErrorText(e)}`, nd.id), i);
  }
}

/**
 * The shape of output `k` (≥ 1) of node `src`, read by edge `e` into node `i`; null when unknown. When the layer
 * returns no such output (return_state off, an index a file made up) reports `edge/output` on the reader, once; a
 * source of unknown shape reports nothing (one mistake, one message).
 */
function outputOf(ctx: Context, src: number, k: number, e: number, i: number): Shape | null {
  // A source without a shape (an error of its own or upstream, an unknown kind) has told its one mistake already.
  if (ctx.entries[src].outputShape === null) return null;
  const from = ctx.nodes[src];
  const def = ctx.defs[src];
  const params = ctx.owner ? ctx.nodes[ctx.owner[src]].params : from.params;
  let names: readonly string[] = ['output'];
  try {
    if (def?.multiOutput) names = def.multiOutput.names(params);
  } catch {
    return null; // a parameter the params pass refused
  }
  if (!Number.isInteger(k) || k < 0 || k >= names.length) {
    const to = ctx.nodes[i];
    if (!ctx.perNode[i]?.some((d) => d.code === 'edge/output')) {
      const has = names.length === 1 ? 'returns one output' : `returns ${names.length} (${names.join(', ')})`;
      const hint = def?.multiOutput ? ` (${from.kind} returns more with ${def.multiOutput.param} on)` : '';
      report(
        ctx,
        err(
          'edge/output',
          `${quoteName(to.name)} (${to.kind}) reads output ${k + 1} of ${quoteName(from.name)}, which ${has}${hint}: connect it to an output ${quoteName(from.name)} has${def?.multiOutput ? `, or turn ${def.multiOutput.param} back on` : ''}.`,
          to.id,
          ctx.x.edges[e].id,
        ),
        i,
      );
    }
    return null;
  }
  return ctx.entries[src].moreOutputs[k - 1] ?? null;
}

/**
 * Shapes, weights and MACs, in topological order (`ctx.entries`, `ctx.macsAt`). A node with an error of its
 * own (an earlier pass) or an input of unknown shape (an error upstream) gets no shape and no further error,
 * so one mistake gives one message. Reports the kinds' `ShapeError`s and `size/too-large`. Nodes left out of
 * the order (on or after a cycle) get empty entries.
 */
function shapes(ctx: Context): void {
  const { order, defs, perNode, entries, cyclic } = ctx;
  const { inStart, inEdge, source, edges } = ctx.x;
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    const a = inStart[i];
    const b = inStart[i + 1];
    let inputShapes: readonly (Shape | null)[] = NONE;
    let known = true;
    if (b > a) {
      const shapes: (Shape | null)[] = [];
      for (let p = a; p < b; p++) {
        // Sources come earlier in the order, so their entries exist.
        const e = inEdge[p];
        const k = edges[e].output;
        const s = k ? outputOf(ctx, source[e], k, e, i) : entries[source[e]].outputShape;
        if (s === null) known = false;
        shapes.push(s);
      }
      inputShapes = shapes;
    }
    const entry: Entry = { inputShapes, outputShape: null, moreOutputs: NONE, weights: null, diagnostics: NONE };
    entries[i] = entry;
    const def = defs[i];
    if (def && !perNode[i] && known) computeNode(ctx, i, def, entry);
  }
  if (cyclic)
    for (let i = 0; i < cyclic.length; i++)
      if (cyclic[i]) entries[i] = { inputShapes: NONE, outputShape: null, moreOutputs: NONE, weights: null, diagnostics: NONE };
}

/** The layer definitions' shape codes (all but the mask pass's), and the size and parameter codes. */
const SHAPE_CODES = (Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[]).filter((c) => c.startsWith('shape/') && c !== 'shape/mask');

export const shapesPass: Pass = { name: 'shapes', codes: [...SHAPE_CODES, 'edge/output', 'param/conflict', 'param/invalid', 'size/too-large'], run: shapes };
