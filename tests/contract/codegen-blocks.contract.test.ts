/**
 * The generated TypeScript of graphs with blocks (Keras nested models) run in the real @tensorflow/tfjs 4.22 (cpu
 * backend): each nested model is a `tf.model` applied as one layer. tfjs must build what the core's summary says:
 * the same rows (a block is one layer: tfjs's class `Model`, Keras 3's `Functional`), each row's output shape and
 * parameter count, the totals; and the program trains one epoch with a finite loss. Same graphs as the Keras
 * oracle (tests/helpers/blockGraphs.ts) and the Keras 3 file with a nested Sequential (written as tf.sequential, class
 * Sequential), in the Functional form and, for an outer chain, the Sequential form.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyze, importKerasJson, summarize, type Graph, type TrainingSettings } from '../../src/core';
import { generateTypeScript } from '../../src/codegen';
import { disposeModel } from '../../src/runtime/buildModel';
import { blockGraphs } from '../helpers/blockGraphs';
import { cpuBackend } from '../helpers/tfjs';
import { typeCheckPrograms } from '../helpers/codegen';

const TINY: TrainingSettings = { samples: 2, batchSize: 2, epochs: 1, optimizer: 'adam', learningRate: 0.001 };
const IMPORT = /^import \* as tf from ['"]@tensorflow\/tfjs['"];\r?\n/m;

/** Transpiles a generated program, injects tfjs for its import and runs it; returns its `model` and what it logged. */
async function run(code: string): Promise<{ model: tf.LayersModel; logs: string[] }> {
  expect(code).toMatch(IMPORT);
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (t: typeof tf) => Promise<tf.LayersModel>;
  const logs: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
  try {
    return { model: await new AsyncFunction('tf', `${js.replace(IMPORT, '')}\nreturn model;`)(tf), logs };
  } finally {
    spy.mockRestore();
  }
}

beforeAll(cpuBackend);

/**
 * Each block graph in the Functional form, and in the Sequential form where the outer model is a chain (core
 * `outerApiPlan`: `tf.sequential` holding the nested model as one layer).
 */
/** The Keras 3 file with a nested Sequential (an outer chain holding it), imported with its block. */
function nestedSequential(): Graph {
  const r = importKerasJson(readFileSync(new URL('../fixtures/keras/keras3_nested_seq.json', import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
}

const CASES = [...blockGraphs(), ['a nested Sequential from a Keras 3 file', nestedSequential()] as [string, Graph]].flatMap(([what, g]) =>
  (summarize(g, analyze(g)).sequential ? (['functional', 'sequential'] as const) : (['functional'] as const)).map(
    (form) => [`${what}, ${form}`, g, form] as const,
  ),
);

describe('generated TypeScript of graphs with blocks builds the model core describes (tfjs is the oracle)', () => {
  it('the Sequential form is tried for the three outer chains', () => {
    expect(CASES.filter(([, , form]) => form === 'sequential').map(([what]) => what)).toEqual([
      'a block called once, sequential',
      'a block and a copy (weights of its own), sequential',
      'a nested Sequential from a Keras 3 file, sequential',
    ]);
  });

  it.each(CASES)('%s', async (_what, graph, form) => {
    const analysis = analyze(graph);
    const summary = summarize(graph, analysis);
    const gen = generateTypeScript(graph, TINY, form);
    if (!gen.ok) throw new Error(gen.reason);
    const { model, logs } = await run(gen.code);
    try {
      expect(model.getClassName()).toBe(form === 'sequential' ? 'Sequential' : 'Model');
      // A model the core summarises as Sequential lists no InputLayer row; its Functional program has one.
      const layers = model.layers.filter((l) => !(summary.sequential && l.getClassName() === 'InputLayer'));
      expect(layers.map((l) => l.name)).toEqual(summary.rows.map((r) => r.name));
      for (const row of summary.rows) {
        const layer = model.getLayer(row.name);
        expect({ name: row.name, cls: layer.getClassName(), shape: layer.outputShape, params: layer.countParams() }).toEqual({
          name: row.name,
          // tfjs calls a nested model's class Model; Keras 3 Functional.
          cls: row.className === 'Functional' ? 'Model' : row.className,
          shape: row.outputShapes ?? row.outputShape,
          params: row.params,
        });
      }
      expect(model.countParams()).toBe(summary.totals.total);
      const epochs = logs.filter((l) => /^epoch \d+\/\d+: loss/.test(l));
      expect(epochs).toHaveLength(1);
      expect(Number(epochs[0].split('loss ')[1])).toSatisfy(Number.isFinite);
    } finally {
      model.optimizer?.dispose();
      disposeModel(tf, model);
    }
  });

  it('every generated program type-checks against tfjs 4.22 (strict, no unused locals)', () => {
    const dir = path.resolve(__dirname, '__generated_blocks__');
    const files = new Map(
      CASES.map(([what, g, form], i) => {
        const gen = generateTypeScript(g, TINY, form);
        if (!gen.ok) throw new Error(`${what}: ${gen.reason}`);
        return [path.join(dir, `block_${i}.ts`), gen.code] as const;
      }),
    );
    expect(typeCheckPrograms(dir, files)).toEqual([]);
  });
});
