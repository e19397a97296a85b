/**
 * Issue 9, settings from one source: the one "single tensor or list" rule (core `callInput`), the one
 * Functional walk both code generators render (`functionalPlan`), and the one optimizer table
 * (`OPTIMIZER_DEFS`) checked against tfjs itself.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, callInput, DEFAULT_TRAINING, LAYER_DEFS, OPTIMIZER_DEFS, OPTIMIZERS, takesInputList } from '../../src/core';
import { generatePython, generateTypeScript } from '../../src/codegen';
import { camelBase, functionalPlan, JS_RESERVED, prepare, PY_RESERVED, snakeBase } from '../../src/codegen/common';
import { tpl } from '../helpers/templates';
import { written } from '../helpers/codegen';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);

describe('callInput: one tensor or a list', () => {
  it('a kind that accepts several inputs gets the list, even of one; any other kind its only input', () => {
    for (const def of LAYER_DEFS) {
      const got = callInput(def.kind, ['a']);
      // Self-attention on one input (LayerDef.selfCall): the input twice, as query and value.
      if (def.selfCall) expect(got, def.kind).toEqual(['a', 'a']);
      // A recurrent layer (callForm 'initialState') takes initial states as inputs 2…, but on its sequence alone
      // it is called on that tensor, as Keras's `layer(x)`.
      else if (def.inputs.max > 1 && def.callForm !== 'initialState') expect(got, def.kind).toEqual(['a']);
      else expect(got, def.kind).toBe('a');
    }
    expect(takesInputList('Concatenate')).toBe(true);
    expect(takesInputList('Dense')).toBe(false);
    expect(takesInputList('NoSuchKind')).toBe(false);
  });
  it('agrees with tfjs: a merge layer refuses a single tensor and builds from the list', () => {
    const x = tf.input({ shape: [4] });
    const y = tf.input({ shape: [4] });
    expect(takesInputList('Add')).toBe(true);
    expect(() => tf.layers.add().apply(x)).toThrow();
    expect((tf.layers.add().apply(callInput('Add', [x, y]) as tf.SymbolicTensor[]) as tf.SymbolicTensor).shape).toEqual([null, 4]);
    expect((tf.layers.dense({ units: 2 }).apply(callInput('Dense', [x]) as tf.SymbolicTensor) as tf.SymbolicTensor).shape).toEqual([null, 2]);
  });
  it('a recurrent layer given initial states is called on [sequence, ...states], which tfjs builds (asked of tfjs)', () => {
    const recurrent = LAYER_DEFS.filter((d) => d.callForm === 'initialState').map((d) => d.kind);
    expect(recurrent.sort()).toEqual(['GRU', 'LSTM', 'SimpleRNN']);
    for (const kind of recurrent) expect(takesInputList(kind), kind).toBe(false);
    expect(callInput('LSTM', ['x', 'h', 'c'])).toEqual(['x', 'h', 'c']);
    const x = tf.input({ shape: [5, 3] });
    const h = tf.input({ shape: [4] });
    const c = tf.input({ shape: [4] });
    const out = tf.layers.lstm({ units: 4 }).apply(callInput('LSTM', [x, h, c]) as tf.SymbolicTensor[]) as tf.SymbolicTensor;
    expect(out.shape).toEqual([null, 4]);
    // With return_state tfjs returns a list: the output, then state_h and state_c.
    const many = tf.layers.lstm({ units: 4, returnState: true }).apply(callInput('LSTM', [x]) as tf.SymbolicTensor) as tf.SymbolicTensor[];
    expect(many.map((t) => t.shape)).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
  });
  it('names the layer kind when a single-input layer has nothing to read', () => {
    expect(() => callInput('Dense', [])).toThrow(/Dense layer has nothing to be called on/);
  });
});

describe('functionalPlan: the one walk both generators render', () => {
  const graph = tpl('siamese');
  const r = prepare(graph, 'functional', DEFAULT_TRAINING);
  if (!r.ok) throw new Error(r.reason);
  const ts = functionalPlan(r.prep, camelBase, JS_RESERVED);
  const py = functionalPlan(r.prep, snakeBase, PY_RESERVED);

  it('calls every non-Input layer once, in topological order, the same in both languages', () => {
    const order = analyze(graph).order.filter((id) => graph.nodes.find((n) => n.id === id)!.kind !== 'Input');
    expect(ts.calls.map((c) => c.node.id)).toEqual(order);
    expect(py.calls.map((c) => c.node.id)).toEqual(order);
    expect(ts.calls.map((c) => !!c.shared?.declare)).toEqual(py.calls.map((c) => !!c.shared?.declare));
  });
  it('declares a shared layer once, at its first call, and calls that one variable every time', () => {
    const shared = ts.calls.filter((c) => c.shared);
    expect(shared.length).toBeGreaterThan(1);
    const vars = new Set(shared.map((c) => c.shared!.layerVar));
    for (const v of vars) {
      const calls = shared.filter((c) => c.shared!.layerVar === v);
      expect(calls.map((c) => c.shared!.declare)).toEqual(calls.map((_, i) => i === 0));
    }
  });
  it('renders each step in the generated code of both languages', () => {
    const tsCode = written(generateTypeScript(graph, DEFAULT_TRAINING, 'functional'));
    const pyCode = written(generatePython(graph, DEFAULT_TRAINING, 'functional'));
    for (const c of ts.calls) expect(tsCode).toContain(`const ${c.outputs[0]} = ${c.shared ? `${c.shared.layerVar}.apply(${c.input})` : 'tf.layers'}`);
    for (const c of py.calls) expect(pyCode).toContain(`${c.outputs[0]} = ${c.shared ? `${c.shared.layerVar}(${c.input})` : 'layers.'}`);
    expect(tsCode).toContain(`inputs: ${ts.inputList},`);
    expect(pyCode).toContain(`outputs=${py.outputList},`);
  });
});

describe('OPTIMIZER_DEFS: the one optimizer table', () => {
  it('has an entry per optimizer, whose tfjs factory exists and keeps the slots it declares (asked of tfjs)', async () => {
    expect(Object.keys(OPTIMIZER_DEFS).sort()).toEqual([...OPTIMIZERS].sort());
    for (const name of OPTIMIZERS) {
      const def = OPTIMIZER_DEFS[name];
      const make = (tf.train as unknown as Record<string, (lr: number) => tf.Optimizer>)[def.tfjsFactory];
      expect(typeof make, name).toBe('function');
      const opt = make(0.01);
      const a = tf.variable(tf.ones([3]));
      const b = tf.variable(tf.ones([2, 2]));
      opt.minimize(() => a.sum().add(b.sum()) as tf.Scalar, false, [a, b]);
      // getWeights(): the iteration counter, then the slot variables of every trained variable.
      expect(((await opt.getWeights()).length - 1) / 2, name).toBe(def.slots);
      opt.dispose();
      a.dispose();
      b.dispose();
    }
  });
  it('is what both generators write', () => {
    const graph = tpl('dense-input-dim-1');
    for (const optimizer of OPTIMIZERS) {
      const ts = written(generateTypeScript(graph, { ...DEFAULT_TRAINING, optimizer }, 'sequential'));
      const py = written(generatePython(graph, { ...DEFAULT_TRAINING, optimizer }, 'sequential'));
      expect(ts).toContain(`optimizer: tf.train.${OPTIMIZER_DEFS[optimizer].tfjsFactory}(0.001)`);
      expect(py).toContain(`optimizer=keras.optimizers.${OPTIMIZER_DEFS[optimizer].kerasClass}(learning_rate=0.001)`);
    }
  });
});
