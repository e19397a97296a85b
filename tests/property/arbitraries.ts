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

/** The kinds whose layers can return several tensors (LayerDef.multiOutput: LSTM, GRU, SimpleRNN, MultiHeadAttention), for focused layers. */
export const MULTI_OUTPUT_KINDS = KINDS.filter((d) => d.multiOutput);

/** A recipe: input shapes, then layers each picking a kind, its inputs among earlier nodes, and parameter seeds. */
export interface Recipe {
  inputs: number[][];
  /**
   * `again` set: call an earlier layer (index among the recipe's layers) again — a shared layer — on `picks`.
   * `focus` set: the kind is one of MULTI_OUTPUT_KINDS (`kind` modulo their count), called on a rank-3 tensor when
   * there is one, so layers with several outputs and initial states are common enough to be valid often.
   */
  layers: { kind: number; picks: number[]; seeds: number[]; again: number | null; focus?: boolean }[];
}

/**
 * Recipes of 1–2 inputs (rank 1–3, dimensions 1–10) and 1–6 layers; about one layer in six is a further call of an
 * earlier one, and about one in five is focused on the kinds with several outputs.
 */
export const recipeArb: fc.Arbitrary<Recipe> = fc.record({
  inputs: fc.array(fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
  layers: fc.array(
    fc.record({
      kind: fc.nat(),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      seeds: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
      again: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.nat(), weight: 1 }),
      focus: fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
});

/**
 * Recipes around layers with several outputs and initial states: 1–2 sequence inputs (steps, features), dimensions
 * 1–6, and 1–6 layers of which about half are focused (MULTI_OUTPUT_KINDS), the rest any kind or a further call.
 */
export const sequenceRecipeArb: fc.Arbitrary<Recipe> = fc.record({
  inputs: fc.array(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
  layers: fc.array(
    fc.record({
      kind: fc.nat(),
      picks: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
      seeds: fc.array(fc.nat({ max: 1000 }), { minLength: 8, maxLength: 8 }),
      again: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.nat(), weight: 1 }),
      focus: fc.boolean(),
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

/** One output tensor of a node while a recipe is built: the node, which of its outputs, and its shape. */
interface Tensor {
  node: string;
  output: number;
  shape: string;
}

/**
 * Every output tensor of the nodes built so far, in node order and output order (an LSTM with return_state gives
 * three: output, state_h, state_c), with its shape as the core computes it (JSON; 'null' when unknown).
 */
function tensorsOf(g: Graph, ids: readonly string[]): Tensor[] {
  const a = analyze(g);
  return ids.flatMap((id) => {
    const info = a.nodes.get(id);
    const shapes = [info?.outputShape ?? null, ...(info?.moreOutputs ?? [])];
    return shapes.map((shape, output) => ({ node: id, output, shape: JSON.stringify(shape) }));
  });
}

/**
 * Builds the graph a recipe describes (always a DAG with each layer's arity satisfied). Node ids: `in<i>`
 * for inputs, `l<i>` for the recipe's i-th layer (a layer whose call cannot be wired is left out).
 * A pick chooses among every output tensor built so far, so some edges read a further output of a layer that
 * returns several (an LSTM's state_h, MultiHeadAttention's scores). A recurrent layer (callForm 'initialState')
 * with more than one pick is, three times in four, given initial states on purpose: its units are set to the size
 * of a (batch, units) tensor already built — an earlier RNN's state, a Dense output — and as many such tensors as
 * it has states follow its sequence; otherwise its extra picks are wired as they fall (mostly invalid graphs).
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
  const wire = (target: string, sources: readonly Tensor[], i: number) => {
    sources.forEach((src, k) => {
      const c = connect(g, src.node, target, `e${i}_${k}`, src.output);
      if (c.ok) g = c.graph;
    });
  };
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
      const all = tensorsOf(g, ids);
      const sources = want.map((w, k) => {
        const fits = all.filter((t) => t.shape === w);
        return fits.length ? fits[(l.picks[k % l.picks.length] ?? 0) % fits.length] : null;
      });
      if (sources.some((x) => x === null)) return;
      const c = addCall(g, owner, { x: 0, y: 0 }, `l${i}`);
      if (!c.ok) return;
      g = c.graph;
      wire(c.id!, sources as Tensor[], i);
      ids.push(c.id!);
      return;
    }
    const def = l.focus ? MULTI_OUTPUT_KINDS[l.kind % MULTI_OUTPUT_KINDS.length] : KINDS[l.kind % KINDS.length];
    const params = Object.fromEntries(Object.entries(def.params).map(([k, spec], j) => [k, paramFrom(spec, l.seeds[j % l.seeds.length])]));
    // A focused layer returns several tensors three times in four (return_state, return_attention_scores on).
    if (l.focus && def.multiOutput) params[def.multiOutput.param] = l.seeds[6] % 4 !== 0;
    const all = tensorsOf(g, ids);
    // A focused layer reads rank-3 tensors (sequences) when there are any.
    const sequences = all.filter((t) => /^\[[^,\]]+,[^,\]]+,[^,\]]+\]$/.test(t.shape));
    const pool = l.focus && sequences.length ? sequences : all;
    const want = Math.max(def.inputs.min, Math.min(def.inputs.max, l.picks.length));
    let sources = [...new Map(l.picks.map((p) => pool[p % pool.length]).map((t) => [`${t.node}:${t.output}`, t])).values()].slice(0, want);
    if (def.callForm === 'initialState' && l.picks.length > 1 && l.seeds[7] % 4 !== 0) {
      // Initial states on purpose: (batch, units) tensors other than the sequence, units taken from one of them.
      const x = pool[l.picks[0] % pool.length];
      const states = all.filter((t) => t !== x && /^\[null,\d+\]$/.test(t.shape));
      const stateCount = def.inputs.max - 1;
      if (states.length) {
        const first = states[l.picks[1] % states.length];
        const fit = states.filter((t) => t.shape === first.shape);
        params.units = JSON.parse(first.shape)[1] as number;
        sources = [x, ...Array.from({ length: stateCount }, (_x, k) => fit[(l.picks[1] + k) % fit.length])];
      } else sources = [x];
    }
    const a = addNode(g, def.kind, { x: 0, y: 0 }, { id: `l${i}`, params });
    g = a.graph;
    wire(a.node.id, sources, i);
    ids.push(a.node.id);
    layerIds.push(a.node.id);
  });
  return g;
}
