/**
 * Contract: unknown sizes (Keras's None) through every kind. Each valid case of every kind's table is re-run
 * with one of its non-batch input sizes unknown (null), one axis at a time; tfjs builds the layer on symbolic
 * inputs of that shape (`tf.input` accepts null sizes) and is the oracle: the core must give the output shape
 * tfjs declares, or refuse where tfjs refuses. Where tfjs and Keras disagree, Keras decides, and the case is
 * listed in KERAS_DECIDES with the Keras source.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, formatShape, layerDef, type Shape } from '../../src/core';
import { createLayer } from '../../src/runtime/buildModel';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend } from '../helpers/tfjs';

interface Variant {
  readonly kind: string;
  readonly label: string;
  readonly params: Record<string, unknown>;
  readonly inputs: Shape[];
}

/**
 * Every valid case of every kind with one non-batch input size made unknown. Kinds tfjs lacks (`customLayer`)
 * are left out: tfjs has no say on them (their class is Layerlab's own); the Keras oracles check them.
 */
function variants(): Variant[] {
  const out: Variant[] = [];
  for (const kind of LAYER_KINDS.filter((k) => !layerDef(k)!.customLayer)) {
    for (const c of LAYER_TABLES[kind]?.valid ?? []) {
      c.inputs.forEach((shape, i) => {
        for (let a = 1; a < shape.length; a++) {
          if (shape[a] === null) continue;
          const inputs = c.inputs.map((s, j) => (j === i ? s.map((d, k) => (k === a ? null : d)) : [...s]));
          out.push({ kind, label: `${JSON.stringify(c.params)} on ${inputs.map(formatShape).join(' + ')}`, params: c.params, inputs });
        }
      });
    }
  }
  return out;
}

/**
 * Where tfjs 4.22 is wrong about unknown sizes and the core follows Keras 3 (checked in Keras 3.15: the Keras
 * oracle's 'unknown-sizes' graph in tests/keras/keras.oracle.test.ts builds these in Keras and compares):
 * - Cropping2D: tfjs subtracts the cropping from null as if it were 0 (→ 0 or negative sizes); Keras keeps None
 *   (keras/src/layers/reshaping/cropping2d.py `compute_output_shape`).
 * - Concatenate: tfjs refuses an unknown size against a known one on a non-concatenated axis; Keras accepts it
 *   and takes the other axes from the first input (keras/src/layers/merging/concatenate.py).
 */
const KERAS_DECIDES: readonly { readonly kind: string; readonly tfjs: RegExp }[] = [
  { kind: 'Cropping2D', tfjs: /^\(None, (-?\d+, \d+|\d+, -?\d+), \d+\)$/ },
  { kind: 'Concatenate', tfjs: /requires inputs with matching shapes except for the concat axis/ },
];

type Outcome = { ok: true; shape: Shape } | { ok: false; why: string };

function core(v: Variant): Outcome {
  const { graph, id } = singleLayerGraph(v.kind, { params: v.params as never, inputs: v.inputs });
  const a = analyze(graph);
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { ok: false, why: errors.map((d) => d.message).join(' | ') };
  return { ok: true, shape: a.nodes.get(id)!.outputShape! };
}

function tfjs(v: Variant): Outcome {
  const { graph, id } = singleLayerGraph(v.kind, { params: v.params as never, inputs: v.inputs });
  const node = graph.nodes.find((n) => n.id === id)!;
  try {
    const layer = createLayer(tf, node, undefined, v.inputs);
    const xs = v.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    const y = layer.apply(xs.length > 1 ? xs : xs[0]) as tf.SymbolicTensor;
    return { ok: true, shape: y.shape as Shape };
  } catch (e) {
    return { ok: false, why: (e as Error).message.slice(0, 200) };
  }
}

beforeAll(cpuBackend);

const ALL = variants();

describe('unknown sizes (None) through every kind, tfjs as the oracle', () => {
  it(`covers every kind with a table (${ALL.length} variants)`, () => {
    const kinds = new Set(ALL.map((v) => v.kind));
    expect(LAYER_KINDS.filter((k) => !layerDef(k)!.customLayer && !kinds.has(k) && (LAYER_TABLES[k]?.valid.length ?? 0) > 0)).toEqual([]);
  });
  it('the core gives the shape tfjs declares, or refuses where tfjs refuses', () => {
    const problems: string[] = [];
    const kerasDecided: string[] = [];
    for (const v of ALL) {
      const c = core(v);
      const t = tfjs(v);
      const known = KERAS_DECIDES.find((k) => k.kind === v.kind && k.tfjs.test(t.ok ? formatShape(t.shape) : t.why));
      if (known && c.ok) {
        kerasDecided.push(v.label);
        continue;
      }
      if (c.ok && t.ok && JSON.stringify(c.shape) !== JSON.stringify(t.shape))
        problems.push(`${v.kind} ${v.label}: core ${formatShape(c.shape)}, tfjs ${formatShape(t.shape)}`);
      else if (c.ok && !t.ok) problems.push(`${v.kind} ${v.label}: core ${formatShape(c.shape)}, tfjs refuses: ${t.why}`);
      else if (!c.ok && t.ok) problems.push(`${v.kind} ${v.label}: core refuses (${c.why}), tfjs ${formatShape(t.shape)}`);
    }
    expect(problems).toEqual([]);
    // The exceptions are used (a tfjs upgrade that fixes them shows here).
    expect(kerasDecided.length).toBeGreaterThan(0);
  });
});
