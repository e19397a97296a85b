import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { analyze, outputTarget, targetProblem, DEFAULT_TRAINING } from '../../src/core';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { trainModel } from '../../src/runtime/train';
import { tpl } from '../helpers/templates';
import { cpuBackend } from '../helpers/tfjs';

const twoHeaded = () => tpl('two-headed');

describe('the loss of each output', () => {
  it('follows the activation unless the user chooses another the shape allows', () => {
    const g = twoHeaded();
    const a = analyze(g);
    const cat = g.nodes.find((n) => n.name === 'category')!;
    const price = g.nodes.find((n) => n.name === 'price')!;
    const shape = (id: string) => a.nodes.get(id)!.outputShape!;
    expect(outputTarget(cat, shape(cat.id)).kind).toBe('classes');
    expect(outputTarget(price, shape(price.id)).kind).toBe('regression');
    expect(outputTarget(cat, shape(cat.id), 'regression').loss).toBe('meanSquaredError');
    expect(outputTarget(price, shape(price.id), 'binary').loss).toBe('binaryCrossentropy');
    // A choice the shape cannot take falls back to the automatic one, and says why it cannot.
    expect(targetProblem(shape(price.id), 'classes')).toMatch(/at least 2 units/);
    expect(outputTarget(price, shape(price.id), 'classes').kind).toBe('regression');
    expect(targetProblem(shape(cat.id), 'binary')).toMatch(/exactly 1 unit/);
  });

  it('generated code uses the chosen losses, in output order', () => {
    const g = twoHeaded();
    const settings = { ...DEFAULT_TRAINING, losses: { price: 'binary' as const } };
    const py = generatePython(g, settings, 'functional');
    const tsCode = generateTypeScript(g, settings, 'functional');
    expect(py.ok && py.code).toContain('loss=["sparse_categorical_crossentropy", "binary_crossentropy"]');
    expect(tsCode.ok && tsCode.code).toMatch(/'sparseCategoricalCrossentropy',\s*'binaryCrossentropy'/);
  });
});

describe('training with several outputs', () => {
  beforeAll(cpuBackend);

  it('reports a loss per output, with the chosen loss', async () => {
    const g = twoHeaded();
    const r = await trainModel(tf, g, { ...DEFAULT_TRAINING, epochs: 1, samples: 32, batchSize: 16, losses: { category: 'regression' } });
    expect(Number.isFinite(r.logs.category_loss)).toBe(true);
    expect(Number.isFinite(r.logs.price_loss)).toBe(true);
    expect(r.logs.loss).toBeCloseTo(r.logs.category_loss + r.logs.price_loss, 4);
    // MSE on softmax outputs against real targets, not a cross-entropy over 5 classes.
    expect(Object.keys(r.logs)).toContain('category_mae');
  });
});
