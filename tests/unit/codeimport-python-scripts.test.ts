/**
 * Whole tutorial scripts pasted as they are: besides the model, they plot sample images, print shapes and call the
 * model on data. The stand-in (src/codeimport/python/keras_standin.py) drops display-only statements (`_display_only`)
 * and answers a model called on data with placeholders of its output shape (`_eager_outputs`); a Sequential without an
 * input shape is built by its first call on data, as Keras builds it. tfjs is the oracle of the imported graphs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type Graph } from '../../src/core';
import { runPythonImport, type PyodideLike } from '../../src/codeimport/python/run';
import { importOk, loadPython, tfjsView } from '../helpers/codeimportPython';
import { cpuBackend } from '../helpers/tfjs';

let py: PyodideLike;
beforeAll(async () => {
  await cpuBackend();
  py = (await loadPython()).pyodide;
}, 60_000);

/** The graph is valid and tfjs, building it, counts what the core counts; returns that count. */
function tfjsCount(g: Graph): number {
  const a = analyze(g);
  expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const t = tfjsView(g);
  expect(t.total).toBe(a.totals.total);
  return t.total;
}

const CNN = `model = keras.Sequential([
    keras.Input(shape=(32, 32, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
`;

describe('tutorial scripts with plotting and calls on data', () => {
  it('a grid of sample images labelled by indexing a list with loaded labels is skipped, nested loops and subplots included', async () => {
    const code = `import keras
from keras import layers
import matplotlib.pyplot as plt
(train_images, train_labels), _ = keras.datasets.cifar10.load_data()
class_names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
plt.figure(figsize=(10, 10))
for i in range(25):
    plt.subplot(5, 5, i + 1)
    plt.imshow(train_images[i])
    plt.xlabel(class_names[train_labels[i][0]])
fig, axes = plt.subplots(2, 2)
for row in range(2):
    for col in range(2):
        axes[row][col].set_title(class_names[int(train_labels[row * 2 + col])])
print("labels:", int(train_labels[0]))
${CNN}`;
    const { graph } = await importOk(py, code);
    // Without the display lines dropped, the list index needs a loaded label's value: the import fails at line 10.
    expect(tfjsCount(graph)).toBe(analyze(graph).totals.total);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['Input', 'Conv2D', 'GlobalAveragePooling2D', 'Dense']);
  });
  it('a line number after dropped display lines is still the line of the code the user pasted', async () => {
    const r = await runPythonImport(
      py,
      `import keras\nimport matplotlib.pyplot as plt\nplt.figure()\nplt.show()\nx = keras.Input(shape=(4,))\ny = keras.layers.Dense(-2)(x)\n`,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.line).toBe(6);
  });
  it('a statement that computes from a plot call and more stays, so a loop that also builds layers is kept', async () => {
    const code = `import keras
from keras import layers
import matplotlib.pyplot as plt
inputs = keras.Input(shape=(6,))
x = inputs
for units in (8, 4):
    plt.title(str(units))
    x = layers.Dense(units)(x)
model = keras.Model(inputs, x)
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes.filter((n) => n.kind === 'Dense').map((n) => n.params.units)).toEqual([8, 4]);
    expect(tfjsCount(graph)).toBe(6 * 8 + 8 + 8 * 4 + 4);
  });
  it('a model called on generated data gives placeholders of its output shape (asserted by the code) and stays as it was', async () => {
    const code = `import keras
from keras import layers
import tensorflow as tf
${CNN}
noise = tf.random.normal([3, 32, 32, 3])
out = model(noise, training=False)
assert out.shape == (3, 10), out.shape
first = out[0]
ones = model(keras.ops.ones((1, 32, 32, 3)))
assert tuple(ones.shape) == (1, 10)
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes).toHaveLength(4);
    expect(tfjsCount(graph)).toBe(3 * 3 * 3 * 8 + 8 + 8 * 10 + 10);
  });
  it('a Sequential without an input shape is built by its first call on data, as Keras builds it', async () => {
    const code = `import keras
from keras import layers
model = keras.Sequential([layers.Dense(5, activation="relu"), layers.Dense(2)])
y = model(keras.ops.ones((4, 7)))
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes[0].params.shape).toEqual([7]);
    expect(tfjsCount(graph)).toBe(7 * 5 + 5 + 5 * 2 + 2);
  });
});
