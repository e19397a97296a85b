/**
 * The Python import worker (a module Web Worker): answers `CodeImportRequest`s for language 'python' with
 * `CodeImportMessage`s. Pyodide is loaded on the first request, from the files the app serves itself under
 * `<base>pyodide/` (copied there by the `layerlab:pyodide-files` plugin in vite.config.ts; no CDN), with `progress`
 * messages while it loads.
 *
 * Safety: once Pyodide has loaded its own files and before any user code runs, the worker replaces `fetch`,
 * `XMLHttpRequest`, `WebSocket`, `EventSource`, `importScripts`, `indexedDB`, `caches`, channels and the worker
 * constructors on its scope and their prototypes with refusals (`lockDown`, shared with the TypeScript engine:
 * typescript/sandbox.ts), so nothing run afterwards reaches the network or storage; the Python stand-in also refuses
 * `import js` and `import pyodide` (the bridges to JavaScript).
 *
 * Time limit: the 10 s limit is the client's (src/codeimport/client.ts), which terminates this worker. A Python loop
 * that never ends (`while True: pass`) blocks this worker's thread, but `Worker.terminate()` stops a worker whatever
 * it runs (it does not need the worker's cooperation), so nothing here has to check a clock; the client starts a new
 * worker (and Pyodide loads again) on the next request.
 */
/// <reference lib="webworker" />
import type { CodeImportMessage, CodeImportRequest } from '../types';
import { preparePyodide, runPythonImport, type PyodideLike } from './run';
import { lockDown } from '../typescript/sandbox';

declare const self: DedicatedWorkerGlobalScope;

let ready: Promise<PyodideLike> | null = null;

const post = (m: CodeImportMessage) => self.postMessage(m);

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
    lockDown(self);
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
