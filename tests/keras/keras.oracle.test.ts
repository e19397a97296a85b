/**
 * Keras 3 as a second oracle (issue 8). For every template, every layer-kind graph of the contract tests
 * and KERAS_GRAPHS valid random graphs of the property test's generator (default 300, fixed seed):
 *  - the generated Python (Functional, Model subclassing, and Sequential where `apiPlan` allows it), cut before
 *    `compile` — the model-building code exactly as the user gets it — runs in real Keras 3 (JAX backend, CPU),
 *    and every layer's class, output shape of each call, trainable and non-trainable counts, the model's
 *    inputs and outputs, its totals and the total `model.summary()` prints are compared with the core's
 *    (`analyze`, `summarize`). A subclassed model has no nodes in Keras (its layers run on JAX tracers inside
 *    `call`), so the runner records each layer call of `call`'s last trace (runner.py): compared are each
 *    layer's class, counts and the output shapes of its calls, the model's outputs (the layer that produced each
 *    returned tensor, in order), the shapes `call` receives (in the model's input order), the totals and the
 *    printed total; not compared are "Connected to" (a subclassed model's summary has no such column) and its
 *    `to_json()` (a subclass's config cannot rebuild the model);
 *  - the exported Keras JSON, in both forms (Keras 2 `to_json()` form, `exportKerasJson`; Keras 3 form,
 *    `exportKeras3Json`), loads with `keras.models.model_from_json` and the same comparison holds; the Keras 3
 *    form is also compared, object by object, with Keras 3's own `to_json()` of the generated program's model;
 *  - Keras 3's own `to_json()` of each program's model opens in Layerlab (`importKerasJson`) as the same
 *    layers with the same shapes, counts and totals.
 * All programs run in ONE Python process (tests/keras/runner.py; importing Keras costs seconds).
 *
 * Run: `npx vitest run --config tests/keras/vitest.config.ts` (not part of `npm test`). The environment comes
 * from scripts/keras-env.sh (LAYERLAB_KERAS_PYTHON overrides the interpreter). Without it the suite is
 * reported skipped with how to create it; with LAYERLAB_KERAS_REQUIRED=1 (CI) a missing environment fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyze,
  apiPlan,
  callsByLayer,
  exportKeras3Json,
  exportKerasJson,
  importKerasJson,
  layerDef,
  summarize,
  TEMPLATES,
  unknownDims,
  type Graph,
  type TrainingSettings,
} from '../../src/core';
import { generatePython, type ApiForm } from '../../src/codegen';
import { buildGraph } from '../../src/core/templates/build';
import { LAYER_GRAPHS } from '../contract/layers/graphs';
import { build, PROPERTY_SEED, recipeArb } from '../property/arbitraries';
import { callBeforeOwner, describeGraph } from '../helpers/graphs';
import { MULTI_OUTPUT_GRAPHS } from '../helpers/multiOutputGraphs';

/** How many valid random graphs to compare (KERAS_GRAPHS). */
const GRAPHS = Number(process.env.KERAS_GRAPHS ?? 300);
/** The property test's seed, so the same generator yields the same graphs (KERAS_SEED overrides). */
const SEED = Number(process.env.KERAS_SEED ?? PROPERTY_SEED);
const VENV =
  process.env.LAYERLAB_KERAS_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'layerlab', 'keras-venv');
const PYTHON = process.env.LAYERLAB_KERAS_PYTHON ?? path.join(VENV, 'bin', 'python');
const REQUIRED = process.env.LAYERLAB_KERAS_REQUIRED === '1';
const HOW =
  'create it with `scripts/keras-env.sh` (Python 3.10+, about 700 MB, a few minutes the first time), or point LAYERLAB_KERAS_PYTHON at a python with keras 3.15.1 and jax';
const TINY: TrainingSettings = { samples: 2, batchSize: 2, epochs: 1, optimizer: 'adam', learningRate: 0.001 };

/** A program for the runner. */
interface Program {
  id: string;
  kind: 'python' | 'json';
  text: string;
}
/** What the runner reports of one model (see runner.py). */
interface KerasModel {
  class: string;
  layers: { name: string; class: string; shapes: unknown[]; connected: string[]; trainable: number; non_trainable: number }[];
  inputs: string[];
  outputs: string[];
  trainable: number;
  non_trainable: number;
  total: number;
  printed_total: number | null;
  /** True for a `keras.Model` subclass (runner.py `describe_subclassed`). */
  subclassed?: boolean;
  /** A subclassed model: the shapes its `call` received, in order. */
  input_shapes?: unknown[];
  /** Keras 3's `to_json()` of a program's model. */
  to_json?: string;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string; where: string | null };

/**
 * Hand-built graphs for what the random generator does not make: a shared layer whose further call
 * comes first in the data flow (its owner reads the call's output), names Keras accepts but Python
 * cannot use as variables, several outputs of a shared layer's calls, an Input nothing reads.
 */
const EDGE_GRAPHS: { id: string; build: () => Graph }[] = [
  {
    id: 'shared-call-before-owner',
    build: callBeforeOwner,
  },
  {
    id: 'awkward-names',
    build: () =>
      buildGraph('awkward "model" name', (b) => {
        const img = b.add('Input', { shape: [6, 6, 2] }, 'image-in');
        const vec = b.add('Input', { shape: [5] }, 'class');
        let x = b.add('Conv2D', { filters: 3, kernel_size: [3, 3], padding: 'same' }, 'conv-1', [img]);
        x = b.add('Flatten', {}, 'flat.1', [x]);
        const t = b.add('Dense', { units: 3 }, 'lambda', [vec]);
        const m = b.add('Concatenate', { axis: -1 }, 'a-b', [x, t]);
        b.add('Dense', { units: 2, activation: 'softmax' }, 'a.b', [m]);
        b.add('Dense', { units: 1, activation: 'sigmoid' }, 'a_b', [t]);
      }),
  },
  {
    // Unknown sizes (None): kept through convolution, pooling, cropping, concatenation and recurrent layers,
    // removed by global pooling; Dense on a known last axis. The shapes tfjs gets wrong (Cropping2D, Concatenate
    // of None with a known size: tests/contract/unknown-dims.contract.test.ts) are compared with Keras here.
    id: 'unknown-sizes',
    build: () =>
      buildGraph('unknown_sizes', (b) => {
        const img = b.add('Input', { shape: [null, null, 3] }, 'image');
        let x = b.add('Conv2D', { filters: 4, kernel_size: [3, 3], strides: [2, 2] }, 'conv', [img]);
        x = b.add('Cropping2D', { cropping: [1, 0, 0, 1] }, 'crop', [x]);
        x = b.add('MaxPooling2D', {}, 'pool', [x]);
        const g = b.add('GlobalAveragePooling2D', {}, 'gap', [x]);
        const seq = b.add('Input', { shape: [null, 5] }, 'sequence');
        const fixed = b.add('Input', { shape: [6, 2] }, 'fixed');
        let s = b.add('Conv1D', { filters: 3, kernel_size: [2], padding: 'same' }, 'conv1d', [seq]);
        s = b.add('Concatenate', { axis: -1 }, 'joined', [s, fixed]);
        s = b.add('LSTM', { units: 4 }, 'lstm', [s]);
        const m = b.add('Concatenate', {}, 'merged', [g, s]);
        b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [m]);
        const tokens = b.add('Input', { shape: [null] }, 'tokens');
        let t = b.add('Embedding', { input_dim: 20, output_dim: 4 }, 'embed', [tokens]);
        t = b.add('GlobalMaxPooling1D', {}, 'gmp', [t]);
        b.add('Dense', { units: 1, activation: 'sigmoid' }, 'flag', [t]);
      }),
  },
  {
    // Calls the Keras 3 form writes with care: a shared masked Embedding and a shared self-attention (one
    // inbound node per call), cross-attention called on query, value and key as three positional tensors.
    id: 'shared-attention-masks',
    build: () =>
      buildGraph('shared_attention_masks', (b) => {
        const tokens = b.add('Input', { shape: [7] }, 'tokens');
        const other = b.add('Input', { shape: [7] }, 'other_tokens');
        const memory = b.add('Input', { shape: [5, 8] }, 'memory');
        const embed = b.add('Embedding', { input_dim: 30, output_dim: 8, mask_zero: true }, 'embed', [tokens]);
        const embedOther = b.call(embed, [other]);
        const att = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4 }, 'self_attn', [embed]);
        const attOther = b.call(att, [embedOther]);
        const key = b.add('Dense', { units: 8 }, 'memory_key', [memory]);
        const cross = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4 }, 'cross_attn', [att, memory, key]);
        const pooled = b.add('GlobalAveragePooling1D', {}, 'pool', [cross]);
        const pooledOther = b.add('GlobalAveragePooling1D', {}, 'pool_other', [attOther]);
        const joined = b.add('Concatenate', {}, 'joined', [pooled, pooledOther]);
        b.add('Dense', { units: 2, activation: 'softmax' }, 'label', [joined]);
      }),
  },
  {
    id: 'shared-outputs',
    build: () =>
      buildGraph('shared_outputs', (b) => {
        const l = b.add('Input', { shape: [3, 5] }, 'left');
        const r = b.add('Input', { shape: [3, 5] }, 'right');
        const enc = b.add('LSTM', { units: 4, return_sequences: true }, 'encoder', [l]);
        b.call(enc, [r]);
        b.add('Input', { shape: [7] }, 'unused');
      }),
  },
];

/** One graph and how it is checked. */
interface Case {
  /** 'template:<id>', 'layers:<id>' or 'random:<n>'. */
  id: string;
  graph: Graph;
  forms: ApiForm[];
}

/**
 * The model-building part of a generated program: every line before the first line that starts with
 * `stop` (`model.compile(` or `model.summary()`), unchanged.
 * @throws when the program has no such line (the generator's layout changed).
 */
function cutBefore(code: string, stop: string): string {
  const at = code.indexOf(`\n${stop}`);
  if (at < 0) throw new Error(`generated Python has no \`${stop}\` line to cut at`);
  return code.slice(0, at + 1);
}

/**
 * The valid graphs of the property test's generator: recipes drawn at `seed` in order, built, kept when
 * `analyze` accepts them, until `count` are found (or 40 × count recipes were tried).
 */
function randomGraphs(count: number, seed: number): Graph[] {
  const out: Graph[] = [];
  const batch = Math.max(50, count * 8);
  for (let round = 0; out.length < count && round < 5; round++)
    for (const r of fc.sample(recipeArb, { seed: seed + round, numRuns: batch })) {
      const g = build(r);
      if (analyze(g).valid) out.push({ ...g, name: `random_${out.length}` });
      if (out.length === count) break;
    }
  return out;
}

const show = (x: unknown) => JSON.stringify(x);
/** The class Keras 3 instantiates for a kind: the generated Python writes the Keras 3 equivalent where tf.keras's class is gone. */
const pythonClass = (kind: string) => layerDef(kind)!.keras3?.kerasClass ?? layerDef(kind)!.kerasClass;

/**
 * Every difference between the core's view of `graph` and the model Keras built, one line each:
 * `<case> <form>: layer '<name>': <what>: Layerlab <x>, Keras <y>`. Empty when they agree.
 * `source` 'python' (the generated code) and 'json-keras3' (the export with Keras 3's classes) compare
 * classes with the Keras 3 classes the Python writes, 'json' (the export) with the export's; 'python'
 * also compares the total `model.summary()` printed.
 */
function compare(label: string, graph: Graph, k: KerasModel, source: 'python' | 'json' | 'json-keras3'): string[] {
  // 'json3' programs (the Keras 3 form) are compared as 'json-keras3': they write the classes Keras 3 has.
  const a = analyze(graph);
  const summary = summarize(graph, a);
  const problems: string[] = [];
  const diff = (what: string, ours: unknown, theirs: unknown) => {
    if (show(ours) !== show(theirs)) problems.push(`${label}: ${what}: Layerlab ${show(ours)}, Keras ${show(theirs)}`);
  };
  const byName = new Map(k.layers.map((l) => [l.name, l]));
  const calls = callsByLayer(graph);
  const ours = new Set<string>();
  for (const row of summary.rows) {
    const node = graph.nodes.find((n) => n.id === row.nodeId)!;
    if (node.kind === 'Input') continue;
    ours.add(row.name);
    const kl = byName.get(row.name);
    if (!kl) {
      problems.push(`${label}: layer '${row.name}' (${node.kind}): missing in Keras's model`);
      continue;
    }
    const at = `layer '${row.name}'`;
    diff(`${at} class`, source === 'json' ? layerDef(node.kind)!.kerasClass : pythonClass(node.kind), kl.class);
    const w = a.nodes.get(node.id)!.weights!;
    diff(`${at} trainable parameters`, w.trainable, kl.trainable);
    diff(`${at} non-trainable parameters`, w.nonTrainable, kl.non_trainable);
    // Each call's output shape (a list of every output's for a layer with several: an LSTM with return_state, as the
    // runner reports Keras's); compared as sorted lists (Keras numbers calls in the order the code makes them).
    // Keras 3.15 declares MultiHeadAttention's attention_scores as (batch, num_heads, T, T) whatever the key length
    // and rank (multi_head_attention.py `compute_output_spec` uses the query's axis 1 twice), while the layer returns
    // (batch, num_heads, T…, S…): seen in Keras, query 4 and value 8 steps give a declared (None, 1, 4, 4) and an
    // actual (2, 1, 4, 8). Where the two differ only the first output is compared here; the actual scores (values and
    // shape) are compared with Keras's by the forward oracle (forward-cases/attention.ts, cross and rank-4 cases).
    const scoresBug = (info: { inputShapes: readonly (readonly (number | null)[] | null)[] }) => {
      if (node.kind !== 'MultiHeadAttention' || node.params.return_attention_scores !== true) return false;
      const q = info.inputShapes[0]!;
      const v = info.inputShapes[1] ?? q;
      return q.length !== 3 || q[1] !== v[1];
    };
    const infos = (calls.get(node.id) ?? [node]).map((c) => a.nodes.get(c.id)!);
    // A subclassed model's shapes are those its layers return when traced (runner.py), not the declared ones: compared in full.
    const bug = !k.subclassed && infos.some(scoresBug);
    const firstOf = (x: unknown) => (bug && Array.isArray(x) && Array.isArray(x[0]) ? x[0] : x);
    const shapes = infos.map((info) => show(firstOf(info.moreOutputs.length ? [info.outputShape, ...info.moreOutputs] : info.outputShape))).sort();
    diff(
      `${at} output shape${shapes.length > 1 ? 's of its calls' : ''}`,
      shapes,
      k.layers
        .find((l) => l.name === row.name)!
        .shapes.map((x) => show(firstOf(x)))
        .sort(),
    );
    // The summary's "Connected to" cells (Functional models): which call of which layer each input is.
    if (k.class !== 'Sequential' && !summary.sequential && !k.subclassed) diff(`${at} connected to`, [...row.connectedTo].sort(), [...kl.connected].sort());
  }
  const theirs = k.layers.filter((l) => l.class !== 'InputLayer').map((l) => l.name);
  for (const name of theirs) if (!ours.has(name)) problems.push(`${label}: layer '${name}': in Keras's model but not in Layerlab's`);
  for (const l of k.layers.filter((x) => x.class === 'InputLayer')) {
    const n = graph.nodes.find((x) => x.name === l.name && x.kind === 'Input');
    if (n) diff(`input '${l.name}' shape`, [a.nodes.get(n.id)!.outputShape], l.shapes);
  }
  const name = (id: string) => graph.nodes.find((n) => n.id === id)!.name;
  // Keras's Sequential names its input itself ('input_layer') when the code does not.
  // A subclassed model keeps no Input layers: the shapes its `call` received are compared, in the model's input order.
  if (k.subclassed)
    diff(
      'model input shapes',
      a.inputs.map((id) => a.nodes.get(id)!.outputShape),
      k.input_shapes,
    );
  else if (k.class !== 'Sequential') diff('model inputs', a.inputs.map(name), k.inputs);
  // One entry per output tensor (Keras's model.outputs; an LSTM's states are further outputs of its layer). A subclassed
  // model's are the layers that produced the tensors `call` returns, an Input returned as is being `<input k>`.
  // A layer that returns its input object as is at inference (Dropout, GaussianNoise, Identity) leaves the tensor's maker
  // ambiguous: Keras's entry then lists every layer that returned that object ("a|b"), and ours must be one of them.
  const inputName = (id: string) => (k.subclassed && a.inputs.includes(id) ? `<input ${a.inputs.indexOf(id)}>` : name(id));
  const ourOutputs = a.outputTensors.map((t) => inputName(t.node));
  diff('model outputs', ourOutputs, k.subclassed ? k.outputs.map((o, i) => (o.split('|').includes(ourOutputs[i]) ? ourOutputs[i] : o)) : k.outputs);
  diff('trainable total', a.totals.trainable, k.trainable);
  diff('non-trainable total', a.totals.nonTrainable, k.non_trainable);
  diff('total', a.totals.total, k.total);
  if (source === 'python' && (k.printed_total !== null || !label.startsWith('random:')))
    diff('total printed by model.summary()', a.totals.total, k.printed_total);
  return problems;
}

/** Names of the recurrent layers the graph calls with initial states (callForm 'initialState', more than one input). */
const withInitialStates = (g: Graph): string[] => [
  ...new Set(g.nodes.filter((n) => layerDef(n.kind)?.callForm === 'initialState' && g.edges.filter((e) => e.target === n.id).length > 1).map((n) => n.name)),
];

/** tf.keras classes of the graph's kinds that Keras 3 removed (the kinds whose definition has a `keras3` equivalent). */
const removedClasses = (g: Graph): string[] => [...new Set(g.nodes.filter((n) => layerDef(n.kind)?.keras3).map((n) => layerDef(n.kind)!.kerasClass))];

/**
 * The exported JSON with each layer Keras 3 has no class for replaced by the equivalent the Python code
 * writes (`keras3` in its definition: ThresholdedReLU(theta) → ReLU(threshold=theta)), as a Keras 3 user
 * converting the file would; null when the graph has no such layer.
 */
function withKeras3Classes(json: string, g: Graph): string | null {
  if (!removedClasses(g).length) return null;
  const model = JSON.parse(json) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  for (const layer of model.config.layers) {
    const node = g.nodes.find((n) => n.name === layer.config.name && !n.layerOf);
    const k3 = node && layerDef(node.kind)?.keras3;
    if (!node || !k3) continue;
    layer.class_name = k3.kerasClass;
    layer.config = { name: node.name, trainable: true, dtype: 'float32', ...Object.fromEntries(k3.args(node.params)) };
  }
  return JSON.stringify(model);
}

/**
 * What Layerlab's importer cannot open yet in files Keras 3 writes, reported to the lead (issue 8): each
 * matching refusal is counted and printed instead of failing. Remove an entry when the importer learns it
 * (a refusal it no longer makes is then compared in full).
 *  None today: the mask operations Keras 3 writes for a masked model (`NotEqual` / `Any`) are imported as opaque
 *  nodes no output reads and left out with a note, so masked models are compared in full.
 * (Layerlab's Python writes ThresholdedReLU(θ) as `ReLU(threshold=θ)`: the importer reads that back as
 * ThresholdedReLU through the ReLU definition's `keras.asKind`, so it is compared in full.)
 */
const IMPORT_GAPS: readonly RegExp[] = [];

/**
 * Opens Keras 3's own `to_json()` of the model in Layerlab (`importKerasJson`) and lists every difference
 * from the graph it was generated from, by layer name: kind, output shape, parameter count (from
 * `summarize`), and the totals. Empty when they agree.
 */
function compareImport(label: string, graph: Graph, json: string): string[] {
  const r = importKerasJson(json);
  if (!r.ok) return [`${label}: Layerlab refused Keras 3's own file: ${r.reason}`];
  const problems: string[] = [];
  const diff = (what: string, ours: unknown, back: unknown) => {
    if (show(ours) !== show(back)) problems.push(`${label}: ${what}: Layerlab ${show(ours)}, after Keras 3 and import ${show(back)}`);
  };
  const rows = (g: Graph) => {
    const a = analyze(g);
    const kinds = new Map(g.nodes.map((n) => [n.id, n.kind]));
    // Compared by the Keras 3 class: ThresholdedReLU written as ReLU(threshold=0) comes back as a ReLU.
    return {
      a,
      rows: new Map(
        summarize(g, a).rows.map((x) => [
          x.name,
          { kind: kinds.get(x.nodeId)!, class: pythonClass(kinds.get(x.nodeId)!), shape: x.outputShape, params: x.params, calls: x.calls },
        ]),
      ),
    };
  };
  const before = rows(graph);
  const after = rows(r.graph);
  for (const [name, row] of before.rows) {
    if (row.kind === 'Input') continue;
    const back = after.rows.get(name);
    diff(`layer '${name}'`, { ...row, kind: undefined }, back ? { ...back, kind: undefined } : null);
  }
  diff(
    'error diagnostics',
    [],
    after.a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
  );
  diff('totals', before.a.totals, after.a.totals);
  return problems;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * A call's arguments with each tensor written `layer[call][tensor] shape` and everything else as it is;
 * tensors made by operations (`ops` names: Keras 3's mask operations NotEqual, Any) are left out.
 */
function callText(x: unknown, ops: ReadonlySet<string>): unknown {
  if (Array.isArray(x)) return x.map((v) => callText(v, ops)).filter((v) => v !== undefined);
  if (isObj(x) && x.class_name === '__keras_tensor__') {
    const c = x.config as { shape: unknown; dtype: unknown; keras_history: [string, number, number] };
    if (ops.has(c.keras_history[0])) return undefined;
    return `${c.keras_history[0]}[${c.keras_history[1]}][${c.keras_history[2]}] ${show(c.shape)} ${String(c.dtype)}`;
  }
  return x;
}

/**
 * Every difference between Layerlab's Keras 3 export and Keras 3's own `to_json()` of the same model (the
 * generated program's), one line each; empty when they agree. Compared: the model's module, class,
 * registered name, build_config and config keys; `input_layers` / `output_layers`; for each layer (by name)
 * its module, class, registered name, dtype, the config keys Layerlab writes (each must be one Keras writes),
 * its initializers' and wrapped layers' module and class, its `build_config` where Keras writes one (Keras
 * leaves it out for layers built at construction, Layerlab writes it for every layer), and each inbound
 * node's arguments (tensors with shape, dtype and history) and tensor keywords. Keras's mask operation nodes
 * (NotEqual, Any: `keras.src.ops.*`) and its `mask=` / `training=` keywords are not compared: Keras
 * recomputes masks when it loads a model.
 */
function compareKeras3Form(label: string, ours: Obj, theirs: Obj): string[] {
  const problems: string[] = [];
  const diff = (what: string, a: unknown, b: unknown) => {
    if (show(a) !== show(b)) problems.push(`${label}: ${what}: Layerlab ${show(a)}, Keras ${show(b)}`);
  };
  for (const key of ['module', 'class_name', 'registered_name', 'build_config']) diff(`model ${key}`, ours[key], theirs[key]);
  const oc = ours.config as Obj;
  const tc = theirs.config as Obj;
  diff('model config keys', Object.keys(oc).sort(), Object.keys(tc).sort());
  for (const key of ['input_layers', 'output_layers', 'build_input_shape', 'dtype']) if (key in tc) diff(`model ${key}`, oc[key], tc[key]);
  const theirLayers = tc.layers as Obj[];
  const ops = new Set(theirLayers.filter((l) => String(l.module).startsWith('keras.src.ops')).map((l) => String((l.config as Obj).name)));
  const byName = new Map(theirLayers.map((l) => [String((l.config as Obj).name), l]));
  const objectHead = (o: unknown) => (isObj(o) ? { module: o.module, class_name: o.class_name, registered_name: o.registered_name } : o);
  for (const l of oc.layers as Obj[]) {
    const lc = l.config as Obj;
    const at = `layer '${String(lc.name)}'`;
    // The generated Sequential code leaves its input unnamed, so Keras names it itself: compared by class.
    const sequentialInput = ours.class_name === 'Sequential' && l.class_name === 'InputLayer';
    const k = sequentialInput ? theirLayers.find((x) => x.class_name === 'InputLayer') : byName.get(String(lc.name));
    if (sequentialInput && k)
      diff(`${at} config`, { ...lc, name: undefined }, { ...(k.config as Obj), name: undefined, ragged: undefined, optional: undefined });
    if (!k) {
      problems.push(`${label}: ${at}: not in Keras's to_json()`);
      continue;
    }
    const kc = k.config as Obj;
    diff(`${at} module, class, registered name`, objectHead(l), objectHead(k));
    diff(`${at} dtype`, lc.dtype, kc.dtype);
    diff(
      `${at} config keys Keras does not write`,
      Object.keys(lc).filter((x) => !(x in kc)),
      [],
    );
    for (const [key, v] of Object.entries(lc))
      if (isObj(v) && 'class_name' in v && key in kc) {
        const theirsV = kc[key];
        diff(`${at} ${key}`, objectHead(v), objectHead(theirsV));
        if (!isObj(theirsV)) continue;
        // A wrapped layer's name as Keras makes it (`forward_lstm`): its `_<n>` suffix counts the layers the
        // runner's session made before (cleared only every 50 programs), so it is left out of the comparison.
        const unnumbered = (x: unknown) => String(x).replace(/_\d+$/, '');
        if (isObj(v.config) && 'name' in v.config) diff(`${at} ${key} name`, unnumbered(v.config.name), unnumbered((theirsV.config as Obj | undefined)?.name));
        if ('build_config' in theirsV) diff(`${at} ${key} build_config`, v.build_config, theirsV.build_config);
      }
    if ('build_config' in k) diff(`${at} build_config`, l.build_config, k.build_config);
    if ('inbound_nodes' in l || 'inbound_nodes' in k) {
      const nodes = (x: Obj) =>
        ((x.inbound_nodes as Obj[]) ?? []).map((n) => ({
          args: callText(n.args, ops),
          kwargs: Object.fromEntries(
            Object.entries((n.kwargs as Obj) ?? {})
              .filter(([key, v]) => key !== 'mask' && show(v).includes('__keras_tensor__'))
              .map(([key, v]) => [key, callText(v, ops)]),
          ),
        }));
      diff(`${at} inbound nodes`, nodes(l), nodes(k));
    }
  }
  return problems;
}

/** Runs the programs in one Python process; returns results by id. */
function runKeras(programs: Program[]): { version: string; results: Map<string, KerasResult>; seconds: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlab-keras-'));
  try {
    const batch = path.join(dir, 'batch.json');
    const out = path.join(dir, 'results.json');
    writeFileSync(batch, JSON.stringify({ programs }));
    const t0 = performance.now();
    const r = spawnSync(PYTHON, [path.join(__dirname, 'runner.py'), batch, out], {
      env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '3', PYTHONHASHSEED: '0' },
      encoding: 'utf8',
      timeout: 900_000,
      maxBuffer: 64 << 20,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0 || !existsSync(out))
      throw new Error(`the Keras runner failed (status ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stderr.slice(-4000)}`);
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as { keras: string; results: KerasResult[] };
    return { version: parsed.keras, results: new Map(parsed.results.map((x) => [x.id, x])), seconds };
  } finally {
    // KERAS_KEEP_BATCH=1 keeps the batch (to rerun: python tests/keras/runner.py <dir>/batch.json out.json).
    if (process.env.KERAS_KEEP_BATCH === '1') console.log(`Keras oracle: batch kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

const available = existsSync(PYTHON);
if (!available) {
  const msg = `Keras oracle SKIPPED: no Python environment at ${PYTHON}; ${HOW}.`;
  if (!REQUIRED) console.warn(msg);
}

if (!available)
  describe('Keras oracle (environment missing)', () => {
    if (REQUIRED) it('needs the Keras environment (LAYERLAB_KERAS_REQUIRED=1)', () => expect.fail(`no Python environment at ${PYTHON}; ${HOW}.`));
    else it.skip(`skipped: no Keras environment at ${PYTHON}; ${HOW}`, () => {});
  });

describe.runIf(available)('Keras 3 agrees with the core on generated Python and exported JSON', () => {
  const cases: Case[] = [
    ...TEMPLATES.map((t) => ({ id: `template:${t.id}`, graph: t.build() })),
    ...LAYER_GRAPHS.map((t) => ({ id: `layers:${t.id}`, graph: t.build() })),
    ...[...EDGE_GRAPHS, ...MULTI_OUTPUT_GRAPHS].map((t) => ({ id: `edge:${t.id}`, graph: t.build() })),
    ...randomGraphs(GRAPHS, SEED).map((graph, i) => ({ id: `random:${i}`, graph })),
  ].map((c) => ({
    ...c,
    // The Sequential form first where it exists: the Keras 3 export is compared with Keras's to_json() of forms[0].
    forms: apiPlan(c.graph).kind === 'sequential' ? (['sequential', 'functional', 'subclassing'] as ApiForm[]) : (['functional', 'subclassing'] as ApiForm[]),
  }));
  /** Problems found while preparing the batch (code or export refused), by case id. */
  const refusals = new Map<string, string[]>();
  let keras: ReturnType<typeof runKeras>;
  const programs: Program[] = [];

  beforeAll(() => {
    for (const c of cases) {
      const no = (what: string, why: string) => refusals.set(c.id, [...(refusals.get(c.id) ?? []), `${c.id} ${what}: refused by Layerlab: ${why}`]);
      for (const form of c.forms) {
        const gen = generatePython(c.graph, TINY, form);
        // `model.summary()` costs ~90 ms in Keras: its printed total is checked for the templates and
        // layer-kind graphs; a random graph's program is cut before it (its totals are still compared).
        const random = c.id.startsWith('random:');
        if (gen.ok) programs.push({ id: `${c.id} python ${form}`, kind: 'python', text: cutBefore(gen.code, random ? 'model.summary()' : 'model.compile(') });
        else no(`python ${form}`, gen.reason);
      }
      const json = exportKerasJson(c.graph);
      if (!json.ok) no('json', json.reason);
      else {
        programs.push({ id: `${c.id} json`, kind: 'json', text: json.json });
        const json3 = exportKeras3Json(c.graph);
        if (json3.ok) programs.push({ id: `${c.id} json3`, kind: 'json', text: json3.json });
        else no('json3', json3.reason);
        const converted = withKeras3Classes(json.json, c.graph);
        if (converted) programs.push({ id: `${c.id} json-keras3`, kind: 'json', text: converted });
      }
    }
    keras = runKeras(programs);
    console.log(
      `Keras oracle: keras ${keras.version} (JAX, CPU) compared ${cases.length} graphs (${TEMPLATES.length} templates, ${LAYER_GRAPHS.length} layer-kind graphs, ` +
        `${EDGE_GRAPHS.length + MULTI_OUTPUT_GRAPHS.length} edge cases, ${cases.length - TEMPLATES.length - LAYER_GRAPHS.length - EDGE_GRAPHS.length - MULTI_OUTPUT_GRAPHS.length} random, seed ${SEED}): ` +
        `${programs.length} programs and JSON files in ${keras.seconds.toFixed(1)} s`,
    );
  }, 900_000);

  /** Cases whose subclassed model Keras 3 on JAX cannot trace for their unknown sizes (see problemsOf). */
  const subclassGaps = new Set<string>();

  /** Every problem of one case, over its forms and its JSON. */
  const problemsOf = (c: Case): string[] => {
    const out = [...(refusals.get(c.id) ?? [])];
    const mine = programs.filter((x) => x.id.startsWith(`${c.id} `));
    const keras3Only = mine.some((p) => p.id.endsWith(' json-keras3'));
    for (const p of mine) {
      const r = keras.results.get(p.id)!;
      // A legitimate difference (tests/keras/README.md): the export keeps the classes tfjs reads, and
      // Keras 3 removed some of them (ThresholdedReLU). Keras must refuse such a file naming the class;
      // the copy with Keras 3's equivalents is then compared in full.
      if (keras3Only && p.id.endsWith(' json')) {
        const removed = removedClasses(c.graph);
        if (r.ok) out.push(`${p.id}: Keras 3 loaded a file with ${removed.join(', ')}, which Keras 3.15 has no class for: update KERAS3_REMOVED`);
        else if (!removed.some((k) => r.error.includes(`'${k}'`))) out.push(`${p.id}: Keras refused it, but not for ${removed.join(', ')}: ${r.error}`);
        continue;
      }
      // tf.keras 2's form of a recurrent layer called with initial states (one node on [x, h, c], the form tfjs reads):
      // Keras 3 reads the legacy list as one argument and refuses it, naming the layer; the Keras 3 form (json3,
      // `kwargs.initial_state`) is compared in full.
      const stated = withInitialStates(c.graph);
      if (stated.length && (p.id.endsWith(' json') || p.id.endsWith(' json-keras3'))) {
        if (r.ok) out.push(`${p.id}: Keras 3 loaded the legacy [x, h, c] form of ${stated.join(', ')}: compare it in full`);
        else if (!stated.some((n) => r.error.includes(`Layer "${n}" expects 1 input(s)`)))
          out.push(`${p.id}: Keras refused it, but not for ${stated.join(', ')}: ${r.error}`);
        continue;
      }
      // A known gap (reported to the lead, issue 11): Keras 3 on JAX builds a subclassed model by tracing `call` with
      // JAX symbolic sizes, and a layer that tests an unknown (None) size other than the batch refuses to be traced
      // ("Symbolic dimension comparison … is inconclusive": Cropping2D on (None, None, 3)); the Functional form of the
      // same graph builds. Counted and printed, not failed; any other refusal fails.
      if (!r.ok && p.id.endsWith(' python subclassing') && unknownDims(c.graph).length && r.error.includes('InconclusiveDimensionOperation')) {
        subclassGaps.add(c.id);
        continue;
      }
      if (!r.ok) out.push(`${p.id}: Keras refused it: ${r.error}${r.where ? ` (at ${r.where})` : ''}`);
      else out.push(...compare(p.id, c.graph, r.model, p.kind === 'python' ? 'python' : p.id.endsWith(' json') ? 'json' : 'json-keras3'));
    }
    return out;
  };

  /** Differences after opening Keras 3's own `to_json()` of each program's model in Layerlab; known gaps apart. */
  const importProblemsOf = (c: Case): { problems: string[]; known: string[] } => {
    const problems: string[] = [];
    const known: string[] = [];
    for (const p of programs.filter((x) => x.id.startsWith(`${c.id} python `))) {
      const r = keras.results.get(p.id)!;
      if (!r.ok || !r.model.to_json) continue;
      for (const line of compareImport(`${p.id} to_json`, c.graph, r.model.to_json)) (IMPORT_GAPS.some((g) => g.test(line)) ? known : problems).push(line);
    }
    return { problems, known };
  };

  it("the Keras 3 export is written as Keras 3's own to_json() writes the same model (every graph)", () => {
    const problems: string[] = [];
    let compared = 0;
    for (const c of cases) {
      const ours = programs.find((p) => p.id === `${c.id} json3`);
      // Keras's file of the same model: the generated program in the API the export uses.
      const r = keras.results.get(`${c.id} python ${c.forms[0]}`);
      if (!ours || !r?.ok || !r.model.to_json) continue;
      compared++;
      problems.push(
        ...compareKeras3Form(`${c.id} json3`, JSON.parse(ours.text) as Obj, JSON.parse(r.model.to_json) as Obj).map(
          (p) => `${p}\n    graph: ${describeGraph(c.graph)}`,
        ),
      );
    }
    console.log(`Keras oracle: the Keras 3 export of ${compared} of ${cases.length} graphs compared with Keras 3's own to_json()`);
    expect(compared).toBe(cases.length);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it("Keras 3's own to_json() of every program's model opens in Layerlab with the same layers, shapes and counts", () => {
    const all = cases.map((c) => ({ c, ...importProblemsOf(c) }));
    const known = all.filter((x) => x.known.length);
    const byGap = IMPORT_GAPS.map((g) => `${all.filter((x) => x.known.some((l) => g.test(l))).length} × ${g.source}`);
    console.log(
      `Keras oracle: ${all.length - known.length} of ${all.length} graphs reopen from Keras 3's to_json(); known importer gaps (issue 8 note): ${byGap.join('; ')}`,
    );
    const problems = all.flatMap((x) => x.problems.map((p) => `${p}\n    graph: ${describeGraph(x.c.graph)}`));
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it.each(cases.filter((c) => !c.id.startsWith('random:')))('$id', (c) => {
    expect(problemsOf(c)).toEqual([]);
  });

  it('the comparison reports a difference: a count, a shape, a class, a missing layer (each named)', () => {
    const c = cases.find((x) => x.id === 'template:purchase-predictor')!;
    const r = keras.results.get(`${c.id} python functional`)!;
    if (!r.ok) throw new Error(r.error);
    expect(compare('probe', c.graph, r.model, 'python')).toEqual([]);
    const dense = r.model.layers.find((l) => l.name === 'dense_combined')!;
    const layers = r.model.layers
      .map((l) => (l.name === 'dense_combined' ? { ...l, trainable: l.trainable + 1, shapes: [[null, 31]], class: 'Conv1D' } : l))
      .filter((l) => l.name !== 'dropout_text');
    const seen = compare('probe', c.graph, { ...r.model, layers, total: r.model.total + 1 }, 'python');
    expect(seen).toEqual([
      "probe: layer 'dropout_text' (Dropout): missing in Keras's model",
      'probe: layer \'dense_combined\' class: Layerlab "Dense", Keras "Conv1D"',
      `probe: layer 'dense_combined' trainable parameters: Layerlab ${dense.trainable}, Keras ${dense.trainable + 1}`,
      'probe: layer \'dense_combined\' output shape: Layerlab ["[null,32]"], Keras ["[null,31]"]',
      `probe: total: Layerlab ${r.model.total}, Keras ${r.model.total + 1}`,
    ]);
  });

  it('a subclassed model is compared by its traced calls: a shape, an output, an input order (each named)', () => {
    const c = cases.find((x) => x.id === 'template:purchase-predictor')!;
    const r = keras.results.get(`${c.id} python subclassing`)!;
    if (!r.ok) throw new Error(r.error);
    expect(r.model.subclassed).toBe(true);
    expect(r.model.class).toBe('MultiInputPurchasePredictor');
    expect(compare('probe', c.graph, r.model, 'python')).toEqual([]);
    const layers = r.model.layers.map((l) => (l.name === 'concatenate_branches' ? { ...l, shapes: [[null, 63]] } : l));
    const seen = compare('probe', c.graph, { ...r.model, layers, outputs: ['dense_combined'], input_shapes: [...r.model.input_shapes!].reverse() }, 'python');
    expect(seen).toEqual([
      'probe: layer \'concatenate_branches\' output shape: Layerlab ["[null,64]"], Keras ["[null,63]"]',
      'probe: model input shapes: Layerlab [[null,64,64,3],[null,100]], Keras [[null,100],[null,64,64,3]]',
      'probe: model outputs: Layerlab ["output_sigmoid"], Keras ["dense_combined"]',
    ]);
  });

  it("the Keras 3 form comparison reports a difference: a module, a build_config, a tensor's shape, a call's source", () => {
    const c = cases.find((x) => x.id === 'template:siamese')!;
    const r = keras.results.get(`${c.id} python functional`)!;
    if (!r.ok || !r.model.to_json) throw new Error(r.ok ? 'no to_json' : r.error);
    const ours = JSON.parse(programs.find((p) => p.id === `${c.id} json3`)!.text) as Obj;
    expect(compareKeras3Form('probe', ours, JSON.parse(r.model.to_json) as Obj)).toEqual([]);
    const changed = JSON.parse(r.model.to_json) as { config: { layers: Obj[] } };
    // The first layer called on another layer's output: its class module, build_config, first tensor's shape and source changed.
    const target = changed.config.layers.find((l) => (l.inbound_nodes as unknown[]).length && l.build_config)!;
    const name = String((target.config as Obj).name);
    const tensor = ((target.inbound_nodes as Obj[])[0].args as Obj[])[0] as { config: { shape: (number | null)[]; keras_history: unknown[] } };
    const was = callText(tensor, new Set());
    target.module = 'keras.src.layers';
    target.build_config = { input_shape: [null, 1] };
    tensor.config.shape = [null, 1];
    tensor.config.keras_history = ['elsewhere', 0, 0];
    const seen = compareKeras3Form('probe', ours, changed as unknown as Obj);
    expect(seen.map((line) => line.split(':').slice(0, 2).join(':'))).toEqual([
      `probe: layer '${name}' module, class, registered name`,
      `probe: layer '${name}' build_config`,
      `probe: layer '${name}' inbound nodes`,
    ]);
    expect(seen[2]).toContain(String(was));
    expect(seen[2]).toContain('elsewhere[0][0] [null,1] float32');
  });

  it(`${GRAPHS} random graphs of the property test's generator (seed ${SEED})`, () => {
    const random = cases.filter((c) => c.id.startsWith('random:'));
    expect(random).toHaveLength(GRAPHS);
    const problems = random.flatMap((c) => problemsOf(c).map((p) => `${p}\n    graph: ${describeGraph(c.graph)}`));
    const bad = new Set(problems.map((p) => p.split(' ')[0]));
    console.log(`Keras oracle: ${random.length - bad.size} of ${random.length} random graphs agree`);
    console.log(
      `Keras oracle: known gap, subclassed models Keras 3 on JAX cannot trace with unknown sizes: ${subclassGaps.size ? [...subclassGaps].join(', ') : 'none'}`,
    );
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
