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

  it('data preparation that needs loaded values (a loop over len(data), a scaler) is skipped with a note; the model after it imports', async () => {
    const code = `import numpy as np
import pandas as pd
from keras.models import Sequential
from keras.layers import Dense, LSTM
df = pd.read_csv("prices.csv")
scaled = df.filter(["Close"]).values
x_train = []
for i in range(60, len(scaled)):
    x_train.append(scaled[i - 60 : i, 0])
x_train = np.array(x_train)
x_train = np.reshape(x_train, (x_train.shape[0], x_train.shape[1], 1))
model = Sequential()
model.add(LSTM(6, input_shape=(60, 1)))
model.add(Dense(1))
`;
    const { graph, notes } = await importOk(py, code);
    expect(notes).toContain('Line 8 skipped: it prepares data from values Layerlab does not load.');
    expect(notes).toContain('Line 11 skipped: it prepares data from values Layerlab does not load.');
    expect(tfjsCount(graph)).toBe(4 * (1 * 6 + 6 * 6 + 6) + 6 + 1);
  });
  it("a layer that needs a value a skipped line would have set reports that line's own error, and the line that needed it", async () => {
    const code = `import numpy as np
import keras
data = np.load("series.npy")
steps = len(data)
model = keras.Sequential([keras.Input(shape=(steps, 1)), keras.layers.LSTM(4)])
`;
    const r = await runPythonImport(py, code);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(4);
      expect(r.reason).toMatch(/^ValueError: .* is a placeholder: .*write the number in the code \(line 5 needs it\)$/);
    }
    // The model's own line fails before any layer is made: the skipped line is reported, as the model never came.
    const early = await runPythonImport(
      py,
      `import numpy as np\nimport keras\ndata = np.load("x.npy")\nmodel = keras.Sequential([keras.layers.Dense(4, input_shape=(data.shape[1],))])\n`,
    );
    expect(early).toMatchObject({ ok: false, line: 4 });
  });
  it("a TensorFlow tutorial's subclassed model: super().__init__(self), built by a call on data, GRU with get_initial_state and return_state", async () => {
    const code = `import tensorflow as tf
class MyModel(tf.keras.Model):
  def __init__(self, vocab_size, embedding_dim, rnn_units):
    super().__init__(self)
    self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
    self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
    self.dense = tf.keras.layers.Dense(vocab_size)
  def call(self, inputs, states=None, return_state=False, training=False):
    x = self.embedding(inputs, training=training)
    if states is None:
      states = self.gru.get_initial_state(x)
    x, states = self.gru(x, initial_state=states, training=training)
    x = self.dense(x, training=training)
    if return_state:
      return x, states
    return x
model = MyModel(vocab_size=11, embedding_dim=6, rnn_units=5)
predictions = model(tf.ones((64, 100), dtype=tf.int32))
assert predictions.shape == (64, 100, 11), predictions.shape
`;
    const { graph, notes } = await importOk(py, code);
    expect(notes.some((n) => n.includes('super().__init__(self)'))).toBe(true);
    expect(graph.nodes[0].params.shape).toEqual([100]);
    // Keras 3's GRU (reset_after=True): 3·(6·5 + 5·5 + 2·5) = 195; Embedding 66; Dense 66.
    expect(tfjsCount(graph)).toBe(11 * 6 + 3 * (6 * 5 + 5 * 5 + 2 * 5) + 5 * 11 + 11);
  });

  it("a Lambda's output shape comes from calling its function on a value of the input's shape (scaling, slicing, expand_dims)", async () => {
    const code = `import tensorflow as tf
model = tf.keras.models.Sequential([
    tf.keras.layers.Lambda(lambda x: tf.expand_dims(x, axis=-1), input_shape=[30]),
    tf.keras.layers.Conv1D(8, 3, padding="causal"),
    tf.keras.layers.Lambda(lambda x: x[:, -5:, :]),
    tf.keras.layers.LSTM(4),
    tf.keras.layers.Dense(1),
    tf.keras.layers.Lambda(lambda x: x * 400.0),
    tf.keras.layers.Lambda(lambda x: tf.signal.rfft(x)),
])
`;
    const { graph } = await importOk(py, code);
    const a = analyze(graph);
    const shape = (name: string) => a.nodes.get(graph.nodes.find((n) => n.name === name)!.id)!.outputShape;
    expect(shape('lambda')).toEqual([null, 30, 1]);
    expect(shape('lambda_1')).toEqual([null, 5, 8]);
    expect(shape('lambda_2')).toEqual([null, 1]);
    // A function the stand-in cannot follow leaves the shape to the user, as before.
    expect(shape('lambda_3')).toBeNull();
    expect(a.totals.total).toBe(3 * 1 * 8 + 8 + 4 * (8 * 4 + 4 * 4 + 4) + 4 + 1);
  });

  it("Keras 3's other class names (MaxPool2D, GlobalAvgPool2D, Convolution1D…) through a star import, and data indexed with tf.newaxis", async () => {
    const code = `import tensorflow as tf
from tensorflow.keras.layers import *
from tensorflow.keras.models import Model
(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train[..., tf.newaxis].astype("float32")
inp = Input(shape=x_train.shape[1:])
x = Convolution2D(4, 3, padding="same")(inp)
x = MaxPool2D()(x)
x = AvgPool2D(2)(x)
x = SeparableConvolution2D(6, 3)(x)
y = GlobalAvgPool2D()(x)
z = GlobalMaxPool2D()(x)
s = Reshape((28 * 28, 1))(inp)
s = Convolution1D(2, 3)(s)
s = MaxPool1D()(s)
s = GlobalAvgPool1D()(s)
model = Model(inp, Concatenate()([y, z, s]))
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes.map((n) => n.kind)).toEqual([
      'Input',
      'Conv2D',
      'MaxPooling2D',
      'AveragePooling2D',
      'SeparableConv2D',
      'GlobalAveragePooling2D',
      'GlobalMaxPooling2D',
      'Reshape',
      'Conv1D',
      'MaxPooling1D',
      'GlobalAveragePooling1D',
      'Concatenate',
    ]);
    expect(graph.nodes[0].params.shape).toEqual([28, 28, 1]);
    expect(tfjsCount(graph)).toBe(analyze(graph).totals.total);
  });

  it('a Sequential starting with an Embedding and no input shape reads sequences of any length, as Keras 2 built it (note)', async () => {
    const code = `import keras
from keras import layers
model = keras.Sequential()
model.add(layers.Embedding(input_dim=100, output_dim=8))
model.add(layers.LSTM(4))
model.add(layers.Dense(2))
`;
    const { graph, notes } = await importOk(py, code);
    expect(graph.nodes[0].params.shape).toEqual([null]);
    expect(notes.some((n) => n.includes('as Keras 2 assumed'))).toBe(true);
    expect(tfjsCount(graph)).toBe(100 * 8 + 4 * (8 * 4 + 4 * 4 + 4) + 4 * 2 + 2);
    // Without an Embedding first the size is unknowable: the import still says so.
    const r = await runPythonImport(py, 'import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n');
    expect(r.ok).toBe(false);
  });
  it("the TensorFlow regression tutorial's Normalization(input_shape=[1,], axis=None), adapted to data, then Dense layers", async () => {
    const code = `import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow.keras import layers
train_features = pd.read_csv("auto-mpg.csv")
horsepower = np.array(train_features["Horsepower"])
horsepower_normalizer = layers.Normalization(input_shape=[1,], axis=None)
horsepower_normalizer.adapt(horsepower)
model = tf.keras.Sequential([horsepower_normalizer, layers.Dense(8, activation="relu"), layers.Dense(1)])
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes[1].params.axis).toBeNull();
    const a = analyze(graph);
    // Keras 3: mean, variance and count are scalars for axis None (3 non-trainable values).
    expect(a.totals.nonTrainable).toBe(3);
    expect(tfjsCount(graph)).toBe(3 + 1 * 8 + 8 + 8 + 1);
  });

  it("TensorFlow's quickstart for experts: tf.data batches, a subclassed model built by a hand-written training loop", async () => {
    const code = `import tensorflow as tf
from tensorflow.keras.layers import Dense, Flatten, Conv2D
from tensorflow.keras import Model
(x_train, y_train), _ = tf.keras.datasets.mnist.load_data()
x_train = x_train[..., tf.newaxis].astype("float32")
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(10000).batch(32)
class MyModel(Model):
  def __init__(self):
    super().__init__()
    self.conv1 = Conv2D(4, 3, activation="relu")
    self.flatten = Flatten()
    self.d1 = Dense(10)
  def call(self, x):
    return self.d1(self.flatten(self.conv1(x)))
model = MyModel()
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam()
train_loss = tf.keras.metrics.Mean(name="train_loss")
@tf.function
def train_step(images, labels):
  with tf.GradientTape() as tape:
    predictions = model(images, training=True)
    loss = loss_object(labels, predictions)
  gradients = tape.gradient(loss, model.trainable_variables)
  optimizer.apply_gradients(zip(gradients, model.trainable_variables))
  train_loss(loss)
for epoch in range(2):
  train_loss.reset_state()
  for images, labels in train_ds:
    train_step(images, labels)
  print(f"Epoch {epoch + 1}, Loss: {train_loss.result()}")
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes[0].params.shape).toEqual([28, 28, 1]);
    expect(tfjsCount(graph)).toBe(3 * 3 * 4 + 4 + 26 * 26 * 4 * 10 + 10);
  });
  it('image_dataset_from_directory gives batches of the image size asked; a shape read from a batch builds the model', async () => {
    const code = `import keras
from keras import layers
train_ds, val_ds = keras.utils.image_dataset_from_directory("PetImages", validation_split=0.2, subset="both", seed=1337, image_size=(90, 60), batch_size=128)
for images, labels in train_ds.take(1):
    input_shape = images.shape[1:]
model = keras.Sequential([keras.Input(shape=input_shape), layers.Conv2D(2, 3), layers.GlobalAveragePooling2D(), layers.Dense(1)])
`;
    const { graph } = await importOk(py, code);
    expect(graph.nodes[0].params.shape).toEqual([90, 60, 3]);
    expect(tfjsCount(graph)).toBe(3 * 3 * 3 * 2 + 2 + 2 + 1);
  });

  it('the note about several models counts only models not used inside another (a nested base is part of the model)', async () => {
    const nested = await importOk(
      py,
      `import keras\nfrom keras import layers\nbase = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\ninputs = keras.Input(shape=(4,))\nmodel = keras.Model(inputs, layers.Dense(1)(base(inputs)))\n`,
    );
    expect(nested.notes.some((n) => n.includes('the code built'))).toBe(false);
    const two = await importOk(
      py,
      `import keras\nfrom keras import layers\ngen = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\ndisc = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])\n`,
    );
    expect(two.notes[0]).toBe("The model is 'sequential_1' (the code built 2 models; Layerlab takes the one named `model`, else the last).");
  });

  it('keras.applications on a computed tensor (input_tensor=): its layers join the model, as Keras applies them, so get_layer outputs are usable', async () => {
    const head = `import keras
from keras import layers, ops
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Rescaling(1 / 255)(inputs)
`;
    const flat = await importOk(
      py,
      `${head}base = keras.applications.MobileNet(input_tensor=x, include_top=False, weights=None, alpha=0.25)
mid = base.get_layer("conv_pw_5_relu").output
y = ops.nn.relu(layers.Conv2D(4, 1)(mid))
model = keras.Model(inputs, [layers.GlobalAveragePooling2D()(y), layers.GlobalAveragePooling2D()(base.output)])
`,
    );
    expect(flat.graph.blocks ?? []).toEqual([]);
    const rescaling = flat.graph.nodes.find((n) => n.kind === 'Rescaling')!;
    const conv1 = flat.graph.nodes.find((n) => n.name === 'conv1')!;
    expect(flat.graph.edges.some((e) => e.source === rescaling.id && e.target === conv1.id)).toBe(true);
    // The same MobileNet called as a nested model has the same layers: its count is the oracle of the flattened one.
    const nested = await importOk(
      py,
      `${head}base = keras.applications.MobileNet(input_shape=(32, 32, 3), include_top=False, weights=None, alpha=0.25)\nmodel = keras.Model(inputs, base(x))\n`,
    );
    const midConv = 4 * analyze(flat.graph).nodes.get(flat.graph.nodes.find((n) => n.name === 'conv_pw_5_relu')!.id)!.outputShape![3]! + 4;
    expect(tfjsCount(flat.graph)).toBe(analyze(nested.graph).totals.total + midConv);
  });

  it("TensorFlow's transfer-learning tutorial: a base model and layers first tried on a batch of data, then used in the model", async () => {
    const code = `import tensorflow as tf
train_dataset = tf.keras.utils.image_dataset_from_directory("train", shuffle=True, batch_size=32, image_size=(64, 64))
data_augmentation = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])
for image, _ in train_dataset.take(1):
  first_image = image[0]
  augmented_image = data_augmentation(tf.expand_dims(first_image, 0))
base_model = tf.keras.applications.MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None, alpha=0.35)
image_batch, label_batch = next(iter(train_dataset))
feature_batch = base_model(image_batch)
global_average_layer = tf.keras.layers.GlobalAveragePooling2D()
feature_batch_average = global_average_layer(feature_batch)
assert feature_batch_average.shape == (None, 1280), feature_batch_average.shape
prediction_layer = tf.keras.layers.Dense(1)
prediction_batch = prediction_layer(feature_batch_average)
base_model.trainable = False
inputs = tf.keras.Input(shape=(64, 64, 3))
x = base_model(inputs, training=False)
x = global_average_layer(x)
outputs = prediction_layer(x)
model = tf.keras.Model(inputs, outputs)
`;
    const { graph } = await importOk(py, code);
    const a = analyze(graph);
    // The trainable part is the head alone: Dense(1) on the 1,280 pooled features (the layer tried on data first).
    expect(a.totals.trainable).toBe(1280 + 1);
    expect(graph.nodes.filter((n) => n.name === 'dense')).toHaveLength(1);
    expect(tfjsCount(graph)).toBe(a.totals.total);
  });
});
