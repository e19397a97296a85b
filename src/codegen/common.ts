/**
 * What both code generators share: the checks before writing code, the layers in writing order, the
 * Functional model's call plan (`functionalPlan`), variable names derived from layer names, and safe
 * literals and comments.
 */
import {
  analyze,
  BLOCK_KIND,
  collapseBlocks,
  hasBlocks,
  nestedModelGraph,
  topologicalOrder,
  callInput,
  callsByLayer,
  checkTrainingSettings,
  edgeOutput,
  formatCount,
  isUnsafeChar,
  layerIdOf,
  outputNamesOf,
  trainingOutputs,
  trialSizeOf,
  unknownDims,
  withTrialSizes,
  type Analysis,
  type BlockInterface,
  type Edge,
  type Graph,
  type LayerNode,
  type OutputTarget,
  type Shape,
  type TrainingSettings,
} from '../core';
import { explainApi, type ApiChoice } from './api';

/**
 * The three ways to write a Keras model: a `keras.Sequential` list, the Functional API (`keras.Model(inputs,
 * outputs)` over layers called on tensors), and Model subclassing (`class M(keras.Model)`: layers created in
 * `__init__`, called in `call`; Python only, tfjs's Layers API has none).
 */
export type ApiForm = 'sequential' | 'functional' | 'subclassing';

/**
 * What a line of a generated program is part of, recorded where the line is written:
 * - 'input': an Input (Functional `x = keras.Input(…)` / `tf.input`, the `keras.Input(…)` of a Sequential list);
 * - 'layer': a layer created and not called there (a Sequential list item, a subclass's `self.conv1 = …` in
 *   `__init__`, a shared layer's declaration);
 * - 'call': a layer called on tensors (created in the same statement in the Functional API);
 * - 'io': the model's inputs and outputs named (`inputs=` / `outputs=` of `keras.Model`, a subclass's
 *   `image, text = inputs` and `return …`);
 * - 'model': the model's own statement or scaffolding (`model = keras.Sequential(`, `class M(keras.Model):`,
 *   `def call(self, inputs):`, the subclass's build call on `keras.Input`s);
 * - 'train': summary, compile, dummy data, fit;
 * - 'other': header comments, imports, notes, blank lines.
 */
export type LineKind = 'input' | 'layer' | 'call' | 'io' | 'model' | 'train' | 'other';

/**
 * Generated code with, for each of its lines (`code.split('\n')` without the empty string after the final
 * newline), the ids of the nodes the line builds or calls (`lineNodes`) and what it is part of (`lineKinds`),
 * or why there is none (a sentence for the code panel).
 * Line ↔ node rules: an Input's line(s) → the Input node; a layer's call → that call's node; a layer created
 * apart from its call (a subclass attribute, a shared layer's declaration) → every call of that layer; every line
 * of a statement written over several lines → the same nodes; the model's statement → the nodes of its output
 * tensors (`inputs=` and a subclass's unpacking of `inputs` → the Input nodes; a subclass's build call on
 * `keras.Input`s → the Input nodes); TypeScript's Sequential first layer, which declares the input shape, → the
 * Input node and that layer; comments, imports, training lines → none.
 */
export type CodeResult =
  | {
      readonly ok: true;
      readonly code: string;
      readonly lineNodes: readonly (readonly string[])[];
      readonly lineKinds: readonly LineKind[];
    }
  | { readonly ok: false; readonly reason: string };

/** The lines of a program being written, each with its nodes and kind (see `CodeResult`). */
export class Emitter {
  private readonly text: string[] = [];
  private readonly nodes: (readonly string[])[] = [];
  private readonly kinds: LineKind[] = [];

  /** Appends `lines` (each a single line: no newline inside), all with the same kind and nodes. */
  add(lines: readonly string[], kind: LineKind = 'other', nodes: readonly string[] = []): this {
    for (const line of lines) {
      if (line.includes('\n')) throw new Error(`Emitter.add: a line holds a newline: ${JSON.stringify(line.slice(0, 60))}`);
      this.text.push(line);
      this.nodes.push(nodes);
      this.kinds.push(kind);
    }
    return this;
  }

  /** The finished program: the lines joined with '\n' and a final newline, with their nodes and kinds. */
  result(): Extract<CodeResult, { ok: true }> {
    return { ok: true, code: this.text.join('\n') + '\n', lineNodes: [...this.nodes], lineKinds: [...this.kinds] };
  }
}

/** The kinds of line `formSpecific` can mark: those that build the model. */
const MODEL_KINDS: ReadonlySet<LineKind> = new Set(['input', 'layer', 'call', 'io', 'model']);

/**
 * Which lines of program `a` are specific to its form when compared with program `b` of the same graph in
 * another form (or language): for each line of `a`, true when it builds the model ('input' | 'layer' | 'call' |
 * 'io' | 'model') and no line of `b` has the same kind and a node in common with it (for a line with no node,
 * no node-less line of that kind). So, against Sequential, the Functional API's calls on tensors, its
 * `inputs=` / `outputs=` and (in TypeScript, where the Sequential first layer carries the input shape) its Inputs
 * are marked; against the Functional API, a subclass's `class`, `__init__`, `call` scaffolding, its attributes
 * and its build call are marked, while its calls, unpacking and `return` (which the Functional code also has) are
 * not. Comments, imports and training lines are never marked.
 * @returns one boolean per line of `a` (`a.lineKinds.length` entries).
 */
export function formSpecific(
  a: { readonly lineNodes: readonly (readonly string[])[]; readonly lineKinds: readonly LineKind[] },
  b: { readonly lineNodes: readonly (readonly string[])[]; readonly lineKinds: readonly LineKind[] },
): boolean[] {
  // For each kind: the nodes b's lines of that kind name, and whether b has a node-less line of that kind.
  const seen = new Map<LineKind, { nodes: Set<string>; bare: boolean }>();
  b.lineKinds.forEach((k, i) => {
    const s = seen.get(k) ?? { nodes: new Set<string>(), bare: false };
    for (const id of b.lineNodes[i]) s.nodes.add(id);
    if (!b.lineNodes[i].length) s.bare = true;
    seen.set(k, s);
  });
  return a.lineKinds.map((k, i) => {
    if (!MODEL_KINDS.has(k)) return false;
    const s = seen.get(k);
    if (!s) return true;
    const ids = a.lineNodes[i];
    return ids.length ? !ids.some((id) => s.nodes.has(id)) : !s.bare;
  });
}

/** One model output tensor and how it is trained. */
export interface OutputSpec {
  readonly node: LayerNode;
  /** Which output of `node` (Keras's tensor_index; 0 for a layer's first or only output, see core `outputNamesOf`). */
  readonly output: number;
  readonly shape: Shape;
  readonly target: OutputTarget;
}

/**
 * How a comment names a model output: `'dense'` for a layer with one output, `'encoder' state_h` for one output of a
 * layer that returns several (core `outputNamesOf`).
 */
export function outputLabel(o: { readonly node: LayerNode; readonly output: number }): string {
  const names = outputNamesOf(o.node);
  return names.length > 1 ? `'${commentText(o.node.name)}' ${names[o.output] ?? `output ${o.output + 1}`}` : `'${commentText(o.node.name)}'`;
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
  /** The model's output tensors in `analysis.outputTensors` order (a layer with several outputs may give several). */
  readonly outputs: readonly OutputSpec[];
  /** The edges into each node, in input order (an edge's `output` says which output of its source it reads). */
  readonly sources: ReadonlyMap<string, readonly Edge[]>;
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
  const sources = new Map<string, Edge[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) sources.get(e.target)?.push(e);
  // The dummy data and its labels need sizes: unknown input sizes take their trial sizes (the model keeps None).
  const trialGraph = withTrialSizes(graph, settings);
  const trialAnalysis = trialGraph === graph ? analysis : analyze(trialGraph);
  const firstError = trialAnalysis.valid ? undefined : trialAnalysis.diagnostics.find((d) => d.severity === 'error');
  const dataProblem = trialAnalysis.valid
    ? null
    : `with the trial sizes of its unknown (None) sizes the model is not valid${firstError ? ` (${firstError.message.replace(/\.$/, '')})` : ''}; choose trial sizes that fit in the Train tab`;
  const trial = trialAnalysis.valid ? trialAnalysis : analysis;
  const trialById = new Map(trialGraph.nodes.map((n) => [n.id, n]));
  // One output per output tensor (an LSTM with return_state may give three), trained as core `trainingOutputs`
  // says (the loss chosen by output name, a further output as regression); the shapes keep None, the targets
  // take the trial sizes.
  const outputs = trainingOutputs(trialAnalysis.valid ? trialGraph : graph, trial, settings.losses).map(({ ref, target }): OutputSpec => {
    const info = analysis.nodes.get(ref.node)!;
    const shape = ref.output === 0 ? info.outputShape! : info.moreOutputs[ref.output - 1];
    return { node: byId.get(ref.node)!, output: ref.output, shape, target };
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
  /**
   * The variables that receive the call's output tensors, one per output in core `outputNamesOf` order: one for
   * most layers, `[encoder_output, encoder_state_h, encoder_state_c]` for an LSTM with return_state.
   */
  readonly outputs: readonly string[];
  /** For each of `outputs`: whether an edge or the model's outputs read it (TypeScript leaves the others unnamed). */
  readonly read: readonly boolean[];
  /**
   * What the layer is called on: one variable, or `[a, b]` for a kind that takes a list, and `[x, h, c]` for a
   * recurrent layer with initial states (core `callInput`, what tfjs's `apply` takes).
   */
  readonly input: string;
  /**
   * The variables the layer is called on, in order (what `input` lists): Python writes them as separate arguments
   * for a positional kind, and the ones after the first as `initial_state=[…]` for a recurrent kind (core
   * `LayerDef.callForm`).
   */
  readonly args: readonly string[];
  /**
   * For a shared layer (one layer called several times, core `callsByLayer`): the variable holding the
   * layer, and whether this step declares it (the first call in writing order) before calling it.
   */
  readonly shared?: { readonly layerVar: string; readonly declare: boolean };
  /**
   * For a call of a nested model (a block; `node` is then a core `collapseBlocks` node of kind BLOCK_KIND): the
   * call's interface. `shared.layerVar` is the nested model's variable, written by `blockModels` before.
   */
  readonly block?: BlockInterface;
}

/** The Functional model as a sequence of steps, language-neutral: each generator renders it in its syntax. */
export interface FunctionalPlan {
  readonly inputs: readonly InputStep[];
  readonly calls: readonly CallStep[];
  /** `model`'s inputs: the one variable, or `[a, b]` in `analysis.inputs` order. */
  readonly inputList: string;
  /** `model`'s outputs: the one variable, or `[a, b]` in `analysis.outputTensors` order. */
  readonly outputList: string;
}

/** Options of `functionalPlan` for an outer model with blocks (a core `collapseBlocks` graph). */
export interface PlanOptions {
  /** Each block call's interface, by block id (the ids of the collapsed graph's `BLOCK_KIND` nodes). */
  readonly blocks: ReadonlyMap<string, BlockInterface>;
  /** The flat graph's nodes by id: a block call's output variables are named after the member tensors it returns. */
  readonly flat: ReadonlyMap<string, LayerNode>;
}

/**
 * THE walk of a Functional model that both code generators render: Inputs first, then every other layer in
 * topological order (`Prepared.layers`), each with the variables it writes and what it is called on; a shared
 * layer gets one extra variable (named after `<layer name>_layer`) declared at its first call. A layer with
 * several outputs (core `outputNamesOf`) gets one variable per output, named after the layer and the output
 * (`encoder_state_h`), and each reader is called on the variable of the output its edge reads (`Edge.output`).
 * @param base how a layer name becomes an identifier (`camelBase` for TypeScript, `snakeBase` for Python).
 * @param reserved identifiers the language or the generated program already uses (`JS_RESERVED`, `PY_RESERVED`).
 */
export function functionalPlan(p: Prepared, base: (name: string) => string, reserved: ReadonlySet<string>, opts?: PlanOptions): FunctionalPlan {
  const nodes = [...p.inputs, ...p.layers];
  const isBlock = (n: LayerNode) => n.kind === BLOCK_KIND && !!opts?.blocks.has(n.id);
  const shared = [...callsByLayer(p.graph).values()].filter((c) => c.length > 1 && !isBlock(c[0])).map((c) => c[0]);
  // A nested model (block) gets one variable for the model, declared before the outer model (`blockModels`).
  const models = p.layers.filter((n) => isBlock(n) && !n.layerOf);
  // One name per output tensor: the layer's name, or '<layer>_<output name>' for each output of a layer with several;
  // a block call's outputs are named after the member tensors they are.
  const tensorName = (n: LayerNode, k: number): string => {
    const names = outputNamesOf(n);
    return names.length > 1 ? `${n.name}_${names[k]}` : n.name;
  };
  const tensorNames = nodes.map((n) => {
    if (isBlock(n)) return opts!.blocks.get(n.id)!.outputs.map((t) => tensorName(opts!.flat.get(t.node)!, t.output));
    return outputNamesOf(n).map((_, k) => tensorName(n, k));
  });
  const ids = identifiers([...tensorNames.flat(), ...shared.map((n) => `${n.name}_layer`), ...models.map((n) => n.name)], base, reserved);
  const v = new Map<string, string[]>();
  let at = 0;
  nodes.forEach((n, i) => {
    v.set(n.id, ids.slice(at, at + tensorNames[i].length));
    at += tensorNames[i].length;
  });
  const layerVar = new Map(shared.map((n, i) => [n.id, ids[at + i]]));
  models.forEach((n, i) => layerVar.set(n.id, ids[at + shared.length + i]));
  const varOf = (node: string, output: number): string => v.get(node)![output];
  const read = new Set([...p.graph.edges.map((e) => `${e.source}:${edgeOutput(e)}`), ...p.outputs.map((o) => `${o.node.id}:${o.output}`)]);
  const declared = new Set<string>();
  const list = (items: string | readonly string[]): string => (typeof items === 'string' ? items : `[${items.join(', ')}]`);
  const calls = p.layers.map((n): CallStep => {
    const fed = p.sources.get(n.id)!.map((e) => varOf(e.source, edgeOutput(e)));
    // A nested model is called on its one input, or on the list of its inputs in its order.
    const called = isBlock(n) ? (fed.length === 1 ? fed[0] : fed) : callInput(n.kind, fed);
    const input = list(called);
    const args = typeof called === 'string' ? [called] : called;
    const outputs = v.get(n.id)!;
    const step = { node: n, outputs, read: outputs.map((_, k) => read.has(`${n.id}:${k}`)), input, args };
    const lv = layerVar.get(layerIdOf(n));
    if (!lv) return step;
    if (isBlock(n)) return { ...step, shared: { layerVar: lv, declare: false }, block: opts!.blocks.get(n.id)! };
    const declare = !declared.has(lv);
    declared.add(lv);
    return { ...step, shared: { layerVar: lv, declare } };
  });
  const modelList = (ts: readonly string[]): string => (ts.length === 1 ? ts[0] : list(ts));
  return {
    inputs: p.inputs.map((node) => ({ node, output: varOf(node.id, 0) })),
    calls,
    inputList: modelList(p.inputs.map((n) => varOf(n.id, 0))),
    outputList: modelList(p.outputs.map((o) => varOf(o.node.id, o.output))),
  };
}

/**
 * True when a Functional plan is one chain: one Input, each layer called on the one tensor before it (not a shared
 * layer), one output; a Sequential can write it (a nested Sequential kept from a file is written as one).
 */
export function isChainPlan(plan: FunctionalPlan): boolean {
  if (plan.inputs.length !== 1) return false;
  let prev = plan.inputs[0].output;
  for (const c of plan.calls) {
    if (c.input !== prev || c.outputs.length !== 1 || c.shared) return false;
    prev = c.outputs[0];
  }
  return plan.outputList === prev;
}

/** One nested model (a block's first call) to write before the outer model: its variable, its own plan, its members. */
export interface BlockModel {
  /** The first call's interface (the nested model's inputs and outputs). */
  readonly itf: BlockInterface;
  /** The variable holding the nested model (`res_block = keras.Model(...)`), as the outer plan names it. */
  readonly modelVar: string;
  /** The nested model as a model of its own: its Inputs (one per input, of that tensor's shape) and its members. */
  readonly prep: Prepared;
  /** Its Functional plan (variables distinct from the outer model's and the other nested models'). */
  readonly plan: FunctionalPlan;
  /** Every node of every call of the nested model (the lines of its definition map to them). */
  readonly allMembers: readonly string[];
}

/** The outer model of a graph with blocks, ready to render: its prepared form, its plan and its nested models, in the order of their first calls. */
export interface BlockedPlan {
  readonly outer: Prepared;
  readonly plan: FunctionalPlan;
  readonly models: readonly BlockModel[];
}

/**
 * For a graph with blocks (core `hasBlocks`): the outer model (core `collapseBlocks`: each block call one node)
 * and each nested model as a model of its own, whose inputs are `keras.Input`s of the outer tensors' shapes
 * (named `<block>_input`, `<block>_input_2`, …) and whose outputs are its interface's outputs, in order. The outer
 * plan's variables come first; each nested model's variables avoid them and the earlier nested models'. Null for
 * a graph without blocks. `settings` are the program's (`prepare` checks them; a nested model is not trained alone).
 * @throws Error when a nested model cannot be prepared (the validator refuses such a graph first).
 */
export function blockedPlan(p: Prepared, base: (name: string) => string, reserved: ReadonlySet<string>, settings: TrainingSettings): BlockedPlan | null {
  if (!hasBlocks(p.graph)) return null;
  const view = collapseBlocks(p.graph);
  const q = view.graph;
  const flat = new Map(p.graph.nodes.map((n) => [n.id, n]));
  const byId = new Map(q.nodes.map((n) => [n.id, n]));
  const sources = new Map<string, Edge[]>(q.nodes.map((n) => [n.id, []]));
  for (const e of q.edges) sources.get(e.target)?.push(e);
  const outer: Prepared = {
    ...p,
    graph: q,
    layers: topologicalOrder(q)
      .order.map((id) => byId.get(id)!)
      .filter((n) => n.kind !== 'Input'),
    outputs: p.outputs.map((o) => {
      const t = view.tensor({ node: o.node.id, output: o.output })!;
      return { ...o, node: byId.get(t.node)!, output: t.output };
    }),
    sources,
  };
  const plan = functionalPlan(outer, base, reserved, { blocks: view.interfaces, flat });
  const used = new Set([
    ...reserved,
    ...plan.inputs.map((i) => i.output),
    ...plan.calls.flatMap((c) => [...c.outputs, ...(c.shared ? [c.shared.layerVar] : [])]),
  ]);
  const models: BlockModel[] = [];
  for (const step of plan.calls) {
    if (!step.block || step.node.layerOf) continue;
    const itf = step.block;
    const sub = nestedModelGraph(p.graph, itf, (t) =>
      t.output === 0 ? p.analysis.nodes.get(t.node)!.outputShape! : p.analysis.nodes.get(t.node)!.moreOutputs[t.output - 1],
    );
    const r = prepare(sub, 'functional', settings);
    if (!r.ok) throw new Error(`Block '${itf.block.name}' cannot be written as a nested model: ${r.reason}`);
    const subPlan = functionalPlan(r.prep, base, used);
    for (const v of [...subPlan.inputs.map((i) => i.output), ...subPlan.calls.flatMap((c) => [...c.outputs, ...(c.shared ? [c.shared.layerVar] : [])])])
      used.add(v);
    const calls = (p.graph.blocks ?? []).filter((b) => b.id === itf.block.id || b.callOf === itf.block.id).map((b) => b.id);
    models.push({
      itf,
      modelVar: step.shared!.layerVar,
      prep: r.prep,
      plan: subPlan,
      allMembers: p.graph.nodes.filter((n) => n.block !== undefined && calls.includes(n.block)).map((n) => n.id),
    });
  }
  return { outer, plan, models };
}
