/**
 * How long the Python code import takes in Node: Pyodide's cold load (from node_modules; printed once, it cannot be
 * repeated in one process cheaply) and importing Keras code of 100- and 300-layer models once Pyodide is loaded
 * (the stand-in runs the code, the core answers each layer call, importKerasJson reads the model).
 * Run: npx vitest bench --run bench/codeimport-python.bench.ts   (figures, not assertions)
 * In the page the same runs in the import worker (src/codeimport/python/worker.ts).
 */
import { bench, describe } from 'vitest';
import { loadPyodide } from 'pyodide';
import { runPythonImport } from '../src/codeimport/python/run';
import { clearShapeCache } from '../src/codeimport/python/coreBridge';

const t0 = performance.now();
const pyodide = await loadPyodide({ stdout: () => {}, stderr: () => {} });
console.log(`Pyodide cold load (Node, from node_modules): ${Math.round(performance.now() - t0)} ms`);

/** A chain of `n` Dense layers written as a Keras user would, with a loop: 7 widths in turn, or all distinct. */
const chain = (n: number, distinct = false) =>
  `import keras\nfrom keras import layers\nx = inputs = keras.Input(shape=(32,))\nfor i in range(${n}):\n    x = layers.Dense(32 + ${distinct ? 'i' : 'i % 7'}, activation="relu", name=f"d{i}")(x)\nmodel = keras.Model(inputs, x)\nmodel.summary()\n`;

async function once(code: string): Promise<void> {
  clearShapeCache();
  const r = await runPythonImport(pyodide, code);
  if (!r.ok) throw new Error(r.reason);
}

describe('Python code import once Pyodide is loaded (shape cache cleared before each run)', () => {
  bench('100-layer Dense chain', () => once(chain(100)));
  bench('300-layer Dense chain', () => once(chain(300)));
  bench('100-layer Dense chain, every layer a different width (no cache hit)', () => once(chain(100, true)));
});
