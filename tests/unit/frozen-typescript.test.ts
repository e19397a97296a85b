/**
 * Frozen layers in pasted tfjs code (the tf stand-in): `trainable: false` in a layer's config, `layer.trainable = false`
 * set after the layer is made (also on a wrapper, and over `model.layers`), and `model.trainable = false` on the model
 * or on a model used as a layer. Each program also runs in the real @tensorflow/tfjs 4.22 (cpu backend): the import must
 * give the trainable and non-trainable counts tfjs gives.
 */
import * as tf from '@tensorflow/tfjs';
import { transform } from 'sucrase';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { cpuBackend, weightCount } from '../helpers/tfjs';

beforeAll(cpuBackend);

/** Runs tfjs code against real tfjs (types stripped by sucrase, as the import does) and returns its `model`. */
async function runInTfjs(code: string): Promise<tf.LayersModel> {
  const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...a: string[]) => (r: (n: string) => unknown) => Promise<tf.LayersModel>;
  return new AsyncFunction('require', `${js}\nreturn model;`)(() => tf);
}

const HEAD = "import * as tf from '@tensorflow/tfjs';\n";
const CASES: [string, string][] = [
  [
    'trainable: false in the config, and layer.trainable = false after the layer was made',
    `${HEAD}const dense = tf.layers.dense({ units: 8, activation: 'relu' });
const model = tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [10], trainable: false }), dense, tf.layers.dense({ units: 2 })] });
dense.trainable = false;
`,
  ],
  [
    'a frozen Bidirectional LSTM and a BatchNormalization frozen in a loop over model.layers',
    `${HEAD}const input = tf.input({ shape: [6, 4] });
const bi = tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 3 }) as tf.RNN });
const h = bi.apply(input) as tf.SymbolicTensor;
const n = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
const out = tf.layers.dense({ units: 1 }).apply(n) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: out });
bi.trainable = false;
for (const layer of model.layers) if (layer.getClassName() === 'BatchNormalization') layer.trainable = false;
`,
  ],
  [
    'a base model frozen as a whole and used as a layer under a new head',
    `${HEAD}const base = tf.sequential({ layers: [tf.layers.dense({ units: 12, inputShape: [5], activation: 'relu' }), tf.layers.dense({ units: 6 })] });
base.trainable = false;
const input = tf.input({ shape: [5] });
const features = base.apply(input) as tf.SymbolicTensor;
const out = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(features) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: out });
`,
  ],
  [
    'the whole model frozen',
    `${HEAD}const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dense({ units: 2 })] });
model.trainable = false;
`,
  ],
];

describe('pasted tfjs code with frozen layers imports to the counts tfjs gives', () => {
  it.each(CASES)('%s', async (_what, code) => {
    const r = await runTypeScriptImport(code);
    if (!r.ok) throw new Error(`import failed${r.line ? ` at line ${r.line}` : ''}: ${r.reason}`);
    const a = analyze(r.graph);
    const model = await runInTfjs(code);
    try {
      const real = { total: model.countParams(), trainable: weightCount(model.trainableWeights), nonTrainable: weightCount(model.nonTrainableWeights) };
      expect(real.nonTrainable).toBeGreaterThan(0);
      expect(a.totals).toEqual(real);
    } finally {
      model.dispose();
    }
  });

  it('a trainable flag that is not true or false is refused, naming the layer', async () => {
    const r = await runTypeScriptImport(
      `${HEAD}const d = tf.layers.dense({ units: 2, inputShape: [3], name: 'head' });\n(d as any).trainable = 'no';\nconst model = tf.sequential({ layers: [d] });\n`,
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/head\.trainable must be true or false/);
  });
});
