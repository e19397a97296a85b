/**
 * The Keras 2 / tfjs JSON export of graphs with blocks (core/serialize/kerasExport.ts): each nested model is an entry
 * of the outer model, as tfjs's own `toJSON` and tf.keras 2 write it (class `Functional` / `Sequential` with its own
 * layers, `input_layers`, `output_layers`; one inbound node per call, call k named as node k + 1); an outer chain of
 * layers and nested models called once is a `Sequential` listing them. tfjs is the
 * oracle: `tf.models.modelFromJSON` reads the file into the layers, output shapes and counts the core's summary gives,
 * a nested model being one layer of class Functional (Sequential); the model tfjs writes back from it (its `toJSON`) has
 * the same nested-model entries and node indices. The importer reads the export back as the same blocks, rows and
 * totals. Graphs: tests/helpers/blockGraphs.ts, and the Keras 3 file with a nested Sequential.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, exportKerasJson, importKerasJson, summarize, type Graph } from '../../src/core';
import { disposeModel } from '../../src/runtime/buildModel';
import { blockGraphs } from '../helpers/blockGraphs';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

type Entry = { name?: string; class_name: string; inbound_nodes?: unknown[]; config: { name?: string; layers?: Entry[] } };

/** The nested seq fixture (Keras 3.15 wrote it), imported: an outer chain holding a nested Sequential. */
function nestedSequential(): Graph {
  const r = importKerasJson(readFileSync(new URL('../fixtures/keras/keras3_nested_seq.json', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
}

const CASES: [string, Graph][] = [...blockGraphs(), ['a nested Sequential from a Keras 3 file', nestedSequential()]];

/** Each block's name, its first call's index among the blocks (-1 for a first call), whether it is a Sequential. */
const blocksOf = (x: Graph) => (x.blocks ?? []).map((b) => [b.name, b.callOf ? x.blocks!.findIndex((c) => c.id === b.callOf) : -1, !!b.sequential]);
const rowsOf = (x: Graph) =>
  summarize(x, analyze(x)).rows.map((row) => [row.name, row.className, row.outputShapes ?? row.outputShape, row.params, row.connectedTo]);

describe('Keras 2 / tfjs JSON of graphs with blocks', () => {
  it.each(CASES)('%s: tfjs reads it with the core rows, shapes and counts, and writes the same nested entries back', async (_what, g) => {
    const e = exportKerasJson(g);
    if (!e.ok) throw new Error(e.reason);
    const file = JSON.parse(e.json) as { class_name: string; config: { layers: Entry[] } };
    const a = analyze(g);
    const summary = summarize(g, a);
    // An outer chain is a Sequential (as the summary prints it), its entries without inbound nodes; else Functional.
    expect(file.class_name).toBe(summary.sequential ? 'Sequential' : 'Functional');
    // One entry per nested model, holding its layers; in a Functional model tfjs's node index of a nested model's call
    // k is k + 1, one inbound node per call.
    const isNested = (l: Entry) => l.class_name === 'Functional' || l.class_name === 'Sequential';
    const nameOf = (l: Entry) => l.name ?? l.config.name;
    const nestedEntries = file.config.layers.filter(isNested);
    const firstCalls = (g.blocks ?? []).filter((b) => !b.callOf);
    expect(nestedEntries.map(nameOf)).toEqual(firstCalls.map((b) => b.name));
    for (const l of nestedEntries)
      if (summary.sequential) expect(l.inbound_nodes).toBeUndefined();
      else expect(l.inbound_nodes).toHaveLength((g.blocks ?? []).filter((b) => b.name === l.name).length);
    const model = (await tf.models.modelFromJSON(file as Parameters<typeof tf.models.modelFromJSON>[0])) as tf.LayersModel;
    try {
      const layers = model.layers.filter((l) => !(summary.sequential && l.getClassName() === 'InputLayer'));
      expect(layers.map((l) => l.name)).toEqual(summary.rows.map((r) => r.name));
      for (const row of summary.rows) {
        const l = model.getLayer(row.name);
        expect({ name: row.name, cls: l.getClassName(), shape: l.outputShape, params: l.countParams() }).toEqual({
          name: row.name,
          // tfjs reads a nested model of class Functional (tf.keras 2.4+) as its class Functional.
          cls: row.className,
          shape: row.outputShapes ?? row.outputShape,
          params: row.params,
        });
      }
      expect(model.countParams()).toBe(a.totals.total);
      expect(model.outputs.map((t) => t.shape)).toEqual(
        a.outputTensors.map((t) => (t.output ? a.nodes.get(t.node)!.moreOutputs[t.output - 1] : a.nodes.get(t.node)!.outputShape)),
      );
      // What tfjs writes back: the same nested entries, called with the same node indices (a Sequential: the same
      // nested models, in order).
      const back = model.toJSON(null, false) as unknown as { class_name: string; config: { layers: Entry[] } };
      expect(back.class_name).toBe(file.class_name);
      const calls = (ls: Entry[]) => ls.filter((l) => !summary.sequential || isNested(l)).map((l) => [nameOf(l), JSON.stringify(l.inbound_nodes)]);
      expect(calls(back.config.layers)).toEqual(calls(file.config.layers));
    } finally {
      disposeModel(tf, model);
    }
  });

  it.each(CASES)('%s: the importer reads the export back as the same blocks, rows and totals', (_what, g) => {
    const e = exportKerasJson(g);
    if (!e.ok) throw new Error(e.reason);
    const r = importKerasJson(e.json);
    if (!r.ok) throw new Error(r.reason);
    expect(blocksOf(r.graph)).toEqual(blocksOf(g));
    expect(rowsOf(r.graph)).toEqual(rowsOf(g));
    expect(analyze(r.graph).totals).toEqual(analyze(g).totals);
  });
});
