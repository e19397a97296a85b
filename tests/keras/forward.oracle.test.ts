/**
 * Keras 3 as the oracle of forward values (issue 10): every custom layer Layerlab defines for a Keras class
 * tfjs 4.22 lacks must compute what Keras's own class computes, for the same weights and inputs.
 *
 * Each case of `forward-cases/*.ts` (`FORWARD_CASES`, see forward-types.ts) is built through the runtime's
 * `createLayer` on tfjs's cpu backend, called once to build it, its weights filled (in `layer.weights` order)
 * and its inputs made with seeded random values, and called outside training. All cases then run in ONE Python
 * process (forward.py): Keras's class with the same Keras arguments (core `kerasArgs`), called as Keras code
 * calls it (core `LayerDef.callForm`), `set_weights` with the same values in the same order, called on the same
 * inputs. Outputs must agree within TOLERANCE; each case reports its largest absolute difference. A self-test
 * swaps two weights of the same shape on the Keras side and expects the comparison to fail, so a wrong weight
 * order cannot pass.
 *
 * Run with the Keras oracle: `npx vitest run --config tests/keras/vitest.config.ts` (the environment as
 * keras.oracle.test.ts: scripts/keras-env.sh, LAYERLAB_KERAS_PYTHON, LAYERLAB_KERAS_REQUIRED=1).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { callInput, defaultParams, kerasArgs, kerasCallArgs, layerDef, type LayerNode, type Shape } from '../../src/core';
import { createLayer } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';
import type { ForwardCase } from './forward-types';

const VENV =
  process.env.LAYERLAB_KERAS_VENV ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/root', '.cache'), 'layerlab', 'keras-venv');
const PYTHON = process.env.LAYERLAB_KERAS_PYTHON ?? path.join(VENV, 'bin', 'python');
const REQUIRED = process.env.LAYERLAB_KERAS_REQUIRED === '1';
const HOW =
  'create it with `scripts/keras-env.sh` (Python 3.10+, about 700 MB, a few minutes the first time), or point LAYERLAB_KERAS_PYTHON at a python with keras 3.15.1 and jax';

/**
 * Outputs agree when |tfjs − Keras| ≤ ABS + REL·|Keras| at every position: float32 on both sides (tfjs cpu,
 * JAX cpu), which sum in different orders; 1e-4 is about 800 float32 ulps at 1.
 */
const TOLERANCE = { abs: 1e-4, rel: 1e-4 } as const;
/** Seed of the weights and inputs (mulberry32); each case derives its own from its id. */
const SEED = 20261130;

const MODULES = import.meta.glob<{ FORWARD_CASES: ForwardCase[] }>('./forward-cases/*.ts', { eager: true });
const CASES: ForwardCase[] = Object.keys(MODULES)
  .sort()
  .flatMap((file) => MODULES[file].FORWARD_CASES);

/** mulberry32: a small seeded generator of uniform values in [0, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a case id (FNV-1a), so adding a case changes no other case's values. */
const seedOf = (id: string): number => [...id].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, SEED ^ 2166136261);

/** A tensor as the runner reads it. */
interface Values {
  shape: number[];
  data: number[];
}
/** What forward.py is given for one case. */
interface KerasCase {
  id: string;
  class: string;
  config: Record<string, unknown>;
  call: 'single' | 'list' | 'positional' | 'initialState';
  /** Keras call arguments (core `kerasCallArgs`: use_causal_mask, return_attention_scores), passed to the call. */
  callArgs: Record<string, unknown>;
  inputs: Values[];
  weights: Values[];
}
/** Keras's outputs: one for most layers, several for a layer that returns several (return_state, return_attention_scores). */
type KerasResult = { id: string; ok: true; outputs: Values[]; weights: { name: string; shape: number[] }[] } | { id: string; ok: false; error: string };

/** One case computed by tfjs: what Keras is given, tfjs's output and its weights' names. */
interface Prepared {
  keras: KerasCase;
  /** tfjs's outputs, in order (several for a layer that returns several). */
  outputs: Values[];
  weightNames: string[];
  /** The core's parameter count of the layer (LayerDef.weights, trainable + non-trainable). */
  count: number;
}

/** The node a case describes: the kind's defaults overridden by the case's parameters. */
function nodeOf(c: ForwardCase): LayerNode {
  const def = layerDef(c.kind);
  if (!def) throw new Error(`forward case '${c.id}': unknown kind '${c.kind}'`);
  const name = c.kind.replace(/[^A-Za-z0-9]/g, '').toLowerCase() + '_fwd';
  return { id: 'n', kind: c.kind, name, params: { ...defaultParams(def), ...c.params }, position: { x: 0, y: 0 } };
}

/** Concrete dimensions of a case input: an unknown (batch) dimension is 2. */
const concrete = (s: Shape): number[] => s.map((d) => d ?? 2);

/** Uniform values in [lo, hi) from `next`, as many as the shape holds. */
const uniform = (shape: readonly number[], next: () => number, lo: number, hi: number): number[] =>
  Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => lo + (hi - lo) * next());

/**
 * Builds the case in tfjs (the runtime's `createLayer`), fills its weights (uniform in [−1, 1) — large enough that
 * a nonlinearity is not near-linear, so swapped weights show —, a kernel's within ±2/√fan-in; a weight
 * named like a variance in [0.5, 1.5]) and inputs (uniform in [−1, 1]), runs it outside training.
 * @throws Error when tfjs cannot build or run it (the test then fails naming the case).
 */
function prepare(c: ForwardCase): Prepared {
  const node = nodeOf(c);
  const def = layerDef(c.kind)!;
  const next = random(seedOf(c.id));
  const inputs = c.inputs.map((s) => {
    const shape = concrete(s);
    return { shape, data: uniform(shape, next, -1, 1) };
  });
  const layer = createLayer(tf, node);
  // Kept outside tf.tidy, whose result type takes tensors and plain containers only.
  const callArgs: Record<string, unknown> = Object.fromEntries(kerasCallArgs(node));
  const prepared = tf.tidy(() => {
    const xs = inputs.map((v) => tf.tensor(v.data, v.shape, 'float32'));
    const run = (): tf.Tensor[] => {
      const y = layer.apply(callInput(c.kind, xs), { training: false }) as tf.Tensor | tf.Tensor[];
      return Array.isArray(y) ? y : [y];
    };
    run();
    const weights = layer.weights.map((w) => {
      const shape = w.shape as number[];
      if (/variance/i.test(w.name)) return { shape, data: uniform(shape, next, 0.5, 1.5) };
      // A kernel's values shrink with its fan-in (its first axis), as Glorot's do, so that wide layers stay
      // well-conditioned in float32 (a 256-wide attention's scores would otherwise be ~±50 and its softmax saturate).
      const bound = shape.length >= 2 ? Math.min(1, 2 / Math.sqrt(shape[0])) : 1;
      return { shape, data: uniform(shape, next, -bound, bound) };
    });
    layer.setWeights(weights.map((w) => tf.tensor(w.data, w.shape, 'float32')));
    const ys = run();
    const config = def.keras3 ? Object.fromEntries(def.keras3.args(node.params)) : Object.fromEntries(kerasArgs(node));
    const form: KerasCase['call'] =
      def.callForm === 'initialState' ? (xs.length > 1 ? 'initialState' : 'single') : xs.length > 1 || def.inputs.max > 1 ? (def.callForm ?? 'list') : 'single';
    return {
      keras: {
        id: c.id,
        class: def.keras3?.kerasClass ?? def.kerasClass,
        config: { ...config, name: node.name },
        call: form,
        inputs,
        weights,
      },
      outputs: ys.map((y) => ({ shape: y.shape, data: Array.from(y.dataSync()) })),
      weightNames: layer.weights.map((w) => w.name),
      count: ((w) => w.trainable + w.nonTrainable)(def.weights(c.inputs, node.params)),
    };
  });
  return { ...prepared, keras: { ...prepared.keras, callArgs } };
}

/**
 * Every output of tfjs against Keras's, in order (`compareOutputs` each): the largest difference over all, and a
 * failure when the number of outputs or any output differs.
 */
export function compareAll(ours: readonly Values[], theirs: readonly Values[]): { maxAbs: number; ok: boolean; why?: string } {
  if (ours.length !== theirs.length) return { maxAbs: Infinity, ok: false, why: `outputs: tfjs returns ${ours.length}, Keras ${theirs.length}` };
  const each = ours.map((o, i) => compareOutputs(o, theirs[i]));
  const why = each.map((r, i) => (r.why ? `output ${i + 1}: ${r.why}` : '')).find((w) => w);
  return { maxAbs: Math.max(...each.map((r) => r.maxAbs)), ok: each.every((r) => r.ok), ...(why ? { why } : {}) };
}

/** Largest |tfjs − Keras| and whether every position is within TOLERANCE; a shape difference is a failure. */
export function compareOutputs(ours: Values, theirs: Values): { maxAbs: number; ok: boolean; why?: string } {
  if (JSON.stringify(ours.shape) !== JSON.stringify(theirs.shape))
    return { maxAbs: Infinity, ok: false, why: `output shape: tfjs ${JSON.stringify(ours.shape)}, Keras ${JSON.stringify(theirs.shape)}` };
  let maxAbs = 0;
  let ok = true;
  for (let i = 0; i < ours.data.length; i++) {
    // Keras's NaN or infinity arrives as null (forward.py): a difference, never within tolerance.
    const d = typeof theirs.data[i] === 'number' ? Math.abs(ours.data[i] - theirs.data[i]) : NaN;
    if (!(d <= TOLERANCE.abs + TOLERANCE.rel * Math.abs(theirs.data[i]))) ok = false;
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
  }
  return { maxAbs, ok };
}

/** Two positions of weights with the same shape (the first such pair), or null: swapping them must be noticed. */
function sameShapedPair(weights: readonly Values[]): [number, number] | null {
  for (let i = 0; i < weights.length; i++)
    for (let j = i + 1; j < weights.length; j++) if (JSON.stringify(weights[i].shape) === JSON.stringify(weights[j].shape)) return [i, j];
  return null;
}

/** Runs the cases in one Python process. @throws Error with Python's output when the process fails. */
function runKeras(cases: KerasCase[]): Map<string, KerasResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'layerlab-forward-'));
  try {
    const batch = path.join(dir, 'batch.json');
    const out = path.join(dir, 'results.json');
    writeFileSync(batch, JSON.stringify({ cases }));
    const r = spawnSync(PYTHON, [path.join(__dirname, 'forward.py'), batch, out], {
      env: { ...process.env, KERAS_BACKEND: 'jax', JAX_PLATFORMS: 'cpu', TF_CPP_MIN_LOG_LEVEL: '3', PYTHONHASHSEED: '0' },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0 || !existsSync(out)) throw new Error(`forward.py failed (status ${String(r.status)}):\n${r.stderr.slice(-3000)}`);
    const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: KerasResult[] }).results;
    return new Map(results.map((x) => [x.id, x]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const available = existsSync(PYTHON);

if (!available) {
  describe('Keras forward oracle (environment missing)', () => {
    if (REQUIRED) it('needs the Keras environment (LAYERLAB_KERAS_REQUIRED=1)', () => expect.fail(`no Python environment at ${PYTHON}; ${HOW}.`));
    else it.skip(`skipped: no Keras environment at ${PYTHON}; ${HOW}`, () => {});
  });
} else {
  describe('Keras forward oracle: custom layers compute what Keras computes', () => {
    const prepared = new Map<string, Prepared | Error>();
    const mutants = new Map<string, [number, number]>();
    let results = new Map<string, KerasResult>();

    beforeAll(async () => {
      await cpuBackend();
      const batch: KerasCase[] = [];
      for (const c of CASES) {
        try {
          const p = prepare(c);
          prepared.set(c.id, p);
          batch.push(p.keras);
          const pair = sameShapedPair(p.keras.weights);
          if (pair) {
            mutants.set(c.id, pair);
            const weights = [...p.keras.weights];
            [weights[pair[0]], weights[pair[1]]] = [weights[pair[1]], weights[pair[0]]];
            batch.push({ ...p.keras, id: `${c.id} [weights ${pair[0]}↔${pair[1]} swapped]`, weights });
          }
        } catch (e) {
          prepared.set(c.id, e instanceof Error ? e : new Error(String(e)));
        }
      }
      results = runKeras(batch);
    });

    it('has cases, with unique ids, of known kinds', () => {
      expect(CASES.length).toBeGreaterThan(0);
      expect(new Set(CASES.map((c) => c.id)).size).toBe(CASES.length);
      for (const c of CASES) expect(layerDef(c.kind), c.id).toBeDefined();
    });

    it('the comparison fails on a changed value and a changed shape (self-test)', () => {
      const a = { shape: [2, 2], data: [0, 1, 2, 3] };
      expect(compareOutputs(a, a)).toEqual({ maxAbs: 0, ok: true });
      expect(compareOutputs(a, { shape: [2, 2], data: [0, 1, 2, 3.01] }).ok).toBe(false);
      expect(compareOutputs(a, { shape: [4], data: [0, 1, 2, 3] }).ok).toBe(false);
      expect(compareOutputs(a, { shape: [2, 2], data: [0, 1, 2, NaN] }).ok).toBe(false);
      // Several outputs: each is compared, and their number too.
      expect(compareAll([a, a], [a, a]).ok).toBe(true);
      expect(compareAll([a, a], [a, { shape: [2, 2], data: [0, 1, 2, 4] }]).ok).toBe(false);
      expect(compareAll([a, a], [a]).why).toBe('outputs: tfjs returns 2, Keras 1');
    });

    it.each(CASES.map((c) => [c.id, c] as const))('%s', (_id, c) => {
      const p = prepared.get(c.id);
      if (p instanceof Error) throw new Error(`tfjs could not run '${c.id}': ${p.message}`);
      const k = results.get(c.id);
      if (!k) throw new Error(`forward.py returned nothing for '${c.id}'`);
      if (!k.ok) throw new Error(`Keras could not run '${c.id}' (${p!.keras.class}(${JSON.stringify(p!.keras.config)})): ${k.error}`);
      expect(
        k.weights.map((w) => w.shape),
        `weight shapes in order (tfjs ${p!.weightNames.join(', ')}; Keras ${k.weights.map((w) => w.name).join(', ')})`,
      ).toEqual(p!.keras.weights.map((w) => w.shape));
      const kerasCount = k.weights.reduce((n, w) => n + w.shape.reduce((m, d) => m * d, 1), 0);
      expect(kerasCount, `${c.id}: the core's parameter count against Keras's`).toBe(p!.count);
      const r = compareAll(p!.outputs, k.outputs);
      const values = p!.outputs.reduce((n, o) => n + o.data.length, 0);
      console.log(
        `forward ${c.id}: max |tfjs − Keras| = ${r.maxAbs.toExponential(2)} over ${values} values${p!.outputs.length > 1 ? ` in ${p!.outputs.length} outputs` : ''} (${k.weights.length} weights, ${kerasCount} parameters)`,
      );
      expect(r.why ?? '', c.id).toBe('');
      expect(r.ok, `${c.id}: max |tfjs − Keras| = ${r.maxAbs} exceeds ${TOLERANCE.abs} + ${TOLERANCE.rel}·|Keras|`).toBe(true);
      // A layer with weights of the same shape: Keras given them swapped must disagree (so the order is checked).
      const pair = mutants.get(c.id);
      if (pair) {
        const m = results.get(`${c.id} [weights ${pair[0]}↔${pair[1]} swapped]`);
        expect(m?.ok, `${c.id}: swapped weights run`).toBe(true);
        if (m?.ok) expect(compareAll(p!.outputs, m.outputs).ok, `${c.id}: Keras with weights ${pair[0]} and ${pair[1]} swapped still agrees`).toBe(false);
      }
    });
  });
}
