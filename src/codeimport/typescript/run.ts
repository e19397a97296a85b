/**
 * The TypeScript / JavaScript import engine: strips types with sucrase, runs the code against the recording stand-in
 * of `tf` (standin.ts) and turns the model it built into a graph through core's `importKerasJson`. Runs in the import
 * worker (worker.ts) and, for tests, directly in Node.
 */
import { transform } from 'sucrase';
import { autoLayout, chainLayout, importKerasJson, isChain, layeredLayout, type Graph } from '../../core';
import type { CodeImportResult } from '../types';
import { inert, ModelStub, Recorder, StandinError, SymbolicTensorStub } from './standin';

/** The file name the code runs under, so stack frames of the user's code can be told apart from the stand-in's. */
const SOURCE_URL = 'layerlab-import-code.js';

/** Graphs up to this many layers are laid out with dagre (core `autoLayout`); larger ones with `layeredLayout`. */
const DAGRE_LIMIT = 400;

/** The modules code may import: tfjs (and its scoped packages' main entry), and Layerlab's custom layers file. */
const TFJS_MODULES = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-core']);

type AsyncFn = (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: new (...args: string[]) => AsyncFn }).constructor;

/** Lines the engine puts before a `new AsyncFunction` body (V8: 2): measured once with a probe, not assumed. */
let bodyOffset: number | null = null;
async function lineOffset(): Promise<number> {
  if (bodyOffset !== null) return bodyOffset;
  try {
    const probe = new AsyncFunction('require', 'exports', 'module', `return new Error('probe');\n//# sourceURL=${SOURCE_URL}`);
    const line = lineIn(((await probe()) as Error).stack ?? '', 0);
    bodyOffset = line === null ? 2 : line - 1;
  } catch {
    bodyOffset = 2;
  }
  return bodyOffset;
}

/** The first line number of a stack frame in the user's code, minus `offset`; null when no frame is. */
function lineIn(stack: string, offset: number): number | null {
  const re = new RegExp(`${SOURCE_URL.replace(/\./g, '\\.')}:(\\d+)(?::\\d+)?`);
  const m = re.exec(stack);
  return m ? Number(m[1]) - offset : null;
}

/**
 * The `tf` the code sees: `tf.input`, `tf.layers.<factory>` for every kind core knows, `tf.sequential`, `tf.model`,
 * and inert stand-ins for everything else (tensors, optimizers, `tf.tidy`, `tf.dispose`…), which accept any call.
 */
function tfStandin(rec: Recorder): Record<string, unknown> {
  const layers = factoryProxy(rec, 'tf.layers');
  const known: Record<string, unknown> = {
    __esModule: true,
    input: (args: unknown) => rec.input(args),
    sequential: (args?: unknown) => rec.sequential(args),
    model: (args: unknown) => rec.model(args),
    layers,
    SymbolicTensor: SymbolicTensorStub,
    loadLayersModel: () => {
      throw new StandinError(
        'tf.loadLayersModel reads a saved model from a URL; Layerlab imports code that builds a model. Open the model.json with Open… instead.',
      );
    },
  };
  return new Proxy(known, {
    get(t, key) {
      if (typeof key === 'symbol') return undefined;
      if (key in t) return t[key];
      if (key === 'then') return undefined;
      return inert(`tf.${key}`);
    },
  });
}

/** `tf.layers` or the custom layers module: any factory name is looked up in core's registry when called. */
function factoryProxy(rec: Recorder, module: string): Record<string, unknown> {
  const target: Record<string, unknown> = { __esModule: true };
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'symbol') return undefined;
      if (key in t) return t[key];
      if (key === 'then') return undefined;
      if (key === 'Layer') return class {};
      return (args?: unknown) => rec.layer(module, key, args);
    },
  });
}

/**
 * `require` for the transformed code: tfjs and the custom layers module map to the stand-in. Any other module (tfjs-vis
 * for charts, a tutorial's `./data.js`) is an inert stand-in that accepts every call and loads nothing; its name is
 * added to `others` for a note.
 */
function requireFor(tf: Record<string, unknown>, custom: Record<string, unknown>, others: Set<string>): (name: string) => unknown {
  return (name: string) => {
    if (TFJS_MODULES.has(name)) return tf;
    if (/(^|\/)layerlab-layers(\.[jt]s)?$/.test(name)) return custom;
    others.add(name);
    return inert(name);
  };
}

/** The globals of a page the code may touch, as parameters that shadow the real ones (see `pageStandins`). */
const PAGE_GLOBALS = ['document', 'window', 'fetch', 'XMLHttpRequest'] as const;

/**
 * Stand-ins for a browser tutorial's page: `document` and `window` accept any call, and the functions the code hands to
 * `addEventListener('DOMContentLoaded' | 'load', f)` or `window.onload = f` are kept in `handlers` (the tutorials build
 * their model from there). `fetch` and `XMLHttpRequest` refuse, naming themselves: data is never loaded (the import
 * worker also removes the real ones, sandbox.ts).
 */
function pageStandins(handlers: (() => unknown)[]): unknown[] {
  const target = (label: string) =>
    new Proxy(
      {},
      {
        get(_t, key) {
          if (key === 'addEventListener')
            return (type: unknown, f: unknown) => {
              if ((type === 'DOMContentLoaded' || type === 'load') && typeof f === 'function') handlers.push(f as () => unknown);
            };
          if (typeof key === 'symbol' || key === 'then') return undefined;
          return inert(`${label}.${key}`);
        },
        set(_t, key, value) {
          if (key === 'onload' && typeof value === 'function') handlers.push(value as () => unknown);
          return true;
        },
      },
    );
  const refuse = (name: string) => () => {
    throw new StandinError(`${name} is not available to imported code: Layerlab runs it without network access and loads no data.`);
  };
  return [target('document'), target('window'), refuse('fetch'), refuse('XMLHttpRequest')];
}

/**
 * Functions of the code that look like model builders (a name with "model" in it, no parameters: `function
 * createModel()`, `const getModel = () =>`), in source order: called when nothing else built a model.
 */
function modelMakers(js: string): string[] {
  const names: string[] = [];
  const re = /(?:function\s+([A-Za-z_$][\w$]*)\s*\(\s*\)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\s*\(\s*\)|\(\s*\)\s*=>))/g;
  for (let m = re.exec(js); m; m = re.exec(js)) {
    const name = m[1] ?? m[2];
    if (/model/i.test(name) && !names.includes(name)) names.push(name);
  }
  return names.slice(0, 8);
}

/**
 * Runs tfjs TypeScript or JavaScript and returns the model it builds as a graph (laid out, names as in the code).
 * Types are stripped with sucrase (line numbers preserved), `import`/`require` of '@tensorflow/tfjs' and
 * './layerlab-layers' get the recording stand-ins; top-level `await` works. The model is the value of a variable
 * named `model` when there is one, else the last `tf.model` / `tf.sequential` made. It is written as tfjs's
 * `model.toJSON()` and read by core's `importKerasJson`, so every check of a file import applies.
 * @returns `{ ok: true, graph, notes }` (notes: calls that were ignored, what the importer changed), or
 *   `{ ok: false, reason, line? }`: a syntax error or an exception with its 1-based line in the code when known,
 *   no model built, or the importer's reason. Never throws.
 */
export async function runTypeScriptImport(code: string): Promise<CodeImportResult> {
  let js: string;
  try {
    js = transform(code, { transforms: ['typescript', 'imports'], production: true }).code;
  } catch (e) {
    // sucrase's loc: line and column both counted from 1.
    const loc = (e as { loc?: { line?: number; column?: number } }).loc;
    const message = ((e as Error).message ?? 'the code could not be read').replace(/\s*\(\d+:\d+\)\s*$/, '').replace(/\.$/, '');
    const column = typeof loc?.column === 'number' ? ` (column ${loc.column})` : '';
    return { ok: false, reason: `Syntax error: ${message}${column}.`, ...(loc?.line ? { line: loc.line } : {}) };
  }
  const rec = new Recorder();
  const tf = tfStandin(rec);
  const custom = factoryProxy(rec, 'layerlab');
  const exportsObject: Record<string, unknown> = {};
  const others = new Set<string>();
  const handlers: (() => unknown)[] = [];
  const makers = modelMakers(js);
  // Code written for a <script> tag uses tf (and tfjs-vis as tfvis) as globals: given when the code declares none.
  const declared = (name: string) => new RegExp(`\\b(?:var|let|const|function|class)\\s+${name}\\b`).test(js);
  const scriptGlobals: [string, unknown][] = (
    [
      ['tf', tf],
      ['tfvis', inert('tfvis')],
    ] as [string, unknown][]
  ).filter(([name]) => !declared(name));
  let fn: AsyncFn;
  try {
    // The last line hands back `model` when the code declares one (a top-level const is local to the function), and the
    // functions that look like model builders.
    const found = makers.map((m) => `${JSON.stringify(m)}: typeof ${m} === 'function' ? ${m} : undefined`).join(', ');
    fn = new AsyncFunction(
      'require',
      'exports',
      'module',
      ...PAGE_GLOBALS,
      ...scriptGlobals.map(([name]) => name),
      `${js}\n;return { model: typeof model === 'undefined' ? undefined : model, makers: { ${found} } };\n//# sourceURL=${SOURCE_URL}`,
    );
  } catch (e) {
    return { ok: false, reason: `Syntax error: ${(e as Error).message}.` };
  }
  let returned: { model?: unknown; makers: Record<string, unknown> };
  try {
    returned = (await fn(
      requireFor(tf, custom, others),
      exportsObject,
      { exports: exportsObject },
      ...pageStandins(handlers),
      ...scriptGlobals.map(([, v]) => v),
    )) as typeof returned;
  } catch (e) {
    return failure(e, await lineOffset());
  }
  const chosenNow = () =>
    [returned.model, exportsObject.model, exportsObject.default].find((c): c is ModelStub => c instanceof ModelStub) ?? rec.models[rec.models.length - 1]?.stub;
  const notes: string[] = [];
  if (others.size)
    notes.push(
      `${[...others].map((m) => `'${m}'`).join(', ')}: not loaded; Layerlab gave ${others.size === 1 ? 'it a stand-in that accepts' : 'them stand-ins that accept'} every call.`,
    );
  // A browser tutorial builds its model in a DOMContentLoaded handler, or in a createModel() the handler calls after
  // loading data: run the handlers, then the builders, until one makes a model.
  let firstError: unknown = null;
  for (const h of handlers) {
    if (chosenNow()) break;
    try {
      await h();
    } catch (e) {
      firstError ??= e;
    }
  }
  for (const name of makers) {
    if (chosenNow()) break;
    const f = returned.makers[name];
    if (typeof f !== 'function') continue;
    try {
      const made = await (f as () => unknown)();
      if (made instanceof ModelStub) returned.model = made;
      if (chosenNow()) notes.push(`The model is the one ${name}() builds: Layerlab called it, as nothing at the top level of the code did.`);
    } catch (e) {
      firstError ??= e;
    }
  }
  const chosen = chosenNow();
  if (!chosen && firstError) return failure(firstError, await lineOffset());
  if (!chosen) {
    const applied = rec.layers.some((l) => l.calls.length && l.className !== 'InputLayer');
    return {
      ok: false,
      reason: applied
        ? 'The code ran but never built a model: pass the inputs and outputs to tf.model({ inputs, outputs }), or use tf.sequential.'
        : 'The code ran but never built a model (tf.sequential or tf.model).',
    };
  }
  if (chosen.rec.kind === 'sequential' && !chosen.rec.layers.length) return { ok: false, reason: `The Sequential model '${chosen.name}' has no layers.` };
  let json: string;
  try {
    json = chosen.toJSON();
  } catch (e) {
    return failure(e, await lineOffset());
  }
  const r = importKerasJson(json, { layout: false });
  if (!r.ok) return { ok: false, reason: r.reason };
  return { ok: true, graph: layout(r.graph), notes: [...notes, ...rec.notes(), ...r.warnings] };
}

/** A chain as a column, other graphs with dagre up to DAGRE_LIMIT layers, larger ones with the layered layout. */
function layout(graph: Graph): Graph {
  if (graph.nodes.length > 1 && isChain(graph)) return chainLayout(graph);
  return graph.nodes.length <= DAGRE_LIMIT ? autoLayout(graph) : layeredLayout(graph);
}

/** An exception from the code as a result: its message (never "[object Object]") and the line of the code it came from. */
function failure(e: unknown, offset: number): CodeImportResult {
  const err = e instanceof Error ? e : null;
  const line = err?.stack ? lineIn(err.stack, offset) : null;
  let message: string;
  if (e instanceof StandinError) message = e.message;
  else if (err instanceof RangeError && /call stack/i.test(err.message)) message = 'The code recursed too deeply (a function that calls itself without end?).';
  else if (err) message = `${err.name}: ${err.message}`;
  else message = `The code threw ${typeof e === 'string' ? `'${e.slice(0, 200)}'` : 'a value that is not an error'}.`;
  return { ok: false, reason: message, ...(line !== null && line > 0 ? { line } : {}) };
}
