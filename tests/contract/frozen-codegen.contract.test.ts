/**
 * Frozen layers (Keras trainable=False) in generated TypeScript: for each graph of tests/helpers/frozenGraphs.ts, the
 * program Layerlab writes (Functional, and Sequential where the outer model is a chain) runs in the real
 * @tensorflow/tfjs 4.22 (cpu backend) with the trainable and non-trainable counts the core gives, and the TypeScript
 * import (the tf stand-in) reads it back to the same frozen layers and totals.
 */
import * as tf from '@tensorflow/tfjs';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, summarize, type Graph } from '../../src/core';
import { generateTypeScript } from '../../src/codegen';
import { runTypeScriptImport } from '../../src/codeimport/typescript/run';
import { DEFAULT_TRAINING } from '../../src/core/training';
import { disposeModel } from '../../src/runtime/buildModel';
import { frozenGraphs } from '../helpers/frozenGraphs';
import { cpuBackend, weightCount } from '../helpers/tfjs';

const IMPORT = /^import \* as tf from ['"]@tensorflow\/tfjs['"];\r?\n/m;

/** Transpiles a generated program, injects tfjs for its import and runs it up to the model (no training); returns `model`. */
async function run(code: string): Promise<tf.LayersModel> {
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const upToModel = js.replace(IMPORT, '').split(/^\S*.*\bmodel\.compile\(/m)[0];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (t: typeof tf) => Promise<tf.LayersModel>;
  return new AsyncFunction('tf', `${upToModel}\nreturn model;`)(tf);
}

beforeAll(cpuBackend);

/** Layer names and whether each is frozen, Inputs aside, sorted. */
const flags = (g: Graph) =>
  g.nodes
    .filter((n) => n.kind !== 'Input')
    .map((n) => `${n.name}:${n.trainable === false ? 'frozen' : 'trainable'}`)
    .sort();

const CASES = frozenGraphs().flatMap(([what, g]) =>
  (summarize(g, analyze(g)).sequential ? (['functional', 'sequential'] as const) : (['functional'] as const)).map(
    (form) => [`${what}, ${form}`, g, form] as const,
  ),
);

describe('generated TypeScript with frozen layers', () => {
  it.each(CASES)('%s: tfjs counts what the core counts, and the import reads the flags back', async (_what, graph, form) => {
    const a = analyze(graph);
    expect(a.valid).toBe(true);
    expect(a.totals.nonTrainable).toBeGreaterThan(0);
    const gen = generateTypeScript(graph, DEFAULT_TRAINING, form);
    if (!gen.ok) throw new Error(gen.reason);
    expect(gen.code).toContain('trainable: false');
    const model = await run(gen.code);
    try {
      expect({ total: model.countParams(), trainable: weightCount(model.trainableWeights), nonTrainable: weightCount(model.nonTrainableWeights) }).toEqual(
        a.totals,
      );
    } finally {
      disposeModel(tf, model);
    }
    const back = await runTypeScriptImport(gen.code);
    if (!back.ok) throw new Error(back.reason);
    expect(analyze(back.graph).totals).toEqual(a.totals);
    expect(flags(back.graph).filter((f) => !f.endsWith('_input:trainable'))).toEqual(flags(graph));
  });
});
