/**
 * Contract: the Keras Applications of core/templates/applications.ts, built by the runtime in tfjs (cpu backend), have
 * tfjs's own parameter count (`countParams()`) and output shape equal to the core's, with the top at the default input
 * and without it at a smaller one (pooling 'avg'). EfficientNet's Normalization is Layerlab's custom tfjs layer
 * (runtime/layers/normalization.ts). The largest graphs (a few seconds each in tfjs) run in `npm run test:contract`.
 * There too (Pyodide): `keras.applications.<module>.preprocess_input` on a model tensor, as tutorials write it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, applicationGraph, type AppOptions } from '../../src/core/templates/applications';
import { analyze } from '../../src/core/validate/analyze';
import { loadPython, tfjsView } from '../helpers/codeimportPython';
import { cpuBackend } from '../helpers/tfjs';
import { FULL, fastSubset } from '../full';
import { runPythonImport } from '../../src/codeimport/python/run';

beforeAll(cpuBackend);

/**
 * `npm test` keeps MobileNetV2 and EfficientNetB0 (0.3-0.5 s each case in tfjs on Node's cpu backend); the others,
 * 0.5-4.7 s each (43 s for the 40 cases, measured), run in `npm run test:contract`.
 */
const FAST = new Set(['MobileNetV2', 'EfficientNetB0']);

const cases: [string, Partial<AppOptions>][] = Object.keys(ARCHITECTURES).flatMap((cls): [string, Partial<AppOptions>][] => [
  [cls, {}],
  [cls, { includeTop: false, pooling: 'avg', inputShape: [96, 96, 3] }],
]);

describe.each(fastSubset('applications contract', cases, ([cls]) => !FAST.has(cls)))('%s %j', (cls, options) => {
  it("tfjs counts the core's total and gives its output shape", () => {
    const g = applicationGraph(cls, options);
    const a = analyze(g);
    expect(a.valid).toBe(true);
    const t = tfjsView(g);
    expect(t.total).toBe(a.totals.total);
    expect(t.outputs).toEqual(a.outputTensors.map((o) => a.nodes.get(o.node)!.outputShape));
  });
});

/** imagenet_utils' mode of each submodule's preprocess_input (keras/src/applications/*.py); EfficientNet's does nothing. */
const PREPROCESS: readonly [string, 'tf' | 'caffe' | 'torch' | 'none'][] = [
  ['mobilenet', 'tf'],
  ['mobilenet_v2', 'tf'],
  ['xception', 'tf'],
  ['inception_v3', 'tf'],
  ['resnet_v2', 'tf'],
  ['vgg16', 'caffe'],
  ['vgg19', 'caffe'],
  ['resnet50', 'caffe'],
  ['resnet', 'caffe'],
  ['densenet', 'torch'],
  ['efficientnet', 'none'],
];

describe.runIf(FULL)('keras.applications.<module>.preprocess_input on a model tensor', () => {
  it.each(PREPROCESS)(
    "%s (mode %s): x / 127.5 - 1 as a Rescaling, the per-channel modes as a placeholder without weights, EfficientNet's as nothing; the input's shape",
    async (module, mode) => {
      const { pyodide } = await (loaded ??= loadPython());
      const code = `import keras\ninputs = keras.Input((48, 40, 3))\nx = keras.applications.${module}.preprocess_input(inputs)\nmodel = keras.Model(inputs, keras.layers.Conv2D(4, 3)(x))\n`;
      const r = await runPythonImport(pyodide, code);
      if (!r.ok) throw new Error(r.reason);
      const a = analyze(r.graph);
      const between = r.graph.nodes.filter((n) => n.kind !== 'Input' && n.kind !== 'Conv2D');
      expect(between.map((n) => [n.kind, n.params.class_name ?? null, n.params.scale ?? null, n.params.offset ?? null])).toEqual(
        mode === 'none' ? [] : mode === 'tf' ? [['Rescaling', null, 1 / 127.5, -1]] : [['Opaque', 'PreprocessInput', null, null]],
      );
      for (const n of between)
        expect([a.nodes.get(n.id)!.outputShape, a.nodes.get(n.id)!.weights]).toEqual([[null, 48, 40, 3], { trainable: 0, nonTrainable: 0 }]);
      expect(a.totals.total).toBe(3 * 3 * 3 * 4 + 4);
    },
  );
});
let loaded: ReturnType<typeof loadPython> | undefined;
