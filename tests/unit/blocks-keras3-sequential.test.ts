/**
 * The Keras 3 JSON export of an outer chain holding nested models (core `outerApiPlan` Sequential) is a `Sequential`
 * as Keras 3.15 writes `keras.Sequential([keras.Input(...), block, keras.layers.Dense(...)]).to_json()`: the InputLayer
 * first, each nested model an entry of the list (its own layers, `build_config` `{ input_shape: null }`, an empty
 * `compile_config`, no inbound nodes), then the layers; the importer reads it back to the same blocks and rows (Keras
 * itself loads it: tests/keras/blocks.oracle.test.ts). A model that is not such a chain stays Functional.
 */
import { describe, expect, it } from 'vitest';
import { analyze, exportKeras3Json, importKerasJson, summarize, type Graph } from '../../src/core';
import { blockGraphs } from '../helpers/blockGraphs';

const graphs = new Map(blockGraphs());
type Entry = { class_name: string; config: { name: string; layers?: Entry[] }; build_config?: unknown; compile_config?: unknown; inbound_nodes?: unknown };
const exported = (g: Graph, functional = false): Entry => {
  const e = exportKeras3Json(g, functional);
  if (!e.ok) throw new Error(e.reason);
  return JSON.parse(e.json) as Entry;
};

describe('Keras 3 export of an outer chain with a nested model', () => {
  it('is a Sequential listing the Input, the nested Functional model and the layers, as Keras 3 writes it', () => {
    const g = graphs.get('a block called once')!;
    const m = exported(g);
    expect(m.class_name).toBe('Sequential');
    expect(m.config.layers!.map((l) => [l.class_name, l.config.name])).toEqual([
      ['InputLayer', 'features'],
      ['Functional', 'res_block'],
      ['Dense', 'classes'],
    ]);
    const nested = m.config.layers![1];
    expect(nested.build_config).toEqual({ input_shape: null });
    expect(nested.compile_config).toEqual({});
    expect(nested.inbound_nodes).toBeUndefined();
    expect(nested.config.layers!.map((l) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dense', 'Add']);
    // Read back: the same block, rows and totals.
    const r = importKerasJson(JSON.stringify(m));
    if (!r.ok) throw new Error(r.reason);
    const rows = (x: Graph) => summarize(x, analyze(x)).rows.map((row) => [row.name, row.className, row.outputShape, row.params]);
    expect(rows(r.graph)).toEqual(rows(g));
    expect(r.graph.blocks!.map((b) => b.name)).toEqual(['res_block']);
  });

  it('stays Functional when asked, and for nested models called twice or with two inputs', () => {
    expect(exported(graphs.get('a block called once')!, true).class_name).toBe('Functional');
    expect(exported(graphs.get('a block called three times (shared weights)')!).class_name).toBe('Functional');
    expect(exported(graphs.get('a block with two inputs and two outputs')!).class_name).toBe('Functional');
  });
});
