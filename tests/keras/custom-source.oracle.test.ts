/**
 * Keras 3 as the oracle of layer classes kept with their source (issue #12): the keras.io-style fixtures with
 * `keras.layers.Layer` subclasses (tests/fixtures/code/custom_layer_*.py) are imported in Pyodide; the Python Layerlab
 * writes for them, in every form the model has (the classes written once at the top and called with the pasted
 * arguments, codegen/python.ts), runs in real Keras 3 (runner.py) and must count what manifest.json says Keras counts
 * for the fixture itself: total, trainable and non-trainable. Before, a weightless placeholder Lambda stood in for each
 * class, so Keras counted less than the canvas showed. And a layer of such a class made with trainable=False: Keras counts
 * what Layerlab counts for the import (its weights non-trainable).
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/custom-source.oracle.test.ts`. Skipped, saying
 * how to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERAS_AVAILABLE, KERAS_PYTHON, runKerasPrograms } from './python';
import { importOk, loadPython } from '../helpers/codeimportPython';
import { generatePython } from '../../src/codegen';
import { analyze, DEFAULT_TRAINING } from '../../src/core';
import type { ApiForm } from '../../src/codegen/common';

interface KerasModel {
  layers: { name: string; class: string }[];
  total: number;
  trainable: number;
  non_trainable: number;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string };

const DIR = path.join(__dirname, '../fixtures/code');
const FIXTURES = ['custom_layer_transformer_text.py', 'custom_layer_weights_mlp.py', 'custom_layer_vae_encoder.py', 'custom_layer_vit_patches.py'];
const FORMS: ApiForm[] = ['sequential', 'functional', 'subclassing'];

if (!KERAS_AVAILABLE)
  describe('Keras oracle of kept layer classes', () => it.skip(`skipped: no Keras environment at ${KERAS_PYTHON}; run scripts/keras-env.sh`, () => {}));

describe.runIf(KERAS_AVAILABLE)("Keras 3 runs the generated Python of imported layer classes with the fixtures' counts", () => {
  const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as {
    files: Record<string, { total: number; trainable: number; non_trainable: number }>;
  };
  let results: Map<string, KerasResult>;
  let frozenCounts: { total: number; trainable: number; non_trainable: number };
  const programs: { id: string; kind: 'python'; text: string; classes: string[] }[] = [];

  it('imports every fixture and writes its Python', async () => {
    const { pyodide } = await loadPython();
    for (const file of FIXTURES) {
      const { graph } = await importOk(pyodide, readFileSync(path.join(DIR, file), 'utf8'));
      const classes = [...new Set(graph.nodes.filter((n) => n.kind === 'Opaque' && n.params.python_source !== '').map((n) => String(n.params.class_name)))];
      for (const form of FORMS) {
        const py = generatePython(graph, DEFAULT_TRAINING, form);
        if (!py.ok) continue;
        programs.push({ id: `${file}:${form}`, kind: 'python', text: py.code.slice(0, py.code.indexOf('\nmodel.summary()') + 1), classes });
      }
    }
    // A layer of a kept class made frozen (trainable=False): Keras must count what Layerlab counts for the import.
    const frozen = readFileSync(path.join(DIR, 'custom_layer_weights_mlp.py'), 'utf8').replace(
      'outputs = MLPBlock()(x)',
      'outputs = Linear(10, trainable=False)(x)',
    );
    const { graph } = await importOk(pyodide, frozen);
    const t = analyze(graph).totals;
    frozenCounts = { total: t.total, trainable: t.trainable, non_trainable: t.nonTrainable };
    const py = generatePython(graph, DEFAULT_TRAINING, 'functional');
    if (!py.ok) throw new Error(py.reason);
    programs.push({ id: 'frozen-linear:functional', kind: 'python', text: py.code.slice(0, py.code.indexOf('\nmodel.summary()') + 1), classes: ['Linear'] });
    results = runKerasPrograms<KerasResult>(programs.map(({ id, kind, text }) => ({ id, kind, text })));
    expect([...results.keys()].sort()).toEqual(programs.map((p) => p.id).sort());
  }, 600_000);

  it('every program builds with the manifest counts, the classes present as themselves', () => {
    expect(programs.length).toBeGreaterThanOrEqual(FIXTURES.length * 2);
    for (const p of programs) {
      const res = results.get(p.id)!;
      expect({ id: p.id, error: res.ok ? '' : res.error }).toEqual({ id: p.id, error: '' });
      if (!res.ok) continue;
      const want = manifest.files[p.id.split(':')[0]] ?? frozenCounts;
      expect({ id: p.id, total: res.model.total, trainable: res.model.trainable, non_trainable: res.model.non_trainable }).toEqual({
        id: p.id,
        total: want.total,
        trainable: want.trainable,
        non_trainable: want.non_trainable,
      });
      // The subclassing form's runner lists the layers it traced; each kept class appears under its own class name.
      const seen = new Set(res.model.layers.map((l) => l.class));
      for (const cls of p.classes) expect({ id: p.id, cls, seen: seen.has(cls) }).toEqual({ id: p.id, cls, seen: true });
    }
  });
});
