/**
 * Keras Applications written as Layerlab layers (core/templates/applications.ts) and offered to pasted code
 * (codeimport/python/applications.ts `application`): the totals equal the counts Keras publishes for each with its
 * top at the default input (keras.io/api/applications "Available models", keras-io@01b6d6c:templates/api/applications/
 * index.md; /work/shared/reference/keras_applications_params.md), the answers the stand-in reads are well formed
 * (every input defined before it is read, ids unique, Keras's model names), and what Keras refuses is refused naming
 * the class, the argument and the value. Layer by layer against Keras 3 itself: tests/keras/applications.oracle.test.ts;
 * tfjs's own count: tests/contract/applications.contract.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ARCHITECTURES, applicationGraph } from '../../src/core/templates/applications';
import { analyze } from '../../src/core/validate/analyze';
import { application, type ApplicationAnswer } from '../../src/codeimport/python/applications';
import { LEAKS } from '../helpers/messages';

/** keras.io's published totals (include_top=True, 1,000 classes, default input), source [A] of the reference. */
const PUBLISHED: Readonly<Record<string, number>> = {
  MobileNetV2: 3_538_984,
  EfficientNetB0: 5_330_571,
  EfficientNetB1: 7_856_239,
  EfficientNetB2: 9_177_569,
  EfficientNetB3: 12_320_535,
  EfficientNetB4: 19_466_823,
  EfficientNetB5: 30_562_527,
  EfficientNetB6: 43_265_143,
  EfficientNetB7: 66_658_687,
  Xception: 22_910_480,
  InceptionV3: 23_851_784,
  DenseNet121: 8_062_504,
  DenseNet169: 14_307_880,
  DenseNet201: 20_242_984,
  ResNet101: 44_707_176,
  ResNet152: 60_419_944,
  ResNet50V2: 25_613_800,
  ResNet101V2: 44_675_560,
  ResNet152V2: 60_380_648,
  VGG19: 143_667_240,
};

const answer = (cls: string, args: object = {}) => JSON.parse(application(cls, JSON.stringify(args))) as ApplicationAnswer;
const ok = (cls: string, args: object = {}) => {
  const a = answer(cls, args);
  if (!a.ok) throw new Error(a.error);
  return a;
};
const refusal = (cls: string, args: object) => {
  const a = answer(cls, args);
  if (a.ok) throw new Error(`${cls} ${JSON.stringify(args)} was built`);
  expect(a.error).not.toMatch(LEAKS);
  return a.error;
};

describe('Keras Applications built from Layerlab layers', () => {
  it('every architecture has a published count to check', () => expect(Object.keys(ARCHITECTURES).sort()).toEqual(Object.keys(PUBLISHED).sort()));

  it.each(Object.entries(PUBLISHED))('%s with its top at the default input counts what keras.io publishes (%i)', (cls, total) => {
    const a = analyze(applicationGraph(cls));
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(a.totals.total).toBe(total);
  });

  it("InceptionV3's trainable / non-trainable split is a real Keras InceptionV3's (23,817,352 / 34,432: BatchNormalization without scale)", () => {
    const t = analyze(applicationGraph('InceptionV3')).totals;
    expect([t.trainable, t.nonTrainable]).toEqual([23_817_352, 34_432]);
  });

  it("EfficientNet's Normalization statistics are non-trainable: mean, variance (3 each) and count", () => {
    const g = applicationGraph('EfficientNetB0');
    const a = analyze(g);
    const norm = g.nodes.find((n) => n.kind === 'Normalization')!;
    expect(a.nodes.get(norm.id)!.weights).toEqual({ trainable: 0, nonTrainable: 7 });
  });

  it('without the top the count drops by exactly the classifier (Dense 1,280 × 1,000 + 1,000 for MobileNetV2), whatever the input', () => {
    const total = (o: object) => analyze(applicationGraph('MobileNetV2', o)).totals.total;
    expect(total({ includeTop: false, inputShape: [96, 96, 3] })).toBe(PUBLISHED.MobileNetV2 - (1280 * 1000 + 1000));
    expect(total({ includeTop: false, inputShape: [null, null, 3], pooling: 'max' })).toBe(PUBLISHED.MobileNetV2 - (1280 * 1000 + 1000));
  });
});

describe('application(): what the stand-in reads', () => {
  it.each(Object.keys(ARCHITECTURES))('%s: ids unique, every input defined before it is read, the output last', (cls) => {
    const a = ok(cls, { weights: null });
    const seen = new Set(['input']);
    for (const l of a.layers) {
      for (const i of l.inputs) expect(seen.has(i), `${l.id} reads ${i}`).toBe(true);
      expect(seen.has(l.id)).toBe(false);
      seen.add(l.id);
    }
    expect(a.layers.at(-1)!.name).toBe('predictions');
  });

  it("gives Keras's model names and input shapes (MobileNetV2's name carries alpha and the rows; None without the top)", () => {
    expect([ok('MobileNetV2', { weights: null }).name, ok('MobileNetV2', { weights: null }).input_shape]).toEqual(['mobilenetv2_1.00_224', [224, 224, 3]]);
    const small = ok('MobileNetV2', { weights: null, alpha: 0.35, input_shape: [96, 96, 3], include_top: false });
    expect(small.name).toBe('mobilenetv2_0.35_96');
    expect(ok('MobileNetV2', { weights: null, include_top: false }).name).toBe('mobilenetv2_1.00_None');
    // With ImageNet weights Keras loads the 224 weights for a size it has none of, and names the model so.
    expect(ok('MobileNetV2', { include_top: false, input_shape: [100, 100, 3] }).name).toBe('mobilenetv2_1.00_224');
    expect(ok('InceptionV3', { weights: null }).input_shape).toEqual([299, 299, 3]);
    expect(ok('Xception', { weights: null, include_top: false }).input_shape).toEqual([null, null, 3]);
    expect(ok('EfficientNetB4', { weights: null }).input_shape).toEqual([380, 380, 3]);
    expect(['DenseNet169', 'ResNet152V2', 'VGG19'].map((c) => ok(c, { weights: null }).name)).toEqual(['densenet169', 'resnet152v2', 'vgg19']);
  });

  it("EfficientNet says which Keras layer it leaves out with weights='imagenet', and that its stochastic-depth Dropout drops values, not samples", () => {
    const dropout = expect.stringMatching(/^efficientnetb0: the Dropout before each residual Add .*noise_shape \(None, 1, 1, 1\)/);
    expect(ok('EfficientNetB0').notes).toEqual([
      expect.stringMatching(/^efficientnetb0: with weights='imagenet' Keras adds a third Rescaling .* left out/),
      dropout,
    ]);
    expect(ok('EfficientNetB0', { weights: null }).notes).toEqual([dropout]);
    expect(ok('MobileNetV2', { weights: null }).notes).toEqual([]);
  });

  it('refuses what Keras refuses, naming the class, the argument and the value', () => {
    expect(refusal('InceptionV3', { weights: null, include_top: false, input_shape: [74, 74, 3] })).toBe(
      'InceptionV3: input size must be at least 75x75; received input_shape=(74, 74, 3)',
    );
    expect(refusal('Xception', { weights: null, include_top: false, input_shape: [70, 99, 3] })).toMatch(/^Xception: input size must be at least 71x71/);
    expect(refusal('MobileNetV2', { alpha: 0.6 })).toBe(
      "MobileNetV2: with weights='imagenet', alpha must be one of 0.35, 0.50, 0.75, 1.0, 1.3 or 1.4, got 0.6",
    );
    expect(refusal('MobileNetV2', { weights: null, alpha: -1 })).toBe('MobileNetV2: alpha must be a positive number, got -1');
    expect(refusal('EfficientNetB0', { classes: 10 })).toBe("EfficientNetB0: with weights='imagenet' and include_top=True, classes must be 1000, got 10");
    expect(refusal('DenseNet121', { weights: null, input_shape: [null, null, 3] })).toMatch(
      /^DenseNet121: with include_top=True the input_shape must be static/,
    );
    expect(refusal('VGG19', { weights: null, include_top: false, pooling: 'mean' })).toBe("VGG19: pooling must be None, 'avg' or 'max', got 'mean'");
    expect(refusal('ResNet50V2', { classifier_activation: 'sigmoid' })).toBe(
      "ResNet50V2: with weights='imagenet' and include_top=True, classifier_activation must be None or 'softmax', got 'sigmoid'",
    );
    expect(ok('ResNet50V2', { weights: null, classifier_activation: 'sigmoid' }).layers.at(-1)!.args.activation).toBe('sigmoid');
    expect(ok('VGG16', { classifier_activation: null }).ok).toBe(true);
    expect(refusal('NASNetLarge', {})).toMatch(
      /^keras\.applications\.NASNetLarge is not one Layerlab can build; it builds VGG16, ResNet50, MobileNet, MobileNetV2, /,
    );
  });

  it.each(Object.entries(ARCHITECTURES))('%s builds at the smallest input Keras accepts (its min_size), as Keras does', (cls, arch) => {
    const a = analyze(applicationGraph(cls, { includeTop: false, inputShape: [arch.minSize, arch.minSize, 3] }));
    expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    expect(a.outputTensors).toHaveLength(1);
  });
});
