/**
 * Keras 3 as the oracle for layers Layerlab cannot run (opaque nodes, core/layers/opaque.ts). Files with a
 * Lambda, a TFOpLambda or a user's class are imported; then, in real Keras 3 (tests/keras/runner.py):
 *  - the generated Python, whose placeholder `layers.Lambda(…, output_shape=…)` stands in for each opaque layer,
 *    builds a model whose every layer has the output shape and counts the core gives (the placeholder's class is
 *    Lambda; for the other layers the class too), with the same totals;
 *  - Keras 3's `to_json()` of that model opens in Layerlab again with the same shapes and totals;
 *  - for the files Keras 3 wrote (real Lambda code), Layerlab's Keras JSON export loads with `model_from_json`
 *    (after `enable_unsafe_deserialization`, which Keras requires for any Lambda) and agrees likewise.
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/opaque.oracle.test.ts`. Skipped, saying
 * how to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERAS_AVAILABLE, KERAS_PYTHON, runKerasPrograms } from './python';
import { analyze, DEFAULT_TRAINING, exportKerasJson, importKerasJson, kerasClassOf, summarize, type Graph } from '../../src/core';
import { generatePython } from '../../src/codegen';
import { inp, lay } from '../helpers/kerasJson';

const PYTHON = KERAS_PYTHON;
const available = KERAS_AVAILABLE;

interface KerasModel {
  layers: { name: string; class: string; shapes: unknown[]; trainable: number; non_trainable: number }[];
  total: number;
  to_json?: string;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string };

/** Runs programs (see runner.py) in one Keras process; results by id. */
function runKeras(programs: { id: string; kind: 'python'; text: string }[]): Map<string, KerasResult> {
  return runKerasPrograms<KerasResult>(programs);
}

/** Every difference between the core's summary of `g` and Keras's model, by layer name (empty when they agree). */
function differences(g: Graph, k: KerasModel): string[] {
  const a = analyze(g);
  const rows = summarize(g, a).rows;
  const out: string[] = [];
  for (const row of rows) {
    const theirs = k.layers.find((l) => l.name === row.name);
    const node = g.nodes.find((n) => n.id === row.nodeId)!;
    if (!theirs) {
      out.push(`${row.name}: missing in Keras`);
      continue;
    }
    // The placeholder of an opaque layer is a Lambda whatever its file's class was.
    const cls = node.kind === 'Opaque' ? 'Lambda' : kerasClassOf(node);
    if (row.className !== 'InputLayer' && theirs.class !== cls) out.push(`${row.name}: class ${theirs.class}, core ${cls}`);
    if (JSON.stringify(theirs.shapes[0]) !== JSON.stringify(row.outputShape))
      out.push(`${row.name}: shape ${JSON.stringify(theirs.shapes[0])}, core ${JSON.stringify(row.outputShape)}`);
    if (theirs.trainable + theirs.non_trainable !== row.params) out.push(`${row.name}: ${theirs.trainable + theirs.non_trainable} params, core ${row.params}`);
  }
  if (k.total !== a.totals.total) out.push(`total ${k.total}, core ${a.totals.total}`);
  return out;
}

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/keras', name), 'utf8');
const tfOpFile = JSON.stringify({
  class_name: 'Functional',
  config: {
    name: 'ops',
    layers: [
      inp('a', [4]),
      inp('b', [4]),
      lay('TFOpLambda', 'tf.math.add', { function: 'math.add', output_shape: [4] }, 'a', 'b'),
      lay('MyLayer', 'mine', { factor: 3, output_shape: [4, 2] }, 'tf.math.add'),
      lay('Dense', 'out', { units: 3 }, 'mine'),
    ],
    input_layers: [
      ['a', 0, 0],
      ['b', 0, 0],
    ],
    output_layers: [['out', 0, 0]],
  },
});
const FILES: { id: string; text: string; keras3: boolean }[] = [
  { id: 'lambda-chain', text: fixture('keras3_lambda_chain.json'), keras3: true },
  { id: 'nested-shared-lambda', text: fixture('keras3_nested_shared_lambda.json'), keras3: true },
  { id: 'nested-lambda-no-shape', text: fixture('keras3_nested_lambda_no_shape.json'), keras3: true },
  { id: 'tfop-and-custom', text: tfOpFile, keras3: false },
];

if (!available) describe('Keras oracle of opaque layers', () => it.skip(`skipped: no Keras environment at ${PYTHON}; run scripts/keras-env.sh`, () => {}));

describe.runIf(available)('Keras 3 agrees with the core on imported models with layers Layerlab cannot run', () => {
  const graphs = new Map<string, Graph>();
  const programs: { id: string; kind: 'python'; text: string }[] = [];
  for (const f of FILES) {
    // Flattened, as these files were read before nested models became blocks: what is checked here is the placeholders
    // of layers Layerlab cannot run; a nested model holding one stays a known gap of blocks (issue 13 note).
    const r = importKerasJson(f.text, { nested: 'flatten' });
    if (!r.ok) throw new Error(`${f.id}: ${r.reason}`);
    graphs.set(f.id, r.graph);
    const py = generatePython(r.graph, DEFAULT_TRAINING, 'functional');
    if (!py.ok) throw new Error(`${f.id}: ${py.reason}`);
    programs.push({ id: `py:${f.id}`, kind: 'python', text: py.code.slice(0, py.code.indexOf('\nmodel.summary()') + 1) });
    if (f.keras3) {
      const ex = exportKerasJson(r.graph);
      if (!ex.ok) throw new Error(`${f.id}: ${ex.reason}`);
      programs.push({
        id: `json:${f.id}`,
        kind: 'python',
        text: `import keras\nkeras.config.enable_unsafe_deserialization()\nmodel = keras.models.model_from_json(${JSON.stringify(ex.json)})\n`,
      });
    }
  }
  const results = runKeras(programs);

  it('ran every program, and Keras built the placeholders as Lambda layers', () => {
    expect([...results.keys()].sort()).toEqual(programs.map((p) => p.id).sort());
    const chain = results.get('py:lambda-chain')!;
    expect(chain.ok && chain.model.layers.filter((l) => l.class === 'Lambda').map((l) => [l.name, l.shapes[0]])).toEqual([
      ['lam', [null, 2]],
      ['lam2', [null, 2]],
    ]);
  });

  it.each(FILES.map((f) => f.id))("%s: the generated Python's placeholder model has the core's shapes and counts", (id) => {
    const res = results.get(`py:${id}`)!;
    expect(res.ok ? '' : res.error).toBe('');
    if (res.ok) expect(differences(graphs.get(id)!, res.model)).toEqual([]);
  });

  it.each(FILES.map((f) => f.id))("%s: Keras 3's to_json() of that model opens in Layerlab with the same shapes and totals", (id) => {
    const res = results.get(`py:${id}`)!;
    if (!res.ok || !res.model.to_json) return expect.fail(`no model for ${id}`);
    const back = importKerasJson(res.model.to_json, { nested: 'flatten' });
    expect(back.ok ? '' : back.reason).toBe('');
    if (back.ok) expect(differences(back.graph, res.model)).toEqual([]);
  });

  it.each(FILES.filter((f) => f.keras3).map((f) => f.id))('%s: the exported Keras JSON, Lambda code kept, loads in Keras 3 and agrees', (id) => {
    const res = results.get(`json:${id}`)!;
    expect(res.ok ? '' : res.error).toBe('');
    if (res.ok) expect(differences(graphs.get(id)!, res.model)).toEqual([]);
  });
});
