/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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

export default defineConfig({
  plugins: [react(), keepEmscriptenScriptDir()],
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
    testTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
