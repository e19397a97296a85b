/**
 * Code generation without running it: the Python's structure (parsed by Python's own `ast` when python3
 * is on the machine), identifier sanitising, literal escaping and the API explanation.
 * The TypeScript is run against tfjs in tests/contract/codegen.contract.test.ts.
 */
import { spawnSync } from 'node:child_process';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyze, apiPlan, outputTarget, TEMPLATES, type Graph, type TrainingSettings } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import {
  camelBase,
  explainApi,
  FUNCTIONAL_ADDS,
  generatePython,
  generateTypeScript,
  identifiers,
  JS_RESERVED,
  PY_RESERVED,
  pyString,
  pyValue,
  snakeBase,
  tsString,
  type ApiForm,
} from '../../src/codegen';
import { written } from '../helpers/codegen';
import { MULTI_OUTPUT_GRAPHS } from '../helpers/multiOutputGraphs';
import { tpl } from '../helpers/templates';

const SETTINGS: TrainingSettings = { epochs: 3, batchSize: 32, samples: 100, optimizer: 'adam', learningRate: 0.001 };
const formsOf = (g: Graph): ApiForm[] => (apiPlan(g).kind === 'sequential' ? ['sequential', 'functional'] : ['functional']);
const count = (hay: string, needle: string) => hay.split(needle).length - 1;

/** Python's own parser on programs (one python3 process for all): per program, every `name=` keyword value and every assigned variable (each of an unpacking too). */
const PARSE = `
import ast, json, sys
res = []
for src in json.load(sys.stdin):
    tree = ast.parse(src)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    res.append({
      "names": [k.value.value for c in calls for k in c.keywords if k.arg == "name"],
      "targets": [e.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t]) if isinstance(e, ast.Name)],
    })
print(json.dumps(res))`;
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
function pyParseAll(srcs: readonly string[]): { names: string[]; targets: string[] }[] {
  const r = spawnSync('python3', ['-c', PARSE], { input: JSON.stringify(srcs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 could not parse the code:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
const pyParse = (src: string) => pyParseAll([src])[0];

/** Awkward layer names: '-', '.', '/', a leading digit, reserved words, and three that sanitise alike. */
const awkward = (): Graph =>
  buildGraph('it\'s "awkward"', (b) => {
    const a = b.add('Input', { shape: [6] }, 'input');
    const m = b.add('Input', { shape: [4] }, 'model');
    const x = b.add('Dense', { units: 3 }, 'class', [a]);
    const y = b.add('Dense', { units: 3, activation: 'softmax' }, 'a-b', [m]);
    const c = b.add('Concatenate', {}, 'a.b', [x, y]);
    const d = b.add('Dropout', { rate: 0.25 }, '2nd.drop', [c]);
    b.add('Dense', { units: 4, activation: 'softmax' }, 'a_b', [d]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'import', [d]);
  });

describe('Python for each template', () => {
  const cases = TEMPLATES.flatMap((t) => formsOf(t.build()).map((form) => ({ id: t.id, form })));

  it.each(cases)('$id, $form: structure, names, tuples', ({ id, form }) => {
    const g = tpl(id);
    const py = written(generatePython(g, SETTINGS, form));
    // Keras 3 itself, not through TensorFlow: `pip install keras jax` has no TensorFlow (tests/keras/).
    expect(py).toContain('import keras\nfrom keras import layers\nimport numpy as np\n');
    expect(py).not.toContain('tensorflow');
    expect(count(py, 'keras.Sequential(')).toBe(form === 'sequential' ? 1 : 0);
    expect(count(py, 'keras.Model(')).toBe(form === 'functional' ? 1 : 0);
    // Every layer name exactly once as name="…" (a shared layer is created once, so its calls share it);
    // a Sequential model's Input keeps Keras's default name.
    for (const n of g.nodes.filter((x) => !x.layerOf)) {
      const expected = form === 'sequential' && n.kind === 'Input' && n.name === 'input_layer' ? 0 : 1;
      expect(count(py, `name=${pyString(n.name)}`), n.name).toBe(expected);
    }
    expect(count(py, `name=${pyString(g.name)}`)).toBe(1);
    for (const n of g.nodes.filter((x) => x.kind === 'Input')) {
      // Python writes an unknown size as None.
      const shape = (n.params.shape as (number | null)[]).map((d) => (d === null ? 'None' : String(d)));
      expect(py).toContain(`shape=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
    }
    const a = analyze(g);
    const losses = a.outputs.map((id) =>
      pyString(
        outputTarget(
          g.nodes.find((n) => n.id === id)!,
          a.nodes.get(id)!.outputShape!,
        ).kerasLoss,
      ),
    );
    expect(py).toContain(losses.length === 1 ? `loss=${losses[0]}` : `loss=[${losses.join(', ')}]`);
    expect(py).toContain('model.summary()\n');
    expect(py).toContain('model.fit(x, y, epochs=3, batch_size=32)\n');
    expect(py.split('\n')[1]).toMatch(
      new RegExp(`^# ${a.totals.total.toLocaleString('en-US')} parameters?( \\(${a.totals.nonTrainable.toLocaleString('en-US')} non-trainable\\))?\\.$`),
    );
  });

  it('the seed CNN reads like the seed document (Keras positional arguments, tuples)', () => {
    const py = written(generatePython(tpl('product-classifier'), SETTINGS, 'sequential'));
    for (const line of [
      'keras.Input(shape=(64, 64, 3)),',
      'layers.Conv2D(32, (3, 3), activation="relu", name="conv1"),',
      'layers.MaxPooling2D((2, 2), name="pool1"),',
      'layers.Flatten(name="flatten"),',
      'layers.Dense(64, activation="relu", name="dense1"),',
      'layers.Dropout(0.5, name="dropout1"),',
      'layers.Dense(10, activation="softmax", name="output_softmax"),',
      'name="product_image_classifier_sequential",',
    ])
      expect(py).toContain(`\n${line.startsWith('name=') ? '    ' : '        '}${line}\n`);
    expect(py).toContain('y = np.random.randint(0, 10, size=(num_samples, 1))');
  });

  it('the seed purchase predictor: inputs in order, the merge on a list, one output', () => {
    const py = written(generatePython(tpl('purchase-predictor'), SETTINGS, 'functional'));
    expect(py).toContain('text_features_input = keras.Input(shape=(100,), name="text_features_input")');
    expect(py).toMatch(/concatenate_branches = layers\.Concatenate\(name="concatenate_branches"\)\(\s*\[dense_image_2, dense_text_2\]\s*\)/);
    expect(py).toContain('inputs=[image_features_input, text_features_input],\n    outputs=output_sigmoid,');
    expect(py).toContain('loss="binary_crossentropy"');
  });

  it('non-default arguments by their Keras names; optimizers', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [9, 9, 3] }, 'in');
      const c = b.add('Conv2D', { filters: 8, kernel_size: [5, 3], strides: [2, 1], padding: 'same', use_bias: false }, 'c', [x]);
      const p = b.add('MaxPooling2D', { pool_size: [2, 2], strides: [1, 1] }, 'p', [c]);
      b.add('Flatten', {}, 'f', [p]);
    });
    const py = written(generatePython(g, { ...SETTINGS, optimizer: 'sgd', learningRate: 0.01 }, 'sequential'));
    // 92 characters on one line: split the way Black does, one argument per line with a trailing comma.
    const conv = ['layers.Conv2D(', '    8,', '    (5, 3),', '    strides=(2, 1),', '    padding="same",', '    use_bias=False,', '    name="c",', '),'];
    expect(py).toContain(conv.map((l) => `        ${l}`).join('\n'));
    expect(py).toContain('layers.MaxPooling2D((2, 2), strides=(1, 1), name="p"),');
    expect(py).toContain('keras.Input(shape=(9, 9, 3), name="in"),');
    expect(py).toContain('optimizer=keras.optimizers.SGD(learning_rate=0.01),');
    expect(written(generatePython(g, { ...SETTINGS, optimizer: 'rmsprop' }, 'sequential'))).toContain('keras.optimizers.RMSprop(learning_rate=0.001)');
    expect(written(generateTypeScript(g, { ...SETTINGS, optimizer: 'rmsprop', learningRate: 0.05 }, 'sequential'))).toContain('tf.train.rmsprop(0.05)');
  });

  it('several outputs: losses and metrics lists in output order, one label array each', () => {
    const g = awkward();
    const a = analyze(g);
    expect(a.outputs.map((id) => g.nodes.find((n) => n.id === id)!.name)).toEqual(['a_b', 'import']);
    const py = written(generatePython(g, SETTINGS, 'functional'));
    expect(py).toContain('loss=["sparse_categorical_crossentropy", "binary_crossentropy"],');
    expect(py).toContain('metrics=[["accuracy"], ["accuracy"]],');
    expect(py).toMatch(/outputs=\[a_b(_\d)?, import_\],/);
    expect(py).toMatch(/y = \[\n {4}np\.random\.randint\(0, 4, size=\(num_samples, 1\)\),.*\n {4}np\.random\.randint\(0, 2, /);
  });

  it.skipIf(!hasPython)('python3 parses every program; variables are valid, unique, and no keyword', () => {
    const graphs = [...TEMPLATES.map((t) => t.build()), awkward(), ...MULTI_OUTPUT_GRAPHS.map((t) => t.build())];
    const programs = graphs.flatMap((g) => formsOf(g).map((form) => ({ g, form, src: written(generatePython(g, SETTINGS, form)) })));
    const parsed = pyParseAll(programs.map((p) => p.src));
    for (const [i, { g, form }] of programs.entries()) {
      const { names, targets } = parsed[i];
      const layerNames = g.nodes.filter((n) => !n.layerOf && !(form === 'sequential' && n.kind === 'Input' && n.name === 'input_layer')).map((n) => n.name);
      expect(names.sort()).toEqual([...layerNames, g.name].sort());
      expect(new Set(targets).size).toBe(targets.length);
      for (const t of targets) expect(t).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
    }
    const { targets } = pyParse(written(generatePython(awkward(), SETTINGS, 'functional')));
    expect(targets).toEqual(expect.arrayContaining(['input_', 'model_', 'class_', 'a_b', 'a_b_2', '_2nd_drop', 'a_b_3', 'import_']));
  });

  it('refuses what TypeScript refuses, with the same reason', () => {
    const broken = buildGraph('b', (b) => void b.add('Dense', { units: 2 }, 'alone'));
    for (const [g, form] of [
      [broken, 'functional'],
      [tpl('purchase-predictor'), 'sequential'],
    ] as const) {
      const py = generatePython(g, SETTINGS, form);
      expect(py.ok).toBe(false);
      expect(py).toEqual(generateTypeScript(g, SETTINGS, form));
    }
    const r = generatePython(tpl('purchase-predictor'), SETTINGS, 'sequential');
    if (!r.ok) expect(r.reason).toContain("'image_features_input'");
  });

  it('refuses training settings it cannot write out', () => {
    const g = tpl('dense-input-dim-1');
    for (const bad of [{ epochs: 0 }, { batchSize: 2.5 }, { samples: -1 }, { learningRate: Number.NaN }, { learningRate: 0 }]) {
      const py = generatePython(g, { ...SETTINGS, ...bad }, 'sequential');
      expect(py.ok, JSON.stringify(bad)).toBe(false);
      expect(generateTypeScript(g, { ...SETTINGS, ...bad }, 'functional').ok).toBe(false);
    }
  });
});

describe('identifiers from layer names', () => {
  it('camelCase for TypeScript, snake_case for Python', () => {
    expect(['dense_image_1', 'conv-1', 'pool.2', 'block/conv', 'CNN_out', 'myLayer', '2nd', '---'].map(camelBase)).toEqual([
      'denseImage1',
      'conv1',
      'pool2',
      'blockConv',
      'cnnOut',
      'myLayer',
      '_2nd',
      'layer',
    ]);
    expect(['dense_image_1', 'conv-1', 'pool.2', 'block/conv', 'CNN_out', 'myLayer', '2nd', '---'].map(snakeBase)).toEqual([
      'dense_image_1',
      'conv_1',
      'pool_2',
      'block_conv',
      'cnn_out',
      'my_layer',
      '_2nd',
      'layer',
    ]);
  });

  it('reserved words get a trailing underscore; collisions a numeric suffix', () => {
    expect(identifiers(['class', 'model', 'tf', 'xs', 'await', 'a-b', 'a.b', 'a_b', 'aB'], camelBase, JS_RESERVED)).toEqual([
      'class_',
      'model_',
      'tf_',
      'xs_',
      'await_',
      'aB',
      'aB_2',
      'aB_3',
      'aB_4',
    ]);
    expect(identifiers(['import', 'None', 'input', 'np', 'x', 'a-b', 'a.b', 'a_b', 'a_b_2'], snakeBase, PY_RESERVED)).toEqual([
      'import_',
      'none',
      'input_',
      'np_',
      'x_',
      'a_b',
      'a_b_2',
      'a_b_3',
      'a_b_2_2',
    ]);
  });

  it('TypeScript variables from awkward names are valid and unique (the contract test runs them)', () => {
    const tsCode = written(generateTypeScript(awkward(), SETTINGS, 'functional'));
    const vars = [...tsCode.matchAll(/^const (\S+) = /gm)].map((m) => m[1]);
    expect(vars).toEqual(expect.arrayContaining(['input', 'model_', 'class_', 'aB', 'aB_2', '_2ndDrop', 'aB_3', 'import_']));
    expect(new Set(vars).size).toBe(vars.length);
    expect(vars.filter((v) => JS_RESERVED.has(v) && !['model', 'xs', 'ys', 'numSamples'].includes(v))).toEqual([]);
  });
});

describe('literals and comments', () => {
  it('strings are escaped for each language', () => {
    expect(pyString('say "hi"')).toBe('"say \\"hi\\""');
    expect(pyString('back\\slash\nnew')).toBe('"back\\\\slash\\nnew"');
    expect(tsString("it's")).toBe("'it\\'s'");
    expect(tsString('a\u2028b')).toBe("'a\\u2028b'");
    expect(pyValue([100])).toBe('(100,)');
    expect(pyValue([64, 64, 3])).toBe('(64, 64, 3)');
    expect([true, false, null].map(pyValue)).toEqual(['True', 'False', 'None']);
  });

  it('a model name with quotes stays inside its literals and comments; one with a newline is refused', () => {
    // A control character in the model name is refused by the validator (core checkModelName), so no code.
    const nl = generatePython({ ...tpl('dense-input-dim-1'), name: 'x\nprocess.exit(1)' }, SETTINGS, 'functional');
    expect(nl.ok ? '' : nl.reason).toMatch(/model name .* U\+000A/);
    const g = { ...tpl('dense-input-dim-1'), name: 'it\'s "x" process.exit(1)' };
    for (const form of ['sequential', 'functional'] as const) {
      const tsCode = written(generateTypeScript(g, SETTINGS, form));
      const py = written(generatePython(g, SETTINGS, form));
      for (const c of [tsCode, py]) expect(c).not.toMatch(/^process/m);
      expect(py).toContain('name="it\'s \\"x\\" process.exit(1)",');
      expect(tsCode).toContain("name: 'it\\'s \"x\" process.exit(1)',");
      const out = ts.transpileModule(tsCode, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      expect(out.diagnostics ?? []).toEqual([]);
      if (hasPython) expect(pyParse(py).names).toContain(g.name);
    }
  });
});

describe('which API, and why', () => {
  it('a chain can be Sequential (and Functional)', () => {
    const api = explainApi(tpl('product-classifier'));
    expect(api).toMatchObject({ sequential: true });
    expect(api.explanation).toMatch(/one chain from one input to one output.*Sequential API can express it.*Functional API can too/);
  });

  it('two inputs cannot: names the node and says what the Functional API adds', () => {
    const g = tpl('purchase-predictor');
    const api = explainApi(g);
    const plan = apiPlan(g);
    expect(api.sequential).toBe(false);
    expect(api.nodeId).toBe(plan.kind === 'functional' ? plan.nodeId : 'none');
    expect(api.explanation).toBe(`${api.reason} ${FUNCTIONAL_ADDS}`);
    expect(api.reason).toContain("'text_features_input'");
  });

  it('a layer with several outputs: the reason names them, and the explanation does not repeat "The Functional API"', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [5, 3] }, 'in');
      b.add('LSTM', { units: 2, return_state: true }, 'enc', [x]);
    });
    const api = explainApi(g);
    expect(api.reason).toBe(
      "'enc' returns 3 tensors (output, state_h, state_c): every layer of a Sequential model returns one; the Functional API unpacks them.",
    );
    expect(api.explanation).toBe(`${api.reason} ${FUNCTIONAL_ADDS.replace('The Functional API wires', 'It wires')}`);
    expect(count(api.explanation, 'Functional API')).toBe(1);
    expect(FUNCTIONAL_ADDS).toContain('layers that return several tensors');
  });

  it('a merge is named; nothing to build gets the reason alone', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [4] }, 'in');
      const a = b.add('Dense', { units: 2 }, 'left', [x]);
      const c = b.add('Dense', { units: 2 }, 'right', [x]);
      b.add('Concatenate', {}, 'join', [a, c]);
    });
    expect(explainApi(g).reason).toMatch(/^'join' has 2 inputs/);
    const lonely = buildGraph('m', (b) => void b.add('Input', { shape: [4] }, 'in'));
    expect(explainApi(lonely).explanation).toBe(explainApi(lonely).reason);
    expect(explainApi({ name: 'e', nodes: [], edges: [] }).explanation).not.toContain('Functional API');
  });
});
