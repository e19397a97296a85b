import { defineConfig, type Plugin } from 'vite';
import { configDefaults } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { createReadStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer); see docs/browser-runtime.md. */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Threaded wasm breaks in a minified build: tfjs re-serialises Emscripten's module factory with
 * `Function.prototype.toString()` to start its pthread workers, and the factory refers to an outer
 * variable `_scriptDir` that the minifier renames (tfjs issues #4107, #4539: "e is not defined").
 * Making it a `globalThis` property keeps the name through minification.
 */
function keepEmscriptenScriptDir(): Plugin {
  return {
    name: 'layerlab:keep-emscripten-scriptdir',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm-threaded-simd.js')) return null;
      const out = code.replace(/\bvar _scriptDir\b/g, 'globalThis._scriptDir').replace(/(?<![.\w$])_scriptDir\b/g, 'globalThis._scriptDir');
      return { code: out, map: null };
    },
  };
}

/** The Pyodide files the Python import worker loads (src/codeimport/python/worker.ts), served from the app itself. */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const PYODIDE_DIR = fileURLToPath(new URL('./node_modules/pyodide/', import.meta.url));
const PYODIDE_TYPES: Readonly<Record<string, string>> = { mjs: 'text/javascript', wasm: 'application/wasm', zip: 'application/zip', json: 'application/json' };

/**
 * Serves Pyodide's files under `<base>pyodide/` in the dev server and copies them into `dist/pyodide/` on build (which the
 * preview serves),
 * so Python in the page needs no CDN. Loaded by the import worker only, on the first code import.
 */
function pyodideFiles(): Plugin {
  const serve = (
    server: { middlewares: { use(fn: (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => void): void } },
    base: string,
  ) =>
    server.middlewares.use((req, res, next) => {
      const path = (req.url ?? '').split('?')[0];
      const file = path.startsWith(`${base}pyodide/`) ? path.slice(base.length + 'pyodide/'.length) : '';
      if (!PYODIDE_FILES.includes(file)) return next();
      res.setHeader('Content-Type', PYODIDE_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      createReadStream(PYODIDE_DIR + file).pipe(res);
    });
  let base = '/';
  return {
    name: 'layerlab:pyodide-files',
    configResolved(config) {
      base = config.base;
    },
    configureServer(server) {
      serve(server, base);
    },
    generateBundle() {
      for (const file of PYODIDE_FILES) this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(PYODIDE_DIR + file) });
    },
  };
}

/** Files that run only in `npm run test:contract` (see `test.exclude`): the heaviest contract files and the Pyodide runs. */
const HEAVY_CONTRACT = [
  'tests/contract/codegen.contract.test.ts',
  'tests/contract/codegen-blocks.contract.test.ts',
  'tests/contract/codeimport-python.contract.test.ts',
  'tests/contract/templates.contract.test.ts',
  'tests/contract/keras-io.contract.test.ts',
  'tests/contract/codeimport-custom-source.contract.test.ts',
  'tests/contract/codeimport-scripts.contract.test.ts',
  // tfjs builds the Keras Applications (10 s of the fast tier's 84 s in a fresh clone).
  'tests/contract/applications.contract.test.ts',
  // Pyodide (CPython in WebAssembly) loads in each of these files: seconds apiece.
  'tests/unit/codeimport-python.test.ts',
  'tests/unit/codeimport-fixtures.test.ts',
];

export default defineConfig({
  plugins: [react(), keepEmscriptenScriptDir(), pyodideFiles()],
  build: {
    rolldownOptions: {
      // The core is pure (ARCHITECTURE.md): a core module nobody uses is left out even though its top level
      // calls functions (zod schemas in serialize/, dagre's CommonJS wrapper in graph/layout.ts). Without
      // this, the `export *` barrel src/core/index.ts puts zod and dagre into the first page load.
      treeshake: { moduleSideEffects: [{ test: /[\\/]src[\\/]core[\\/]/, sideEffects: false }] },
    },
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: {
    format: 'es',
    plugins: () => [keepEmscriptenScriptDir()],
    rolldownOptions: { output: { comments: { legal: false } } },
  },
  test: {
    environment: 'node',
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/contract/**/*.test.ts', 'tests/property/**/*.test.ts'],
    // `npm test` (the fast tier, at most 90 s on 2 cores) leaves the heaviest contract files — generated programs run
    // in tfjs, Pyodide round trips, every template and Keras JSON form — to `npm run test:contract` (LAYERLAB_FULL=1),
    // which CI also runs; the per-kind contract and the rest of tests/contract stay in the fast tier.
    exclude: [...configDefaults.exclude, ...(process.env.LAYERLAB_FULL === '1' ? [] : HEAVY_CONTRACT)],
    testTimeout: 180_000,
    // The fast tier runs each file in its own VM context inside two reused worker threads (files stay isolated from
    // one another; jsdom and the transformed modules are not set up again for every file): 73 s instead of 107 s with
    // a forked process per file, on this machine's 2 cores. The full tier (Pyodide, long contract runs) keeps forks.
    pool: process.env.LAYERLAB_FULL === '1' ? 'forks' : 'vmThreads',
    // The code editor's packages are loaded on demand (a dynamic import); in a VM context Node's own ESM loader could
    // fail on them ("request for '@lezer/common' is not in cache"), so Vite's module runner loads them instead.
    server: { deps: { inline: [/@codemirror\//, /@lezer\//, /[\\/]codemirror[\\/]/, /style-mod/, /w3c-keyname/, /crelt/] } },
    maxWorkers: 2,
  },
});
