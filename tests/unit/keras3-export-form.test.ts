/**
 * What Keras 3 needs of the exported Keras 2 JSON, checked without Python (the Keras oracle in tests/keras/
 * loads every export in Keras 3.15.1 itself; these are the three things it found missing):
 *  - a top-level `module` key: Keras 3's `model_from_json` locates the model class only through it
 *    ("Could not locate class 'Functional'");
 *  - a `module` key on a wrapped layer (Bidirectional, TimeDistributed): Keras 3 deserializes the inner
 *    layer the same way ("Could not locate class 'GRU'");
 *  - no `trainable` argument for SpatialDropout1D, whose Keras 3 constructor takes none
 *    ("__init__() got an unexpected keyword argument 'trainable'").
 * The module names are those Keras 3's own `to_json()` writes.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { analyze, importKerasJson, summarize, TEMPLATES, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { exported } from '../helpers/kerasJson';
import { callBeforeOwner } from '../helpers/graphs';

const exportedForms = (g: Graph) => {
  const text = exported(g);
  return {
    text,
    json: JSON.parse(text) as {
      module?: string;
      class_name: string;
      registered_name?: string;
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    },
  };
};

const wrapped = (): Graph =>
  buildGraph('wrapped', (b) => {
    let x = b.add('Input', { shape: [6, 4] }, 'steps');
    x = b.add('SpatialDropout1D', { rate: 0.2 }, 'sdrop', [x]);
    x = b.add('Bidirectional', { layer: 'GRU', units: 3, return_sequences: true }, 'bi', [x]);
    b.add('TimeDistributed', { layer: 'Dense', units: 2 }, 'per_step', [x]);
  });

describe('exported Keras JSON in the form Keras 3 reads', () => {
  it('names the model class module as Keras 3 writes it: keras.Sequential, keras.src.models.functional.Functional', () => {
    for (const t of TEMPLATES) {
      const { json } = exportedForms(t.build());
      if (json.class_name === 'Sequential') expect({ id: t.id, module: json.module }).toEqual({ id: t.id, module: 'keras' });
      else
        expect({ id: t.id, class: json.class_name, module: json.module, registered: json.registered_name }).toEqual({
          id: t.id,
          class: 'Functional',
          module: 'keras.src.models.functional',
          registered: 'Functional',
        });
    }
  });

  it('a wrapped layer carries module keras.layers; SpatialDropout1D has no trainable argument; other layers keep theirs', () => {
    const { json } = exportedForms(wrapped());
    const byName = new Map(json.config.layers.map((l) => [l.config.name, l]));
    for (const name of ['bi', 'per_step']) {
      const inner = byName.get(name)!.config.layer as { module?: string; class_name: string };
      expect({ name, module: inner.module }).toEqual({ name, module: 'keras.layers' });
    }
    expect(byName.get('sdrop')!.config).not.toHaveProperty('trainable');
    expect(byName.get('bi')!.config.trainable).toBe(true);
  });

  it('Layerlab still reads its own export back (the module keys are ignored)', () => {
    for (const g of [wrapped(), ...TEMPLATES.map((t) => t.build())]) {
      const r = importKerasJson(exportedForms(g).text);
      if (!r.ok) throw new Error(`${g.name}: ${r.reason}`);
      expect(r.graph.nodes.map((n) => [n.name, n.kind])).toEqual(expect.arrayContaining(g.nodes.map((n) => [n.name, n.kind])));
    }
  });
});

describe("a shared layer whose owner reads a further call's output (Keras numbers calls in data-flow order)", () => {
  const graph = callBeforeOwner;

  /** The same model built in tfjs, calling the layer in data-flow order; its own JSON's inbound nodes by layer. */
  const tfjsInbound = () => {
    const x = tf.input({ shape: [4], name: 'x' });
    const shared = tf.layers.dense({ units: 4, activation: 'relu', name: 'shared_dense' });
    const y = tf.layers.dense({ units: 2, name: 'head' }).apply(shared.apply(shared.apply(x))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: x, outputs: y });
    const json = model.toJSON(undefined, false) as unknown as { config: { layers: { name: string; inbound_nodes: unknown[][][] }[] } };
    model.dispose();
    return new Map(json.config.layers.map((l) => [l.name, l.inbound_nodes.map((node) => node.map((t) => `${t[0]}[${t[1]}][${t[2]}]`))]));
  };

  it("the summary's Connected to names the calls as tfjs numbers them", () => {
    const g = graph();
    const rows = new Map(summarize(g, analyze(g)).rows.map((r) => [r.name, r.connectedTo]));
    const want = tfjsInbound();
    expect(rows.get('head')).toEqual(want.get('head')!.flat());
    expect(rows.get('shared_dense')).toEqual(want.get('shared_dense')!.flat());
  });

  it('the export lists the inbound nodes in that order, and tfjs loads it with the same counts', async () => {
    const g = graph();
    const { json, text } = exportedForms(g);
    const layers = new Map(
      (json.config.layers as unknown as { name: string; inbound_nodes: unknown[][][] }[]).map((l) => [
        l.name,
        l.inbound_nodes.map((node) => node.map((t) => `${t[0]}[${t[1]}][${t[2]}]`)),
      ]),
    );
    const want = tfjsInbound();
    for (const name of ['shared_dense', 'head']) expect({ name, nodes: layers.get(name) }).toEqual({ name, nodes: want.get(name) });
    const model = await tf.models.modelFromJSON(JSON.parse(text));
    try {
      expect(model.countParams()).toBe(analyze(g).totals.total);
    } finally {
      model.dispose();
    }
  });
});
