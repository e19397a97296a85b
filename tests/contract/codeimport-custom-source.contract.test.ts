/**
 * Issue #12, "code and canvas become one": a `keras.layers.Layer` subclass that pasted code defines and Layerlab keeps
 * as one Opaque node keeps its Python source and the arguments the code gave it (keras_standin.py `_class_source`,
 * `_ctor_args`; Opaque `python_source`, `python_args`); the generated Python writes the class once and calls it with
 * those arguments (codegen/python.ts), so importing that Python again gives the same node: class, shape, weights and
 * source. Runs in Pyodide under Node. Keras 3 runs the same generated code in tests/keras/custom-source.oracle.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importOk, loadPython } from '../helpers/codeimportPython';
import type { PyodideLike } from '../../src/codeimport/python/run';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { analyze, DEFAULT_TRAINING, type Graph } from '../../src/core';
import { exportKerasJson } from '../../src/core/serialize/kerasExport';
import { parseProjectJson, toProjectJson } from '../../src/core/serialize/project';
import type { ApiForm } from '../../src/codegen/common';

let py: PyodideLike;
beforeAll(async () => {
  py = (await loadPython()).pyodide;
}, 120_000);

const DIR = path.join(__dirname, '../fixtures/code');
const fixture = (f: string) => readFileSync(path.join(DIR, f), 'utf8');
const manifest = JSON.parse(fixture('manifest.json')) as { files: Record<string, { total: number; trainable: number; non_trainable: number }> };
const FIXTURES = ['custom_layer_transformer_text.py', 'custom_layer_weights_mlp.py', 'custom_layer_vae_encoder.py', 'custom_layer_vit_patches.py'];
const FORMS: ApiForm[] = ['sequential', 'functional', 'subclassing'];

/** The Opaque nodes of a graph as comparable data, by layer name: class, output shape, weights, kept source and arguments. */
const opaqueNodes = (g: Graph) =>
  Object.fromEntries(
    g.nodes
      .filter((n) => n.kind === 'Opaque')
      .map((n): [string, Record<string, unknown>] => {
        const { class_name, output_shape, trainable_params, non_trainable_params, python_source, python_args } = n.params;
        return [n.name, { class_name, output_shape, trainable_params, non_trainable_params, python_source, python_args }];
      })
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  );

const totals = (g: Graph) => analyze(g).totals;

describe('keras.io-style layer classes survive the Python round trip', () => {
  it.each(FIXTURES)(
    '%s: import → Python (every form it has) → import again gives the same nodes and the Keras counts',
    async (file) => {
      const want = manifest.files[file];
      expect(totals((await importOk(py, fixture(file))).graph)).toEqual({ total: want.total, trainable: want.trainable, nonTrainable: want.non_trainable });
      // The ViT's augmentation model holds placeholder Lambdas (RandomFlip, RandomRotation: Keras classes Layerlab lacks),
      // whose shapes a nested model read back from Python loses (a known gap of blocks, not of layer classes): the round
      // trip here runs without it.
      const code =
        file === 'custom_layer_vit_patches.py' ? fixture(file).replace('augmented = data_augmentation(inputs)', 'augmented = inputs') : fixture(file);
      const first = (await importOk(py, code)).graph;
      const kept = opaqueNodes(first);
      // The layer classes of the code (an augmentation layer Layerlab lacks is an Opaque node without source).
      const kinds = Object.values(kept).filter((k) => k.python_source !== '');
      const bare = Object.values(kept).length - kinds.length;
      expect(kinds.length).toBeGreaterThan(0);
      // Every class kept as one node kept its source (the class statement, its name) and its arguments.
      for (const k of kinds) {
        expect(k.python_source).toMatch(new RegExp(`^class ${String(k.class_name)}\\(`, 'm'));
        expect(JSON.parse(String(k.python_args))).toMatchObject({ unkept: [] });
      }
      let forms = 0;
      for (const form of FORMS) {
        const code = generatePython(first, DEFAULT_TRAINING, form);
        if (!code.ok) continue;
        forms++;
        // Only the layers without source are placeholders.
        expect(code.code.split('layers.Lambda(').length - 1).toBe(bare);
        // Each class statement once, even for a class called several times (Linear ×3).
        for (const cls of new Set(kinds.map((k) => String(k.class_name)))) expect(code.code.split(`\nclass ${cls}(`).length).toBe(2);
        const again = (await importOk(py, code.code)).graph;
        expect({ form, totals: totals(again) }).toEqual({ form, totals: totals(first) });
        expect({ form, nodes: opaqueNodes(again) }).toEqual({ form, nodes: kept });
      }
      expect(forms).toBeGreaterThanOrEqual(2);
    },
    120_000,
  );
});

const decorated = `import keras
import tensorflow as tf
from keras import layers, ops

GAIN = 1
SIZES = (4, [1, 2], {"a": None})
UNUSED = 3
units = 7
GAIN = 1.5

def scaled(x, factor):
    return x * factor * GAIN


def unused():
    return 0


def make_class():
    @keras.saving.register_keras_serializable(package="demo")
    class Scale(layers.Layer):
        def __init__(self, units, factor=2.0, *, act=None, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.factor = factor
            self.w = self.add_weight(shape=(SIZES[0], units), initializer="ones")

        def call(self, x):
            units = self.units
            return scaled(ops.matmul(x, self.w), self.factor) + tf.zeros((1,)) + 0 * units

    return Scale


Scale = make_class()
inp = keras.Input(shape=(4,))
a = Scale(3, 0.5, act=(1, "x"), name="scale_a")(inp)
b = Scale(units=3, act=lambda t: t)(inp)
c = layers.Dense(2, name="ops")(a)
model = keras.Model(inp, [a, b, c])
`;

describe('what is kept and how it is written', () => {
  it('a decorated class defined in a function: dedented, its helper function, imports and module-level values read kept (not a local of the same name); arguments by keyword as literals; a function argument not kept; no variable hides a kept name', async () => {
    const { graph } = await importOk(py, decorated);
    const a = graph.nodes.find((n) => n.name === 'scale_a')!;
    const b = graph.nodes.find((n) => n.name === 'scale')!;
    expect(a.params.python_source).toBe(
      [
        'import tensorflow as tf',
        'from keras import ops',
        '',
        'GAIN = 1.5',
        'SIZES = (4, [1, 2], {"a": None})',
        '',
        '',
        'def scaled(x, factor):',
        '    return x * factor * GAIN',
        '',
        '',
        '@keras.saving.register_keras_serializable(package="demo")',
        'class Scale(layers.Layer):',
        ...decorated
          .split('\n')
          .slice(decorated.split('\n').indexOf('    class Scale(layers.Layer):') + 1, decorated.split('\n').indexOf('    return Scale') - 1)
          .map((l) => l.slice(4)),
      ].join('\n'),
    );
    expect(JSON.parse(String(a.params.python_args))).toEqual({
      args: [],
      kwargs: [
        ['units', '3'],
        ['factor', '0.5'],
        ['act', '(1, "x")'],
      ],
      name: true,
      unkept: [],
    });
    expect(JSON.parse(String(b.params.python_args))).toMatchObject({ kwargs: [['units', '3']], unkept: ['act'] });
    const code = generatePython(graph, DEFAULT_TRAINING, 'functional');
    if (!code.ok) throw new Error(code.reason);
    // Written once, after the imports, with the TensorFlow note; the kept call as the code made it.
    expect(code.code.split('\nclass Scale(').length).toBe(2);
    expect(code.code).toMatch(
      /# The layer classes below use TensorFlow \(tf\.\)[^]*?\nimport tensorflow as tf\nfrom keras import ops\n\nGAIN = 1\.5\nSIZES = [^\n]*\n\n\ndef scaled/,
    );
    // Read back, the class keeps the same source and arguments.
    const again = (await importOk(py, code.code)).graph.nodes.find((n) => n.name === 'scale_a')!;
    expect([again.params.python_source, again.params.python_args]).toEqual([a.params.python_source, a.params.python_args]);
    expect(code.code).toContain('Scale(units=3, factor=0.5, act=(1, "x"), name="scale_a")(');
    // The call whose argument was a function: a placeholder, saying why, and the class still written above.
    expect(code.code.replace(/\n# /g, ' ')).toContain(
      "TODO: 'scale' is a Scale, the class written above, but the pasted code gave it 'act', which is not a plain value",
    );
    expect(code.code).toMatch(/scale = layers\.Lambda\(/);
    // A layer named like a module the class uses gets another variable, so keras.ops stays reachable from call().
    expect(code.code).toContain('layers.Dense(2, name="ops")');
    expect(code.code).not.toMatch(/^ops = /m);
    expect(code.code).not.toMatch(/undefined|NaN|\[object Object\]/);
  }, 60_000);

  it("the subclassing form's model class never takes a kept class's name (a model 'sampling' beside class Sampling)", async () => {
    const code = fixture('custom_layer_vae_encoder.py')
      .replace('name="encoder"', 'name="sampling"')
      .replace('Sampling()([z_mean', 'Sampling(name="z")([z_mean');
    const { graph } = await importOk(py, code);
    expect(graph.name).toBe('sampling');
    const out = generatePython(graph, DEFAULT_TRAINING, 'subclassing');
    if (!out.ok) throw new Error(out.reason);
    expect(out.code).toContain('\nclass Sampling(layers.Layer):');
    expect(out.code).toContain('\nclass SamplingModel(keras.Model):');
    const again = (await importOk(py, out.code)).graph;
    expect(opaqueNodes(again)).toEqual(opaqueNodes(graph));
  }, 60_000);

  it('a layer of a kept class made with trainable=False is frozen (its weights non-trainable, as Keras counts them), written frozen (its __init__ takes **kwargs) and comes back frozen', async () => {
    const code = fixture('custom_layer_weights_mlp.py').replace('outputs = MLPBlock()(x)', 'outputs = Linear(10, trainable=False)(x)');
    const { graph } = await importOk(py, code);
    const linear = graph.nodes.find((n) => n.params.class_name === 'Linear')!;
    expect(linear.trainable).toBe(false);
    // Keras counts a frozen layer's weights non-trainable: the same model unfrozen has them trainable.
    const unfrozen = (await importOk(py, code.replace('Linear(10, trainable=False)', 'Linear(10)'))).graph;
    const own = Number(linear.params.trainable_params) + Number(linear.params.non_trainable_params);
    expect(own).toBeGreaterThan(0);
    expect(totals(graph)).toEqual({ ...totals(unfrozen), trainable: totals(unfrozen).trainable - own, nonTrainable: totals(unfrozen).nonTrainable + own });
    expect(JSON.parse(String(linear.params.python_args))).toMatchObject({ kwargs: [['units', '10']], name: true });
    const out = generatePython(graph, DEFAULT_TRAINING, 'functional');
    if (!out.ok) throw new Error(out.reason);
    expect(out.code).toContain(`Linear(units=10, trainable=False, name="${linear.name}")`);
    const again = (await importOk(py, out.code)).graph;
    expect(again.nodes.find((n) => n.params.class_name === 'Linear')!.trainable).toBe(false);
    expect(totals(again)).toEqual(totals(graph));
  }, 60_000);

  it('Keras JSON export keeps the entry as kept, without the source; a project file keeps source and arguments; TypeScript says why it cannot', async () => {
    const { graph } = await importOk(py, fixture('custom_layer_weights_mlp.py'));
    const out = exportKerasJson(graph);
    if (!out.ok) throw new Error(out.reason);
    expect(out.json).not.toMatch(/python_source|python_args|def call/);
    const back = parseProjectJson(toProjectJson({ graph, training: DEFAULT_TRAINING }));
    if (!back.ok) throw new Error(back.reason);
    expect(back.notes).toEqual([]);
    expect(opaqueNodes(back.project.graph)).toEqual(opaqueNodes(graph));
    const ts = generateTypeScript(graph, DEFAULT_TRAINING, 'functional');
    expect(!ts.ok && ts.reason).toMatch(/'scale_shift' is a Python layer class of the pasted code, which tfjs cannot run/);
  }, 60_000);

  it('an Opaque node without kept source (a Keras JSON file) keeps the placeholder Lambda', async () => {
    const { graph } = await importOk(py, fixture('custom_layer_weights_mlp.py'));
    const bare: Graph = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.kind === 'Opaque' ? { ...n, params: { ...n.params, python_source: '', python_args: '' } } : n)),
    };
    const code = generatePython(bare, DEFAULT_TRAINING, 'functional');
    if (!code.ok) throw new Error(code.reason);
    expect(code.code).not.toContain('class Linear');
    expect(code.code).toMatch(/linear_1 = layers\.Lambda\(/);
  }, 60_000);
});
