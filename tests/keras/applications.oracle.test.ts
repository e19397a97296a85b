/**
 * Keras 3 as the oracle of the Keras Applications Layerlab builds from pasted code (core/templates/applications.ts
 * through codeimport/python/applications.ts and the stand-in): the same program — `model = keras.applications.<Class>(
 * weights=None, ...)` — runs in real Keras 3.15 (tests/keras/runner.py) and through Layerlab's Python import (Pyodide),
 * and every row of the core's summary must equal Keras's layer of that name (Keras's order, class, output shape,
 * parameters, Connected to), with the totals (total, trainable, non-trainable), for several argument sets per
 * architecture: include_top True and False, pooling None / 'avg' / 'max', classes, classifier_activation None, input
 * shapes other than the default (odd sizes, where Keras's correct_pad pads unevenly; None sizes without the top; each
 * architecture's minimum side), MobileNetV2's alpha. Arguments Keras refuses must be refused by the import too.
 * Run: `npx vitest run --config tests/keras/vitest.config.ts tests/keras/applications.oracle.test.ts`. Skipped, saying
 * how to get it, without the Keras environment (scripts/keras-env.sh).
 */
import { describe, expect, it } from 'vitest';
import { KERAS_AVAILABLE, KERAS_PYTHON, runKerasPrograms } from './python';
import { analyze, summarize, type Graph } from '../../src/core';
import { runPythonImport } from '../../src/codeimport/python/run';
import { loadPython } from '../helpers/codeimportPython';

interface KerasModel {
  layers: { name: string; class: string; shapes: unknown[]; connected: string[]; trainable: number; non_trainable: number }[];
  total: number;
  trainable: number;
  non_trainable: number;
}
type KerasResult = { id: string; ok: true; model: KerasModel } | { id: string; ok: false; error: string };

/** [class, arguments after weights=None] built by both. */
const CASES: readonly [string, string][] = [
  ['MobileNetV2', ''],
  ['MobileNetV2', 'include_top=False, input_shape=(160, 160, 3), pooling="avg"'],
  ['MobileNetV2', 'alpha=0.35, input_shape=(96, 96, 3), classes=10'],
  ['MobileNetV2', 'alpha=1.3, include_top=False, input_shape=(None, None, 3), pooling="max"'],
  ['MobileNetV2', 'alpha=0.75, include_top=False, input_shape=(97, 131, 3)'],
  ['EfficientNetB0', ''],
  ['EfficientNetB0', 'include_top=False, input_shape=(150, 150, 3), pooling="max"'],
  ['EfficientNetB0', 'input_shape=(97, 64, 3), classes=5, classifier_activation=None'],
  ['EfficientNetB1', ''],
  ['EfficientNetB3', 'include_top=False, input_shape=(None, None, 3)'],
  ['EfficientNetB7', 'include_top=False, input_shape=(64, 64, 3), pooling="avg"'],
  ['Xception', ''],
  ['Xception', 'include_top=False, input_shape=(71, 71, 3), pooling="avg"'],
  ['InceptionV3', ''],
  ['InceptionV3', 'include_top=False, input_shape=(75, 75, 3), pooling="max"'],
  ['InceptionV3', 'input_shape=(150, 150, 3), classes=3'],
  ['DenseNet121', ''],
  ['DenseNet121', 'include_top=False, input_shape=(64, 64, 3), pooling="avg"'],
  ['DenseNet169', 'include_top=False'],
  ['DenseNet201', 'classes=10'],
  ['ResNet50V2', ''],
  ['ResNet50V2', 'include_top=False, input_shape=(None, None, 3), pooling="max"'],
  ['ResNet101', ''],
  ['ResNet152', 'include_top=False, input_shape=(33, 47, 3)'],
  ['ResNet101V2', 'include_top=False, pooling="avg"'],
  ['ResNet152V2', ''],
  ['VGG19', ''],
  ['VGG19', 'include_top=False, input_shape=(48, 48, 3), pooling="avg"'],
  ['VGG19', 'input_shape=(64, 64, 3), classes=2'],
  // The three built from the zoo's templates (codeimport/python/applications.ts).
  ['VGG16', 'include_top=False, input_shape=(64, 64, 3), pooling="max"'],
  ['ResNet50', ''],
  ['ResNet50', 'include_top=False, input_shape=(None, None, 3), pooling="avg"'],
  ['MobileNet', 'alpha=0.5, include_top=False, input_shape=(128, 128, 3)'],
  ['MobileNet', 'input_shape=(160, 160, 3), classes=7'],
];

/**
 * Known differences, each a limit of Layerlab's layers, not of the builders: Keras 3's MobileNet top pools with
 * GlobalAveragePooling2D(keepdims=True), which Layerlab's global pooling lacks, so the template pools, then reshapes
 * to (1, 1, 1024) in a Reshape 'reshape_1' (Keras 2's form); same counts and final output.
 */
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  'MobileNet(input_shape=(160, 160, 3), classes=7)': [
    'rows differ: missing [], extra ["reshape_1"], order ',
    'global_average_pooling2d: shape [null,1,1,1024], core [null,1024]',
  ],
};

/**
 * Applications used as a layer of a model (transfer learning): the nested model's row (Keras's model name, class
 * Functional, output shape, summed parameters), the head's rows and the totals, a frozen base's weights
 * non-trainable; `input_tensor=` a keras.Input.
 */
const NESTED: readonly [string, string][] = [
  [
    'MobileNetV2 alpha 0.5 as a layer, frozen',
    `base = keras.applications.MobileNetV2(weights=None, alpha=0.5, include_top=False, input_shape=(128, 128, 3))
base.trainable = False
inputs = keras.Input((128, 128, 3))
x = keras.layers.GlobalAveragePooling2D()(base(inputs, training=False))
model = keras.Model(inputs, keras.layers.Dense(5)(keras.layers.Dropout(0.2)(x)))
`,
  ],
  [
    'EfficientNetB0 as a layer',
    `base = keras.applications.EfficientNetB0(weights=None, include_top=False, pooling="avg", input_shape=(96, 96, 3))
inputs = keras.Input((96, 96, 3))
model = keras.Model(inputs, keras.layers.Dense(1)(base(inputs)))
`,
  ],
  [
    'DenseNet121 on input_tensor',
    `inputs = keras.Input((64, 64, 3))
base = keras.applications.DenseNet121(weights=None, include_top=False, input_tensor=inputs)
model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Flatten()(base.output)))
`,
  ],
];

/** Arguments Keras refuses: the import must refuse them too. */
const REFUSED: readonly [string, string][] = [
  ['InceptionV3', 'include_top=False, input_shape=(74, 74, 3)'],
  ['Xception', 'include_top=False, input_shape=(70, 80, 3)'],
  ['MobileNetV2', 'input_shape=(None, None, 3)'],
  ['EfficientNetB0', 'input_shape=(2, 64, 64, 3), include_top=False'],
];

const program = (cls: string, args: string) => `import keras\nmodel = keras.applications.${cls}(weights=None${args ? `, ${args}` : ''})\n`;
/** The program as Keras runs it: a fresh session first, so the layers Keras names are numbered as in a new process. */
const kerasProgram = (cls: string, args: string) => `import keras\nkeras.backend.clear_session()\n${program(cls, args).slice('import keras\n'.length)}`;

/** Every difference between the core's summary of `g` and Keras's model, layers matched by name (empty when they agree). */
function differences(g: Graph, k: KerasModel): string[] {
  const a = analyze(g);
  const summary = summarize(g, a);
  const rows = summary.rows;
  // A chain (VGG19) the core summarises as Keras prints a Sequential model: no InputLayer row, no connections.
  const layers = k.layers.filter((l) => !summary.sequential || l.class !== 'InputLayer');
  const out: string[] = [];
  const errors = a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
  if (errors.length) out.push(`core errors: ${errors.slice(0, 3).join('; ')}`);
  const names = rows.map((r) => r.name);
  const theirNames = layers.map((l) => l.name);
  if (JSON.stringify(names) !== JSON.stringify(theirNames)) {
    const missing = theirNames.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !theirNames.includes(n));
    out.push(
      `rows differ: missing ${JSON.stringify(missing.slice(0, 5))}, extra ${JSON.stringify(extra.slice(0, 5))}, order ${missing.length + extra.length === 0 ? 'differs' : ''}`,
    );
  }
  for (const row of rows) {
    const theirs = layers.find((l) => l.name === row.name);
    if (!theirs) continue;
    if (theirs.class !== row.className) out.push(`${row.name}: class ${theirs.class}, core ${row.className}`);
    const ours = JSON.stringify(row.outputShape);
    for (const s of theirs.shapes) if (JSON.stringify(s) !== ours) out.push(`${row.name}: shape ${JSON.stringify(s)}, core ${ours}`);
    if (theirs.trainable + theirs.non_trainable !== row.params) out.push(`${row.name}: ${theirs.trainable + theirs.non_trainable} params, core ${row.params}`);
    if (!summary.sequential && JSON.stringify(theirs.connected) !== JSON.stringify(row.connectedTo))
      out.push(`${row.name}: connected to ${JSON.stringify(theirs.connected)}, core ${JSON.stringify(row.connectedTo)}`);
  }
  const t = a.totals;
  if (k.total !== t.total || k.trainable !== t.trainable || k.non_trainable !== t.nonTrainable)
    out.push(`totals ${k.total} / ${k.trainable} / ${k.non_trainable}, core ${t.total} / ${t.trainable} / ${t.nonTrainable}`);
  return out;
}

if (!KERAS_AVAILABLE)
  describe('Keras oracle of keras.applications', () => it.skip(`skipped: no Keras environment at ${KERAS_PYTHON}; run scripts/keras-env.sh`, () => {}));

describe.runIf(KERAS_AVAILABLE)('keras.applications imported from code equal Keras 3 layer by layer', () => {
  it('every layer (name, order, class, output shape, parameters, Connected to) and the totals, for each argument set', async () => {
    const all = [...CASES, ...REFUSED];
    const results = runKerasPrograms<KerasResult>([
      ...all.map(([cls, args]) => ({ id: `${cls}(${args})`, kind: 'python' as const, text: kerasProgram(cls, args) })),
      ...NESTED.map(([id, text]) => ({ id, kind: 'python' as const, text: `import keras\nkeras.backend.clear_session()\n${text}` })),
    ]);
    const { pyodide } = await loadPython();
    const problems: string[] = [];
    for (const [cls, args] of CASES) {
      const id = `${cls}(${args})`;
      const k = results.get(id)!;
      const r = await runPythonImport(pyodide, program(cls, args));
      if (!k.ok) problems.push(`${id}: Keras failed: ${k.error}`);
      else if (!r.ok) problems.push(`${id}: the import failed: ${r.reason}`);
      else {
        const found = differences(r.graph, k.model);
        const known = KNOWN[id] ?? [];
        // A known difference that went away must leave KNOWN, so the list stays true.
        if (known.length && JSON.stringify(found) !== JSON.stringify(known)) problems.push(`${id}: expected the known differences ${JSON.stringify(known)}`);
        problems.push(...found.filter((d) => !known.includes(d)).map((d) => `${id}: ${d}`));
      }
    }
    for (const [id, text] of NESTED) {
      const k = results.get(id)!;
      const r = await runPythonImport(pyodide, `import keras\n${text}`);
      if (!k.ok) problems.push(`${id}: Keras failed: ${k.error}`);
      else if (!r.ok) problems.push(`${id}: the import failed: ${r.reason}`);
      else problems.push(...differences(r.graph, k.model).map((d) => `${id}: ${d}`));
    }
    for (const [cls, args] of REFUSED) {
      const id = `${cls}(${args})`;
      const k = results.get(id)!;
      const r = await runPythonImport(pyodide, program(cls, args));
      if (k.ok) problems.push(`${id}: Keras built it (the case is wrong)`);
      if (r.ok) problems.push(`${id}: imported, where Keras refuses it (${k.ok ? '' : k.error})`);
      else expect(r.reason).toMatch(new RegExp(`${cls}: `));
    }
    expect(problems).toEqual([]);
  });
});
