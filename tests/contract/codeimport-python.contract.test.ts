/**
 * Contract of the Python import engine, the heavier cases (Pyodide from node_modules, loaded once):
 * - round trip: for every template, the Python Layerlab generates (Sequential where the model allows it, Functional,
 *   and Model subclassing: a `keras.Model` subclass instantiated and called on `keras.Input`s) imported back gives the
 *   same graph: kinds, names, parameters, connections with their output indices, shapes, counts, inputs and outputs
 *   (compared in the canonical form of tests/helpers/codeimportPython.ts); the same for random valid graphs; the graphs
 *   with blocks (tests/helpers/blockGraphs.ts) in the Functional, Model-subclassing and (outer chains) Sequential
 *   forms, their blocks included; graphs with frozen layers (tests/helpers/frozenGraphs.ts) in every form, the flags included;
 * - tfjs's counts of the guide-style recurrent snippets (slow to build on the cpu backend);
 * - the figures of the engine: Pyodide's cold load and the import of a 100-layer model, printed.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../src/core/graph/types';
import { build, PROPERTY_SEED, recipeArb, sequenceRecipeArb, type Recipe } from '../property/arbitraries';
import { TEMPLATES } from '../../src/core/templates';
import { generatePython } from '../../src/codegen/python';
import { DEFAULT_TRAINING } from '../../src/core/training';
import { analyze } from '../../src/core/validate/analyze';
import { clearShapeCache } from '../../src/codeimport/python/coreBridge';
import { runPythonImport, type PyodideLike } from '../../src/codeimport/python/run';
import { cpuBackend } from '../helpers/tfjs';
import { canonical, importOk, loadPython, tfjsView } from '../helpers/codeimportPython';
import { FULL, fastSubset } from '../full';
import { blockGraphs } from '../helpers/blockGraphs';
import { frozenGraphs } from '../helpers/frozenGraphs';

let py: PyodideLike;
let loadMs = 0;
beforeAll(async () => {
  await cpuBackend();
  const loaded = await loadPython();
  py = loaded.pyodide;
  loadMs = loaded.ms;
}, 60_000);

/**
 * Templates whose Model-subclassing code the fast tier imports back (all of them in `npm run test:contract`): several
 * inputs, a shared layer, `return_state` with `initial_state`, a residual merge, attention called on two tensors.
 */
const FAST_SUBCLASSING = new Set(['purchase-predictor', 'siamese', 'encoder-decoder', 'residual-block', 'transformer-text']);
const SUBCLASSING_TEMPLATES = new Set(fastSubset('Model-subclassing round trip of templates', TEMPLATES, (t) => !FAST_SUBCLASSING.has(t.id)).map((t) => t.id));

it('the fast tier names templates that exist', () => {
  expect([...FAST_SUBCLASSING].filter((id) => !TEMPLATES.some((t) => t.id === id))).toEqual([]);
});

describe.each(TEMPLATES.map((t) => [t.id, t] as const))('template %s: generated Python imported back', (_id, t) => {
  const forms = SUBCLASSING_TEMPLATES.has(t.id) ? (['sequential', 'functional', 'subclassing'] as const) : (['sequential', 'functional'] as const);
  for (const form of forms) {
    it(`${form} form gives the same graph`, async (ctx) => {
      const graph = t.build();
      const code = generatePython(graph, DEFAULT_TRAINING, form);
      if (!code.ok) {
        // Sequential is impossible for a graph that is not one chain; the generator says why.
        expect(form).toBe('sequential');
        ctx.skip();
        return;
      }
      const back = await importOk(py, code.code);
      expect(canonical(back.graph)).toEqual(canonical(graph));
      expect(back.notes.some((n) => /fit\(\.\.\.\) at line \d+ ignored/.test(n))).toBe(true);
    });
  }
});

/** Valid graphs of the property test's generator, drawn in order at its seed (as the Keras oracle draws them). */
function randomGraphs(count: number, arb: fc.Arbitrary<Recipe>): Graph[] {
  const out: Graph[] = [];
  for (let round = 0; out.length < count && round < 5; round++)
    for (const r of fc.sample(arb, { seed: PROPERTY_SEED + round, numRuns: count * 8 })) {
      const g = build(r);
      if (analyze(g).valid) out.push({ ...g, name: `random_${out.length}` });
      if (out.length === count) break;
    }
  return out;
}

/** Random graphs imported back: 300 in `npm run test:contract`, 30 in the fast tier (each is ~20 ms of Pyodide work). */
const RANDOM = Number(process.env.CODEIMPORT_RANDOM ?? (FULL ? 300 : 30));
/**
 * How many of them (the first ones drawn) are also imported back from their Model-subclassing code: every one in
 * `npm run test:contract`, 15 (and 5 of the sequence graphs) in the fast tier, whose time budget is tight.
 */
const SUBCLASSING_RANDOM = Number(process.env.CODEIMPORT_SUBCLASSING_RANDOM ?? (FULL ? RANDOM : 15));
if (SUBCLASSING_RANDOM < RANDOM)
  console.info(
    `Model-subclassing round trip: ${RANDOM - SUBCLASSING_RANDOM} + ${Math.ceil(RANDOM / 3) - Math.ceil(SUBCLASSING_RANDOM / 3)} random graph(s) run only in \`npm run test:contract\`.`,
  );

describe(`the property test's random valid graphs: generated Python imported back`, () => {
  it.each([
    [`${RANDOM} graphs of any kinds`, RANDOM, SUBCLASSING_RANDOM, recipeArb],
    [
      `${Math.ceil(RANDOM / 3)} graphs around layers with several outputs and initial states`,
      Math.ceil(RANDOM / 3),
      Math.ceil(SUBCLASSING_RANDOM / 3),
      sequenceRecipeArb,
    ],
  ] as const)('%s give the same graph in every form the generator writes', async (_what, count, subclassing, arb) => {
    const graphs = randomGraphs(count, arb);
    expect(graphs.length).toBe(count);
    const failures: string[] = [];
    let forms = 0;
    let subclassed = 0;
    for (const [i, graph] of graphs.entries())
      for (const form of i < subclassing ? (['sequential', 'functional', 'subclassing'] as const) : (['sequential', 'functional'] as const)) {
        const code = generatePython(graph, DEFAULT_TRAINING, form);
        if (!code.ok) continue;
        forms++;
        if (form === 'subclassing') subclassed++;
        const back = await runPythonImport(py, code.code);
        if (!back.ok) failures.push(`${graph.name} ${form}: ${back.reason}${back.line ? ` (line ${back.line}: ${code.code.split('\n')[back.line - 1]})` : ''}`);
        else {
          const [x, y] = [JSON.stringify(canonical(back.graph)), JSON.stringify(canonical(graph))];
          if (x !== y) failures.push(`${graph.name} ${form}: differs\n  back: ${x}\n  orig: ${y}`);
        }
      }
    expect(forms).toBeGreaterThan(count);
    // Model subclassing can write every valid graph (it is the Functional plan in a class).
    expect(subclassed).toBe(Math.min(subclassing, count));
    expect(failures.slice(0, 5)).toEqual([]);
  });
});

/**
 * The blocks of a graph as comparable data: each call's nested-model name, whether it is a further call (and of which
 * nested model, by name), its declared outputs' count, and its members' names, sorted.
 */
function blocksOf(g: Graph) {
  const name = (id: string | undefined) => g.blocks?.find((b) => b.id === id)?.name ?? null;
  return (g.blocks ?? []).map((b) => ({
    name: b.name,
    callOf: name(b.callOf),
    sequential: b.sequential === true,
    members: g.nodes
      .filter((n) => n.block === b.id)
      .map((n) => n.name)
      .sort(),
  }));
}

describe.each(blockGraphs())('%s: generated Python imported back keeps its blocks', (_what, graph) => {
  for (const form of ['functional', 'subclassing', 'sequential'] as const)
    it(`${form} form gives the same graph and the same nested models`, async (ctx) => {
      const code = generatePython(graph, DEFAULT_TRAINING, form);
      if (!code.ok) {
        // Sequential only for an outer chain (core outerApiPlan); the generator says why otherwise.
        expect(form).toBe('sequential');
        ctx.skip();
        return;
      }
      const back = await importOk(py, code.code);
      expect(canonical(back.graph)).toEqual(canonical(graph));
      expect(blocksOf(back.graph)).toEqual(blocksOf(graph));
    });
});

describe.each(frozenGraphs())('%s: generated Python imported back keeps the frozen layers', (_what, graph) => {
  for (const form of ['sequential', 'functional', 'subclassing'] as const)
    it(`${form} form gives the same graph, frozen flags and trainable counts`, async (ctx) => {
      const code = generatePython(graph, DEFAULT_TRAINING, form);
      if (!code.ok) {
        expect(form).toBe('sequential');
        ctx.skip();
        return;
      }
      expect(code.code).toContain('trainable=False');
      const back = await importOk(py, code.code);
      expect(canonical(back.graph)).toEqual(canonical(graph));
      expect(blocksOf(back.graph)).toEqual(blocksOf(graph));
      expect(analyze(back.graph).totals.nonTrainable).toBeGreaterThan(0);
    });
});

describe("tfjs's counts of recurrent guide snippets", () => {
  // The guide's sizes scaled down (Embedding(10000, 64), LSTM(128), LSTM(32)): tfjs's cpu backend takes over a minute
  // to build the full one (orthogonal initializers of the LSTM kernels); the structure is the guide's.
  it("the Functional API guide's ticket model: tfjs counts what the core counts", async () => {
    const { graph } = await importOk(
      py,
      `import keras
from keras import layers
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")
tags_input = keras.Input(shape=(12,), name="tags")
title_features = layers.LSTM(24)(layers.Embedding(1000, 16)(title_input))
body_features = layers.LSTM(8)(layers.Embedding(1000, 16)(body_input))
x = layers.concatenate([title_features, body_features, tags_input])
model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs={"priority": layers.Dense(1, name="priority")(x), "department": layers.Dense(4, name="department")(x)},
)
`,
    );
    const a = analyze(graph);
    expect(a.valid).toBe(true);
    const t = tfjsView(graph);
    expect(t.total).toBe(a.totals.total);
    // The dict of outputs in Keras 3's order (sorted keys: department, priority), as model.outputs gives them.
    expect(t.outputs).toEqual([
      [null, 4],
      [null, 1],
    ]);
  });
});

describe('figures', () => {
  it('prints the Pyodide cold load and the import time of a 100-layer Dense chain', async () => {
    const chain = (n: number) =>
      `import keras\nfrom keras import layers\nx = inputs = keras.Input(shape=(32,))\nfor i in range(${n}):\n    x = layers.Dense(32 + i % 5, activation="relu", name=f"d{i}")(x)\nmodel = keras.Model(inputs, x)\n`;
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      clearShapeCache();
      const t0 = performance.now();
      const r = await runPythonImport(py, chain(100));
      times.push(performance.now() - t0);
      expect(r.ok && r.graph.nodes.length).toBe(101);
    }
    times.sort((x, y) => x - y);
    console.log(
      `Pyodide cold load (Node): ${Math.round(loadMs)} ms; import of a 100-layer Dense chain: median ${Math.round(times[2])} ms (min ${Math.round(times[0])}, max ${Math.round(times[4])}, shape cache cleared each time)`,
    );
    expect(times[2]).toBeLessThan(3000);
  });
});
