/**
 * Contract: the Keras Applications of core/templates/applications.ts, built by the runtime in tfjs (cpu backend), have
 * tfjs's own parameter count (`countParams()`) and output shape equal to the core's, with the top at the default input
 * and without it at a smaller one (pooling 'avg'). EfficientNet's Normalization is Layerlab's custom tfjs layer
 * (runtime/layers/normalization.ts). The largest graphs (a few seconds each in tfjs) run in `npm run test:contract`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES, applicationGraph, type AppOptions } from '../../src/core/templates/applications';
import { analyze } from '../../src/core/validate/analyze';
import { tfjsView } from '../helpers/codeimportPython';
import { cpuBackend } from '../helpers/tfjs';
import { fastSubset } from '../full';

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
