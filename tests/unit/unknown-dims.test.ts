/**
 * Unknown sizes (Keras's None) in a model's inputs: typed in the inspector, checked, kept through the project
 * file, Keras JSON and both code generators, and given trial sizes for training. Shapes through every kind are
 * compared with tfjs in tests/contract/unknown-dims.contract.test.ts and with Keras by the Keras oracle.
 */
import { describe, expect, it } from 'vitest';
import {
  analyze,
  checkParam,
  checkTrainingSetting,
  DEFAULT_TRAINING,
  DEFAULT_TRIAL_SIZE,
  layerDef,
  MAX_TRIAL_SIZE,
  parseProjectJson,
  toProjectJson,
  trialKey,
  unknownDims,
  withTrialSizes,
  type Graph,
} from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { parseField } from '../../src/inspector/ParamField';
import { exported, imported, lay, type Json } from '../helpers/kerasJson';

/** A variable-length text classifier: tokens of any length → Embedding → LSTM → Dense. */
const textModel = (): Graph =>
  buildGraph('variable_text', (b) => {
    let x = b.add('Input', { shape: [null] }, 'tokens');
    x = b.add('Embedding', { input_dim: 100, output_dim: 8 }, 'embed', [x]);
    x = b.add('LSTM', { units: 4 }, 'lstm', [x]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'label', [x]);
  });

/** An image model of any height and width: (None, None, 3) → Conv2D → global pooling → Dense. */
const imageModel = (): Graph =>
  buildGraph('any_size_images', (b) => {
    let x = b.add('Input', { shape: [null, null, 3] }, 'image');
    x = b.add('Conv2D', { filters: 4, kernel_size: [3, 3] }, 'conv', [x]);
    x = b.add('GlobalMaxPooling2D', {}, 'gmp', [x]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'label', [x]);
  });

const shapeSpec = layerDef('Input')!.params.shape;

describe('the Input shape field', () => {
  it('reads None, ? and null as an unknown size, and shows it as None', () => {
    expect(parseField(shapeSpec, 'None, 3')).toEqual({ value: [null, 3] });
    expect(parseField(shapeSpec, '?, ?, 3')).toEqual({ value: [null, null, 3] });
    expect(parseField(shapeSpec, '(null,)')).toEqual({ value: [null] });
    expect(parseField(shapeSpec, 'None, a')).toEqual({ reason: expect.stringMatching(/whole numbers or None/) as unknown as string });
  });
  it('checkParam accepts null sizes and still refuses zero, fractions and sizes past the limit', () => {
    expect(checkParam(shapeSpec, [null, null, 3])).toBeNull();
    expect(checkParam(shapeSpec, [0, 3])).toMatch(/None for a size not known/);
    expect(checkParam(shapeSpec, [1.5])).not.toBeNull();
    expect(checkParam(shapeSpec, [2 ** 30])).not.toBeNull();
  });
});

describe('shapes and counts with unknown sizes', () => {
  it('carries None through Embedding and removes it in the LSTM; counts do not depend on it', () => {
    const a = analyze(textModel());
    expect(a.valid).toBe(true);
    const byName = (n: string) => a.nodes.get(textModel().nodes.find((x) => x.name === n)!.id)!;
    expect(byName('embed').outputShape).toEqual([null, null, 8]);
    expect(byName('lstm').outputShape).toEqual([null, 4]);
    // Keras: Embedding 100·8 = 800; LSTM 4·(8 + 4 + 1)·4 = 208; Dense 4·3 + 3 = 15.
    expect(a.totals.total).toBe(800 + 208 + 15);
  });
  it('Dense on an unknown last axis is refused in Keras terms', () => {
    const g = buildGraph('bad', (b) => b.add('Dense', { units: 2 }, 'd', [b.add('Input', { shape: [4, null] }, 'x')]));
    expect(analyze(g).diagnostics.map((d) => d.code)).toContain('shape/unknown-dim');
  });
});

describe('trial sizes for training', () => {
  it('lists each unknown input axis, with the default size until one is chosen', () => {
    const g = imageModel();
    expect(unknownDims(g)).toEqual([
      { input: 'image', axis: 1, key: 'image[1]' },
      { input: 'image', axis: 2, key: 'image[2]' },
    ]);
    const t = withTrialSizes(g, { ...DEFAULT_TRAINING, trialSizes: { [trialKey('image', 2)]: 40 } });
    expect(t.nodes.find((n) => n.name === 'image')!.params.shape).toEqual([DEFAULT_TRIAL_SIZE, 40, 3]);
    expect(analyze(t).nodes.get(t.nodes.find((n) => n.name === 'conv')!.id)!.outputShape).toEqual([null, DEFAULT_TRIAL_SIZE - 2, 38, 4]);
    // No unknown size: the same graph object (memoised analyses are kept).
    const fixed = buildGraph('f', (b) => b.add('Input', { shape: [3] }, 'x'));
    expect(withTrialSizes(fixed, DEFAULT_TRAINING)).toBe(fixed);
  });
  it('the setting is checked against its bounds', () => {
    expect(checkTrainingSetting('trialSizes', { 'x[1]': 16 })).toBeNull();
    expect(checkTrainingSetting('trialSizes', { 'x[1]': 0 })).toMatch(/from 1 to 4,096/);
    expect(checkTrainingSetting('trialSizes', { 'x[1]': MAX_TRIAL_SIZE + 1 })).toMatch(/got 4097/);
    expect(checkTrainingSetting('trialSizes', [])).toMatch(/must map input axes/);
  });
});

describe('None kept in files and code', () => {
  it('the project file keeps None sizes and trial sizes', () => {
    const g = textModel();
    const training = { ...DEFAULT_TRAINING, trialSizes: { 'tokens[1]': 50 } };
    const r = parseProjectJson(toProjectJson({ graph: g, training }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.project.graph.nodes.find((n) => n.name === 'tokens')!.params.shape).toEqual([null]);
    expect(r.project.training.trialSizes).toEqual({ 'tokens[1]': 50 });
  });
  it('Keras JSON: exported with null sizes and read back with them; a file with (None, None, 3) opens', () => {
    const json = JSON.parse(exported(imageModel())) as { config: { layers: Json[] } };
    expect((json.config.layers[0].config as Json).batch_input_shape).toEqual([null, null, null, 3]);
    const back = imported(json);
    expect(back.graph.nodes.find((n) => n.kind === 'Input')!.params.shape).toEqual([null, null, 3]);
    const file = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, null, null, 3], dtype: 'float32', name: 'in' }, inbound_nodes: [] },
          lay('Conv2D', 'c', { filters: 2, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', activation: 'relu' }, 'in'),
          lay('GlobalAveragePooling2D', 'g', {}, 'c'),
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['g', 0, 0]],
      },
    };
    const g = imported(file).graph;
    const a = analyze(g);
    expect(a.nodes.get(g.nodes.find((n) => n.name === 'c')!.id)!.outputShape).toEqual([null, null, null, 2]);
    expect(a.totals.total).toBe(3 * 3 * 3 * 2 + 2);
  });
  it('when the trial sizes make the model invalid (None concatenated with a known size), the code keeps the model and says why it has no data', () => {
    const g = buildGraph('mixed', (b) => {
      const s = b.add('Input', { shape: [null, 2] }, 'seq');
      const f = b.add('Input', { shape: [6, 2] }, 'fixed');
      b.add('Concatenate', {}, 'joined', [s, f]);
    });
    expect(analyze(g).valid).toBe(true);
    const py = generatePython(g, DEFAULT_TRAINING, 'functional');
    const ts = generateTypeScript(g, DEFAULT_TRAINING, 'functional');
    if (!py.ok || !ts.ok) throw new Error('code refused');
    expect(py.code).toContain('keras.Input(shape=(None, 2)');
    expect(py.code).toMatch(/# No dummy data and no model\.fit: with the trial sizes/);
    expect(py.code).not.toContain('model.fit(');
    expect(ts.code).not.toContain('await model.fit(');
    // With a trial size that fits, the data and the fit come back.
    const fits = generatePython(g, { ...DEFAULT_TRAINING, trialSizes: { 'seq[1]': 6 } }, 'functional');
    expect(fits.ok && fits.code).toContain('model.fit(');
  });
  it('Python and TypeScript keep None / null in the model and use the trial sizes for the dummy data', () => {
    const settings = { ...DEFAULT_TRAINING, trialSizes: { 'tokens[1]': 12 } };
    const py = generatePython(textModel(), settings, 'functional');
    const ts = generateTypeScript(textModel(), settings, 'functional');
    if (!py.ok || !ts.ok) throw new Error('code refused');
    expect(py.code).toContain('keras.Input(shape=(None,)');
    expect(py.code).toContain('trial sizes: tokens axis 1 = 12');
    expect(py.code).toMatch(/np\.random\.rand\(num_samples, 12\)/);
    expect(ts.code).toContain('shape: [null]');
    expect(ts.code).toMatch(/tf\.randomUniform\(\[numSamples, 12\]\)/);
  });
});
