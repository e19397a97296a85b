/**
 * tfjs tutorials as they are written for a web page: tf and tfvis as <script> globals or imports, the model built in a
 * DOMContentLoaded handler or in a createModel() the handler calls after fetching data, charts through tfjs-vis, data
 * from a local module. The TypeScript import (src/codeimport/typescript/run.ts) runs the handlers, then zero-argument
 * functions named like model builders, with stand-ins for the page and for modules other than tfjs; fetch refuses.
 * Real tfjs builds the same layers and is the oracle of the counts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(async () => {
  await cpuBackend();
});

/** tfjs's own count of a Sequential of the given layers (built, counted, disposed). */
function tfjsCount(layers: tf.layers.Layer[]): number {
  const m = tf.sequential({ layers });
  const n = m.countParams();
  m.dispose();
  return n;
}

describe('tfjs tutorials written for a page', () => {
  it('script-tag globals: the DOMContentLoaded handler fails on fetch, so createModel() is called, with a note', async () => {
    const code = `async function getData() {
  const response = await fetch('https://example.com/cars.json');
  return (await response.json()).map((c) => ({ x: c.Horsepower, y: c.Miles_per_Gallon }));
}
async function run() {
  const data = await getData();
  tfvis.render.scatterplot({ name: 'Horsepower v MPG' }, { values: data });
  const model = createModel();
  tfvis.show.modelSummary({ name: 'Model Summary' }, model);
}
document.addEventListener('DOMContentLoaded', run);
function createModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [1], units: 1, useBias: true }));
  model.add(tf.layers.dense({ units: 50, activation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: 1, useBias: true }));
  return model;
}
`;
    const r = await runTypeScriptImport(code);
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes).toContain('The model is the one createModel() builds: Layerlab called it, as nothing at the top level of the code did.');
    const want = tfjsCount([tf.layers.dense({ inputShape: [1], units: 1 }), tf.layers.dense({ units: 50 }), tf.layers.dense({ units: 1 })]);
    expect(analyze(r.graph).totals.total).toBe(want);
  });
  it('ES modules: tfjs-vis and a local data module are stand-ins; the model is built in the handler after awaiting them', async () => {
    const code = `import * as tf from '@tensorflow/tfjs';
import * as tfvis from '@tensorflow/tfjs-vis';
import { MnistData } from './data.js';
async function showExamples(data) {
  const examples = data.nextTestBatch(20);
  const numExamples = examples.xs.shape[0];
  for (let i = 0; i < numExamples; i++) {
    const canvas = document.createElement('canvas');
    canvas.width = 28;
  }
}
async function run() {
  const data = new MnistData();
  await data.load();
  await showExamples(data);
  const model = getModel(8);
  tfvis.show.modelSummary({ name: 'Model Architecture' }, model);
}
window.onload = run;
function getModel(filters) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}
`;
    const r = await runTypeScriptImport(code);
    if (!r.ok) throw new Error(r.reason);
    expect(r.notes[0]).toBe("'@tensorflow/tfjs-vis', './data.js': not loaded; Layerlab gave them stand-ins that accept every call.");
    const want = tfjsCount([
      tf.layers.conv2d({ inputShape: [28, 28, 1], kernelSize: 5, filters: 8 }),
      tf.layers.maxPooling2d({ poolSize: [2, 2], strides: [2, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10 }),
    ]);
    expect(analyze(r.graph).totals.total).toBe(want);
  });
  it('code that only fetches data and builds nothing reports the refused fetch at its line', async () => {
    const r = await runTypeScriptImport(
      `const tf = require('@tensorflow/tfjs');\nasync function run() {\n  await fetch('/data.json');\n}\ndocument.addEventListener('DOMContentLoaded', run);\n`,
    );
    expect(r).toEqual({
      ok: false,
      reason: 'fetch is not available to imported code: Layerlab runs it without network access and loads no data.',
      line: 3,
    });
  });
});
