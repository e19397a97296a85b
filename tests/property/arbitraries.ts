/**
 * The random-graph generator shared by the property test (tests/property/graphs.property.test.ts, against
 * tfjs) and the Keras oracle (tests/keras/, against Keras 3): a fast-check arbitrary of recipes (input
 * shapes, then layers each picking a kind, its inputs among earlier nodes, parameter seeds, and sometimes a
 * further call of an earlier layer — a shared layer) and `build`, which turns a recipe into a graph.
 * Graphs may be valid or invalid; callers filter with `analyze`.
 */
import fc from 'fast-check';
import { addCall, addNode, analyze, connect, emptyGraph, LAYER_DEFS, type Graph, type ParamSpec, type ParamValue } from '../../src/core';

/**
 * The seed of the random graphs (PROPERTY_SEED overrides): the property test and the Keras oracle draw the same
 * graphs from it.
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20261121);

/** Every layer kind but Input, in registry order (a recipe picks one by index modulo their count). */
export const KINDS = LAYER_DEFS.filter((d) => d.kind !== 'Input');

/** A recipe: input shapes, then layers each picking a kind, its inputs among earlier nodes, and parameter seeds. */
export interface Recipe {
  inputs: number[][];
  /** `again` set: call an earlier layer (index among the recipe's layers) again — a shared layer — on `picks`. */
  layers: { kind: number; picks: number[]; seeds: number[]; again: number | null }[];
}

/** Recipes of 1–2 inputs (rank 1–3, dimensions 1–10) and 1–6 layers; about one layer in six is a further call of an earlier one. */
export const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  inputs: fc.array(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  layers: fc.array(
    fc.record({
      kind: fc.nat(),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      seeds: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
      again: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.nat(), weight: 1 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/** A parameter value from a seed: inside the schema's range (small sizes keep tfjs fast), so problems come from shapes. */
export function paramFrom(spec: ParamSpec, seed: number): ParamValue {
  switch (spec.type) {
    case 'int': {
      const hi = Math.min(spec.max ?? spec.min + 7, spec.min + 7);
      return spec.min + (seed % (hi - spec.min + 1));
    }
    case 'float':
      return spec.maxExclusive !== undefined ? Math.round(((seed % 10) / 10) * spec.maxExclusive * 100) / 100 : (spec.min ?? 0) + (seed % 5) / 4;
    case 'intTuple':
      if (spec.nullable && seed % 3 === 0) return null;
      return Array.from({ length: spec.length }, (_, i) => spec.min + ((seed >> i) % 4));
    case 'choice':
      return spec.options[seed % spec.options.length];
    case 'bool':
      return seed % 2 === 0;
    default:
      return spec.default as ParamValue;
  }
}

/**
 * Builds the graph a recipe describes (always a DAG with each layer's arity satisfied). Node ids: `in<i>`
 * for inputs, `l<i>` for the recipe's i-th layer (a layer whose call cannot be wired is left out).
 */
export function build(r: Recipe): Graph {
  let g = emptyGraph('random');
  const ids: string[] = [];
  r.inputs.forEach((shape, i) => {
    const a = addNode(g, 'Input', { x: 0, y: 0 }, { id: `in${i}`, params: { shape } });
    g = a.graph;
    ids.push(a.node.id);
  });
  const layerIds: string[] = [];
  r.layers.forEach((l, i) => {
    if (l.again !== null && layerIds.length) {
      // A further call of an earlier layer (same weights) on other tensors.
      // Each input slot is fed a tensor of the shape the layer's first call reads: the property covers
      // the wiring and counting of shared layers; calls on other shapes are the unit tests' business
      // (tfjs's own acceptance there is inconsistent: it takes a LayerNormalization built for 9 features
      // on 1 by broadcasting, which Keras refuses).
      const owner = layerIds[l.again % layerIds.length];
      const a = analyze(g);
      const want = a.nodes.get(owner)!.inputShapes.map((x) => JSON.stringify(x));
      if (!want.length || want.some((x) => x === 'null')) return;
      const sources = want.map((w, k) => {
        const fits = ids.filter((id) => JSON.stringify(a.nodes.get(id)!.outputShape) === w);
        return fits.length ? fits[(l.picks[k % l.picks.length] ?? 0) % fits.length] : null;
      });
      if (sources.some((x) => x === null)) return;
      const c = addCall(g, owner, { x: 0, y: 0 }, `l${i}`);
      if (!c.ok) return;
      g = c.graph;
      sources.forEach((src, k) => {
        const e = connect(g, src!, c.id!, `e${i}_${k}`);
        if (e.ok) g = e.graph;
      });
      ids.push(c.id!);
      return;
    }
    const def = KINDS[l.kind % KINDS.length];
    const params = Object.fromEntries(Object.entries(def.params).map(([k, spec], j) => [k, paramFrom(spec, l.seeds[j % l.seeds.length])]));
    const a = addNode(g, def.kind, { x: 0, y: 0 }, { id: `l${i}`, params });
    g = a.graph;
    const want = Math.max(def.inputs.min, Math.min(def.inputs.max, l.picks.length));
    const sources = [...new Set(l.picks.map((p) => ids[p % ids.length]))].slice(0, want);
    for (const s of sources) {
      const c = connect(g, s, a.node.id, `e${i}_${s}`);
      if (c.ok) g = c.graph;
    }
    ids.push(a.node.id);
    layerIds.push(a.node.id);
  });
  return g;
}
