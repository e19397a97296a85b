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
  return { ok: true, graph: r.graph, notes: [...(answer.notes ?? []), ...r.warnings.map(codeMessage)] };
}

/** The line where the first layer a message names ('name') was made, if the stand-in recorded it. */
function lineOfNamed(message: string, lines: Readonly<Record<string, number>>): number | undefined {
  for (const m of message.matchAll(/'([^']{1,200})'/g)) {
    const line = lines[m[1]];
    if (typeof line === 'number') return line;
  }
  return undefined;
}
