/**
 * Issue 8, sizes, names and messages: absurd sizes are refused (bounded parameters; counts past 2⁵³ − 1
 * refused by the validator), names Keras 3 or tfjs would refuse are refused with the reason, Trojan-Source
 * characters never reach generated code raw, and no message leaks engine texts ("NaN", "null" for 1e999,
 * "function Object() { [native code] }", "Maximum call stack size exceeded"). tfjs answers where it can
 * without allocating (output shapes of large but valid layers).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  checkModelName,
  checkName,
  checkParam,
  DEFAULT_TRAINING,
  describeValue,
  estimateTrainingMemory,
  functionalOrder,
  graphCost,
  summarize,
  MAX_COUNT,
  MAX_SHAPE_DIM,
  MAX_DIM,
  memoryRefusal,
  rename,
  type Graph,
  type Params,
} from '../../src/core';
import { generatePython, generateTypeScript, pyString, tsString } from '../../src/codegen';
import { commentLines, commentText } from '../../src/codegen/common';
import { parseField } from '../../src/inspector/ParamField';
import { denseChain, node, paramSpec } from '../helpers/graphs';
import { BIDI, LEAKS } from '../helpers/messages';

/** A chain Input(shape) → layers, given as [kind, params]. */
function chain(shape: number[], ...layers: [string, Params][]): Graph {
  const nodes = [node('in', 'Input', { shape }), ...layers.map(([k, p], i) => node(`l${i}`, k, p))];
  const edges = nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i].id, target: n.id }));
  return { name: 'model', nodes, edges };
}
const errors = (g: Graph) => analyze(g).diagnostics.filter((d) => d.severity === 'error');

describe('absurd sizes', () => {
  it('refuses units 1e308 and any count past 2³¹ − 1, naming the layer and the bound; no code is written', () => {
    const g = chain([4], ['Dense', { units: 1e308 }]);
    const e = errors(g);
    expect(e.map((d) => d.code)).toEqual(['param/invalid']);
    expect(e[0].message).toBe(`'l0': units must be ≤ 2,147,483,647 (got 1e+308).`);
    expect(Number.isFinite(analyze(g).totals.total)).toBe(true);
    expect(generateTypeScript(g, DEFAULT_TRAINING, 'functional').ok).toBe(false);
    expect(generatePython(g, DEFAULT_TRAINING, 'functional').ok).toBe(false);
    expect(checkParam(paramSpec('Dense', 'units'), MAX_COUNT)).toBeNull();
    expect(checkParam(paramSpec('Conv2D', 'kernel_size'), [MAX_COUNT + 1, 1])).toMatch(/≤ 2,147,483,647/);
    expect(checkParam(paramSpec('Reshape', 'target_shape'), [MAX_COUNT + 1])).toMatch(/≤ 2,147,483,647/);
    // Shape dimensions share the importer's bound.
    expect(MAX_SHAPE_DIM).toBe(MAX_DIM);
    expect(checkParam(paramSpec('Input', 'shape'), [MAX_SHAPE_DIM])).toBeNull();
    expect(checkParam(paramSpec('Input', 'shape'), [MAX_SHAPE_DIM + 1])).toMatch(/up to 16,777,216/);
  });

  it('refuses a layer whose parameter count passes 2⁵³ − 1 (Dense 2³¹ − 1 on 2²⁴ features), naming the figure', () => {
    const g = chain([2 ** 24], ['Dense', { units: MAX_COUNT }], ['Dense', { units: 1 }]);
    const e = errors(g);
    expect(e.map((d) => [d.code, d.nodeId])).toEqual([['size/too-large', 'l0']]);
    expect(e[0].message).toMatch(/^'l0' \(Dense\) would have about 36,000,000,000,000,000 parameters, more than 9,007,199,254,740,991/);
    // No wrong number: the layer and the one after it have no count, the total leaves them out.
    const a = analyze(g);
    expect(a.nodes.get('l0')!.weights).toBeNull();
    expect(a.nodes.get('l1')!.outputShape).toBeNull();
    expect(a.diagnostics.filter((d) => d.nodeId === 'l1')).toEqual([]);
    expect(generateTypeScript(g, DEFAULT_TRAINING, 'sequential').ok).toBe(false);
  });

  it('accepts large but exact sizes with tfjs’s shapes, and refuses 2⁵⁴ values per sample', () => {
    // 2²⁴ · 2²⁴ · 4 = 2⁵⁰ values: exact; tfjs computes the same shapes without allocating anything.
    const g = chain([2 ** 24, 2 ** 24, 4], ['Flatten', {}], ['Dense', { units: 2 ** 2 }]);
    const a = analyze(g);
    expect(a.diagnostics).toEqual([]);
    const flat = tf.layers.flatten().computeOutputShape([null, 2 ** 24, 2 ** 24, 4]);
    expect(a.nodes.get('l0')!.outputShape).toEqual(flat);
    const dense = tf.layers.dense({ units: 4 }).computeOutputShape(flat as number[]);
    expect(a.nodes.get('l1')!.outputShape).toEqual(dense);
    // Dense's count is exact: (2⁵⁰ + 1) · 4 computed with BigInt.
    const exact = (2n ** 50n + 1n) * 4n;
    expect(BigInt(a.totals.total)).toBe(exact);
    // Cost and memory figures stay finite and exact.
    const cost = graphCost(g, a);
    expect(BigInt(cost.totals.params)).toBe(exact);
    expect(BigInt(cost.totals.activations)).toBe(2n ** 50n * 2n + 4n);
    expect(BigInt(cost.totals.macs)).toBe(2n ** 50n * 4n);
    const mem = estimateTrainingMemory(g, a, DEFAULT_TRAINING);
    for (const v of Object.values(mem)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    expect(mem.fits).toBe(false);
    expect(memoryRefusal(mem)).not.toMatch(LEAKS);
    // One more factor of 16: 2⁵⁴ values in the Input itself.
    const big = errors(chain([2 ** 24, 2 ** 24, 64], ['Flatten', {}]));
    expect(big.map((d) => [d.code, d.nodeId])).toEqual([['size/too-large', 'in']]);
    expect(big[0].message).toMatch(/would output about 18,000,000,000,000,000 values per sample/);
  });

  it('refuses a model whose total passes 2⁵³ − 1 although each layer stays below it', () => {
    // Dense(2³⁰) on 2²² features: 2⁵² + 2³⁰ parameters; then Dense(2²²) on 2³⁰ features: 2⁵² + 2²².
    const g = chain([2 ** 22], ['Dense', { units: 2 ** 30 }], ['Dense', { units: 2 ** 22 }]);
    const e = errors(g);
    expect(e.map((d) => [d.code, d.nodeId])).toEqual([['size/too-large', undefined]]);
    expect(e[0].message).toMatch(/^The model would have about 9,010,000,000,000,000 parameters in total/);
    // The totals shown are '∞', not an inexact count; each layer's own count stays exact.
    const a = analyze(g);
    expect(a.totals.total).toBe(Infinity);
    expect(graphCost(g, a).totals.params).toBe(Infinity);
    expect(BigInt(a.nodes.get('l0')!.weights!.trainable)).toBe(2n ** 22n * 2n ** 30n + 2n ** 30n);
  });
});

describe('names', () => {
  it("refuses '/', Object.prototype keys and control or bidi characters, each with its reason", () => {
    expect(checkName('block/flat')).toMatch(/Keras 3 refuses '\/'/);
    for (const n of ['hasOwnProperty', 'constructor', 'toString', 'valueOf', 'isPrototypeOf', '__proto__', '__defineGetter__'])
      expect(checkName(n), n).not.toBeNull();
    expect(checkName('hasOwnProperty')).toMatch(/tfjs cannot train an output layer so named/);
    expect(checkName('dense\u202Eevil')).toMatch(/invisible control character U\+202E/);
    expect(checkName('dense\u202Eevil')).not.toMatch(BIDI);
    expect(checkName('a\u0000b')).toMatch(/U\+0000/);
    expect(checkName('dense_1')).toBeNull();
    expect(checkName('hasOwnProperty_1')).toBeNull();
    const g = chain([4], ['Dense', { units: 2 }]);
    const r = rename(g, 'l0', 'hasOwnProperty');
    expect(r.ok).toBe(false);
    const named: Graph = { ...g, nodes: g.nodes.map((n) => (n.id === 'l0' ? { ...n, name: 'a/b' } : n)) };
    expect(errors(named).map((d) => [d.code, d.nodeId])).toEqual([['name/invalid', 'l0']]);
  });

  it('refuses every name tfjs cannot compile as an output (metrics keyed by output name, as runtime/train.ts compiles)', () => {
    const failing: string[] = [];
    const names = [...Object.getOwnPropertyNames(Object.prototype).filter((n) => /^[A-Za-z]/.test(n)), 'ok_name'];
    for (const name of names) {
      const x = tf.input({ shape: [2] });
      const a = tf.layers.dense({ units: 1, name }).apply(x) as tf.SymbolicTensor;
      const b = tf.layers.dense({ units: 1, name: 'other' }).apply(x) as tf.SymbolicTensor;
      const m = tf.model({ inputs: x, outputs: [a, b] });
      try {
        m.compile({ optimizer: 'sgd', loss: ['meanSquaredError', 'meanSquaredError'], metrics: { [name]: 'mse', other: 'mse' } });
      } catch {
        failing.push(name);
      }
      m.dispose();
    }
    expect(failing).toContain('hasOwnProperty');
    expect(failing).not.toContain('ok_name');
    for (const name of failing) expect(checkName(name), name).not.toBeNull();
  });

  it('checks the model name, and never writes bidi characters raw into code', () => {
    for (const name of ['evil\u202Emodel', 'm\u2066x\u2069', 'a/b', 'x'.repeat(201)]) {
      const g = { ...chain([4], ['Dense', { units: 2 }]), name };
      const e = errors(g);
      expect(e.map((d) => [d.code, d.nodeId])).toEqual([['name/invalid', undefined]]);
      expect(e[0].message).not.toMatch(BIDI);
      for (const r of [generateTypeScript(g, DEFAULT_TRAINING, 'functional'), generatePython(g, DEFAULT_TRAINING, 'sequential')]) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.reason).not.toMatch(BIDI);
      }
    }
    expect(checkModelName('my model (v2)')).toBeNull();
    // The literal and comment writers escape every bidi and invisible character, and the TypeScript literal
    // still means the same string.
    const s = 'a\u202Eb\u2066c\u2069d\u200Ee\u200Ff\u061Cg\u202Ah\u200Bi\uFEFFj';
    for (const out of [tsString(s), pyString(s), commentText(s), ...commentLines(`${s} ${s}`, '# ', 20)]) expect(out).not.toMatch(BIDI);
    expect(new Function(`return ${tsString(s)};`)()).toBe(s);
    expect(pyString(s)).toContain('\\u202e');
  });
});

describe('messages', () => {
  it('describes 1e999, functions, NaN and deep or huge values without leaks, bounded', () => {
    expect(checkParam(paramSpec('Dense', 'units'), Infinity)).toBe('is too large to be a number (got Infinity)');
    expect(checkParam(paramSpec('Dropout', 'rate'), -Infinity)).toMatch(/too large to be a number/);
    expect(checkParam(paramSpec('Dense', 'activation'), Object)).toMatch(/\(got a function\)$/);
    expect(checkParam(paramSpec('Dense', 'units'), NaN)).not.toMatch(LEAKS);
    const r = parseField(paramSpec('Dense', 'units'), '1e999');
    expect(r).toEqual({ reason: '"1e999" is too large to be a number' });
    expect(parseField(paramSpec('Conv2D', 'kernel_size'), '3, 1e999')).toEqual({ reason: 'entry 2 is too large to be a number' });
    const huge = Array.from({ length: 1_000_000 }, (_, i) => i);
    expect(describeValue(huge).length).toBeLessThanOrEqual(60);
    const hostile = {
      toString: () => {
        throw new Error('boom');
      },
      toJSON: () => {
        throw new Error('boom');
      },
    };
    expect(describeValue(hostile)).toBe('an object');
    expect(describeValue('x\u202Ey')).toBe('"x\\u202ey"');
  });

  it('validates kernel_size nested 10,000 deep and a name nested 10,000 deep without overflowing the stack', () => {
    let deep: unknown = 3;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const g = chain([8, 8, 1], ['Conv2D', { filters: 2, kernel_size: deep as number[] }]);
    const e = errors(g);
    expect(e.map((d) => d.code)).toEqual(['param/invalid']);
    expect(e[0].message.length).toBeLessThan(200);
    expect(e[0].message).not.toMatch(LEAKS);
    const named: Graph = { ...chain([4], ['Dense', { units: 2 }]) };
    const withDeepName: Graph = { ...named, nodes: named.nodes.map((n) => (n.id === 'l0' ? node('l0', 'Dense', { units: 2 }, deep as string) : n)) };
    const e2 = errors(withDeepName);
    expect(e2.map((d) => d.code)).toEqual(['name/invalid']);
    for (const d of e2) expect(d.message).not.toMatch(LEAKS);
  });
});

describe('no recursion over the graph', () => {
  it('orders, validates, costs and summarises a 20,000-layer model (select all + duplicate of an import) without overflowing the stack', () => {
    const n = 20_000;
    const long = denseChain(n, 'long', 4);
    // A second output off the middle makes it Functional (no Sequential shortcut).
    const g: Graph = {
      ...long,
      nodes: [...long.nodes, node('side', 'Dense', { units: 2 })],
      edges: [...long.edges, { id: 'side', source: `n${n / 2}`, target: 'side' }],
    };
    const t0 = performance.now();
    const a = analyze(g);
    expect(a.valid).toBe(true);
    expect(functionalOrder(g, a.outputs)).toHaveLength(n + 1);
    expect(summarize(g, a).rows).toHaveLength(n + 1);
    expect(a.totals.total).toBe((n - 1) * (4 * 4 + 4) + (4 * 2 + 2));
    expect(graphCost(g, a).totals.params).toBe(a.totals.total);
    console.log(`analyze + functionalOrder + summarize + cost, ${n} layers: ${(performance.now() - t0).toFixed(0)} ms`);
  });
});
