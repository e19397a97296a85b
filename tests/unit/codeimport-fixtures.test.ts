/**
 * The code-import fixtures (tests/fixtures/code/): Keras Python and tfjs code written in the styles of Keras's guides
 * and typical tutorials, each with the parameter counts its framework gives in manifest.json (Keras 3 for .py, re-checked
 * in Keras by tests/keras/codeimport-fixtures.oracle.test.ts; TensorFlow.js for .ts / .js, re-checked here against real
 * tfjs). Every file imported into Layerlab gives those counts and output shapes. Pyodide is loaded once for the file.
 * Also: what the stand-in does with the things these fixtures needed (slicing, keras.ops, keras.applications) where
 * the code goes wrong, each refused with a message naming what and where, and GRU's Keras 3 default (reset_after=True),
 * now imported as Keras builds it.
 */
import * as tf from '@tensorflow/tfjs';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';
import { beforeAll, describe, expect, it } from 'vitest';
import { FULL, fastSubset } from '../full';
import { runPythonImport, type PyodideLike } from '../../src/codeimport/python/run';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { analyze } from '../../src/core/validate/analyze';
import type { Graph } from '../../src/core/graph/types';
import { LEAKS } from '../helpers/messages';
import { cpuBackend } from '../helpers/tfjs';
import { importOk, loadPython, tfjsView } from '../helpers/codeimportPython';

const DIR = fileURLToPath(new URL('../fixtures/code/', import.meta.url));
interface Expected {
  readonly total: number;
  readonly trainable: number;
  readonly non_trainable: number;
  readonly oracle: string;
  /** The shapes of the model's outputs as the framework gives them (absent where it keeps none). */
  readonly outputs?: (number | null)[][] | null;
}
const manifest = JSON.parse(readFileSync(`${DIR}manifest.json`, 'utf8')) as { files: Record<string, Expected> };
const codeFiles = readdirSync(DIR).filter((f) => /\.(py|ts|js)$/.test(f));
const python = codeFiles.filter((f) => f.endsWith('.py'));
const scripts = codeFiles.filter((f) => !f.endsWith('.py'));
const read = (f: string) => readFileSync(DIR + f, 'utf8');

/** What the core makes of an imported graph: totals, output shapes, errors. */
function view(g: Graph) {
  const a = analyze(g);
  return {
    total: a.totals.total,
    trainable: a.totals.trainable,
    non_trainable: a.totals.nonTrainable,
    outputs: a.outputTensors.map((o) => (o.output === 0 ? a.nodes.get(o.node)!.outputShape : a.nodes.get(o.node)!.moreOutputs[o.output - 1])),
    errors: a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
  };
}

let py: PyodideLike;
beforeAll(async () => {
  await cpuBackend();
  // The Python fixtures (and the stand-in fixes they needed) run in `npm run test:contract`, which CI runs: loading
  // Pyodide and importing 25 programs would cost `npm test` about 6 s of its 90.
  if (!FULL) {
    console.info('Python code fixtures: run in `npm run test:contract` (LAYERLAB_FULL=1); the tfjs fixtures run here.');
    return;
  }
  const loaded = await loadPython();
  py = loaded.pyodide;
  console.log(`Pyodide cold load in Node: ${Math.round(loaded.ms)} ms`);
}, 60_000);

it('the manifest lists every fixture (at least 20 Python and 4 tfjs files) and nothing else', () => {
  expect(Object.keys(manifest.files).sort()).toEqual([...codeFiles].sort());
  expect(python.length).toBeGreaterThanOrEqual(20);
  expect(scripts.length).toBeGreaterThanOrEqual(4);
  for (const f of python) expect(manifest.files[f].oracle, f).toMatch(/^Keras 3\./);
  for (const f of scripts) expect(manifest.files[f].oracle, f).toMatch(/^TensorFlow\.js/);
});

/** The slowest tfjs fixture (tfjs running an LSTM): test:contract only. */
const SLOW = new Set(['tfjs_text_lstm.ts']);

describe.skipIf(!FULL)('Python fixtures imported through the Pyodide stand-in give the counts Keras 3 gives', () => {
  it.each(python)('%s', async (file) => {
    const want = manifest.files[file];
    const { graph } = await importOk(py, read(file));
    const got = view(graph);
    expect(got.errors).toEqual([]);
    expect({ total: got.total, trainable: got.trainable, non_trainable: got.non_trainable }).toEqual({
      total: want.total,
      trainable: want.trainable,
      non_trainable: want.non_trainable,
    });
    if (want.outputs) expect(got.outputs).toEqual(want.outputs);
  });
});

/** Runs tfjs code against real tfjs (types stripped by sucrase, as the import does) and returns its `model`. */
async function runInTfjs(code: string): Promise<tf.LayersModel> {
  const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...a: string[]) => (r: (n: string) => unknown) => Promise<tf.LayersModel>;
  return new AsyncFunction('require', `${js}\nreturn model;`)(() => tf);
}
const size = (ws: readonly tf.LayerVariable[]) => ws.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

describe('tfjs fixtures imported give the counts real tfjs gives when it runs the same code', () => {
  it.each(fastSubset('tfjs code fixtures', scripts, (f) => SLOW.has(f)))('%s', async (file) => {
    const code = read(file);
    const r = await runTypeScriptImport(code);
    if (!r.ok) throw new Error(`import failed${r.line ? ` at line ${r.line}` : ''}: ${r.reason}`);
    const got = view(r.graph);
    const model = await runInTfjs(code);
    try {
      const real = { total: model.countParams(), trainable: size(model.trainableWeights), non_trainable: size(model.nonTrainableWeights) };
      const want = manifest.files[file];
      expect(real).toEqual({ total: want.total, trainable: want.trainable, non_trainable: want.non_trainable });
      expect(got.errors).toEqual([]);
      expect({ total: got.total, trainable: got.trainable, non_trainable: got.non_trainable }).toEqual(real);
      expect(got.outputs).toEqual(model.outputs.map((o) => [...o.shape]));
    } finally {
      model.dispose();
    }
  });
});

describe.skipIf(!FULL)('what the fixtures needed, where the code goes wrong', () => {
  const fails = async (code: string) => {
    const r = await runPythonImport(py, code);
    if (r.ok) throw new Error('imported, but should have been refused');
    expect(r.reason).not.toMatch(LEAKS);
    return r;
  };
  const head = 'import keras\nfrom keras import layers, ops\nx = keras.Input(shape=(6, 4))\n';

  it("a GRU left at Keras 3's default imports as reset_after=True with Keras's count, which tfjs (Layerlab's GRU class) agrees with", async () => {
    // Keras 3 (keras/src/layers/rnn/gru.py GRUCell.build): kernel (4, 24), recurrent_kernel (8, 24), bias (2, 24).
    const one = 3 * (4 * 8 + 8 * 8 + 2 * 8);
    const plain = await importOk(py, `${head}y = layers.GRU(8)(x)\nmodel = keras.Model(x, y)\n`);
    const gru = plain.graph.nodes.find((n) => n.kind === 'GRU')!;
    expect(gru.params.reset_after).toBe(true);
    expect(view(plain.graph).total).toBe(one);
    expect(tfjsView(plain.graph).total).toBe(one);
    const wrapped = await importOk(py, `${head}y = layers.Bidirectional(layers.GRU(8, return_sequences=True))(x)\nmodel = keras.Model(x, y)\n`);
    expect(view(wrapped.graph).total).toBe(2 * one);
    expect(tfjsView(wrapped.graph)).toEqual({ total: 2 * one, outputs: [[null, 6, 16]] });
    // Written out, reset_after=False keeps one bias vector: 3 × 8 weights fewer.
    const old = await importOk(py, `${head}y = layers.GRU(8, reset_after=False)(x)\nmodel = keras.Model(x, y)\n`);
    expect(old.graph.nodes.find((n) => n.kind === 'GRU')!.params.reset_after).toBe(false);
    expect(view(old.graph).total).toBe(one - 3 * 8);
  });

  it('slicing: the batch axis, tensors as indices and too many indices are refused by name; a slice to one number per sample says what to add', async () => {
    expect((await fails(`${head}y = x[0]\nmodel = keras.Model(x, y)\n`)).reason).toMatch(
      /^NotImplementedError: indexing the batch axis of the output of 'input_layer'/,
    );
    expect((await fails(`${head}y = x[:, :, :, 0]\n`)).reason).toMatch(/^IndexError: too many indices .* 3 axes/);
    expect((await fails(`${head}y = x[:, 9]\n`)).reason).toMatch(/^IndexError: index 9 is out of bounds for axis 1 of size 6/);
    const r = await fails(`${head}y = x[:, 0, 0]\n`);
    expect(r).toMatchObject({ line: 4 });
    expect(r.reason).toMatch(/one number per sample .* Reshape\(\(1,\)\)/);
    const g = (await importOk(py, `${head}y = x[:, None, 1:5:2, ...]\nmodel = keras.Model(x, layers.Flatten()(y))\n`)).graph;
    const op = g.nodes.find((n) => n.kind === 'Opaque')!;
    expect([op.params.class_name, op.params.output_shape]).toEqual(['GetItem', [1, 2, 4]]);
  });

  it('keras.ops: reshape and transpose that move the batch axis are refused; those that keep it are Reshape and Permute layers', async () => {
    expect((await fails(`${head}y = ops.reshape(x, (6, 4))\n`)).reason).toMatch(/changes the batch axis.*start the new shape with -1/);
    expect((await fails(`${head}y = ops.transpose(x)\n`)).reason).toMatch(/moves the batch axis/);
    const g = (await importOk(py, `${head}y = ops.transpose(ops.reshape(x, (-1, 3, 8)), (0, 2, 1))\nmodel = keras.Model(x, y)\n`)).graph;
    expect(g.nodes.map((n) => [n.kind, n.params.target_shape ?? n.params.dims ?? null])).toEqual([
      ['Input', null],
      ['Reshape', [3, 8]],
      ['Permute', [2, 1]],
    ]);
    expect(view(g).outputs).toEqual([[null, 8, 3]]);
  });

  it("keras.applications: a class Layerlab has no template of, and arguments Keras refuses, are named; weights='imagenet' builds the architecture with a note", async () => {
    const app = (args: string) => `import keras\nbase = keras.applications.${args}\nmodel = keras.Model(base.input, base.output)\n`;
    expect((await fails(app('NASNetMobile(weights=None)'))).reason).toMatch(
      /^NotImplementedError: keras\.applications\.NASNetMobile is not an architecture Layerlab can build; it builds VGG16, VGG19, ResNet50, .*, MobileNetV2, EfficientNetB0, .*, InceptionV3, DenseNet121/,
    );
    expect((await fails(app('ResNet50(weights=None, input_shape=(None, None, 3))'))).reason).toBe(
      'ValueError: ResNet50: with include_top=True the input_shape must be static (no None), got (None, None, 3)',
    );
    expect((await fails(app('VGG16(weights=None, include_top=False, input_shape=(16, 16, 3))'))).reason).toMatch(/at least 32x32/);
    expect((await fails(app('MobileNet(weights="imagenet", classes=10)'))).reason).toMatch(/classes must be 1000, got 10/);
    const r = await importOk(py, `from keras.applications.resnet50 import ResNet50\nmodel = ResNet50()\n`);
    // Keras's published count of ResNet50 with its top (keras.io/api/applications).
    expect(view(r.graph).total).toBe(25_636_712);
    expect(r.notes.some((n) => /ResNet50\(weights='imagenet'\) at line 2: Layerlab builds the architecture; weights are not loaded/.test(n))).toBe(true);
  });

  it('a frozen base model (base.trainable = False, transfer learning) imports frozen, and unfrozen again when the code unfreezes it', async () => {
    const code = (after: string) =>
      `import keras\nbase = keras.applications.MobileNet(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="avg")\nbase.trainable = False\n${after}out = keras.layers.Dense(2)(base.output)\nmodel = keras.Model(base.input, out)\n`;
    const head = 1024 * 2 + 2;
    // Keras counts every weight of the frozen base non-trainable (its BatchNormalization gamma and beta too).
    const frozen = view((await importOk(py, code(''))).graph);
    expect(frozen).toMatchObject({ trainable: head, non_trainable: frozen.total - head, errors: [] });
    // Unfrozen: only the BatchNormalization moving statistics (21,888 in MobileNet 1.0) stay non-trainable.
    const tuned = view((await importOk(py, code('base.trainable = True\n'))).graph);
    expect(tuned.total).toBe(frozen.total);
    expect(tuned.trainable).toBe(tuned.total - 21_888);
  });

  it("a layer called on a value the code computes (ops.arange for positions) is refused where that value meets the model; a preprocessing layer's adapt() is ignored", async () => {
    const r = await fails(`${head}p = layers.Embedding(6, 4)(ops.arange(0, 6))\nmodel = keras.Model(x, x + p)\n`);
    expect(r.line).toBe(5);
    expect(r.reason).toMatch(/cannot apply '\+' to a tensor \(output of 'input_layer'\) and the output of embedding\(\.\.\.\) on ops\.arange\(\.\.\.\)$/);
    const n = await importOk(py, `${head}norm = layers.Normalization()\nnorm.adapt(None)\nmodel = keras.Model(x, layers.Dense(2)(norm(x)))\n`);
    expect(n.notes).toContain('normalization.adapt(...) at line 5 ignored.');
    expect(view(n.graph).trainable).toBe(4 * 2 + 2);
  });

  it('data prepared with numpy keeps an unknown shape through astype and comparisons (it raised while preparing labels)', async () => {
    const g = await importOk(
      py,
      'import numpy as np\nimport keras\nX = np.random.rand(10, 3)\ny = (X.sum(axis=1) > 1).astype("float32")\nmodel = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])\n',
    );
    expect(view(g.graph).total).toBe(8);
  });
});
