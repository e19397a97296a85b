/**
 * The TypeScript import engine run directly in Node (not in its worker): the generated TypeScript of every template,
 * Sequential and Functional, imported back gives the same graph; hand-written tfjs examples give the model tfjs
 * builds from the same code (tfjs on the cpu backend is the oracle for shapes and counts); mistakes give a message
 * with the line.
 */
import * as tf from '@tensorflow/tfjs';
import { transform } from 'sucrase';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, apiPlan, DEFAULT_TRAINING, TEMPLATES, tfjsArgs, layerDef, type Graph, type LayerNode, type Params } from '../../src/core';
import { generateTypeScript } from '../../src/codegen/typescript';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import type { CodeImportResult } from '../../src/codeimport/types';
import { describeGraph, structure } from '../helpers/graphs';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const graphOf = (r: CodeImportResult): Graph => {
  if (!r.ok) throw new Error(`import failed: ${r.reason}${r.line ? ` (line ${r.line})` : ''}`);
  return r.graph;
};

/**
 * What tfjs is given for a node's parameters: generated TypeScript writes a few values resolved from the input
 * shapes (a Reshape −1, core `LayerDef.tfjsParams`), so the import reads those; every other parameter as stored.
 */
function asTfjsSees(g: Graph): (n: LayerNode) => Params {
  const a = analyze(g);
  return (n) => {
    const def = layerDef(n.kind)!;
    const shapes = a.nodes.get(n.id)?.inputShapes;
    const resolved = shapes && def.tfjsParams?.(n.params, shapes as never)?.params;
    return resolved ? { ...n.params, ...resolved } : n.params;
  };
}

/** tf.sequential names its input '<first layer>_input'; the graph's Input keeps its own name otherwise. */
function renameSequentialInput(g: Graph, to: string): Graph {
  return { ...g, nodes: g.nodes.map((n) => (n.kind === 'Input' ? { ...n, name: to } : n)) };
}

const cases = TEMPLATES.flatMap((t) =>
  (['sequential', 'functional'] as const)
    .filter((f) => f === 'functional' || apiPlan(t.build()).kind === 'sequential')
    .map((form) => ({ id: t.id, build: t.build, form })),
);

describe('generated TypeScript imported back gives the same graph', () => {
  it.each(cases)('$id, $form', async ({ build, form }) => {
    const original = build();
    const gen = generateTypeScript(original, DEFAULT_TRAINING, form);
    if (!gen.ok) throw new Error(gen.reason);
    const back = graphOf(await runTypeScriptImport(gen.code));
    const expected = form === 'sequential' ? renameSequentialInput(original, back.nodes.find((n) => n.kind === 'Input')!.name) : original;
    expect(back.name).toBe(original.name);
    expect(structure(back), describeGraph(back)).toEqual(structure(expected, asTfjsSees(original)));
    // Shared layers: the same calls of the same layers.
    const calls = (g: Graph) => g.nodes.filter((n) => n.layerOf).map((n) => `${n.name}→${g.nodes.find((o) => o.id === n.layerOf)!.name}`);
    expect(calls(back).sort()).toEqual(calls(expected).sort());
    const [a, b] = [analyze(original), analyze(back)];
    expect(b.totals).toEqual(a.totals);
    expect(b.outputTensors.length).toBe(a.outputTensors.length);
    expect(b.valid).toBe(true);
  });
});

/** Runs tfjs code against real tfjs (the oracle): types stripped by sucrase, `model` returned. */
async function runInTfjs(code: string): Promise<tf.LayersModel> {
  const js = transform(code, { transforms: ['typescript', 'imports'] }).code;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...a: string[]) => (r: (n: string) => unknown) => Promise<tf.LayersModel>;
  return new AsyncFunction('require', `${js}\nreturn model;`)(() => tf);
}

/** The import and real tfjs agree on every layer's output shape and count, and the total. */
async function expectSameAsTfjs(code: string): Promise<Graph> {
  const g = graphOf(await runTypeScriptImport(code));
  const model = await runInTfjs(code);
  try {
    const a = analyze(g);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(model.countParams());
    for (const l of model.layers) {
      const n = g.nodes.find((x) => x.name === l.name);
      if (!n) continue; // tf.sequential's own input layer
      const info = a.nodes.get(n.id)!;
      // A layer with several outputs: tfjs gives the list of their shapes.
      const ours = info.moreOutputs.length ? [info.outputShape, ...info.moreOutputs] : info.outputShape;
      expect([l.name, ours]).toEqual([l.name, l.outputShape]);
    }
  } finally {
    model.dispose();
  }
  return g;
}

describe('hand-written tfjs code', () => {
  it("tfjs's getting-started Sequential with model.add, defaults left to tfjs, compile / fit / predict ignored", async () => {
    const code = `import * as tf from '@tensorflow/tfjs';

// A small MLP as tfjs's guides write it.
const model = tf.sequential();
model.add(tf.layers.dense({units: 32, activation: 'relu', inputShape: [784]}));
model.add(tf.layers.dropout({rate: 0.2}));
model.add(tf.layers.dense({units: 10, activation: 'softmax'}));
model.compile({optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy']});
const xs: tf.Tensor = tf.randomNormal([100, 784]);
const ys = tf.oneHot(tf.tensor1d(Array.from({length: 100}, (_, i) => i % 10), 'int32'), 10);
await model.fit(xs, ys, {epochs: 2, callbacks: {onEpochEnd: (e: number, logs?: tf.Logs) => console.log(e, logs)}});
model.predict(xs);
model.summary();
`;
    const r = await runTypeScriptImport(code);
    expect(r.ok && r.notes[0]).toBe('model.compile, model.fit, model.predict and model.summary were not run: Layerlab reads only the model the code builds.');
    const g = await expectSameAsTfjs(code);
    expect(g.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'Dropout', 'Dense']);
  });

  it('tf.layers.inputLayer as the first layer of a tf.sequential, in the layers list and through model.add', async () => {
    const listed = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({
  layers: [tf.layers.inputLayer({inputShape: [6, 4], name: 'features'}), tf.layers.flatten({name: 'flat'}), tf.layers.dense({units: 3, name: 'out'})],
});
`;
    const added = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential({name: 'added'});
model.add(tf.layers.inputLayer({batchInputShape: [null, 5, 5, 2], name: 'image'}));
model.add(tf.layers.conv2d({filters: 4, kernelSize: 3, name: 'conv'}));
model.add(tf.layers.globalAveragePooling2d({name: 'pool'}));
`;
    for (const [code, input] of [
      [listed, 'features'],
      [added, 'image'],
    ] as const) {
      const g = await expectSameAsTfjs(code);
      const model = await runInTfjs(code);
      try {
        // The Input is the InputLayer the code made: its name and tfjs's input shape; no second Input.
        expect(g.nodes.filter((n) => n.kind === 'Input').map((n) => n.name)).toEqual([input]);
        expect([null, ...(g.nodes[0].params.shape as number[])]).toEqual(model.inputs[0].shape);
        expect(g.nodes.length).toBe(model.layers.length);
      } finally {
        model.dispose();
      }
    }
  });

  it('tf.layers.inputLayer mistakes: no shape, both shapes, not first in the Sequential', async () => {
    const run = (body: string) => runTypeScriptImport(`import * as tf from '@tensorflow/tfjs';\n${body}`);
    const none = await run('const model = tf.sequential({layers: [tf.layers.inputLayer({name: "x"}), tf.layers.dense({units: 2})]});');
    expect(none.ok ? '' : none.reason).toMatch(/^tf\.layers\.inputLayer needs inputShape .* or batchInputShape/);
    const both = await run('const model = tf.sequential({layers: [tf.layers.inputLayer({inputShape: [3], batchInputShape: [null, 3]})]});');
    expect(both.ok ? '' : both.reason).toBe('tf.layers.inputLayer: give inputShape or batchInputShape, not both (tfjs refuses both at once).');
    const late = await run(
      'const model = tf.sequential();\nmodel.add(tf.layers.dense({units: 2, inputShape: [3]}));\nmodel.add(tf.layers.inputLayer({inputShape: [2], name: "late"}));',
    );
    expect(late).toMatchObject({ ok: false, line: 4 });
    expect(late.ok ? '' : late.reason).toBe("tf.layers.inputLayer can only be the first layer of a tf.sequential model; 'late' comes after 'dense'.");
  });

  it('the input shape on the first layer of a Sequential: inputShape, batchInputShape, inputDim', async () => {
    for (const first of ['inputShape: [7]', 'batchInputShape: [null, 7]', 'inputDim: 7']) {
      const code = `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({units: 3, ${first}, name: 'hidden'}));
model.add(tf.layers.dense({units: 2, name: 'out'}));
`;
      const g = await expectSameAsTfjs(code);
      const model = await runInTfjs(code);
      try {
        expect(g.nodes.map((n) => n.kind)).toEqual(['Input', 'Dense', 'Dense']);
        expect([null, ...(g.nodes[0].params.shape as number[])]).toEqual(model.inputs[0].shape);
      } finally {
        model.dispose();
      }
    }
  });

  it('a convnet with tfjs defaults that differ from Keras (LSTM recurrentActivation) and a shape read by the code', async () => {
    const code = `import * as tf from '@tensorflow/tfjs';
const inp = tf.input({shape: [28, 28, 1], name: 'image'});
let x = tf.layers.conv2d({filters: 8, kernelSize: 3, activation: 'relu'}).apply(inp) as tf.SymbolicTensor;
x = tf.layers.maxPooling2d({poolSize: 2}).apply(x) as tf.SymbolicTensor;
const [, h, w, c] = x.shape;
x = tf.layers.reshape({targetShape: [h! * w!, c!]}).apply(x) as tf.SymbolicTensor;
x = tf.layers.lstm({units: 4}).apply(x) as tf.SymbolicTensor;
const out = tf.layers.dense({units: 3, activation: 'softmax', name: 'probs'}).apply(x) as tf.SymbolicTensor;
const model = tf.model({inputs: inp, outputs: out, name: 'conv_lstm'});
`;
    const g = await expectSameAsTfjs(code);
    expect(g.name).toBe('conv_lstm');
    const lstm = g.nodes.find((n) => n.kind === 'LSTM')!;
    expect(lstm.params.recurrent_activation).toBe('hard_sigmoid');
    expect(g.nodes.find((n) => n.kind === 'Reshape')!.params.target_shape).toEqual([169, 8]);
  });

  it("shapes the code reads (an input's, a layer output's) decide the next layers, as in tfjs", async () => {
    const code = `const tf = require('@tensorflow/tfjs');
const inp = tf.input({shape: [12, 5]});
let x = inp;
for (let i = 0; i < 3; i++) x = tf.layers.dense({units: x.shape[x.rank - 1] * 2}).apply(x);
const steps = inp.shape[1];
const y = tf.layers.reshape({targetShape: [steps * x.shape[2]]}).apply(x);
const model = tf.model({inputs: inp, outputs: y});
`;
    const g = await expectSameAsTfjs(code);
    expect(g.nodes.filter((n) => n.kind === 'Dense').map((n) => n.params.units)).toEqual([10, 20, 40]);
  });

  it('a Sequential used as a layer twice (a nested model: flattened into shared layers)', async () => {
    const code = `import * as tf from '@tensorflow/tfjs';
const encoder = tf.sequential({name: 'encoder', layers: [
  tf.layers.dense({units: 6, activation: 'relu', inputShape: [4], name: 'enc_a'}),
  tf.layers.dense({units: 3, name: 'enc_b'}),
]});
const left = tf.input({shape: [4], name: 'left'});
const right = tf.input({shape: [4], name: 'right'});
const joined = tf.layers.concatenate().apply([encoder.apply(left) as tf.SymbolicTensor, encoder.apply(right) as tf.SymbolicTensor]);
const model = tf.model({inputs: [left, right], outputs: tf.layers.dense({units: 1, name: 'score'}).apply(joined) as tf.SymbolicTensor});
`;
    const r = await runTypeScriptImport(code);
    const g = graphOf(r);
    const model = await runInTfjs(code);
    try {
      expect(analyze(g).totals.total).toBe(model.countParams());
    } finally {
      model.dispose();
    }
    expect(g.nodes.filter((n) => n.name === 'enc_a')).toHaveLength(2);
  });

  it('a shared layer, a merge, a layer with several outputs and a loop', async () => {
    const code = `const tf = require('@tensorflow/tfjs');
const a = tf.input({shape: [10, 4], name: 'a'});
const b = tf.input({shape: [10, 4], name: 'b'});
const shared = tf.layers.lstm({units: 6, returnSequences: true, returnState: true, name: 'enc'});
const [seqA, hA, cA] = shared.apply(a);
const [seqB] = shared.apply(b);
let x = tf.layers.concatenate().apply([hA, cA]);
for (let i = 0; i < 3; i++) x = tf.layers.dense({units: 8 - i, activation: 'relu'}).apply(x);
const y = tf.layers.gru({units: 5}).apply(tf.layers.add().apply([seqA, seqB]));
const model = tf.model({inputs: [a, b], outputs: [x, y]});
`;
    const g = await expectSameAsTfjs(code);
    expect(g.nodes.filter((n) => n.name === 'enc')).toHaveLength(2);
    expect(g.nodes.filter((n) => n.kind === 'Dense').map((n) => n.params.units)).toEqual([8, 7, 6]);
    const enc = g.nodes.find((n) => n.name === 'enc' && !n.layerOf)!;
    expect(
      g.edges
        .filter((e) => e.source === enc.id)
        .map((e) => e.output ?? 0)
        .sort(),
    ).toEqual([0, 1, 2]);
  });
});

describe('mistakes are named with their line', () => {
  it('a syntax error', async () => {
    const r = await runTypeScriptImport("import * as tf from '@tensorflow/tfjs';\nconst x = tf.input({shape: [4]});\nconst y = (x;\n");
    // The column counts from 1: '(x;' has ';' at column 13 of 'const y = (x;'.
    expect(r).toEqual({ ok: false, reason: 'Syntax error: Unexpected token, expected "," (column 13).', line: 3 });
  });

  it('an exception in the code', async () => {
    const r = await runTypeScriptImport("import * as tf from '@tensorflow/tfjs';\n\nconst x = tf.input({shape: [4]});\nconst y = notDefined(x);\n");
    expect(r).toEqual({ ok: false, reason: 'ReferenceError: notDefined is not defined', line: 4 });
  });

  it('a layer factory Layerlab does not know, with a suggestion', async () => {
    const r = await runTypeScriptImport(
      "const tf = require('@tensorflow/tfjs');\nconst m = tf.sequential();\nm.add(tf.layers.Dense({units: 2, inputShape: [3]}));\n",
    );
    expect(r).toEqual({
      ok: false,
      reason: 'tf.layers.Dense is not a layer Layerlab knows (did you mean tf.layers.dense?); Layerlab reads the tfjs layers listed in its palette.',
      line: 3,
    });
  });

  it('a Sequential whose first layer has no input shape', async () => {
    const r = await runTypeScriptImport("const tf = require('@tensorflow/tfjs');\nconst m = tf.sequential();\n\nm.add(tf.layers.dense({units: 2}));\n");
    expect(r.ok).toBe(false);
    expect(!r.ok && [r.reason, r.line]).toEqual([expect.stringMatching(/first layer in a Sequential model must get an inputShape/), 4]);
  });

  it('code that builds no model', async () => {
    const none = await runTypeScriptImport(
      "const tf = require('@tensorflow/tfjs');\nconst x = tf.input({shape: [3]});\nconst y = tf.layers.dense({units: 1}).apply(x);\n",
    );
    expect(none).toEqual({
      ok: false,
      reason: 'The code ran but never built a model: pass the inputs and outputs to tf.model({ inputs, outputs }), or use tf.sequential.',
    });
    expect(await runTypeScriptImport('const a = 1;')).toEqual({ ok: false, reason: 'The code ran but never built a model (tf.sequential or tf.model).' });
  });

  it('a module other than tfjs is an inert stand-in (nothing is read), named in a note', async () => {
    expect(await runTypeScriptImport("import fs from 'fs';\nfs.readFileSync('x');\n")).toEqual({
      ok: false,
      reason: 'The code ran but never built a model (tf.sequential or tf.model).',
    });
    const r = await runTypeScriptImport(
      "import * as tf from '@tensorflow/tfjs';\nimport fs from 'fs';\nconst rows = fs.readFileSync('x');\nconst model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3]})]});\n",
    );
    expect(r.ok && r.notes[0]).toBe("'fs': not loaded; Layerlab gave it a stand-in that accepts every call.");
  });

  it('a setting the importer refuses is named with the layer', async () => {
    const r = await runTypeScriptImport(
      "const tf = require('@tensorflow/tfjs');\nconst model = tf.sequential({layers: [tf.layers.dense({units: 2, inputShape: [3], unitz: 4, name: 'd'})]});\n",
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/'d'.*unitz/);
    expect(!r.ok && r.reason).not.toMatch(/undefined|NaN|\[object Object\]/);
  });

  it('a thrown non-error value reads as a sentence', async () => {
    const r = await runTypeScriptImport('throw {code: 1};');
    expect(r).toEqual({ ok: false, reason: 'The code threw a value that is not an error.' });
  });
});

it('tfjsArgs stays the source of the generated configs (sanity of the oracle helper)', () => {
  const g = TEMPLATES[0].build();
  const dense = g.nodes.find((n) => n.kind !== 'Input')!;
  expect(Object.keys(tfjsArgs(dense)).length).toBeGreaterThan(0);
});
