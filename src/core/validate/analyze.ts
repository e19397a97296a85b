/**
 * The validator: from a graph, everything the UI, code generator and runtime need to know.
 * Pure and total: it never throws, whatever the graph holds.
 */
import type { Graph, Shape } from '../graph/types';
import { findCycle, indexGraph, topologicalIndices } from '../graph/topology';
import { callGroups } from '../graph/shared';
import { checkModelName, checkName } from '../graph/naming';
import { layerDef } from '../layers/registry';
import { formatShape, inputSpecFixesShape, inputSpecMismatch, ShapeError, type LayerDef, type WeightCount } from '../layers/define';
import type { Params } from '../graph/types';
import { checkParam, type ParamSpec } from '../layers/params';
import { isDiagnosticCode, type Diagnostic } from './diagnostics';
import { maskDiagnostics } from './masks';
import { quoteName, visibleText } from './describe';
import { formatApprox, formatCount } from '../format';

export interface NodeInfo {
  /** Shapes of the incoming tensors, in input order; null where an input's shape is unknown. */
  readonly inputShapes: readonly (Shape | null)[];
  /** Output shape, or null when it cannot be computed (an error here or upstream). */
  readonly outputShape: Shape | null;
  /** Weight counts, or null when the output shape is unknown. */
  readonly weights: WeightCount | null;
  /** Problems on this node (errors first). */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Totals {
  readonly total: number;
  readonly trainable: number;
  readonly nonTrainable: number;
}

export interface Analysis {
  /** Topological order of all node ids (acyclic part only, when there is a cycle). */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** The tensor shape each edge carries (its source's output shape). */
  readonly edgeShapes: ReadonlyMap<string, Shape | null>;
  /** Input node ids, in graph order. */
  readonly inputs: readonly string[];
  /**
   * Output node ids: `graph.outputs` (when set: existing layers, in its order), then the other layers whose
   * output nothing consumes (Inputs excluded), in topological order.
   */
  readonly outputs: readonly string[];
  /** All diagnostics, errors first. */
  readonly diagnostics: readonly Diagnostic[];
  /** Parameter totals over layers with known shapes. */
  readonly totals: Totals;
  /** True when there is at least one layer and no error. */
  readonly valid: boolean;
}

const err = (code: Diagnostic['code'], message: string, nodeId?: string, edgeId?: string): Diagnostic => ({
  code,
  severity: 'error',
  message,
  ...(nodeId !== undefined ? { nodeId } : {}),
  ...(edgeId !== undefined ? { edgeId } : {}),
});

/** The one empty list behind every node without inputs or diagnostics (frozen: results are read-only). */
const NONE: readonly never[] = Object.freeze([]);

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

/** The largest count the validator accepts: 2⁵³ − 1, the largest integer a double holds exactly. */
export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** A count too large to hold exactly, in words: "about 1.21e+20", "more than can be counted (Infinity)". */
export function describeHuge(x: number): string {
  if (Number.isNaN(x)) return 'a number too large to compute';
  return Number.isFinite(x) ? `about ${formatApprox(x)}` : 'more than can be counted (Infinity)';
}
const LIMIT_TEXT = `${formatCount(MAX_EXACT)} (2⁵³ − 1, the largest count Layerlab and JavaScript hold exactly)`;
const tooBig = (x: number): boolean => !(x <= MAX_EXACT); // also true for NaN

/** `x` when it is an exact count (≤ 2⁵³ − 1), otherwise Infinity: a figure shown is exact or '∞'. */
export const exactOrInfinity = (x: number): number => (tooBig(x) ? Infinity : x);

/** A layer's MACs per sample (its `macs` formula), or null when it has none or it cannot be computed. */
function macsOf(def: LayerDef, shapes: readonly Shape[], params: Params): number | null {
  if (!def.macs) return 0;
  try {
    return def.macs(shapes, params);
  } catch {
    return null;
  }
}

/**
 * Why a layer's figures are too large to be exact, or null: any output dimension, the output's values per
 * sample (product of the dimensions after the batch axis), the parameter count or the MACs per sample
 * beyond 2⁵³ − 1 or not finite.
 */
function sizeProblem(out: Shape, w: WeightCount, macs: number | null): string | null {
  let size = 1;
  for (let k = 0; k < out.length; k++) {
    const d = out[k];
    if (d === null) continue;
    if (!Number.isInteger(d) || tooBig(d))
      return `would have an output dimension of ${describeHuge(d)}, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
    if (k > 0) size *= d;
  }
  if (tooBig(size)) return `would output ${describeHuge(size)} values per sample, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  const params = w.trainable + w.nonTrainable;
  if (tooBig(w.trainable) || tooBig(w.nonTrainable) || tooBig(params))
    return `would have ${describeHuge(params)} parameters, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  if (macs !== null && tooBig(macs))
    return `would compute ${describeHuge(macs)} multiply-accumulates per sample, more than ${LIMIT_TEXT}; make the layer or its input smaller`;
  return null;
}

/**
 * Why the model's totals are too large to be exact, or null: parameters (a shared layer once), output
 * values per sample summed over every node (Inputs included, as cost.ts sums them) and MACs per sample
 * summed over every call, each at most 2⁵³ − 1.
 */
function totalsProblem(params: number, entries: readonly Entry[], macsAt: Float64Array): string | null {
  if (tooBig(params)) return `The model would have ${describeHuge(params)} parameters in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  let values = 0;
  let macs = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (!e?.outputShape) continue;
    let size = 1;
    for (let k = 1; k < e.outputShape.length; k++) size *= e.outputShape[k] ?? 1;
    values += size;
    macs += macsAt[i];
  }
  if (tooBig(values))
    return `The model's layers would output ${describeHuge(values)} values per sample in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  if (tooBig(macs))
    return `The model would compute ${describeHuge(macs)} multiply-accumulates per sample in total, more than ${LIMIT_TEXT}; make its largest layers smaller.`;
  return null;
}

/** An unexpected error's text for a message: never a stack-overflow or engine text. */
function safeErrorText(e: unknown): string {
  if (e instanceof RangeError) return 'its parameters are too large or too deeply nested to compute.';
  const m = e instanceof Error && typeof e.message === 'string' ? e.message : '';
  return m ? visibleText(m.slice(0, 200)) : 'an unexpected value in its parameters.';
}

interface Entry {
  inputShapes: readonly (Shape | null)[];
  outputShape: Shape | null;
  weights: WeightCount | null;
  diagnostics: readonly Diagnostic[];
}

/**
 * Validates a graph and infers every shape and parameter count.
 * Checks, in order: unknown kinds, names (unique, valid), cycles (naming the nodes on one),
 * parameter values, arity, reachability from an Input, then shapes in topological order
 * (a node whose input is unknown because of an upstream error gets no extra error), then Keras masks as
 * tfjs runs them (masks.ts); last, as warnings,
 * configurations tfjs 4.22 builds but cannot train (`LayerDef.trainingIssue`).
 * The graph's structure is indexed once (`indexGraph`) and every pass works on node positions; edges whose
 * ends do not exist are ignored.
 */
export function analyze(graph: Graph): Analysis {
  const nodes = graph.nodes;
  const n = nodes.length;
  const x = indexGraph(graph);
  const { indexOf, source, target, inStart, inEdge, outStart, outEdge } = x;
  const diags: Diagnostic[] = [];
  // Each node's diagnostics, made on its first one.
  const perNode: (Diagnostic[] | undefined)[] = new Array(n).fill(undefined);
  const add = (d: Diagnostic, i: number | undefined) => {
    diags.push(d);
    if (d.nodeId && i !== undefined) (perNode[i] ??= []).push(d);
  };

  // Kinds and names.
  // Calls of one shared layer share its name: names are counted per layer.
  const groups = callGroups(graph, indexOf); // null: every node is a layer of its own
  const owner: Int32Array | null = groups && new Int32Array(n);
  if (groups) for (const cs of groups) for (const c of cs) owner![c] = cs[0];
  const layerCount = groups ? groups.length : n;
  const layerName = (l: number) => nodes[groups ? groups[l][0] : l].name;
  // Counted only when some name repeats: one set of names says whether one does.
  const names = new Set<string>();
  for (let l = 0; l < layerCount; l++) names.add(layerName(l));
  let nameCount: Map<string, number> | null = null;
  if (names.size < layerCount) {
    nameCount = new Map();
    for (let l = 0; l < layerCount; l++) nameCount.set(layerName(l), (nameCount.get(layerName(l)) ?? 0) + 1);
  }
  const defs: (LayerDef | undefined)[] = new Array(n);
  let trainingIssues = false;
  for (let i = 0; i < n; i++) {
    const nd = nodes[i];
    const def = (defs[i] = layerDef(nd.kind));
    if (!def) add(err('kind/unknown', `${quoteName(nd.name)}: Layerlab does not know the layer kind ${quoteName(nd.kind)}.`, nd.id), i);
    else if (def.trainingIssue) trainingIssues = true;
    const bad = checkName(nd.name);
    if (bad) add(err('name/invalid', `${bad}; rename this layer.`, nd.id), i);
    else if (nameCount) {
      const c = nameCount.get(nd.name)!;
      if (c > 1) add(err('name/duplicate', `${quoteName(nd.name)}: ${c} layers have this name; Keras needs unique layer names, rename one.`, nd.id), i);
    }
  }

  const badModelName = checkModelName(graph.name);
  if (badModelName) add(err('name/invalid', badModelName), undefined);

  // Cycles.
  const order = topologicalIndices(x);
  const placed = order.length;
  let cyclic: Uint8Array | null = null; // 1: left out of the order (on or after a cycle)
  if (placed < n) {
    cyclic = new Uint8Array(n).fill(1);
    for (let j = 0; j < placed; j++) cyclic[order[j]] = 0;
    const left: string[] = [];
    for (let i = 0; i < n; i++) if (cyclic[i]) left.push(nodes[i].id);
    const cycle = findCycle(graph, left, x);
    const names = cycle.map((id) => nodes[indexOf.get(id)!].name);
    const text = `These layers form a cycle: ${[...names, names[0]].map(quoteName).join(' → ')}. A model must be acyclic; remove one of these connections.`;
    for (const id of cycle) add(err('cycle', text, id), indexOf.get(id));
  }

  // Parameters and arity.
  for (let i = 0; i < n; i++) {
    const def = defs[i];
    if (!def) continue;
    const nd = nodes[i];
    const params = nd.params;
    for (const c of paramList(def)) {
      const bad = checkValue(c, params[c.key]);
      if (bad) add(err('param/invalid', `${quoteName(nd.name)}: ${c.key} ${bad}.`, nd.id), i);
    }
    const k = inStart[i + 1] - inStart[i];
    const { min, max } = def.inputs;
    if (k < min)
      add(
        err(
          'arity/missing',
          min === 1
            ? `${quoteName(nd.name)} has no input; connect a layer's output to it.`
            : `${quoteName(nd.name)} (${nd.kind}) needs at least ${min} inputs but has ${k}; connect ${min - k} more.`,
          nd.id,
        ),
        i,
      );
    if (k > max)
      add(
        err(
          'arity/too-many',
          max === 0
            ? `${quoteName(nd.name)} is an Input and takes no inputs; remove the connection into it.`
            : `${quoteName(nd.name)} (${nd.kind}) takes ${max === 1 ? 'one input' : `at most ${max} inputs`} but has ${k}; merge them first with Concatenate.`,
          nd.id,
        ),
        i,
      );
  }

  // Reachability from an Input.
  const inputs: string[] = [];
  const reached = new Uint8Array(n);
  const todo = new Int32Array(n);
  let top = 0;
  for (let i = 0; i < n; i++)
    if (nodes[i].kind === 'Input') {
      inputs.push(nodes[i].id);
      if (!reached[i]) reached[(todo[top++] = i)] = 1;
    }
  while (top > 0) {
    const v = todo[--top];
    for (let j = outStart[v]; j < outStart[v + 1]; j++) {
      const t = target[outEdge[j]];
      if (!reached[t]) reached[(todo[top++] = t)] = 1;
    }
  }
  if (n && !inputs.length) add(err('graph/no-input', 'The model has no Input layer; add one from the palette and connect it to the first layer.'), undefined);
  else if (inputs.length)
    for (let i = 0; i < n; i++)
      if (!reached[i] && inStart[i + 1] > inStart[i] && !cyclic?.[i])
        add(
          err(
            'graph/unreachable',
            `${quoteName(nodes[i].name)} is not connected to any Input; connect it to a path that starts at an Input layer.`,
            nodes[i].id,
          ),
          i,
        );

  // Shapes, in topological order.
  const entries: Entry[] = new Array(n);
  const macsAt = new Float64Array(n); // each node's MACs per sample, for the totals' size check
  for (let j = 0; j < placed; j++) {
    const i = order[j];
    const a = inStart[i];
    const b = inStart[i + 1];
    let inputShapes: readonly (Shape | null)[] = NONE;
    let known = true;
    if (b > a) {
      const shapes: (Shape | null)[] = [];
      for (let p = a; p < b; p++) {
        // Sources come earlier in the order, so their entries exist.
        const s = entries[source[inEdge[p]]].outputShape;
        if (s === null) known = false;
        shapes.push(s);
      }
      inputShapes = shapes;
    }
    const entry: Entry = { inputShapes, outputShape: null, weights: null, diagnostics: NONE };
    entries[i] = entry;
    const def = defs[i];
    if (!def || perNode[i] || !known) continue;
    const nd = nodes[i];
    try {
      const shapes = inputShapes as Shape[];
      // A call of a shared layer computes with the layer's (its owner's) parameters.
      const params = owner ? nodes[owner[i]].params : nd.params;
      entry.outputShape = def.outputShape(shapes, params);
      entry.weights = def.weights(shapes, params);
      const macs = macsOf(def, shapes, params);
      if (macs !== null && Number.isFinite(macs) && macs > 0) macsAt[i] = macs;
      const tooLarge = sizeProblem(entry.outputShape, entry.weights, macs);
      if (tooLarge) {
        add(err('size/too-large', `${quoteName(nd.name)} (${nd.kind}) ${tooLarge}.`, nd.id), i);
        entry.outputShape = null;
        entry.weights = null;
      }
    } catch (e) {
      if (e instanceof ShapeError && isDiagnosticCode(e.code)) add(err(e.code, `${quoteName(nd.name)} (${nd.kind}) ${e.message}.`, nd.id), i);
      else add(err('param/invalid', `${quoteName(nd.name)} (${nd.kind}) cannot compute its output shape: ${safeErrorText(e)}`, nd.id), i);
    }
  }
  // Nodes left out of the order (on or after a cycle) have no shapes.
  if (cyclic) for (let i = 0; i < n; i++) if (cyclic[i]) entries[i] = { inputShapes: NONE, outputShape: null, weights: null, diagnostics: NONE };

  // Every call of a shared layer must fit the one set of weights its first call created.
  if (groups)
    for (const cs of groups) {
      if (cs.length < 2) continue;
      const first = cs.find((c) => entries[c].weights);
      if (first === undefined) continue;
      const w = entries[first].weights!;
      const fmtIn = (i: number) => entries[i].inputShapes.map((s) => (s ? formatShape(s) : '?')).join(' + ');
      for (const c of cs) {
        const cw = entries[c].weights;
        if (!cw || (cw.trainable === w.trainable && cw.nonTrainable === w.nonTrainable)) continue;
        add(
          err(
            'shared/incompatible',
            `${quoteName(nodes[c].name)} is a shared layer: this call on ${fmtIn(c)} would need ${cw.trainable + cw.nonTrainable} weights, but its weights (${w.trainable + w.nonTrainable}) were made for ${fmtIn(first)}; every call of a shared layer needs inputs of the same feature sizes.`,
            nodes[c].id,
          ),
          c,
        );
        entries[c].outputShape = null;
      }
      // tfjs builds the layer at its first call and checks every later call against the InputSpec it set
      // then (the kind's `inputSpec`); a few kinds also fail on another rank that their InputSpec allows.
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
        add(
          err(
            'shared/incompatible',
            `${quoteName(nodes[c].name)} is a shared layer: this call on ${fmtIn(c)} does not fit the input ${fmtIn(first)} it was built for (tfjs fixes a built layer's input ${fixes}); give each call its own layer.`,
            nodes[c].id,
          ),
          c,
        );
        entries[c].outputShape = null;
      }
      // tfjs builds a layer once, with arguments some kinds resolve from the first call's input (a
      // Reshape −1): every call must resolve them alike, or tfjs refuses the later calls.
      const def = layerDef(nodes[cs[0]].kind);
      if (!def?.tfjsParams) continue;
      const resolved = (i: number) => {
        const shapes = entries[i].inputShapes;
        if (!entries[i].outputShape || shapes.some((x) => x === null)) return null;
        return JSON.stringify(def.tfjsParams!(nodes[cs[0]].params, shapes as Shape[])?.params ?? null);
      };
      const base = resolved(first);
      for (const c of cs) {
        const r = resolved(c);
        if (r === null || r === base) continue;
        add(
          err(
            'shared/incompatible',
            `${quoteName(nodes[c].name)} is a shared layer: on ${fmtIn(c)} its arguments resolve differently than on ${fmtIn(first)} (e.g. what a −1 in target_shape stands for), and tfjs builds a layer once; give each call its own layer.`,
            nodes[c].id,
          ),
          c,
        );
        entries[c].outputShape = null;
      }
    }

  // Outputs: the graph's explicit list first (existing, placed layers, once each), then every other layer
  // nothing reads, in topological order.
  const outputs: string[] = [];
  const listedOut = new Set<string>();
  if (graph.outputs)
    for (const id of graph.outputs) {
      const i = indexOf.get(id);
      if (i === undefined || nodes[i].kind === 'Input' || listedOut.has(id) || (cyclic?.[i] ?? 0)) continue;
      listedOut.add(id);
      outputs.push(id);
    }
  for (let j = 0; j < placed; j++) {
    const i = order[j];
    if (nodes[i].kind !== 'Input' && outStart[i + 1] === outStart[i] && !listedOut.has(nodes[i].id)) outputs.push(nodes[i].id);
  }
  const nodeInfo = new Map<string, NodeInfo>();
  for (let i = 0; i < n; i++) nodeInfo.set(nodes[i].id, entries[i]);

  // Keras masks, as tfjs 4.22 runs them (masks.ts; nothing to do without a Masking or Embedding(mask_zero)).
  const g: Graph = x.edges === graph.edges ? graph : { ...graph, edges: x.edges };
  for (const d of maskDiagnostics(g, outputs, nodeInfo)) add(d, d.nodeId === undefined ? undefined : indexOf.get(d.nodeId));

  // Configurations tfjs builds but cannot train: warnings, after every error.
  if (trainingIssues) {
    const weightsUpstream = new Uint8Array(n);
    for (let j = 0; j < placed; j++) {
      const i = order[j];
      let up = false;
      for (let p = inStart[i]; p < inStart[i + 1] && !up; p++) {
        const s = source[inEdge[p]];
        up = weightsUpstream[s] === 1 || (entries[s].weights?.trainable ?? 0) > 0;
      }
      if (up) weightsUpstream[i] = 1;
      const nd = nodes[i];
      const issue = entries[i].outputShape ? defs[i]?.trainingIssue?.(nd.params, up) : null;
      if (issue) add({ code: 'train/unsupported', severity: 'warning', nodeId: nd.id, message: `${quoteName(nd.name)} (${nd.kind}): ${issue}.` }, i);
    }
  }

  const edgeShapes = new Map<string, Shape | null>();
  for (let j = 0; j < x.edges.length; j++) edgeShapes.set(x.edges[j].id, entries[source[j]].outputShape);
  // A shared layer's weights count once, as Keras counts them.
  let trainable = 0;
  let nonTrainable = 0;
  if (groups)
    for (const cs of groups) {
      const c = cs.find((c) => entries[c].weights);
      const w = c === undefined ? null : entries[c].weights!;
      trainable += w?.trainable ?? 0;
      nonTrainable += w?.nonTrainable ?? 0;
    }
  else
    for (let i = 0; i < n; i++) {
      const w = entries[i].weights;
      trainable += w?.trainable ?? 0;
      nonTrainable += w?.nonTrainable ?? 0;
    }
  // Totals past 2⁵³ − 1 cannot be shown exactly: refused like a layer's (every node's figure is below it).
  const totalTooLarge = totalsProblem(trainable + nonTrainable, entries, macsAt);
  if (totalTooLarge) add(err('size/too-large', totalTooLarge), undefined);
  let layers = false;
  for (let i = 0; i < n && !layers; i++) layers = nodes[i].kind !== 'Input';
  for (let i = 0; i < n; i++) {
    const d = perNode[i];
    if (d) entries[i].diagnostics = d;
  }
  const ids: string[] = new Array(placed);
  for (let j = 0; j < placed; j++) ids[j] = nodes[order[j]].id;
  return {
    order: ids,
    nodes: nodeInfo,
    edgeShapes,
    inputs,
    outputs,
    diagnostics: diags,
    // A total past 2⁵³ − 1 (refused above) is Infinity, shown as '∞', never as an inexact count.
    totals: { total: exactOrInfinity(trainable + nonTrainable), trainable: exactOrInfinity(trainable), nonTrainable: exactOrInfinity(nonTrainable) },
    valid: layers && diags.every((d) => d.severity !== 'error'),
  };
}
