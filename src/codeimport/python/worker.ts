/**
 * The Python import worker (a module Web Worker): answers `CodeImportRequest`s for language 'python' with
 * `CodeImportMessage`s. Pyodide is loaded on the first request, from the files the app serves itself under
 * `<base>pyodide/` (copied there by the `layerlab:pyodide-files` plugin in vite.config.ts; no CDN), with `progress`
 * messages while it loads.
 *
 * Safety: once Pyodide has loaded its own files and before any user code runs, the worker removes `fetch`,
 * `XMLHttpRequest`, `WebSocket`, `EventSource`, `importScripts`, `indexedDB`, `caches` and the worker constructors from
 * its global scope, so the code cannot reach the network or storage (and the stand-in refuses `import js`).
 *
 * Time limit: the 10 s limit is the client's (src/codeimport/client.ts), which terminates this worker. A Python loop
 * that never ends (`while True: pass`) blocks this worker's thread, but `Worker.terminate()` stops a worker whatever
 * it runs (it does not need the worker's cooperation), so nothing here has to check a clock; the client starts a new
 * worker (and Pyodide loads again) on the next request.
 */
/// <reference lib="webworker" />
import type { CodeImportMessage, CodeImportRequest } from '../types';
import { preparePyodide, runPythonImport, type PyodideLike } from './run';

declare const self: DedicatedWorkerGlobalScope;

let ready: Promise<PyodideLike> | null = null;

const post = (m: CodeImportMessage) => self.postMessage(m);

/** The globals user code must not reach, removed before it first runs. */
const BLOCKED = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'indexedDB', 'caches', 'Worker', 'SharedWorker', 'BroadcastChannel'];

function lockDown(): void {
  for (const name of BLOCKED) {
    try {
      Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false });
    } catch {
      // A property the scope does not let us redefine: remove it where we can.
      try {
        delete (self as unknown as Record<string, unknown>)[name];
      } catch {
        // Left as is; the stand-in still refuses `import js`.
      }
    }
  }
}

/** Loads Pyodide from the app's own files once, installs the stand-in, then locks the scope down. */
function load(id: number): Promise<PyodideLike> {
  ready ??= (async () => {
    post({ id, type: 'progress', stage: 'Loading Python (first import only)…', fraction: 0 });
    const indexURL = new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href;
    const mod = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import('pyodide');
    post({ id, type: 'progress', stage: 'Loading Python (first import only)…', fraction: 0.2 });
    const pyodide = await mod.loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
    post({ id, type: 'progress', stage: 'Preparing the Keras stand-in…', fraction: 0.9 });
    preparePyodide(pyodide);
    lockDown();
    post({ id, type: 'progress', stage: 'Ready', fraction: 1 });
    return pyodide;
  })();
  return ready;
}

self.onmessage = async (e: MessageEvent<CodeImportRequest>) => {
  const { id, language, code } = e.data;
  if (language !== 'python') {
    post({ id, type: 'result', result: { ok: false, reason: `This worker imports Python code, not ${String(language)}.` } });
    return;
  }
  try {
    const pyodide = await load(id);
    post({ id, type: 'result', result: await runPythonImport(pyodide, code) });
  } catch (err) {
    ready = null;
    post({ id, type: 'result', result: { ok: false, reason: `Python could not be started in the page: ${(err as Error)?.message ?? 'unknown reason'}` } });
  }
};
