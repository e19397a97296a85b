/**
 * The Python import engine: runs Keras code in Pyodide against Layerlab's recording stand-in for Keras
 * (keras_standin.py) and reads the model it builds with the Keras JSON importer. Usable in Node (tests load Pyodide
 * from node_modules) and in the import worker (worker.ts).
 */
import standinSource from './keras_standin.py?raw';
import { standinSpecJson } from './layerSpec';
import { codeMessage, layerShapes, modelInfo } from './coreBridge';
import { application } from './applications';
import { importKerasJson } from '../../core/serialize/kerasImport';
import { isPythonArgs, keptEntry, MAX_PYTHON_SOURCE } from '../../core/layers/opaque';
import type { Graph } from '../../core/graph/types';
import type { CodeImportResult } from '../types';

/** The part of Pyodide's API the engine uses (`PyodideAPI` from the `pyodide` package fits it). */
export interface PyodideLike {
  runPython(code: string, options?: { globals?: unknown }): unknown;
  registerJsModule(name: string, module: object): void;
  readonly FS: { writeFile(path: string, data: string): void };
}

/** Where the stand-in module is written in Pyodide's file system (a folder on Python's path). */
const MODULE_DIR = '/home/pyodide';
const prepared = new WeakSet<object>();

/** The stand-in's `run` function, held as a callable proxy per Pyodide instance. */
type RunFn = ((code: string) => string) & { destroy?: () => void };
const runners = new WeakMap<object, RunFn>();

/**
 * Installs the stand-in into a loaded Pyodide (once per instance): registers the core bridge as the JavaScript module
 * `layerlab_core` and writes `layerlab_standin.py` with the registry's layer list. Loads no Python package.
 */
export function preparePyodide(pyodide: PyodideLike): void {
  if (prepared.has(pyodide)) return;
  pyodide.registerJsModule('layerlab_core', { layer_shapes: layerShapes, model_info: modelInfo, application });
  pyodide.FS.writeFile(`${MODULE_DIR}/layerlab_standin.py`, standinSource);
  const spec = standinSpecJson();
  const fn = pyodide.runPython(
    `import sys\nif ${JSON.stringify(MODULE_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(MODULE_DIR)})\nimport layerlab_standin\nlayerlab_standin.install(${JSON.stringify(spec)})\nlayerlab_standin.run`,
  ) as RunFn;
  runners.set(pyodide, fn);
  prepared.add(pyodide);
}

interface StandinAnswer {
  readonly ok: boolean;
  readonly json?: string;
  readonly notes?: readonly string[];
  readonly reason?: string;
  readonly line?: number;
  readonly lines?: Readonly<Record<string, number>>;
  /** Layer subclasses kept as one opaque node, by layer name (keras_standin.py `_opaque_call`). */
  readonly opaque?: Readonly<Record<string, OpaqueInfo>>;
}

/** What the stand-in found out about a layer subclass it kept as one opaque node by tracing its build() and call(). */
interface OpaqueInfo {
  readonly class: string;
  /** The output shape without the batch axis, or null when tracing could not find it. */
  readonly output_shape: (number | null)[] | null;
  /** Where the output shape came from: tracing its call(), or its own compute_output_shape. */
  readonly shape_from?: 'call' | 'compute_output_shape';
  /** Keras's counts of its weights (its own and its sublayers'), absent when tracing could not run its call(). */
  readonly trainable?: number;
  readonly non_trainable?: number;
  /** The class's Python source with the imports and module-level definitions it uses (keras_standin.py `_class_source`). */
  readonly source?: string;
  /** The arguments the code passed to the class (keras_standin.py `_ctor_args`), kept with the source. */
  readonly args?: unknown;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 2 ** 31 - 1;
const isShape = (v: unknown): v is (number | null)[] =>
  Array.isArray(v) && v.length >= 1 && v.length <= 5 && v.every((d) => d === null || (Number.isInteger(d) && d >= 1 && d <= 1 << 24));

/**
 * Puts what the stand-in traced on the opaque nodes of layer subclasses (matched by layer name and class): the weight
 * counts Keras gives them (`trainable_params`, `non_trainable_params`) and, where the importer found none (a model
 * output, which no layer reads), the output shape. Keras JSON carries neither, so they travel beside it.
 * @returns the graph and the importer's warnings with the opaque-layer note made true for code: a traced layer's
 *   shape comes from running its call(), and "weights not counted" stays only while some placeholder of a class
 *   (not an operation) has no counts.
 */
function withTracedOpaque(graph: Graph, warnings: readonly string[], info: Readonly<Record<string, OpaqueInfo>>): { graph: Graph; warnings: string[] } {
  const traced = new Set<string>();
  const shaped = new Map<string, string>();
  const nodes = graph.nodes.map((n) => {
    const i = Object.hasOwn(info, n.name) ? info[n.name] : undefined;
    if (n.kind !== 'Opaque' || !i || n.params.class_name !== i.class) return n;
    const params = { ...n.params };
    if (params.output_shape === null && isShape(i.output_shape)) params.output_shape = i.output_shape;
    if (params.output_shape !== null) shaped.set(n.name, i.shape_from === 'compute_output_shape' ? 'its compute_output_shape' : 'running its call()');
    if (isCount(i.trainable) && isCount(i.non_trainable)) {
      params.trainable_params = i.trainable;
      params.non_trainable_params = i.non_trainable;
      traced.add(n.name);
    }
    const args = typeof i.source === 'string' ? JSON.stringify(i.args ?? null) : '';
    if (typeof i.source === 'string' && i.source.length <= MAX_PYTHON_SOURCE && args.length <= MAX_PYTHON_SOURCE && isPythonArgs(i.args)) {
      params.python_source = i.source;
      params.python_args = args;
    }
    return { ...n, params };
  });
  if (!nodes.some((n, k) => n !== graph.nodes[k])) return { graph, warnings: [...warnings] };
  const isOp = (n: Graph['nodes'][number]) => {
    const m = keptEntry(n.params.layer_json).module;
    return typeof m === 'string' && m.startsWith('keras.src.ops');
  };
  const uncounted = nodes.some((n) => n.kind === 'Opaque' && !traced.has(n.name) && !isOp(n));
  const out = warnings.map((w) => {
    if (!w.startsWith('Kept ')) return w;
    let t = w;
    for (const [name, from] of shaped) {
      const cls = String(nodes.find((n) => n.name === name)!.params.class_name);
      const said = traced.has(name)
        ? `output shape and weights from ${from === 'running its call()' ? 'running its build() and call()' : from}`
        : `output shape from ${from}`;
      for (const was of ['output shape unknown: enter it in the inspector', 'output shape from the shape the file records for it'])
        t = t.replace(`'${name}' (${cls}, ${was})`, `'${name}' (${cls}, ${said})`);
    }
    const clause = "; a custom class's weights, if it has any, are not counted (the file does not say them)";
    return t.replace(clause, uncounted ? "; a custom class's weights, if it has any, are not counted (Layerlab could not work them out from the code)" : '');
  });
  return { graph: { ...graph, nodes }, warnings: out };
}

/** Text that must never reach the user (rules of the house): engine internals in place of a message. */
const LEAKS = /\[object Object\]|function Object\(\)|Maximum call stack size exceeded/;

/**
 * Runs Keras Python code and returns the model it builds.
 * The code runs against the stand-in: `keras`, `tensorflow` (`tf.keras`), `tensorflow.keras` and a numpy stub; any
 * other import is refused by name, `compile`/`fit`/`summary`/… are recorded as ignored (listed in `notes`). The model is
 * the one assigned to `model`, else the last `keras.Model` / `keras.Sequential` made; it goes through
 * `importKerasJson`, so its checks, opaque nodes for unknown classes and flattening of nested models apply.
 * @returns `{ ok: true, graph, notes }`, or `{ ok: false, reason, line? }`: a Python exception as
 *   '<ExceptionType>: <message>' with the 1-based line in `code` where it was raised (a SyntaxError's line), code that
 *   built no model, or the importer's refusal (with the line of the layer it names, when found). Never throws for bad
 *   code; a long-running loop blocks the caller (the worker is terminated by its client).
 */
export async function runPythonImport(pyodide: PyodideLike, code: string): Promise<CodeImportResult> {
  preparePyodide(pyodide);
  const run = runners.get(pyodide)!;
  let answer: StandinAnswer;
  try {
    answer = JSON.parse(run(code)) as StandinAnswer;
  } catch (e) {
    const msg = (e as Error)?.message ?? '';
    if (/call stack|recursion/i.test(msg)) return { ok: false, reason: 'RecursionError: the code recurses too deeply for Python in the page.' };
    return { ok: false, reason: `Python stopped unexpectedly while running the code: ${msg.split('\n').filter(Boolean).pop() ?? 'no message'}` };
  }
  if (!answer.ok) {
    const reason = LEAKS.test(answer.reason ?? '') ? 'The code failed in a way Layerlab cannot describe.' : (answer.reason ?? 'The code could not be run.');
    const line = answer.line ?? lineOfNamed(reason, answer.lines ?? {});
    return line ? { ok: false, reason, line } : { ok: false, reason };
  }
  const r = importKerasJson(answer.json ?? '');
  if (!r.ok) {
    const reason = codeMessage(r.reason);
    const line = lineOfNamed(reason, answer.lines ?? {});
    return line ? { ok: false, reason, line } : { ok: false, reason };
  }
  const { graph, warnings } = withTracedOpaque(r.graph, r.warnings, answer.opaque ?? {});
  return { ok: true, graph, notes: [...(answer.notes ?? []), ...warnings.map(codeMessage)] };
}

/** The line where the first layer a message names ('name') was made, if the stand-in recorded it. */
function lineOfNamed(message: string, lines: Readonly<Record<string, number>>): number | undefined {
  for (const m of message.matchAll(/'([^']{1,200})'/g)) {
    const line = lines[m[1]];
    if (typeof line === 'number') return line;
  }
  return undefined;
}
