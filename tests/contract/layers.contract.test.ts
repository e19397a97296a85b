/**
 * Contract: for every layer kind in the core registry, tfjs itself builds the layer (through the runtime's
 * `createLayer`, i.e. `tf.layers[def.tfjsFactory]({ ...tfjsArgs(node), name })` with the node's input shapes)
 * on symbolic inputs, and its output shape, parameter count and trainable / non-trainable split must equal
 * what the core's validator computes; the layer must also run on real tensors with that shape. Invalid cases
 * record what tfjs does (it throws, declares a shape, or fails when run) and check the core reports them.
 * The per-kind tables are in tests/contract/layers/*.cases.ts; every registered kind must have one.
 * The facts each definition declares besides shapes and counts are checked against tfjs too: the InputSpec
 * of the built layer, the initializers of its weights, which second calls of a shared layer tfjs accepts,
 * and the Keras class and argument aliases the importer reads.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, importKerasJson, LAYER_DEFS, layerDef, toCamelCase, type Graph, type InputSpec, type Shape } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { createLayer, freeRecurrentDropoutMasks } from '../../src/runtime/buildModel';
import { LAYER_KINDS, LAYER_TABLES, singleLayerGraph } from '../helpers/layerCases';
import { cpuBackend, weightCount } from '../helpers/tfjs';
import type { Case } from './layers/types';
import { exported } from '../helpers/kerasJson';

/** The layer node of a `singleLayerGraph` graph and the tfjs layer the runtime makes for it (with the node's input shapes). */
function tfjsLayerFor(graph: Graph, id: string): () => tf.layers.Layer {
  const node = graph.nodes.find((n) => n.id === id)!;
  const shapes = analyze(graph).nodes.get(id)!.inputShapes as Shape[];
  return () => createLayer(tf, node, undefined, shapes);
}

/** Runs the layer on zeros (batch of 1) and returns the output shape; the tensors are freed. */
function runShape(layer: tf.layers.Layer, inputs: readonly Shape[]): number[] {
  try {
    return tf.tidy(() => {
      const xs = inputs.map((s) => tf.zeros([1, ...(s.slice(1) as number[])]));
      return (layer.apply(xs.length > 1 ? xs : xs[0]) as tf.Tensor).shape;
    });
  } finally {
    freeRecurrentDropoutMasks(tf, [layer]); // tfjs keeps RNN dropout masks past dispose()
  }
}

const checkedKinds = new Set<string>();
/** Layers applied here; disposed at the end, when the tensor count must be back to its baseline. */
const made: tf.layers.Layer[] = [];
let baseline = 0;

beforeAll(async () => {
  await cpuBackend();
  baseline = tf.memory().numTensors;
});
afterAll(() => {
  for (const l of made) l.dispose();
  expect(tf.memory().numTensors).toBe(baseline);
});

describe.each(LAYER_KINDS.map((k) => [k]))('%s matches tfjs', (kind) => {
  const table = LAYER_TABLES[kind] ?? { valid: [], invalid: [] };
  it('has a table of at least 3 valid cases and 1 invalid one (none only with the reason there is none)', () => {
    expect(table.valid.length).toBeGreaterThanOrEqual(3);
    expect(table.invalid.length).toBeGreaterThanOrEqual(table.noInvalid ? 0 : 1);
  });

  it.each(table.valid.map((c) => [JSON.stringify(c.params), JSON.stringify(c.inputs), c] as const))('%s on %s', (_p, _i, c) => {
    const { graph, id } = singleLayerGraph(kind, c);
    const a = analyze(graph);
    expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const core = a.nodes.get(id)!;

    const layer = tfjsLayerFor(graph, id)();
    const inputs = c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    const out = layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor;
    made.push(layer);

    expect(out.shape).toEqual(core.outputShape);
    expect(layer.countParams()).toBe(core.weights!.trainable + core.weights!.nonTrainable);
    expect(weightCount(layer.trainableWeights)).toBe(core.weights!.trainable);
    expect(weightCount(layer.nonTrainableWeights)).toBe(core.weights!.nonTrainable);
    expect(layer.getClassName()).toBe(layerDef(kind)!.kerasClass);
    // The layer runs on real tensors and gives the shape it declared (some tfjs limits only show here).
    expect(runShape(layer, c.inputs)).toEqual([1, ...core.outputShape!.slice(1)]);
    checkedKinds.add(kind);
  });

  it.each(table.invalid.map((v) => [v.what, v] as const))('invalid: %s', (_w, v) => {
    const { graph, id } = singleLayerGraph(kind, v.c);
    const inputs = v.c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
    let layer: tf.layers.Layer | null = null;
    const apply = () => {
      layer = tfjsLayerFor(graph, id)();
      const shape = (layer.apply(inputs.length > 1 ? inputs : inputs[0]) as tf.SymbolicTensor).shape;
      made.push(layer); // only a layer that was applied can be disposed
      return shape;
    };
    if (v.tfjs instanceof RegExp) {
      expect(apply).toThrow(v.tfjs);
      // tfjs may build the weights before checking the input (Conv2D does), and then refuses
      // layer.dispose() ("not been used yet"): free them one by one.
      for (const w of (layer as tf.layers.Layer | null)?.weights ?? []) w.dispose();
    } else if (Array.isArray(v.tfjs)) expect(apply()).toEqual(v.tfjs);
    else if ('run' in v.tfjs) {
      apply();
      expect(() => runShape(layer!, v.c.inputs)).toThrow(v.tfjs.run);
    } else {
      expect(apply()).toEqual(v.tfjs.declared);
      expect(runShape(layer!, v.c.inputs)).toEqual(v.tfjs.ran);
    }

    const a = analyze(graph);
    expect(a.valid).toBe(false);
    expect(a.nodes.get(id)!.diagnostics.map((d) => d.code)).toContain(v.code);
  });
});

describe('Input matches tf.input', () => {
  it.each([[[1]], [[64, 64, 3]], [[2, 3, 4, 5, 6]]])('shape %j', (shape) => {
    const graph = buildGraph('inp', (b) => void b.add('Input', { shape }, 'x'));
    const t = tf.input({ shape, name: 'x' });
    expect(t.shape).toEqual(analyze(graph).nodes.get(graph.nodes[0].id)!.outputShape);
    expect(t.sourceLayer.getClassName()).toBe(layerDef('Input')!.kerasClass);
    checkedKinds.add('Input');
  });
});

it('every registered kind has a table, and no table names a kind the registry lacks', () => {
  expect(LAYER_KINDS.filter((k) => !LAYER_TABLES[k])).toEqual([]);
  expect(Object.keys(LAYER_TABLES).filter((k) => !layerDef(k))).toEqual([]);
});

it('covered every registered kind (fails if the loops above ran for none)', () => {
  expect(LAYER_DEFS.length).toBeGreaterThan(1);
  expect([...checkedKinds].sort()).toEqual(LAYER_DEFS.map((d) => d.kind).sort());
});

/** tfjs's InputSpec of a built layer in the definition's terms (InputSpec in define.ts); null for none. */
function tfjsSpec(layer: tf.layers.Layer): InputSpec | null {
  const spec = (layer.inputSpec as unknown as { ndim?: number; minNDim?: number; axes?: Record<string, number>; shape?: (number | null)[] }[] | null)?.[0];
  if (!spec) return null;
  const axes = Object.entries(spec.axes ?? {});
  return {
    ...(spec.ndim !== undefined && { ndim: spec.ndim }),
    ...(spec.minNDim !== undefined && { minNdim: spec.minNDim }),
    ...(axes.length > 0 && { axes: Object.fromEntries(axes.map(([k, v]) => [Number(k), v])) }),
    ...(spec.shape && { shape: spec.shape }),
  };
}

/** The declared InputSpec with empty axes left out, for comparison with `tfjsSpec`. */
function declaredSpec(node: Graph['nodes'][number], c: Case): InputSpec | null {
  const spec = layerDef(node.kind)!.inputSpec?.(c.inputs, node.params) ?? null;
  if (!spec) return null;
  const { axes, ...rest } = spec;
  return axes && Object.keys(axes).length > 0 ? { ...rest, axes: Object.fromEntries(Object.entries(axes).map(([k, v]) => [Number(k), v])) } : rest;
}

describe('declared facts match tfjs, every kind', () => {
  it.each(LAYER_KINDS.flatMap((k) => (LAYER_TABLES[k]?.valid ?? []).map((c, i) => [`${k} #${i + 1}`, k, c] as const)))(
    '%s: InputSpec of the built layer',
    (_id, kind, c) => {
      const { graph, id } = singleLayerGraph(kind, c);
      const layer = tfjsLayerFor(graph, id)();
      const inputs = c.inputs.map((s) => tf.input({ shape: s.slice(1) as number[] }));
      layer.apply(inputs.length > 1 ? inputs : inputs[0]);
      made.push(layer);
      expect(
        declaredSpec(
          graph.nodes.find((n) => n.id === id)!,
          c,
        ),
      ).toEqual(tfjsSpec(layer));
    },
  );

  it.each(LAYER_KINDS.map((k) => [k]))('%s: Keras initializers declared for exactly the weights tfjs initializes', (kind) => {
    const def = layerDef(kind)!;
    const c = LAYER_TABLES[kind].valid[0];
    const { graph, id } = singleLayerGraph(kind, c);
    const layer = tfjsLayerFor(graph, id)();
    const wraps = Object.values(def.params).some((s) => s.type === 'layer');
    // tfjs's config names each initializer it uses (kernelInitializer, …); a wrapper's belong to the wrapped layer.
    const tfjsKeys = wraps
      ? []
      : Object.keys(layer.getConfig())
          .filter((k) => k.endsWith('Initializer'))
          .sort();
    expect(
      Object.keys(def.keras?.initializers ?? {})
        .map(toCamelCase)
        .sort(),
    ).toEqual(tfjsKeys);
    const w = analyze(graph).nodes.get(id)!.weights!;
    // A kind with trainable weights names their initializers; state a preprocessing layer adapts to data
    // (Normalization's mean, variance and count: non-trainable, no initializer argument in Keras) has none.
    if (!wraps && w.trainable > 0) expect(tfjsKeys.length).toBeGreaterThan(0);
  });

  /**
   * A second call of a shared layer on other inputs: tfjs either refuses it (the InputSpec it set at the first
   * call, or weights built for other sizes), fails when the model runs, or runs it; the core must report
   * `shared/incompatible` exactly when tfjs does not run it. Pairs: valid cases of a kind with equal parameters,
   * and the ones listed here.
   */
  const EXTRA_CALLS: readonly [string, Case['params'], Shape, Shape][] = [
    ['TimeDistributed', { layer: 'Dense', units: 3 }, [null, 5, 2], [null, 6, 2]],
    ['LayerNormalization', {}, [null, 3, 5], [null, 2, 3, 5]],
    ['PReLU', {}, [null, 4], [null, 2, 2]],
    ['PReLU', {}, [null, 2, 3], [null, 3, 2]],
    ['PReLU', { shared_axes: [1] }, [null, 3, 2], [null, 5, 2]],
    ['Dense', { units: 4 }, [null, 8], [null, 3, 8]],
    ['BatchNormalization', {}, [null, 4], [null, 3, 4]],
    ['LSTM', { units: 4 }, [null, 5, 3], [null, 7, 3]],
    ['Embedding', { input_dim: 10, output_dim: 4 }, [null, 5], [null, 2, 3]],
    ['Permute', { dims: [2, 1] }, [null, 3, 4], [null, 4, 3]],
    ['Flatten', {}, [null, 4, 5], [null, 2, 3, 4]],
    ['Conv1D', { filters: 2, kernel_size: [3] }, [null, 10, 2], [null, 7, 2]],
  ];
  const pairs = [
    ...LAYER_KINDS.flatMap((k) => {
      const valid = (LAYER_TABLES[k]?.valid ?? []).filter((c) => c.inputs.length === 1);
      return valid.flatMap((a, i) =>
        valid.filter((b, j) => j !== i && JSON.stringify(a.params) === JSON.stringify(b.params)).map((b) => [k, a.params, a.inputs[0], b.inputs[0]] as const),
      );
    }),
    ...EXTRA_CALLS,
  ];
  it('has second-call pairs for the kinds whose InputSpec fixes sizes', () => {
    expect(new Set(pairs.map(([k]) => k))).toEqual(expect.objectContaining({ size: expect.any(Number) }));
    for (const k of ['TimeDistributed', 'PReLU', 'LayerNormalization', 'Dense', 'BatchNormalization']) expect(pairs.some(([kind]) => kind === k)).toBe(true);
  });
  it.each(pairs.map(([k, p, a, b]) => [k, JSON.stringify(p), JSON.stringify(a), JSON.stringify(b), p, a, b] as const))(
    '%s %s called on %s, then on %s',
    (kind, _p, _a, _b, params, first, second) => {
      let id = '';
      const graph = buildGraph('shared', (b) => {
        const x = b.add('Input', { shape: first.slice(1) as number[] }, 'x');
        const y = b.add('Input', { shape: second.slice(1) as number[] }, 'y');
        id = b.add(kind, params, 'layer', [x]);
        b.call(id, [y]);
      });
      const core = analyze(graph);
      const coreRefuses = core.diagnostics.some((d) => d.code === 'shared/incompatible');
      const before = tf.memory().numTensors;
      const layer = createLayer(
        tf,
        graph.nodes.find((n) => n.id === id)!,
        undefined,
        [first],
      );
      let tfjsRuns = true;
      const x = tf.input({ shape: first.slice(1) as number[] });
      const y = tf.input({ shape: second.slice(1) as number[] });
      try {
        const model = tf.model({ inputs: [x, y], outputs: [layer.apply(x), layer.apply(y)] as tf.SymbolicTensor[] });
        tf.tidy(() => void model.predict([tf.ones([1, ...(first.slice(1) as number[])]), tf.ones([1, ...(second.slice(1) as number[])])]));
      } catch {
        tfjsRuns = false;
      } finally {
        // The weights tfjs made, the wrapped layer's included (a refused call may leave the layer half built).
        freeRecurrentDropoutMasks(tf, [layer]);
        const inner = (layer as unknown as { layer?: tf.layers.Layer }).layer;
        for (const w of new Set([...layer.weights, ...(inner?.weights ?? [])])) if (!w.read().isDisposed) w.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      expect({ coreRefuses }).toEqual({ coreRefuses: !tfjsRuns });
    },
  );
});

describe('Keras aliases and fixed values import as declared', () => {
  /** One layer of `kind` (its first valid case) as Keras JSON, through the export. */
  const kindJson = (kind: string) => {
    const { graph } = singleLayerGraph(kind, LAYER_TABLES[kind].valid[0]);
    return JSON.parse(exported(graph)) as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
  };
  const layerOf = (json: ReturnType<typeof kindJson>) => json.config.layers[json.config.layers.length - 1];

  const classAliases = LAYER_DEFS.flatMap((d) => (d.keras?.aliases ?? []).map((a) => [d.kind, a] as const));
  it('some kinds declare class aliases', () => expect(classAliases.length).toBeGreaterThan(0));
  it.each(classAliases)('%s read from class %s', (kind, alias) => {
    const json = kindJson(kind);
    layerOf(json).class_name = alias;
    const r = importKerasJson(JSON.stringify(json));
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.map((n) => n.kind)).toContain(kind);
  });

  const argAliases = LAYER_DEFS.flatMap((d) => Object.entries(d.keras?.argAliases ?? {}).map(([from, to]) => [d.kind, from, to] as const));
  it('some kinds declare argument aliases', () => expect(argAliases.length).toBeGreaterThan(0));
  it.each(argAliases)('%s: Keras 2 argument %s read as %s', (kind, from, to) => {
    const json = kindJson(kind);
    const cfg = layerOf(json).config;
    const value = cfg[to];
    delete cfg[to];
    cfg[from] = value;
    const r = importKerasJson(JSON.stringify(json));
    if (!r.ok) throw new Error(r.reason);
    expect(r.graph.nodes.find((n) => n.kind === kind)!.params[to]).toEqual(value);
  });

  // A parameter tfjs accepts only at its default (`fixed`): a file with another value is refused, naming it.
  const fixed = LAYER_DEFS.flatMap((d) =>
    Object.entries(d.params)
      .filter(([, s]) => (s.fixed !== undefined && s.type === 'bool') || (s.fixed !== undefined && s.type === 'float'))
      .map(([k, s]) => [d.kind, k, s.type === 'bool' ? !s.default : 0.5] as const),
  );
  it('some parameters are fixed', () => expect(fixed.length).toBeGreaterThan(0));
  it.each(fixed)('%s with %s=%s is refused, naming the setting', (kind, key, value) => {
    const json = kindJson(kind);
    layerOf(json).config[key] = value;
    const r = importKerasJson(JSON.stringify(json));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(`${key}=`);
  });
});
