/**
 * The Python import engine (src/codeimport/python): Keras code run in Pyodide (from node_modules, loaded once) against
 * Layerlab's recording stand-in, read back through the Keras JSON importer. Counts are Keras's printed ones for the
 * seed documents, and tfjs's (the runtime building the imported graph) for the guide-style snippets; errors carry the
 * line of the user's code. Round trips over every template are in tests/contract/codeimport-python.contract.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPythonImport, type PyodideLike } from '../../src/codeimport/python/run';
import { standinClasses } from '../../src/codeimport/python/layerSpec';
import { layerShapes } from '../../src/codeimport/python/coreBridge';
import { LAYER_DEFS } from '../../src/core/layers/registry';
import { isIgnoredKey } from '../../src/core/serialize/kerasKeys';
import { analyze } from '../../src/core/validate/analyze';
import { summarize } from '../../src/core/validate/structure';
import { exportKerasJson } from '../../src/core/serialize/kerasExport';
import { importKerasJson } from '../../src/core/serialize/kerasImport';
import { parseProjectJson, toProjectJson } from '../../src/core/serialize/project';
import { DEFAULT_TRAINING } from '../../src/core/training';
import type { Graph } from '../../src/core/graph/types';
import { LEAKS } from '../helpers/messages';
import { cpuBackend } from '../helpers/tfjs';
import { importOk, loadPython, tfjsView } from '../helpers/codeimportPython';
import { tpl } from '../helpers/templates';

let py: PyodideLike;
beforeAll(async () => {
  await cpuBackend();
  const loaded = await loadPython();
  py = loaded.pyodide;
  console.log(`Pyodide cold load in Node: ${Math.round(loaded.ms)} ms`);
}, 60_000);

const total = (g: Graph) => analyze(g).totals.total;
const byName = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!;
const inputsOf = (g: Graph, name: string) =>
  g.edges.filter((e) => g.nodes.find((n) => n.id === e.target)!.name === name).map((e) => g.nodes.find((n) => n.id === e.source)!.name);
/** The imported graph is valid and tfjs, building it, counts what the core counts and gives the same output shapes. */
function agreesWithTfjs(g: Graph): number {
  const a = analyze(g);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = tfjsView(g);
  expect(t.total).toBe(a.totals.total);
  expect(t.outputs).toEqual(a.outputTensors.map((o) => (o.output === 0 ? a.nodes.get(o.node)!.outputShape : a.nodes.get(o.node)!.moreOutputs[o.output - 1])));
  return t.total;
}

const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const seedsPresent = existsSync(SEEDS);

describe.skipIf(!seedsPresent)('seed documents in ../shared/seeds (skipped when the folder is absent)', () => {
  const read = (f: string) => readFileSync(SEEDS + f, 'utf8');
  it("001: the product classifier (Sequential, input_shape= on the first layer) and the purchase predictor build with Keras's counts", async () => {
    const blocks = [...read('001_db1e55e12b1c8d88.txt').matchAll(/```python\n([^]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBe(2);
    const cnn = await importOk(py, blocks[0]);
    expect(cnn.graph.name).toBe('product_image_classifier_sequential');
    expect(total(cnn.graph)).toBe(822_922); // Keras 3's model.summary() (README, docs/keras-facts.md)
    expect(agreesWithTfjs(cnn.graph)).toBe(822_922);
    expect(cnn.notes.some((n) => /summary\(\) at line \d+ ignored/.test(n))).toBe(true);
    expect(cnn.notes.some((n) => /compile\(\.\.\.\) at line \d+ ignored/.test(n))).toBe(true);
    const two = await importOk(py, blocks[1]);
    expect(total(two.graph)).toBe(799_233);
    expect(agreesWithTfjs(two.graph)).toBe(799_233);
    expect(inputsOf(two.graph, 'concatenate_branches')).toEqual(['dense_image_2', 'dense_text_2']);
  });
  it('000: Sequential().add(Dense(2, input_dim=1)) and the Functional Input(shape=(2,)) → Dense(2)', async () => {
    const text = read('000_22d07dec127061b5.txt');
    const [seqPart, funPart] = text.split('Functional Models');
    const code = (part: string) =>
      part
        .split('\n')
        .filter((l) => /^(from|import)\s|^\w+\s*=|^model\./.test(l))
        .join('\n');
    const seq = await importOk(py, code(seqPart));
    expect(seq.graph.nodes.map((n) => [n.kind, n.params.units ?? n.params.shape])).toEqual([
      ['Input', [1]],
      ['Dense', 2],
    ]);
    expect(agreesWithTfjs(seq.graph)).toBe(total(seq.graph));
    expect(total(seq.graph)).toBe(4); // Keras: 1·2 + 2
    const fun = await importOk(py, code(funPart));
    expect(total(fun.graph)).toBe(6); // Keras: 2·2 + 2
    expect(agreesWithTfjs(fun.graph)).toBe(6);
  });
});

describe('Keras guide styles', () => {
  it("the Functional API guide's ticket model: three inputs, two Embedding + LSTM branches, concatenate, two named outputs in a dict", async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
num_tags = 12
num_words = 10000
num_departments = 4
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(num_tags,), name="tags")
title_features = layers.Embedding(num_words, 64)(title_input)
body_features = layers.Embedding(num_words, 64)(body_input)
title_features = layers.LSTM(128)(title_features)
body_features = layers.LSTM(32)(body_features)
x = layers.concatenate([title_features, body_features, tags_input])
priority_pred = layers.Dense(1, name="priority")(x)
department_pred = layers.Dense(num_departments, name="department")(x)
model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": priority_pred, "department": department_pred},
)
keras.utils.plot_model(model, "multi_input_and_output_model.png", show_shapes=True)
`,
    );
    expect(graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['title', 'body', 'tags']);
    // Keras 3's automatic names: embedding, embedding_1, lstm, lstm_1, concatenate.
    expect(inputsOf(graph, 'concatenate')).toEqual(['lstm', 'lstm_1', 'tags']);
    expect(byName(graph, 'lstm').params.units).toBe(128);
    const a = analyze(graph);
    expect(a.valid).toBe(true);
    // Keras 3 orders a dict of outputs by its sorted keys (keras.tree.flatten), as model.outputs gives them.
    expect(a.outputTensors.map((o) => graph.nodes.find((n) => n.id === o.node)!.name)).toEqual(['department', 'priority']);
    // tfjs's count of this graph (slow to build on the cpu backend: its LSTMs' orthogonal initializers) is asked in
    // tests/contract/codeimport-python.contract.test.ts.
  });

  it("the RNN guide's encoder-decoder: return_state tuple, initial_state=, layers.Input", async () => {
    const { graph } = await importOk(
      py,
      `from tensorflow import keras
from tensorflow.keras import layers
encoder_vocab = 1000
decoder_vocab = 2000
encoder_input = layers.Input(shape=(None,))
encoder_embedded = layers.Embedding(input_dim=encoder_vocab, output_dim=64)(encoder_input)
output, state_h, state_c = layers.LSTM(64, return_state=True, name="encoder")(encoder_embedded)
encoder_state = [state_h, state_c]
decoder_input = layers.Input(shape=(None,))
decoder_embedded = layers.Embedding(input_dim=decoder_vocab, output_dim=64)(decoder_input)
decoder_output = layers.LSTM(64, name="decoder")(decoder_embedded, initial_state=encoder_state)
output = layers.Dense(10)(decoder_output)
model = keras.Model([encoder_input, decoder_input], output)
model.summary()
`,
    );
    const dec = byName(graph, 'decoder');
    const ins = graph.edges.filter((e) => e.target === dec.id).map((e) => [graph.nodes.find((n) => n.id === e.source)!.name, e.output ?? 0]);
    expect(ins).toEqual([
      ['embedding_1', 0],
      ['encoder', 1],
      ['encoder', 2],
    ]);
    expect(graph.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual(['input_layer', 'input_layer_1']);
    // The same model as the encoder-decoder template (whose count the Keras oracle and the templates contract check).
    expect(total(graph)).toBe(total(tpl('encoder-decoder')));
  });

  it('a residual block written with x + y, layers made in a loop and by a helper function with f-string names, a shape read from x.shape[-1]', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers

def conv_block(x, filters, i):
    y = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"block{i}_conv_a")(x)
    y = layers.Conv2D(x.shape[-1], 3, padding="same", name=f"block{i}_conv_b")(y)
    return layers.Activation("relu", name=f"block{i}_out")(x + y)

inputs = keras.Input(shape=(32, 32, 16))
x = inputs
for i in range(3):
    x = conv_block(x, 8 * (i + 1), i)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="resnet_like")
`,
    );
    expect(graph.name).toBe('resnet_like');
    for (const i of [0, 1, 2]) {
      expect(byName(graph, `block${i}_conv_b`).params.filters).toBe(16);
      expect(byName(graph, `block${i}_conv_a`).params.filters).toBe(8 * (i + 1));
    }
    expect(graph.nodes.filter((n) => n.kind === 'Add').map((n) => n.name)).toEqual(['add', 'add_1', 'add_2']);
    expect(inputsOf(graph, 'add_1')).toEqual(['block0_out', 'block1_conv_b']);
    agreesWithTfjs(graph);
  });

  it('a shared layer (one Dense called on two inputs) becomes one layer with two calls', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
left = keras.Input(shape=(64,), name="left")
right = keras.Input(shape=(64,), name="right")
encoder = layers.Dense(32, activation="relu", name="encoder")
merged = layers.subtract([encoder(left), encoder(right)])
model = keras.Model([left, right], layers.Dense(1, activation="sigmoid")(merged))
`,
    );
    const calls = graph.nodes.filter((n) => n.name === 'encoder');
    expect(calls.length).toBe(2);
    expect(calls[1].layerOf).toBe(calls[0].id);
    expect(total(graph)).toBe(agreesWithTfjs(graph));
  });

  it('a Sequential used as a layer of a Functional model, and a Sequential built with .add() and keras.Input in the list', async () => {
    const nested = await importOk(
      py,
      `import keras
from keras import layers
tower = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(8)], name="tower")
a = keras.Input(shape=(4,), name="a")
b = keras.Input(shape=(4,), name="b")
model = keras.Model([a, b], layers.concatenate([tower(a), tower(b)]))
`,
    );
    // Flattened by the importer: each tower layer called twice (shared).
    expect(nested.graph.nodes.filter((n) => n.kind === 'Dense').length).toBe(4);
    expect(total(nested.graph)).toBe(agreesWithTfjs(nested.graph));
    const added = await importOk(
      py,
      `from keras import Sequential, Input
from keras.layers import Dense, Dropout
model = Sequential([Input(shape=(20,))])
model.add(Dense(64, activation="relu"))
model.add(Dropout(0.5))
model.add(Dense(1, activation="sigmoid"))
n = model.count_params()
model.add(Dense(n % 7 + 1))
`,
    );
    // count_params() asked mid-way is answered by the core: 20·64+64 + 64+1 = 1,409 → Dense(1409 % 7 + 1) = Dense(2).
    expect(added.graph.nodes.at(-1)!.params.units).toBe(((20 * 64 + 64 + 64 + 1) % 7) + 1);
    expect(agreesWithTfjs(added.graph)).toBe(total(added.graph));
  });

  it('a subclassed keras.Model built with model.build(input_shape), and one called on keras.Input', async () => {
    const cls = `import keras
from keras import layers
class MLP(keras.Model):
    def __init__(self, hidden=32, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(hidden, activation="relu")
        self.drop = layers.Dropout(0.2)
        self.out = layers.Dense(3, activation="softmax")
    def call(self, inputs, training=False):
        return self.out(self.drop(self.hidden(inputs), training=training))
`;
    const built = await importOk(py, `${cls}model = MLP(hidden=48)\nmodel.build((None, 10))\nmodel.summary()\n`);
    expect(built.graph.name).toBe('mlp');
    expect(built.graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'Dropout', 'Dense']);
    expect(byName(built.graph, 'dense').params.units).toBe(48);
    expect(agreesWithTfjs(built.graph)).toBe(total(built.graph));
    const called = await importOk(py, `${cls}model = MLP()\n_ = model(keras.Input(shape=(7,)))\n`);
    expect(called.graph.nodes[0].params.shape).toEqual([7]);
    const never = await runPythonImport(py, `${cls}model = MLP()\nmodel.compile("adam")\n`);
    expect(never).toMatchObject({ ok: false, line: 11 });
    expect(!never.ok && never.reason).toMatch(/never built.*model\.build\(input_shape\)/);
  });
});

describe('call arguments, wrappers, nested models and layer subclasses', () => {
  it('MultiHeadAttention called with use_causal_mask and return_attention_scores (a tuple), Bidirectional(LSTM), TimeDistributed(Dense)', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
x = keras.Input(shape=(10, 16))
a, scores = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x, use_causal_mask=True, return_attention_scores=True)
b = layers.Bidirectional(layers.LSTM(8, return_sequences=True))(a)
c = layers.TimeDistributed(layers.Dense(4))(b)
model = keras.Model(x, [c, scores])
`,
    );
    const mha = byName(graph, 'multi_head_attention');
    expect(mha.params).toMatchObject({ num_heads: 2, key_dim: 8, use_causal_mask: true, return_attention_scores: true });
    expect(byName(graph, 'bidirectional').params).toMatchObject({ layer: 'LSTM', units: 8, return_sequences: true });
    expect(byName(graph, 'time_distributed').params).toMatchObject({ layer: 'Dense', units: 4 });
    const a = analyze(graph);
    expect(a.outputTensors).toEqual([
      { node: byName(graph, 'time_distributed').id, output: 0 },
      { node: mha.id, output: 1 },
    ]);
    expect(agreesWithTfjs(graph)).toBe(total(graph));
  });
  it('a Functional model called on two inputs (nested, flattened into shared calls) and model.output_shape asked of it', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
inner_in = keras.Input(shape=(6,))
enc = keras.Model(inner_in, layers.Dense(3)(layers.Dense(5, activation="relu")(inner_in)), name="enc")
a = keras.Input(shape=(6,))
b = keras.Input(shape=(6,))
width = enc.output_shape[-1]
model = keras.Model([a, b], layers.Dense(width)(layers.Dot(axes=1)([enc(a), enc(b)])))
`,
    );
    expect(
      graph.nodes
        .filter((n) => n.layerOf)
        .map((n) => n.name)
        .sort(),
    ).toEqual(['dense', 'dense_1']);
    expect(graph.nodes.at(-1)!.params.units).toBe(3);
    expect(agreesWithTfjs(graph)).toBe(total(graph));
  });
  it("a keras.layers.Layer subclass's call() runs inline on the tensors; one using an op the stand-in lacks becomes a placeholder", async () => {
    const block = await importOk(
      py,
      `import keras
from keras import layers
class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.d = layers.Dense(units)
        self.n = layers.LayerNormalization()
    def call(self, x):
        return self.n(x + self.d(x))
inp = keras.Input(shape=(4, 8))
y = Block(8)(Block(8)(inp))
model = keras.Model(inp, layers.GlobalAveragePooling1D()(y))
`,
    );
    expect(block.graph.nodes.map((n) => n.kind)).toEqual([
      'Input',
      'Dense',
      'Add',
      'LayerNormalization',
      'Dense',
      'Add',
      'LayerNormalization',
      'GlobalAveragePooling1D',
    ]);
    expect(agreesWithTfjs(block.graph)).toBe(total(block.graph));
    const weird = await importOk(
      py,
      `import keras
class Weird(keras.layers.Layer):
    def call(self, x):
        return keras.ops.cumsum(x, axis=-1)
inp = keras.Input(shape=(4, 8))
model = keras.Model(inp, Weird()(inp))
`,
    );
    expect(weird.graph.nodes.find((n) => n.kind === 'Opaque')!.params.class_name).toBe('Weird');
    expect(weird.notes.some((n) => n.includes('Weird.call() (line 6) uses something Layerlab cannot record'))).toBe(true);
  });
});

describe('data preparation and layers Layerlab cannot run', () => {
  it('keras.datasets, numpy and to_categorical are stand-ins that keep array shapes: input_shape=x_train.shape[1:] works', async () => {
    const { graph, notes } = await importOk(
      py,
      `import numpy as np
import keras
from keras import layers
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
y_train = keras.utils.to_categorical(y_train, 10)
model = keras.Sequential([
    keras.Input(shape=x_train.shape[1:]),
    layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
    layers.Flatten(),
    layers.Dense(y_train.shape[-1], activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(x_train, y_train, batch_size=128, epochs=1, validation_split=0.1)
`,
    );
    expect(graph.nodes[0].params.shape).toEqual([28, 28, 1]);
    expect(graph.nodes.at(-1)!.params.units).toBe(10);
    expect(notes.some((n) => n.includes('keras.datasets.mnist.load_data() at line 4 ignored'))).toBe(true);
    expect(notes.some((n) => /fit\(\.\.\.\) at line 14 ignored/.test(n))).toBe(true);
    expect(agreesWithTfjs(graph)).toBe(total(graph));
  });
  it('pandas / sklearn are placeholders: unpacking works, a size read from their data is refused with the line and what to do', async () => {
    const r = await runPythonImport(
      py,
      `import pandas as pd
from sklearn.model_selection import train_test_split
import keras
df = pd.read_csv("data.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop("y", axis=1), df["y"], test_size=0.2)
model = keras.Sequential([keras.layers.Dense(16, input_shape=(X_train.shape[1],))])
`,
    );
    expect(r).toMatchObject({ ok: false, line: 6 });
    expect(!r.ok && r.reason).toMatch(/^ValueError: the shape of .* is not known to Layerlab: .*write the size as a number$/);
  });
  it('Keras defaults where Keras has them (MaxPooling2D()), TypeError where it has none (Dense())', async () => {
    const { graph } = await importOk(py, 'import keras\nmodel = keras.Sequential([keras.Input(shape=(8, 8, 2)), keras.layers.MaxPooling2D()])\n');
    expect(graph.nodes[1].params.pool_size).toEqual([2, 2]);
    expect(await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,))\ny = keras.layers.Dense()(x)\n')).toEqual({
      ok: false,
      reason: "TypeError: Dense.__init__() missing 1 required positional argument: 'units'",
      line: 3,
    });
  });
  it('augmentation layers Layerlab lacks keep their input shape as placeholders, so the layers after them are counted', async () => {
    const body = (aug: string) =>
      `import keras\nfrom keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(16, 16, 3)),\n${aug}    layers.Conv2D(4, 3, activation="relu"),\n    layers.Flatten(),\n    layers.Dense(3),\n])\n`;
    const { graph } = await importOk(py, body('    layers.RandomFlip("horizontal"),\n    layers.RandomRotation(0.1),\n'));
    expect(graph.nodes.filter((n) => n.kind === 'Opaque').map((n) => [n.params.class_name, n.params.output_shape])).toEqual([
      ['RandomFlip', [16, 16, 3]],
      ['RandomRotation', [16, 16, 3]],
    ]);
    const plain = await importOk(py, body(''));
    expect(total(graph)).toBe(agreesWithTfjs(plain.graph));
  });
  it('a layer frozen with trainable = False after it is made imports frozen: its weights non-trainable', async () => {
    const { graph } = await importOk(
      py,
      'import keras\nx = keras.Input(shape=(3,))\nd = keras.layers.Dense(2, name="frozen")\nd.trainable = False\nmodel = keras.Model(x, d(x))\n',
    );
    expect(graph.nodes.find((n) => n.name === 'frozen')!.trainable).toBe(false);
    expect(analyze(graph).totals).toEqual({ total: 3 * 2 + 2, trainable: 0, nonTrainable: 3 * 2 + 2 });
  });
  it('a Lambda with output_shape becomes an opaque node with that shape; the layers after it are counted', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
inp = keras.Input(shape=(8,))
x = layers.Lambda(lambda t: t * 2, output_shape=(8,))(inp)
out = layers.Dense(3)(x)
model = keras.Model(inp, out)
`,
    );
    const op = graph.nodes.find((n) => n.kind === 'Opaque')!;
    expect(op.params.class_name).toBe('Lambda');
    expect(op.params.output_shape).toEqual([8]);
    const a = analyze(graph);
    expect(a.nodes.get(graph.nodes.at(-1)!.id)!.weights).toEqual({ trainable: 8 * 3 + 3, nonTrainable: 0 });
  });
});

describe('errors carry the line of the code', () => {
  it('a syntax error', async () => {
    const r = await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,)\ny = 2\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^SyntaxError: /);
    expect(!r.ok && r.line).toBeGreaterThanOrEqual(2);
  });
  it('a NameError', async () => {
    const r = await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,))\ny = keras.layers.Dense(4)(z)\n');
    expect(r).toEqual({ ok: false, reason: "NameError: name 'z' is not defined", line: 3 });
  });
  it('a shape Keras would refuse, at the call that makes it, with the core message', async () => {
    const r = await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,))\ny = keras.layers.Conv2D(4, 3)(x)\nmodel = keras.Model(x, y)\n');
    expect(r).toMatchObject({ ok: false, line: 3 });
    expect(!r.ok && r.reason).toMatch(/^ValueError: .*rank/);
    expect(!r.ok && r.reason).not.toMatch(LEAKS);
  });
  it('an unknown layer class becomes an opaque node with its class name, and a note names it with its line', async () => {
    const { graph, notes } = await importOk(
      py,
      `import keras
from keras import layers
inp = keras.Input(shape=(8,))
x = layers.Dense(4)(inp)
x = layers.FancyNorm(momentum=0.5)(x)
model = keras.Model(inp, x)
`,
    );
    const op = graph.nodes.find((n) => n.kind === 'Opaque')!;
    expect(op.params.class_name).toBe('FancyNorm');
    expect(JSON.parse(String(op.params.layer_json)).config).toMatchObject({ momentum: 0.5 });
    expect(notes.some((n) => n.includes('FancyNorm (line 5)'))).toBe(true);
  });
  it('code that builds no model', async () => {
    expect(await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,))\n')).toEqual({
      ok: false,
      reason: 'The code ran but never built a Keras model (keras.Model or keras.Sequential).',
    });
  });
  it('import torch, and import js (the page) are refused with a clear message', async () => {
    const torch = await runPythonImport(py, 'import keras\nimport torch\n');
    expect(torch).toMatchObject({ ok: false, line: 2 });
    expect(!torch.ok && torch.reason).toMatch(/^ModuleNotFoundError: 'import torch': .*stand-ins for keras, tensorflow.*'torch' is not available/);
    const js = await runPythonImport(py, 'from js import fetch\n');
    expect(js).toMatchObject({ ok: false, line: 1 });
  });
  it('a setting the core refuses, in a Sequential list, at the line of that layer', async () => {
    const r = await runPythonImport(
      py,
      'import keras\nfrom keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(3, 8, 8)),\n    layers.Conv2D(3, 3, data_format="channels_first"),\n])\n',
    );
    expect(r).toEqual({
      ok: false,
      reason: "ValueError: Layer 'conv2d' (Conv2D) uses data_format='channels_first', which Layerlab does not model yet.",
      line: 5,
    });
  });
  it('a slice to one number per sample and unbounded recursion are named, with their lines', async () => {
    const slice = await runPythonImport(py, 'import keras\nx = keras.Input(shape=(3,))\ny = keras.layers.Dense(2)(x[:, 0])\n');
    expect(slice).toMatchObject({ ok: false, line: 3 });
    // Slicing is recorded (a GetItem placeholder, tests/unit/codeimport-fixtures.test.ts); one number per sample is not.
    expect(!slice.ok && slice.reason).toMatch(/^NotImplementedError: GetItem on the output of 'input_layer' gives one number per sample/);
    const rec = await runPythonImport(py, 'import keras\ndef f(n):\n    return f(n + 1)\nf(0)\n');
    expect(rec).toMatchObject({ ok: false, line: 3 });
    expect(!rec.ok && rec.reason).toMatch(/^RecursionError: /);
    expect(!rec.ok && rec.reason).not.toMatch(LEAKS);
  });
  it('a Sequential without an input shape says how to give one', async () => {
    const r = await runPythonImport(py, 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/does not know its input shape.*input_shape=/);
  });
});

describe('the stand-in reads its layer list from the core', () => {
  it('offers every kind under its Keras class and aliases, positional arguments first in Keras order', () => {
    const classes = standinClasses();
    for (const d of LAYER_DEFS.filter((x) => x.kind !== 'Input')) {
      expect(classes[d.kerasClass]?.canonical).toBe(d.kerasClass);
      for (const a of d.keras?.aliases ?? []) expect(classes[a]?.canonical).toBe(d.kerasClass);
    }
    expect(classes.Conv2D.positional.slice(0, 5)).toEqual(['filters', 'kernel_size', 'strides', 'padding', 'data_format']);
    expect(classes.Bidirectional.positional).toEqual(['layer', 'merge_mode']);
    // Every positional name is a parameter of its kind or a key the importer judges: dropped (initializers, seeds) or
    // accepted at Keras's default only (data_format, stateful, …). Their order is Keras's: tests/unit/keras-signature.test.ts.
    for (const d of LAYER_DEFS.filter((x) => x.kind !== 'Input'))
      for (const k of classes[d.kerasClass].positional)
        if (
          !isIgnoredKey(k) &&
          ![
            'data_format',
            'axis',
            'groups',
            'threshold',
            'negative_slope',
            'mean',
            'variance',
            'dilation_rate',
            'keepdims',
            'stateful',
            'output_padding',
          ].includes(k)
        )
          expect(Object.keys(d.params), `${d.kerasClass} ${k}`).toContain(k);
  });
  it('positional arguments in Keras order: Conv2D(8, 3, 2, "same"), MaxPooling2D(2, 1), BatchNormalization(-1, 0.9), Embedding(100, 4)', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
model = keras.Sequential([
    keras.Input(shape=(16, 16, 3)),
    layers.Conv2D(8, 3, 2, "same", "channels_last"),
    layers.MaxPooling2D(2, 1),
    layers.BatchNormalization(-1, 0.9),
    layers.Reshape((-1,)),
    layers.Dense(4, "relu", False),
])
`,
    );
    expect(byName(graph, 'conv2d').params).toMatchObject({ filters: 8, kernel_size: [3, 3], strides: [2, 2], padding: 'same' });
    expect(byName(graph, 'max_pooling2d').params).toMatchObject({ pool_size: [2, 2], strides: [1, 1] });
    expect(byName(graph, 'batch_normalization').params).toMatchObject({ momentum: 0.9 });
    expect(byName(graph, 'dense').params).toMatchObject({ units: 4, activation: 'relu', use_bias: false });
    expect(agreesWithTfjs(graph)).toBe(total(graph));
  });
  it('positional arguments past those Layerlab models: Conv2DTranspose(8, 3, 2, "same", None, None, 1, "relu") and LSTM(4, "tanh", … return_sequences)', async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
x = inputs = keras.Input(shape=(6, 6, 2))
x = layers.Conv2DTranspose(8, 3, 2, "same", None, None, 1, "relu")(x)
x = layers.Reshape((12 * 12, 8))(x)
x = layers.LSTM(4, "tanh", "sigmoid", True, "glorot_uniform", "orthogonal", "zeros", True, None, None, None, None, None, None, None, 0.0, 0.0, None, True)(x)
model = keras.Model(inputs, x)
`,
    );
    expect(byName(graph, 'conv2d_transpose').params).toMatchObject({ filters: 8, kernel_size: [3, 3], strides: [2, 2], padding: 'same', activation: 'relu' });
    expect(byName(graph, 'lstm').params).toMatchObject({ units: 4, return_sequences: true });
    expect(agreesWithTfjs(graph)).toBe(total(graph));
  });
  it('AveragePooling2D() without pool_size fails as in Keras 3.15, which has no default for it (MaxPooling2D has one)', async () => {
    expect(await runPythonImport(py, 'import keras\nx = keras.Input(shape=(8, 8, 2))\ny = keras.layers.AveragePooling2D()(x)\n')).toEqual({
      ok: false,
      reason: "TypeError: AveragePooling2D.__init__() missing 1 required positional argument: 'pool_size'",
      line: 3,
    });
  });
  it('layer_shapes answers return_state calls with every output and caches by everything but the name', () => {
    const call = JSON.stringify({ args: [{ __t__: 0 }], kwargs: {} });
    const a = JSON.parse(layerShapes('LSTM', JSON.stringify({ name: 'l1', units: 5, return_state: true }), call, '[[null, 7, 3]]'));
    // The weights too (a layer subclass's trace counts the layers it calls with them): tfjs's count of the same LSTM.
    const lstm = tf.layers.lstm({ units: 5, returnState: true });
    lstm.apply(tf.input({ shape: [7, 3] }));
    const count = lstm.countParams();
    lstm.dispose();
    expect(a).toEqual({
      shapes: [
        [null, 5],
        [null, 5],
        [null, 5],
      ],
      count: 3,
      error: null,
      weights: { trainable: count, non_trainable: 0 },
    });
    const b = JSON.parse(layerShapes('Dense', JSON.stringify({ name: 'd', units: 5 }), call, '[[null, 7, 3]]'));
    expect(b.shapes).toEqual([[null, 7, 5]]);
  });
});

/**
 * Issue 12: a keras.layers.Layer subclass the stand-in cannot record layer by layer (weights of its own, a layer
 * called on a value the code computes, an op it has no layer for) comes in as one opaque node of its class, with the
 * output shape and weight counts Keras gives it, found by running its build() and call() on shapes. Counts and shapes
 * are asked of tfjs where a tfjs layer computes the same (a Linear layer is a Dense, a position table an Embedding).
 */
describe('layer subclasses kept as one opaque node with the shape and weights Keras gives them', () => {
  /** tfjs's parameter count and output shape of `layer` called on an input of `shape` (without the batch axis). */
  function tfjsLayer(layer: tf.layers.Layer, shape: number[]): { count: number; out: (number | null)[] } {
    const out = layer.apply(tf.input({ shape })) as tf.SymbolicTensor;
    try {
      return { count: layer.countParams(), out: [...out.shape] };
    } finally {
      layer.dispose();
    }
  }
  const opaqueParams = (g: Graph, name: string) => {
    const n = byName(g, name);
    expect(n.kind).toBe('Opaque');
    return [n.params.class_name, n.params.output_shape, n.params.trainable_params, n.params.non_trainable_params];
  };
  const head = 'import keras\nfrom keras import layers, ops\n';
  const linear = `class Linear(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="random_normal")
        self.b = self.add_weight((self.units,), "zeros", trainable=True)
    def call(self, x):
        return ops.matmul(x, self.w) + self.b
`;

  it('add_weight in build() takes its shape from the real input shape (keyword and positional forms); trainable=False weights count as non-trainable; weights made in __init__ count', async () => {
    const code = `${head}${linear}class Stats(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.mean = self.add_weight(shape=(dim,), initializer="zeros", trainable=False)
        self.gain = self.add_weight(shape=dim)
    def call(self, x):
        return (x - self.mean) * self.gain
inp = keras.Input(shape=(6, 12))
y = Linear(5)(Stats(12)(inp))
model = keras.Model(inp, y)
`;
    const { graph, notes } = await importOk(py, code);
    // A Linear layer computes what a Dense layer does: tfjs counts its weights and gives its output shape.
    const dense = tfjsLayer(tf.layers.dense({ units: 5 }), [6, 12]);
    expect(opaqueParams(graph, 'stats')).toEqual(['Stats', [6, 12], 12, 12]);
    expect(opaqueParams(graph, 'linear')).toEqual(['Linear', dense.out.slice(1), dense.count, 0]);
    const a = analyze(graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals).toEqual({ total: 24 + dense.count, trainable: 12 + dense.count, nonTrainable: 12 });
    // The summary shows each as one row of its class with its weights.
    const rows = summarize(graph, a).rows;
    expect(rows.map((r) => [r.name, r.className, r.params])).toEqual([
      ['stats', 'Stats', 24],
      ['linear', 'Linear', dense.count],
    ]);
    expect(notes).toContain(
      "Linear (line 20) is kept as one layer Layerlab cannot run, 'linear': it makes weights of its own (add_weight); output shape (None, 6, 5), 65 weights (65 trainable, 0 non-trainable) as Keras counts them. Training is off while it is in the model.",
    );
    for (const n of notes) expect(n).not.toMatch(LEAKS);
    expect(notes.join(' ')).not.toMatch(/weights, if it has any, are not counted/);
  });

  it('layers called inside call() count as Keras counts them: an Embedding called on ops.arange has input_dim × output_dim weights, a Dense called on a constant takes its input size from it', async () => {
    const code = `${head}class PosEmbed(layers.Layer):
    def __init__(self, length, dim):
        super().__init__()
        self.pos = layers.Embedding(length, dim)
        self.proj = layers.Dense(dim)
        self.table = layers.Dense(dim)
    def call(self, x):
        p = self.pos(ops.arange(0, ops.shape(x)[1]))
        b = self.table(ops.ones((1, 3)))
        return self.proj(x) + p + b
inp = keras.Input(shape=(10, 4))
model = keras.Model(inp, PosEmbed(10, 8)(inp))
`;
    const { graph, notes } = await importOk(py, code);
    const emb = tfjsLayer(tf.layers.embedding({ inputDim: 10, outputDim: 8 }), [10]);
    const proj = tfjsLayer(tf.layers.dense({ units: 8 }), [10, 4]);
    const table = tfjsLayer(tf.layers.dense({ units: 8 }), [3]);
    expect(opaqueParams(graph, 'pos_embed')).toEqual(['PosEmbed', proj.out.slice(1), emb.count + proj.count + table.count, 0]);
    expect(analyze(graph).totals.total).toBe(emb.count + proj.count + table.count);
    expect(
      notes.some((n) =>
        n.startsWith("PosEmbed (line 14) is kept as one layer Layerlab cannot run, 'pos_embed': it calls the layer 'embedding' (Embedding) on ops.arange(...)"),
      ),
    ).toBe(true);
    // Outside a layer subclass, a layer called on such a value computes values, as in Keras (nothing is recorded); the
    // value used in the model is refused at the line that uses it, naming it.
    const r = await runPythonImport(
      py,
      `${head}x = keras.Input(shape=(5, 2))\ne = layers.Embedding(5, 2)(ops.arange(5))\nmodel = keras.Model(x, layers.Add()([x, e]))\n`,
    );
    expect(r).toMatchObject({ ok: false, line: 5 });
    expect(!r.ok && r.reason).toBe(
      "TypeError: Layer 'add' (Add) was called on the output of embedding(...) on ops.arange(...), not on a tensor of the model (keras.Input or a layer's output)",
    );
  });

  it('the output shape comes from tracing call() (keras.random.normal of ops.shape, exp, broadcasting); a model output keeps it; the layers after it are counted', async () => {
    const code = `${head}class Sampling(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed = keras.random.SeedGenerator(7)
    def call(self, inputs):
        mean, log_var = inputs
        eps = keras.random.normal(shape=(ops.shape(mean)[0], ops.shape(mean)[1]), seed=self.seed)
        return mean + ops.exp(0.5 * log_var) * eps
x = keras.Input(shape=(5,))
m = layers.Dense(3)(x)
v = layers.Dense(3)(x)
z = Sampling(name="z")([m, v])
out = layers.Dense(2)(z)
model = keras.Model(x, [z, out])
`;
    const { graph, notes } = await importOk(py, code);
    expect(opaqueParams(graph, 'z')).toEqual(['Sampling', [3], 0, 0]);
    expect(notes).toContain(
      "Sampling (line 14) is kept as one layer Layerlab cannot run, 'z': it applies '*' to a model tensor and keras.random.normal(...); output shape (None, 3), 0 weights (0 trainable, 0 non-trainable) as Keras counts them. Training is off while it is in the model.",
    );
    const a = analyze(graph);
    const d3 = tfjsLayer(tf.layers.dense({ units: 3 }), [5]);
    const d2 = tfjsLayer(tf.layers.dense({ units: 2 }), [3]);
    expect(a.totals.total).toBe(2 * d3.count + d2.count);
    expect(a.outputTensors.map((o) => a.nodes.get(o.node)!.outputShape)).toEqual([[null, 3], d2.out]);
    // A weight matmul on a sequence: (None, 7, 4) @ (4, 6) + (6,) broadcasts to (None, 7, 6), as tfjs's Dense gives.
    const seq = await importOk(py, `${head}${linear}inp = keras.Input(shape=(7, 4))\nmodel = keras.Model(inp, Linear(6)(inp))\n`);
    expect(byName(seq.graph, 'linear').params.output_shape).toEqual(tfjsLayer(tf.layers.dense({ units: 6 }), [7, 4]).out.slice(1));
  });

  it("without a traceable call() the shape comes from the layer's compute_output_shape, else it is asked of the user; the weights are then said not counted", async () => {
    const layer = (extra: string) =>
      `${head}class Cum(layers.Layer):\n    def call(self, x):\n        return ops.cumsum(x, axis=-1)\n${extra}inp = keras.Input(shape=(4, 8))\nmodel = keras.Model(inp, layers.Dense(2)(Cum()(inp)))\n`;
    const withShape = await importOk(py, layer('    def compute_output_shape(self, input_shape):\n        return input_shape\n'));
    expect(opaqueParams(withShape.graph, 'cum')).toEqual(['Cum', [4, 8], 0, 0]);
    expect(analyze(withShape.graph).totals.total).toBe(tfjsLayer(tf.layers.dense({ units: 2 }), [4, 8]).count);
    expect(withShape.notes.some((n) => n.includes('Cum.call() (line 9) uses something Layerlab cannot record (keras.ops.cumsum'))).toBe(true);
    expect(
      withShape.notes.some((n) =>
        n.includes("the layer is kept as a placeholder, 'cum': output shape (None, 4, 8) from its compute_output_shape; its weights are not counted"),
      ),
    ).toBe(true);
    expect(
      withShape.notes.some(
        (n) => n.includes("'cum' (Cum, output shape from its compute_output_shape)") && n.includes('(Layerlab could not work them out from the code)'),
      ),
    ).toBe(true);
    const without = await importOk(py, layer(''));
    expect(opaqueParams(without.graph, 'cum')).toEqual(['Cum', null, 0, 0]);
    expect(without.notes.some((n) => n.includes("'cum': its output shape is unknown: enter it in the inspector; its weights are not counted"))).toBe(true);
    for (const n of [...withShape.notes, ...without.notes]) expect(n).not.toMatch(LEAKS);
  });

  it('inlining stays for a call() made of layers on model tensors (a Linear inside it is its own node); a layer with weights holding a layer is one node counting both', async () => {
    const code = `${head}${linear}class MLP(layers.Layer):
    def __init__(self):
        super().__init__()
        self.a = Linear(8)
        self.b = Linear(3)
    def call(self, x):
        return self.b(keras.activations.relu(self.a(x)))
class Gated(layers.Layer):
    def __init__(self):
        super().__init__()
        self.inner = Linear(8)
    def build(self, input_shape):
        self.gate = self.add_weight(shape=(input_shape[-1],), name="gate")
    def call(self, x):
        return x + ops.sigmoid(self.gate) * self.inner(x)
inp = keras.Input(shape=(8,))
model = keras.Model(inp, MLP()(Gated()(inp)))
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Opaque', 'Opaque', 'Activation', 'Opaque']);
    const inner = tfjsLayer(tf.layers.dense({ units: 8 }), [8]);
    expect(opaqueParams(graph, 'gated')).toEqual(['Gated', [8], 8 + inner.count, 0]);
    // MLP() is made before Gated() (Python evaluates the callee first): its Linear layers are 'linear' and 'linear_1'.
    expect(opaqueParams(graph, 'linear')).toEqual(['Linear', [8], inner.count, 0]);
    expect(opaqueParams(graph, 'linear_1')).toEqual(['Linear', [3], tfjsLayer(tf.layers.dense({ units: 3 }), [8]).count, 0]);
    expect(graph.nodes.some((n) => n.name === 'linear_2')).toBe(false);
  });

  it('a loss added in call() is ignored with a note (the layer passes its input on); weights made in call() on first use count; a subclass in a Sequential list', async () => {
    const code = `${head}class ActivityReg(layers.Layer):
    def __init__(self, rate=1e-2):
        super().__init__()
        self.rate = rate
    def call(self, inputs):
        self.add_loss(self.rate * ops.sum(inputs))
        return inputs
class Lazy(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units
    def call(self, x):
        if not hasattr(self, "w"):
            self.w = self.add_weight(shape=(x.shape[-1], self.units))
        return ops.matmul(x, self.w)
model = keras.Sequential([keras.Input(shape=(5,)), ActivityReg(), Lazy(3), layers.Dense(2)])
`;
    const { graph, notes } = await importOk(py, code);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Opaque', 'Opaque', 'Dense']);
    expect(opaqueParams(graph, 'activity_reg')).toEqual(['ActivityReg', [5], 0, 0]);
    // A Dense without bias computes what Lazy does.
    const lazy = tfjsLayer(tf.layers.dense({ units: 3, useBias: false }), [5]);
    expect(opaqueParams(graph, 'lazy')).toEqual(['Lazy', lazy.out.slice(1), lazy.count, 0]);
    expect(analyze(graph).totals.total).toBe(lazy.count + tfjsLayer(tf.layers.dense({ units: 2 }), [3]).count);
    expect(notes).toContain('ActivityReg.add_loss(...) at line 8 ignored (it only adds a training loss).');
  });

  it('after a placeholder of unknown shape, a layer subclass is one node of unknown shape too; one returning two values keeps its weights and asks for its shape', async () => {
    const code = `${head}class Cum(layers.Layer):
    def call(self, x):
        return ops.cumsum(x, axis=-1)
class Scale(layers.Layer):
    def call(self, x):
        return ops.exp(x) * 2.0
class Pair(layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],))
    def call(self, x):
        return x * self.w, x
inp = keras.Input(shape=(4, 8))
model = keras.Model(inp, [Scale()(Cum()(inp)), Pair()(inp)])
`;
    const { graph, notes } = await importOk(py, code);
    expect(opaqueParams(graph, 'scale')).toEqual(['Scale', null, 0, 0]);
    expect(opaqueParams(graph, 'pair')).toEqual(['Pair', null, 8, 0]);
    expect(notes).toContain(
      "Scale.call() (line 15) uses something Layerlab cannot record (the shape of the output of 'cum' is unknown to Layerlab (Cum: a layer class Layerlab does not have (Cum))); the layer is kept as a placeholder, 'scale': its output shape is unknown: enter it in the inspector; its weights are not counted. Training is off while it is in the model.",
    );
    expect(
      notes.some((n) => n.includes("(its call() returns 2 values; Layerlab's placeholders have one output); the layer is kept as a placeholder, 'pair'")),
    ).toBe(true);
    for (const n of notes) expect(n).not.toMatch(LEAKS);
  });

  it('a layer subclass called on data (a tutorial showing its patches of one image) records nothing and answers a value of the shape Keras gives', async () => {
    const code = `${head}class Patches(layers.Layer):
    def __init__(self, size):
        super().__init__()
        self.size = size
    def call(self, images):
        s = ops.shape(images)
        p = keras.ops.image.extract_patches(images, size=self.size)
        return ops.reshape(p, (s[0], (s[1] // self.size) * (s[2] // self.size), self.size * self.size * s[3]))
demo = Patches(4)(ops.ones((1, 8, 8, 3)))
n = demo.shape[1]
inp = keras.Input(shape=(8, 8, 3))
model = keras.Model(inp, layers.Dense(n)(Patches(4)(inp)))
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Opaque', 'Dense']);
    expect(opaqueParams(graph, 'patches_1')).toEqual(['Patches', [4, 48], 0, 0]);
    const dense = tfjsLayer(tf.layers.dense({ units: 4 }), [4, 48]);
    expect(byName(graph, 'dense').params.units).toBe(4);
    expect(analyze(graph).totals.total).toBe(dense.count);
  });

  it('models held by a layer subclass count in it: a subclassed model and a Sequential it calls (Keras 3.15 counts 124 for this one)', async () => {
    const code = `${head}class Tower(keras.Model):
    def __init__(self):
        super().__init__()
        self.d = layers.Dense(4)
    def call(self, x):
        return self.d(x)
class Mixer(layers.Layer):
    def __init__(self):
        super().__init__()
        self.tower = Tower()
        self.ffn = keras.Sequential([layers.Dense(8), layers.Dense(4)])
    def build(self, input_shape):
        self.g = self.add_weight(shape=(4,))
    def call(self, x):
        return self.tower(x) * self.g + self.ffn(x)
inp = keras.Input(shape=(6,))
model = keras.Model(inp, Mixer()(inp))
`;
    const { graph, notes } = await importOk(py, code);
    const tower = tfjsLayer(tf.layers.dense({ units: 4 }), [6]);
    const ffn = tfjsLayer(tf.layers.dense({ units: 8 }), [6]).count + tfjsLayer(tf.layers.dense({ units: 4 }), [8]).count;
    expect(opaqueParams(graph, 'mixer')).toEqual(['Mixer', tower.out.slice(1), 4 + tower.count + ffn, 0]);
    expect(4 + tower.count + ffn).toBe(124);
    expect(notes.join(' ')).not.toMatch(/not counted/);
  });

  it("a subclass of a Keras layer whose call() runs the Keras one (super().call) is one node with the Keras layer's weights", async () => {
    const code = `${head}class ScaledDense(layers.Dense):
    def __init__(self, units, scale=2.0, **kwargs):
        super().__init__(units, **kwargs)
        self.scale = scale
    def call(self, x):
        return super().call(x) * self.scale
inp = keras.Input(shape=(7,))
model = keras.Model(inp, ScaledDense(5, activation="relu")(inp))
`;
    const { graph, notes } = await importOk(py, code);
    const dense = tfjsLayer(tf.layers.dense({ units: 5 }), [7]);
    expect(opaqueParams(graph, 'scaled_dense')).toEqual(['ScaledDense', dense.out.slice(1), dense.count, 0]);
    expect(notes.some((n) => n.includes("'scaled_dense': it runs Dense.call() of its Keras base class; output shape (None, 5)"))).toBe(true);
  });

  it('a weight with a size None (an input size left unknown) is refused as Keras refuses it, naming the layer and the weight, at the add_weight line', async () => {
    const r = await runPythonImport(
      py,
      `${head}${linear}inp = keras.Input(shape=(None,))\nx = layers.Reshape((1, -1))(inp)\nmodel = keras.Model(inp, Linear(2)(inp))\n`,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^ValueError: add_weight\(shape=\(None, 2\)\) of the layer 'linear' \(weight 'variable_0'\) has a size None/);
    expect(!r.ok && r.line).toBe(8);
  });

  it('the counts travel with the node: Keras JSON export writes the entry as kept (no counts in it), a project keeps them, an older project without them loads with none; a Keras file counts none', async () => {
    const { graph } = await importOk(py, `${head}${linear}inp = keras.Input(shape=(4,))\nmodel = keras.Model(inp, Linear(3)(inp))\n`);
    const count = tfjsLayer(tf.layers.dense({ units: 3 }), [4]).count;
    const out = exportKerasJson(graph);
    if (!out.ok) throw new Error(out.reason);
    const entry = (JSON.parse(out.json) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers.find(
      (l) => l.class_name === 'Linear',
    )!;
    expect(entry.config).toMatchObject({ name: 'linear' });
    expect(Object.keys(entry.config).filter((k) => k.endsWith('_params'))).toEqual([]);
    const back = parseProjectJson(toProjectJson({ graph, training: DEFAULT_TRAINING }));
    if (!back.ok) throw new Error(back.reason);
    expect(analyze(back.project.graph).totals.total).toBe(count);
    // A file written before the counts existed: the node loads, counting none.
    const old = JSON.parse(toProjectJson({ graph, training: DEFAULT_TRAINING })) as { graph: { nodes: { kind: string; params: Record<string, unknown> }[] } };
    for (const n of old.graph.nodes) if (n.kind === 'Opaque') for (const k of ['trainable_params', 'non_trainable_params']) delete n.params[k];
    const older = parseProjectJson(JSON.stringify(old));
    if (!older.ok) throw new Error(older.reason);
    expect(byName(older.project.graph, 'linear').params).toMatchObject({ trainable_params: 0, non_trainable_params: 0 });
    expect(analyze(older.project.graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The same model read back from its Keras JSON: the file does not say the weights (nor, for a model output that no
    // layer reads, the shape), so none are counted.
    const file = importKerasJson(out.json, { layout: false });
    if (!file.ok) throw new Error(file.reason);
    expect(byName(file.graph, 'linear').params).toMatchObject({ class_name: 'Linear', output_shape: null, trainable_params: 0, non_trainable_params: 0 });
    expect(file.warnings.some((w) => w.includes("a custom class's weights, if it has any, are not counted"))).toBe(true);
  });
});

describe('tf.keras-era layer subclasses (keras.io before Keras 3) import like their Keras 3 versions', () => {
  it('tf.range / tf.shape positions, a call(self, inputs, training) without a default, keras.backend.random_normal and tf.exp', async () => {
    const body = (
      tfStyle: boolean,
    ) => `${tfStyle ? 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers' : 'import keras\nfrom keras import layers, ops'}
class Block(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.d = layers.Dense(dim)
        self.drop = layers.Dropout(0.1)
    def call(self, inputs, ${tfStyle ? 'training' : 'training=False'}):
        return inputs + self.drop(self.d(inputs), training=training)
class TokPos(layers.Layer):
    def __init__(self, maxlen, vocab, dim):
        super().__init__()
        self.tok = layers.Embedding(vocab, dim)
        self.pos = layers.Embedding(maxlen, dim)
    def call(self, x):
        n = ${tfStyle ? 'tf.shape(x)[-1]' : 'ops.shape(x)[-1]'}
        return self.tok(x) + self.pos(${tfStyle ? 'tf.range(start=0, limit=n, delta=1)' : 'ops.arange(0, n, 1)'})
class Sampling(layers.Layer):
    def call(self, inputs):
        m, v = inputs
        eps = ${tfStyle ? 'keras.backend.random_normal(shape=(tf.shape(m)[0], tf.shape(m)[1]))' : 'keras.random.normal(shape=ops.shape(m))'}
        return m + ${tfStyle ? 'tf.exp' : 'ops.exp'}(0.5 * v) * eps
inp = layers.Input(shape=(12,))
x = Block(6)(TokPos(12, 50, 6)(inp))
x = layers.GlobalAveragePooling1D()(x)
z = Sampling()([layers.Dense(2)(x), layers.Dense(2)(x)])
model = keras.Model(inp, z)
`;
    const tfStyle = await importOk(py, body(true));
    const keras3 = await importOk(py, body(false));
    const emb = (n: number) => {
      const l = tf.layers.embedding({ inputDim: n, outputDim: 6 });
      l.apply(tf.input({ shape: [12] }));
      const c = l.countParams();
      l.dispose();
      return c;
    };
    expect(byName(tfStyle.graph, 'tok_pos').params).toMatchObject({ output_shape: [12, 6], trainable_params: emb(50) + emb(12) });
    expect(byName(tfStyle.graph, 'sampling').params).toMatchObject({ output_shape: [2], trainable_params: 0 });
    expect(analyze(tfStyle.graph).totals).toEqual(analyze(keras3.graph).totals);
    expect(tfStyle.graph.nodes.map((n) => n.kind)).toEqual(keras3.graph.nodes.map((n) => n.kind));
    expect(tfStyle.notes.some((n) => n.includes('on tf.range(...), a value it computes'))).toBe(true);
  });
});

describe('which model a tutorial script imports', () => {
  it('a subclassed model the code never builds (a VAE trained through train_step) gives way to the last model built, with a note; named `model`, it is still refused with how to build it', async () => {
    const script = (name: string) => `import keras
from keras import layers
enc_in = keras.Input(shape=(6,))
encoder = keras.Model(enc_in, layers.Dense(2)(enc_in), name="encoder")
dec_in = keras.Input(shape=(2,))
decoder = keras.Model(dec_in, layers.Dense(6)(dec_in), name="decoder")
class VAE(keras.Model):
    def __init__(self, encoder, decoder, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
    def train_step(self, data):
        return {}
${name} = VAE(encoder, decoder)
${name}.compile(optimizer="adam")
${name}.fit(None, epochs=1)
`;
    const { graph, notes } = await importOk(py, script('vae'));
    expect(graph.name).toBe('decoder');
    expect(total(graph)).toBe(tfjsView(graph).total);
    expect(notes).toContain(
      "The model 'vae' (VAE, line 14) is never built in the code (never called on a keras.Input or on data), so Layerlab takes 'decoder', the last model the code builds; call vae on a keras.Input to import it instead.",
    );
    const named = await runPythonImport(py, script('model'));
    expect(named).toMatchObject({ ok: false, line: 14 });
    expect(!named.ok && named.reason).toMatch(/^ValueError: the model 'vae' \(VAE\) was never built/);
  });
});
