/**
 * Exercise goals (issue 11, core/goals.ts): every goal kind met and not met, with its exact reason. Counts and
 * shapes in the reasons are asked of tfjs (the template built by the runtime's buildModel), not copied.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  analyze,
  apiPlan,
  checkGoals,
  describeGoal,
  formatCount,
  goalsSummary,
  GOAL_KINDS,
  MAX_GOALS,
  readGoals,
  setParam,
  templateById,
  type Goal,
  type Graph,
} from '../../src/core';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';
import { LEAKS } from '../helpers/messages';

const template = (id: string): Graph => templateById(id)!.build();
const one = (goal: Goal, g: Graph, training?: Parameters<typeof checkGoals>[3]) => {
  const [s] = checkGoals([goal], g, analyze(g), training);
  expect(s.reason).not.toMatch(LEAKS);
  return { met: s.met, reason: s.reason };
};
const nodeId = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!.id;
const shapeText = (s: readonly (number | null)[]) => `(${s.map((d) => (d === null ? 'None' : d)).join(', ')})`;

/** What tfjs says of a graph: its parameter count, its outputs' shapes and its layers (InputLayers excluded). */
function askTfjs(g: Graph): { total: number; outputs: string[]; layers: number } {
  const m = buildModel(tf, g);
  try {
    return {
      total: m.countParams(),
      outputs: m.outputs.map((t) => shapeText(t.shape)),
      layers: m.layers.filter((l) => l.getClassName() !== 'InputLayer').length,
    };
  } finally {
    disposeModel(tf, m);
  }
}

beforeAll(cpuBackend);

describe('the purchase predictor (two inputs, a Concatenate, one sigmoid output)', () => {
  const g = template('purchase-predictor');
  let tfjs: ReturnType<typeof askTfjs>;
  beforeAll(() => {
    tfjs = askTfjs(g);
  });

  it('parameter budget: met under it, not met over it or under a minimum, with the count tfjs gives', () => {
    const total = formatCount(tfjs.total);
    expect(one({ kind: 'params', max: 1_000_000 }, g)).toEqual({ met: true, reason: `total ${total} parameters ≤ budget 1,000,000` });
    expect(one({ kind: 'params', max: 500_000 }, g)).toEqual({ met: false, reason: `total ${total} parameters > budget 500,000` });
    expect(one({ kind: 'params', max: 1_000_000, min: 900_000 }, g)).toEqual({ met: false, reason: `total ${total} parameters < minimum 900,000` });
    expect(one({ kind: 'params', max: tfjs.total, min: tfjs.total }, g)).toEqual({
      met: true,
      reason: `total ${total} parameters, within ${total} … ${total}`,
    });
  });

  it('output shape: met for the shape tfjs gives the output, not met for another', () => {
    expect(tfjs.outputs).toEqual(['(None, 1)']);
    expect(one({ kind: 'outputShape', dims: [1] }, g)).toEqual({ met: true, reason: `output shape ${tfjs.outputs[0]} = goal (None, 1)` });
    expect(one({ kind: 'outputShape', dims: [5] }, g)).toEqual({ met: false, reason: `output shape ${tfjs.outputs[0]} ≠ goal (None, 5)` });
    expect(one({ kind: 'outputShape', dims: [1, 1] }, g)).toEqual({ met: false, reason: `output shape ${tfjs.outputs[0]} ≠ goal (None, 1, 1)` });
  });

  it('merge, Functional API: met, saying which layer merges and why Sequential cannot write it', () => {
    expect(one({ kind: 'merge' }, g)).toEqual({ met: true, reason: "'concatenate_branches' (Concatenate) merges 2 tensors" });
    const plan = apiPlan(g);
    expect(plan.kind).toBe('functional');
    expect(one({ kind: 'functional' }, g)).toEqual({
      met: true,
      reason: "the model has 2 inputs ('image_features_input', 'text_features_input'): a Sequential model has exactly one input",
    });
  });

  it('shared layer: not met, saying how to make one', () => {
    expect(one({ kind: 'shared' }, g)).toEqual({
      met: false,
      reason: 'no layer is called more than once: select a layer and press "Call this layer again" in the inspector',
    });
  });

  it('allowed kinds: met when every kind is listed, else names the kinds and layers that are not', () => {
    expect(one({ kind: 'kinds', allowed: ['Dense', 'Flatten', 'Dropout', 'Concatenate'] }, g)).toEqual({
      met: true,
      reason: 'every layer is one of the allowed kinds: Dense, Flatten, Dropout, Concatenate',
    });
    expect(one({ kind: 'kinds', allowed: ['Dense', 'Flatten', 'Concatenate'] }, g)).toEqual({
      met: false,
      reason: "uses Dropout ('dropout_image' and 'dropout_text'), not in the allowed kinds: Dense, Flatten, Concatenate",
    });
    expect(one({ kind: 'kinds', allowed: ['Dense'] }, g)).toEqual({
      met: false,
      reason:
        "uses Flatten, Dropout, Concatenate ('flatten_image', 'dropout_image', 'dropout_text' and 'concatenate_branches'), not in the allowed kinds: Dense",
    });
  });

  it('at most N layers: counts the layers tfjs builds (Inputs not counted)', () => {
    const n = tfjs.layers;
    expect(one({ kind: 'layers', max: n }, g)).toEqual({ met: true, reason: `${n} layers ≤ ${n}` });
    expect(one({ kind: 'layers', max: 5 }, g)).toEqual({ met: false, reason: `${n} layers > at most 5` });
  });

  it('trains below a loss: not checkable before a run or after the model changed, then met or not from the final loss', () => {
    const goal: Goal = { kind: 'loss', below: 0.2 };
    expect(one(goal, g)).toEqual({ met: null, reason: 'not trained yet: train the model (Train tab) to check the final loss against 0.2' });
    expect(one(goal, g, { loss: 0.1234, nonFinite: false, current: true })).toEqual({ met: true, reason: 'final loss 0.1234 < goal 0.2' });
    expect(one(goal, g, { loss: 0.45, nonFinite: false, current: true })).toEqual({ met: false, reason: 'final loss 0.4500 ≥ goal 0.2' });
    expect(one(goal, g, { loss: 0.2, nonFinite: false, current: true })).toEqual({ met: false, reason: 'final loss 0.2000 ≥ goal 0.2' });
    expect(one(goal, g, { loss: 0.1, nonFinite: false, current: false })).toEqual({
      met: null,
      reason: 'the model changed since its last training run: train it again to check the loss',
    });
    expect(one(goal, g, { loss: null, nonFinite: true, current: true })).toEqual({
      met: false,
      reason: 'the last training run stopped: its loss became infinite or not a number',
    });
    expect(one(goal, g, { loss: null, nonFinite: false, current: true })).toEqual({
      met: null,
      reason: 'the last training run ended before reporting a loss: train it again',
    });
  });

  it('breaking the last Dense (units 1 → 3) turns the output-shape goal ✗ with the new shape, fixing it turns it ✓', () => {
    const r = setParam(g, nodeId(g, 'output_sigmoid'), 'units', 3);
    if (!r.ok) throw new Error(r.reason);
    const broken = askTfjs(r.graph);
    expect(one({ kind: 'outputShape', dims: [1] }, r.graph)).toEqual({ met: false, reason: `output shape ${broken.outputs[0]} ≠ goal (None, 1)` });
    const back = setParam(r.graph, nodeId(g, 'output_sigmoid'), 'units', 1);
    if (!back.ok) throw new Error(back.reason);
    expect(one({ kind: 'outputShape', dims: [1] }, back.graph).met).toBe(true);
  });
});

describe('other models', () => {
  it('siamese: the shared encoder meets the shared-layer goal, naming the layer and its calls', () => {
    const g = template('siamese');
    expect(one({ kind: 'shared' }, g)).toEqual({ met: true, reason: "'encoder_hidden' is called 2 times (one set of weights)" });
    // A shared layer counts once: tfjs lists each layer once however often it is called.
    const n = askTfjs(g).layers;
    expect(one({ kind: 'layers', max: 100 }, g)).toEqual({ met: true, reason: `${n} layers ≤ 100` });
    expect(one({ kind: 'merge' }, g)).toEqual({ met: true, reason: "'cosine' (Dot) merges 2 tensors" });
  });

  it('a chain: not Functional, no merge', () => {
    const g = template('dense-input-dim-1');
    expect(one({ kind: 'functional' }, g)).toEqual({
      met: false,
      reason: 'the model is one chain, which the Sequential API writes: it needs a branch, a merge, several inputs or outputs, or a shared layer',
    });
    expect(one({ kind: 'merge' }, g)).toEqual({ met: false, reason: 'no merge layer (Add, Concatenate, Multiply, …) in the model' });
    expect(one({ kind: 'layers', max: 1 }, g)).toEqual({ met: true, reason: '1 layer ≤ 1' });
  });

  it('two outputs: the output-shape goal lists both with the shapes tfjs gives', () => {
    const g = template('two-headed');
    const shapes = askTfjs(g).outputs;
    expect(one({ kind: 'outputShape', dims: [5] }, g)).toEqual({
      met: false,
      reason: `the model has 2 outputs ('category' ${shapes[0]}, 'price' ${shapes[1]}); the goal is one output of shape (None, 5)`,
    });
  });

  it('a model with errors: the count and the shape goals say the error, structural goals still answer', () => {
    const g = template('purchase-predictor');
    // Text features as a sequence: the text branch's Dense keeps the time axis, so Concatenate gets ranks 2 and 3.
    const r = setParam(g, nodeId(g, 'text_features_input'), 'shape', [10, 5]);
    // Setting a shape the model cannot take is allowed (the validator flags it on the canvas).
    if (!r.ok) throw new Error(r.reason);
    const a = analyze(r.graph);
    expect(a.valid).toBe(false);
    const first = a.diagnostics.find((d) => d.severity === 'error')!.message.replace(/\.$/, '');
    const [params] = checkGoals([{ kind: 'params', max: 10 }], r.graph, a);
    expect(params.met).toBe(false);
    expect(params.reason.startsWith(`the parameter count is not final while the model has errors: ${first}`)).toBe(true);
    expect(one({ kind: 'merge' }, r.graph).met).toBe(true);
  });

  it('an empty model meets no goal but "only these kinds" and "at most N layers"', () => {
    const g: Graph = { name: 'm', nodes: [], edges: [] };
    const statuses = checkGoals(
      [{ kind: 'outputShape', dims: [1] }, { kind: 'params', max: 5 }, { kind: 'functional' }, { kind: 'merge' }, { kind: 'shared' }],
      g,
      analyze(g),
    );
    expect(statuses.map((s) => [s.met, s.reason])).toEqual([
      [false, 'the model has no layers yet; the goal is one output of shape (None, 1)'],
      [false, 'the model has no layers yet'],
      [false, 'the model has no Input layer yet'],
      [false, 'no merge layer (Add, Concatenate, Multiply, …) in the model'],
      [false, 'no layer is called more than once: select a layer and press "Call this layer again" in the inspector'],
    ]);
    expect(one({ kind: 'kinds', allowed: ['Dense'] }, g)).toEqual({ met: true, reason: 'no layers yet; allowed: Dense' });
  });
});

describe('summary and descriptions', () => {
  it('"All goals met" only when every goal is met; otherwise "k of n goals met" (a loss goal not trained yet is not met)', () => {
    const g = template('purchase-predictor');
    const goals: Goal[] = [{ kind: 'params', max: 1_000_000 }, { kind: 'merge' }, { kind: 'outputShape', dims: [1] }];
    expect(goalsSummary(checkGoals(goals, g, analyze(g)))).toEqual({ allMet: true, text: 'All goals met' });
    const more: Goal[] = [...goals, { kind: 'shared' }, { kind: 'loss', below: 0.5 }];
    expect(goalsSummary(checkGoals(more, g, analyze(g)))).toEqual({ allMet: false, text: '3 of 5 goals met' });
    expect(goalsSummary([])).toEqual({ allMet: false, text: '0 of 0 goals met' });
  });

  it('every goal kind has a one-line description', () => {
    const examples: Goal[] = [
      { kind: 'outputShape', dims: [null, 10] },
      { kind: 'params', max: 1_000_000 },
      { kind: 'kinds', allowed: ['Dense', 'Conv2D'] },
      { kind: 'functional' },
      { kind: 'merge' },
      { kind: 'shared' },
      { kind: 'loss', below: 0.05 },
      { kind: 'layers', max: 1 },
    ];
    expect(examples.map((g) => g.kind)).toEqual(GOAL_KINDS.map((k) => k.kind));
    expect(examples.map(describeGoal)).toEqual([
      'Output shape (None, None, 10)',
      'At most 1,000,000 parameters',
      'Only these layer kinds: Dense, Conv2D',
      'Needs the Functional API (not a plain Sequential chain)',
      'Uses a merge layer (Add, Concatenate, …) on two or more tensors',
      'Uses a shared layer (one layer called on two tensors)',
      'Trains to a final loss below 0.05',
      'At most 1 layer (Inputs not counted)',
    ]);
    expect(describeGoal({ kind: 'params', max: 2000, min: 100 })).toBe('Between 100 and 2,000 parameters');
  });
});

describe('readGoals (a project file`s goals, untrusted)', () => {
  it('keeps valid goals as they are', () => {
    const goals: Goal[] = [
      { kind: 'params', max: 5, min: 1 },
      { kind: 'outputShape', dims: [null, 3] },
      { kind: 'loss', below: 0.01 },
    ];
    expect(readGoals(JSON.parse(JSON.stringify(goals)))).toEqual({ goals, notes: [] });
    expect(readGoals(undefined)).toEqual({ goals: [], notes: [] });
  });

  it('drops each malformed goal with a note naming where and why, and keeps the others', () => {
    const r = readGoals([
      { kind: 'params', max: 1.5 },
      { kind: 'params', max: 10, min: 20 },
      { kind: 'fly' },
      { kind: 'outputShape', dims: [] },
      { kind: 'outputShape', dims: [0] },
      { kind: 'loss', below: -1 },
      { kind: 'layers', max: 0 },
      'merge',
      { kind: 'merge' },
      { kind: 'kinds', allowed: ['Dense', 'Teleport'] },
      { kind: 'kinds', allowed: ['Teleport'] },
    ]);
    expect(r.goals).toEqual([{ kind: 'merge' }, { kind: 'kinds', allowed: ['Dense'] }]);
    expect(r.notes).toEqual([
      'goals.0.max: must be a whole number; this goal is dropped.',
      'goals.1.min: must not be above the budget; this goal is dropped.',
      'goals.2.kind: must be one of the goal kinds: outputShape, params, kinds, functional, merge, shared, loss, layers; this goal is dropped.',
      'goals.3.dims: must list at least one axis after the batch axis; this goal is dropped.',
      'goals.4.dims.0: must be 1 or more; this goal is dropped.',
      'goals.5.below: must be above 0; this goal is dropped.',
      'goals.6.max: must be 1 or more; this goal is dropped.',
      'goals.7: not a goal (an object with a "kind"); this goal is dropped.',
      "goals.9.allowed: 'Teleport' is not a layer kind Layerlab has; dropped from the allowed kinds.",
      "goals.10.allowed: 'Teleport' is not a layer kind Layerlab has; this goal is dropped.",
    ]);
    for (const n of r.notes) expect(n).not.toMatch(LEAKS);
  });

  it(`keeps at most ${MAX_GOALS} goals, and reads a non-list as none, each with a note`, () => {
    const many = readGoals(Array.from({ length: MAX_GOALS + 5 }, () => ({ kind: 'merge' })));
    expect(many.goals).toHaveLength(MAX_GOALS);
    expect(many.notes).toEqual([`goals: 25 goals, more than the ${MAX_GOALS} a project holds; goals 21 to 25 are dropped.`]);
    expect(readGoals({ kind: 'merge' })).toEqual({ goals: [], notes: ['goals: not a list of goals; no goals are set.'] });
  });
});
