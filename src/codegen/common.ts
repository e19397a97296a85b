/**
 * What both code generators share: the checks before writing code, the layers in writing order, the
 * Functional model's call plan (`functionalPlan`), variable names derived from layer names, and safe
 * literals and comments.
 */
import {
  analyze,
  callInput,
  callsByLayer,
  checkTrainingSettings,
  formatCount,
  isUnsafeChar,
  layerIdOf,
  outputTarget,
  trialSizeOf,
  unknownDims,
  withTrialSizes,
  type Analysis,
  type Graph,
  type LayerNode,
  type OutputTarget,
  type Shape,
  type TrainingSettings,
} from '../core';
import { explainApi, type ApiChoice } from './api';

/** The two ways to write a Keras model. */
export type ApiForm = 'sequential' | 'functional';

/** Generated code, or why there is none (a sentence for the code panel). */
export type CodeResult = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly reason: string };

/** One model output and how it is trained. */
export interface OutputSpec {
  readonly node: LayerNode;
  readonly shape: Shape;
  readonly target: OutputTarget;
}

/** Everything a generator needs, checked. */
export interface Prepared {
  readonly graph: Graph;
  readonly analysis: Analysis;
  readonly api: ApiChoice;
  readonly form: ApiForm;
  /** Input nodes in `analysis.inputs` order. */
  readonly inputs: readonly LayerNode[];
  /** Non-Input layers in writing order: the chain (Sequential) or a topological order (Functional). */
  readonly layers: readonly LayerNode[];
  /** Output layers in `analysis.outputs` order. */
  readonly outputs: readonly OutputSpec[];
  /** The nodes feeding each node, in input order. */
  readonly sources: ReadonlyMap<string, readonly LayerNode[]>;
  /**
   * Each input's shape for the dummy data (one sample, no batch axis), in `inputs` order: its shape with every
   * unknown size (None) replaced by its trial size (core `withTrialSizes`); the model code keeps None.
   */
  readonly dataShapes: readonly (readonly number[])[];
  /** One line naming the trial sizes the dummy data uses, e.g. "tokens axis 1 = 32", or null without None sizes. */
  readonly trialNote: string | null;
  /**
   * Why no dummy data can be written, or null: with the trial sizes the model is not valid (a None size merged
   * with a known one). The model code is still written; the data and the fit call are left out with this reason.
   */
  readonly dataProblem: string | null;
}

/**
 * Checks that code can be written for the graph in the given form and collects what the generators need.
 * Refused, with the reason, when the graph has errors (how many, and the first message), has nothing
 * to build yet, when Sequential is asked for but the graph is not one chain (core `apiPlan`'s reason),
 * or when a training setting is out of range.
 */
export function prepare(graph: Graph, form: ApiForm, settings: TrainingSettings): { ok: true; prep: Prepared } | { ok: false; reason: string } {
  const analysis = analyze(graph);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    return {
      ok: false,
      reason: `The model has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} to get code. First: ${errors[0].message}`,
    };
  if (!analysis.valid) return { ok: false, reason: 'The model has no layers yet: add an Input and connect a layer to it.' };
  const api = explainApi(graph);
  if (form === 'sequential' && !api.sequential)
    return { ok: false, reason: `Sequential code is not possible: ${api.reason} Use the Functional API for this model.` };
  const bad = checkSettings(settings);
  if (bad) return { ok: false, reason: bad };
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const sources = new Map<string, LayerNode[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) sources.get(e.target)?.push(byId.get(e.source)!);
  // The dummy data and its labels need sizes: unknown input sizes take their trial sizes (the model keeps None).
  const trialGraph = withTrialSizes(graph, settings);
  const trialAnalysis = trialGraph === graph ? analysis : analyze(trialGraph);
  const firstError = trialAnalysis.valid ? undefined : trialAnalysis.diagnostics.find((d) => d.severity === 'error');
  const dataProblem = trialAnalysis.valid
    ? null
    : `with the trial sizes of its unknown (None) sizes the model is not valid${firstError ? ` (${firstError.message.replace(/\.$/, '')})` : ''}; choose trial sizes that fit in the Train tab`;
  const trial = trialAnalysis.valid ? trialAnalysis : analysis;
  const trialById = new Map(trialGraph.nodes.map((n) => [n.id, n]));
  const outputs = analysis.outputs.map((id): OutputSpec => {
    const node = byId.get(id)!;
    const shape = analysis.nodes.get(id)!.outputShape!;
    return { node, shape, target: outputTarget(node, trial.nodes.get(id)!.outputShape!, settings.losses?.[node.name]) };
  });
  const unknown = unknownDims(graph);
  return {
    ok: true,
    prep: {
      graph,
      analysis,
      api,
      form,
      inputs: analysis.inputs.map((id) => byId.get(id)!),
      layers: analysis.order.map((id) => byId.get(id)!).filter((n) => n.kind !== 'Input'),
      outputs,
      sources,
      dataShapes: analysis.inputs.map((id) => trialById.get(id)!.params.shape as readonly number[]),
      dataProblem,
      trialNote: unknown.length ? unknown.map((d) => `${d.input} axis ${d.axis} = ${trialSizeOf(settings, d.key)}`).join(', ') : null,
    },
  };
}

/**
 * Checks the training settings the code writes out against the one definition (core
 * `checkTrainingSettings`). Returns the reason to show, or null.
 */
export function checkSettings(s: TrainingSettings): string | null {
  const bad = checkTrainingSettings(s);
  return bad ? `Training settings: ${bad}.` : null;
}

/** Words of the language plus names the generated program itself uses; a layer variable never takes one. */
export const JS_RESERVED: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await async of arguments eval undefined NaN Infinity ' +
    'globalThis console tf model xs ys numSamples epoch logs'
  ).split(' '),
);

/** Python keywords, a few builtins a script should not shadow, and the generated program's own names. */
export const PY_RESERVED: ReadonlySet<string> = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except finally for from global if ' +
    'import in is lambda nonlocal not or pass raise return try while with yield match case type ' +
    'input print len list dict set tuple id min max sum range str int float bool object map filter zip open format ' +
    'keras layers np tf model x y num_samples'
  ).split(' '),
);

/** Splits a name into its alphanumeric words: 'dense_image-1' → ['dense', 'image', '1']. */
const words = (name: string): string[] => name.split(/[^A-Za-z0-9]+/).filter(Boolean);

/**
 * camelCase identifier for a layer name (before reserved words and collisions are handled):
 * 'dense_image_1' → 'denseImage1', 'conv-1' → 'conv1', 'CNN_out' → 'cnnOut', '2nd' → '_2nd', '' → 'layer'.
 */
export function camelBase(name: string): string {
  const w = words(name);
  if (!w.length) return 'layer';
  const first = w[0] === w[0].toUpperCase() ? w[0].toLowerCase() : w[0][0].toLowerCase() + w[0].slice(1);
  const id =
    first +
    w
      .slice(1)
      .map((s) => s[0].toUpperCase() + s.slice(1))
      .join('');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/**
 * snake_case identifier for a layer name (before reserved words and collisions are handled):
 * 'dense_image_1' → 'dense_image_1', 'convBlock/1' → 'conv_block_1', '2nd' → '_2nd', '' → 'layer'.
 */
export function snakeBase(name: string): string {
  const w = words(name).map((s) =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .toLowerCase(),
  );
  if (!w.length) return 'layer';
  const id = w.join('_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/**
 * Unique identifiers for the given layer names, in order: each derived with `base`, a reserved word
 * gets a trailing '_' ('class' → 'class_'), and a repeat gets '_2', '_3', … ('a-b', 'a.b' → 'aB', 'aB_2').
 */
export function identifiers(names: readonly string[], base: (name: string) => string, reserved: ReadonlySet<string>): string[] {
  const used = new Set<string>();
  return names.map((name) => {
    let id = base(name);
    if (reserved.has(id)) id += '_';
    let unique = id;
    for (let k = 2; used.has(unique) || reserved.has(unique); k++) unique = `${id}_${k}`;
    used.add(unique);
    return unique;
  });
}

/**
 * Escapes the characters that could end a line, break a literal or make the code display differently from
 * what it does: controls, line separators, lone surrogates, and the bidi controls and invisible format
 * characters of Trojan Source (core `isUnsafeChar`: U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C,
 * zero-width characters), written as \uXXXX — an escape in TypeScript and Python strings alike, and
 * plain visible text in a comment.
 */
function escapeUnsafe(s: string, quote: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c <= 0xffff && isUnsafeChar(c)) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

/** A TypeScript string literal in single quotes: `it's` → `'it\'s'`. */
export const tsString = (s: string): string => `'${escapeUnsafe(s, "'")}'`;

/** A Python string literal in double quotes: `say "hi"` → `"say \"hi\""`. */
export const pyString = (s: string): string => `"${escapeUnsafe(s, '"')}"`;

/** Text safe inside a one-line comment (nothing in it can end the line). */
export const commentText = (s: string): string => escapeUnsafe(s, '');

/** Breaks a sentence into comment lines of at most `width` characters, each starting with `prefix`. */
export function commentLines(text: string, prefix: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of commentText(text).split(' ')) {
    if (cur && prefix.length + cur.length + 1 + w.length > width) {
      lines.push(prefix + cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(prefix + cur);
  return lines;
}

/** What the dummy labels of one output are, for a trailing comment: 'class ids 0–9', '0 or 1', 'normal noise'. */
export function labelDescription(t: OutputTarget): string {
  if (t.kind === 'classes') return `random class ids 0–${t.classes - 1}`;
  if (t.kind === 'binary') return 'random 0 or 1';
  return 'random normal targets';
}

/** Header facts shared by both languages: the model's name and its parameter total, e.g. '822,922 parameters'. */
export function parameterLine(a: Analysis): string {
  const { total, nonTrainable } = a.totals;
  const nt = nonTrainable ? ` (${formatCount(nonTrainable)} non-trainable)` : '';
  return `${formatCount(total)} parameter${total === 1 ? '' : 's'}${nt}`;
}

/** One Input of a Functional model: its node and the variable holding its tensor. */
export interface InputStep {
  readonly node: LayerNode;
  readonly output: string;
}

/** One layer call of a Functional model, in writing order. */
export interface CallStep {
  readonly node: LayerNode;
  /** The variable that receives the call's output tensor. */
  readonly output: string;
  /** What the layer is called on: one variable, or `[a, b]` for a kind that takes a list (core `callInput`). */
  readonly input: string;
  /** The variables the layer is called on, in order (what `input` lists): Python writes them as separate arguments for a positional kind (core `LayerDef.callForm`). */
  readonly args: readonly string[];
  /**
   * For a shared layer (one layer called several times, core `callsByLayer`): the variable holding the
   * layer, and whether this step declares it (the first call in writing order) before calling it.
   */
  readonly shared?: { readonly layerVar: string; readonly declare: boolean };
}

/** The Functional model as a sequence of steps, language-neutral: each generator renders it in its syntax. */
export interface FunctionalPlan {
  readonly inputs: readonly InputStep[];
  readonly calls: readonly CallStep[];
  /** `model`'s inputs: the one variable, or `[a, b]` in `analysis.inputs` order. */
  readonly inputList: string;
  /** `model`'s outputs: the one variable, or `[a, b]` in `analysis.outputs` order. */
  readonly outputList: string;
}

/**
 * THE walk of a Functional model that both code generators render: Inputs first, then every other layer in
 * topological order (`Prepared.layers`), each with the variable it writes and what it is called on; a shared
 * layer gets one extra variable (named after `<layer name>_layer`) declared at its first call.
 * @param base how a layer name becomes an identifier (`camelBase` for TypeScript, `snakeBase` for Python).
 * @param reserved identifiers the language or the generated program already uses (`JS_RESERVED`, `PY_RESERVED`).
 */
export function functionalPlan(p: Prepared, base: (name: string) => string, reserved: ReadonlySet<string>): FunctionalPlan {
  const nodes = [...p.inputs, ...p.layers];
  const shared = [...callsByLayer(p.graph).values()].filter((c) => c.length > 1).map((c) => c[0]);
  const ids = identifiers([...nodes.map((n) => n.name), ...shared.map((n) => `${n.name}_layer`)], base, reserved);
  const v = new Map(nodes.map((n, i) => [n.id, ids[i]]));
  const layerVar = new Map(shared.map((n, i) => [n.id, ids[nodes.length + i]]));
  const declared = new Set<string>();
  const list = (items: string | readonly string[]): string => (typeof items === 'string' ? items : `[${items.join(', ')}]`);
  const calls = p.layers.map((n): CallStep => {
    const called = callInput(
      n.kind,
      p.sources.get(n.id)!.map((s) => v.get(s.id)!),
    );
    const input = list(called);
    const args = typeof called === 'string' ? [called] : called;
    const lv = layerVar.get(layerIdOf(n));
    if (!lv) return { node: n, output: v.get(n.id)!, input, args };
    const declare = !declared.has(lv);
    declared.add(lv);
    return { node: n, output: v.get(n.id)!, input, args, shared: { layerVar: lv, declare } };
  });
  const modelList = (ns: readonly LayerNode[]): string => (ns.length === 1 ? v.get(ns[0].id)! : list(ns.map((n) => v.get(n.id)!)));
  return {
    inputs: p.inputs.map((node) => ({ node, output: v.get(node.id)! })),
    calls,
    inputList: modelList(p.inputs),
    outputList: modelList(p.outputs.map((o) => o.node)),
  };
}
