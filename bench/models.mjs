/**
 * Large model files for the editor bench (bench/editor.mjs), written by TensorFlow.js itself (`model.toJSON()`, the
 * tfjs model.json topology form): nothing is downloaded. Run in Node (tfjs's pure-JS cpu backend; no weights
 * are trained, building allocates them once).
 *
 * - `chainJson(n)`: a Sequential of n − 1 Dense(8) layers (the import adds the Input: n layers).
 * - `residualJson(blocks)`: an Input, then `blocks` residual blocks Dense(16) → Dense(16) → Add(skip): 3·blocks + 1 layers.
 * - `inceptionV3Json()`: InceptionV3 as Keras Applications defines it (conv + BatchNormalization(scale=False) +
 *   ReLU units, mixed0–mixed10, global average pooling, Dense(1000)), 299×299×3 input: 313 layers with the Input.
 */
import * as tf from '@tensorflow/tfjs';

/** Silences tfjs's "use tfjs-node" banner. */
const quiet = (f) => {
  const log = console.log;
  const warn = console.warn;
  console.log = console.warn = () => {};
  try {
    return f();
  } finally {
    console.log = log;
    console.warn = warn;
  }
};

const toJson = (model) => {
  const text = JSON.stringify(model.toJSON(null, false));
  model.dispose();
  return text;
};

/** tfjs model.json topology of an n-layer chain (Input + n − 1 Dense(8)). */
export function chainJson(n) {
  return quiet(() => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 8, inputShape: [8] }));
    for (let i = 2; i < n; i++) m.add(tf.layers.dense({ units: 8 }));
    return toJson(m);
  });
}

/** tfjs model.json topology of `blocks` residual blocks of Dense(16) (3·blocks + 1 layers). */
export function residualJson(blocks) {
  return quiet(() => {
    const input = tf.input({ shape: [16] });
    let x = input;
    for (let b = 0; b < blocks; b++) {
      const y = tf.layers.dense({ units: 16, activation: 'relu' }).apply(x);
      const z = tf.layers.dense({ units: 16 }).apply(y);
      x = tf.layers.add().apply([x, z]);
    }
    return toJson(tf.model({ inputs: input, outputs: x }));
  });
}

/** tfjs model.json topology of InceptionV3 (313 layers). */
export function inceptionV3Json() {
  return quiet(() => {
    const unit = (x, filters, kh, kw, strides = 1, padding = 'same') => {
      let y = tf.layers.conv2d({ filters, kernelSize: [kh, kw], strides, padding, useBias: false }).apply(x);
      y = tf.layers.batchNormalization({ axis: 3, scale: false }).apply(y);
      return tf.layers.activation({ activation: 'relu' }).apply(y);
    };
    const cat = (xs) => tf.layers.concatenate({ axis: 3 }).apply(xs);
    const avg = (x) => tf.layers.averagePooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
    const maxp = (x) => tf.layers.maxPooling2d({ poolSize: 3, strides: 2 }).apply(x);
    const input = tf.input({ shape: [299, 299, 3] });
    let x = unit(input, 32, 3, 3, 2, 'valid');
    x = unit(x, 32, 3, 3, 1, 'valid');
    x = unit(x, 64, 3, 3);
    x = maxp(x);
    x = unit(x, 80, 1, 1, 1, 'valid');
    x = unit(x, 192, 3, 3, 1, 'valid');
    x = maxp(x);
    for (const pool of [32, 64, 64]) {
      const b1 = unit(x, 64, 1, 1);
      const b5 = unit(unit(x, 48, 1, 1), 64, 5, 5);
      const b3 = unit(unit(unit(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
      const bp = unit(avg(x), pool, 1, 1);
      x = cat([b1, b5, b3, bp]);
    }
    {
      const b3 = unit(x, 384, 3, 3, 2, 'valid');
      const bd = unit(unit(unit(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid');
      x = cat([b3, bd, maxp(x)]);
    }
    for (const c of [128, 160, 160, 192]) {
      const b1 = unit(x, 192, 1, 1);
      const b7 = unit(unit(unit(x, c, 1, 1), c, 1, 7), 192, 7, 1);
      let bd = unit(x, c, 1, 1);
      bd = unit(unit(unit(bd, c, 7, 1), c, 1, 7), c, 7, 1);
      bd = unit(bd, 192, 1, 7);
      const bp = unit(avg(x), 192, 1, 1);
      x = cat([b1, b7, bd, bp]);
    }
    {
      const b3 = unit(unit(x, 192, 1, 1), 320, 3, 3, 2, 'valid');
      const b7 = unit(unit(unit(unit(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, 'valid');
      x = cat([b3, b7, maxp(x)]);
    }
    for (let i = 0; i < 2; i++) {
      const b1 = unit(x, 320, 1, 1);
      const s = unit(x, 384, 1, 1);
      const b3 = cat([unit(s, 384, 1, 3), unit(s, 384, 3, 1)]);
      const d = unit(unit(x, 448, 1, 1), 384, 3, 3);
      const bd = cat([unit(d, 384, 1, 3), unit(d, 384, 3, 1)]);
      const bp = unit(avg(x), 192, 1, 1);
      x = cat([b1, b3, bd, bp]);
    }
    x = tf.layers.globalAveragePooling2d({}).apply(x);
    x = tf.layers.dense({ units: 1000, activation: 'softmax' }).apply(x);
    return toJson(tf.model({ inputs: input, outputs: x }));
  });
}
