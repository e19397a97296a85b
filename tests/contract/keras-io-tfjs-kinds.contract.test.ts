/**
 * tfjs's own `toJSON` of every layer kind, read back (issue 10, import fixes): each valid case of the per-kind
 * contract tables is built in tfjs (cpu) by Layerlab's runtime, written with `model.toJSON(null, false)` — the
 * form tfjs writes, with its own spellings (LayerNormalization `axis: [2]`, `kernel_size: [3]`, tfjs's
 * initializers) — and imported: the import is accepted and gives tfjs's total and every layer's output shape and count.
 * (keras-io-kinds.contract.test.ts reads Layerlab's own export; keras-io-import reads tfjs's JSON of the mixed graphs.)
 * One thing the file cannot say: tfjs 4.22's SeparableConv2D `getConfig` leaves out `depth_multiplier`, so a file
 * of one with depth_multiplier 2 reads as 1 — in tfjs's own `modelFromJSON` too, which the import then equals.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, importKerasJson, summarize } from '../../src/core';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

const cases = LAYER_KINDS.flatMap((kind) =>
  (LAYER_TABLES[kind]?.valid ?? []).map((c, i) => ({ id: `${kind} #${i + 1}`, build: () => singleLayerGraph(kind, c).graph })),
);

describe("tfjs's toJSON of every kind's cases imports with tfjs's shapes and counts", () => {
  it.each(cases)('$id', async ({ build }) => {
    const g = build();
    if (!analyze(g).valid) return;
    const built = buildModel(tf, g);
    const json = built.toJSON(null, false);
    // What tfjs's file says, as tfjs reads it back; equal to the model that wrote it but for the known gap above.
    const model = (await tf.models.modelFromJSON(json as Parameters<typeof tf.models.modelFromJSON>[0])) as tf.LayersModel;
    const dropped = g.nodes.some((n) => n.kind === 'SeparableConv2D' && n.params.depth_multiplier !== 1);
    expect(model.countParams() === built.countParams()).toBe(!dropped);
    disposeModel(tf, built);
    try {
      const r = importKerasJson(JSON.stringify(json));
      expect(r.ok ? '' : r.reason).toBe('');
      if (!r.ok) return;
      const a = analyze(r.graph);
      expect(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
      expect(a.totals.total).toBe(model.countParams());
      const rows = summarize(r.graph, a).rows;
      for (const l of model.layers) {
        const row = rows.find((x) => x.name === l.name);
        if (!row) continue;
        expect([l.name, row.outputShape, row.params]).toEqual([l.name, l.outputShape, l.countParams()]);
      }
    } finally {
      disposeModel(tf, model);
    }
  });
});
