/**
 * Which tfjs backend to train a graph on. Pure (no tfjs import), so the rules are testable anywhere; the
 * worker's handler (host.ts) runs the trials these rules ask for.
 *
 * - Which backends *can* train a graph: stock tfjs-backend-wasm lacks some gradient kernels (docs/keras-facts.md §6);
 *   Layerlab registers its own for most of them (kernels/names.ts), so a layer kind keeps a graph off wasm
 *   only when the kernel it needs is missing from both.
 * - Which of those is fastest is measured, not assumed ('auto'): a few real training steps on each candidate
 *   (wasm, then webgl, then cpu), keeping the most samples per second. webgl wins where a real GPU runs it;
 *   without one it runs on a software rasterizer and wasm wins by ~40× (docs/browser-runtime.md). cpu (plain
 *   JavaScript on the same processor as wasm) is timed only when its steps can be short (or nothing else can
 *   train the graph), because a cpu step cannot be interrupted.
 * - The user can name a backend instead.
 */
import { LAYER_DEFS, type Graph } from '../core';
import { formatRate, formatSeconds } from '../core/format';
import { LAYERLAB_WASM_KERNELS } from './kernels/names';
import type { BackendChoice, BackendName } from './protocol';

/**
 * Layer kinds stock tfjs-backend-wasm 4.22 cannot train, with the missing gradient kernel (docs/keras-facts.md §6, tfjs
 * #8474): each kind's `wasmGradient`, gathered from the registry. Layerlab supplies some of these kernels
 * (kernels/names.ts): `wasmBlocker` subtracts them.
 */
export const WASM_CANNOT_TRAIN: Readonly<Record<string, string>> = Object.fromEntries(
  LAYER_DEFS.flatMap((d) => (d.wasmGradient ? [[d.kind, d.wasmGradient] as const] : [])),
);

export interface BackendPlan {
  /** Backends to try, best first; the next is used when one fails to initialise. */
  readonly candidates: readonly BackendName[];
  /** Why these candidates, in one sentence for the user. */
  readonly reason: string;
  /** True when the candidates are to be timed (a few training steps each) and the fastest kept. */
  readonly timed?: boolean;
}

/** The first node whose kind wasm cannot train even with Layerlab's kernels, with the missing kernel; or null. */
export function wasmBlocker(graph: Graph): { readonly name: string; readonly kind: string; readonly kernel: string } | null {
  for (const n of graph.nodes) {
    const kernel = WASM_CANNOT_TRAIN[n.kind];
    if (kernel && !LAYERLAB_WASM_KERNELS.includes(kernel)) return { name: n.name, kind: n.kind, kernel };
  }
  return null;
}

/**
 * The backends to train `graph` on, and why.
 * - 'auto' (default): the backends that can train it, in trial order — wasm (unless a layer needs a kernel
 *   wasm lacks), webgl, cpu — with `timed: true`;
 * - a named backend: just that one (the reason says the user chose it).
 * @throws Error when the user names wasm for a graph wasm cannot train (the message names the layer and kernel).
 */
export function trainingBackends(graph: Graph, choice: BackendChoice = 'auto'): BackendPlan {
  const blocker = wasmBlocker(graph);
  const why = blocker ? `'${blocker.name}' (${blocker.kind}) cannot train on wasm (tfjs lacks its ${blocker.kernel} kernel there)` : '';
  if (choice !== 'auto') {
    if (choice === 'wasm' && blocker) throw new Error(`${why}: choose Auto, webgl or cpu in the training panel.`);
    return { candidates: [choice], reason: `${choice} was chosen in the training panel` };
  }
  if (!blocker)
    return { candidates: ['wasm', 'webgl', 'cpu'], timed: true, reason: 'Every layer of this model can train on wasm (with Layerlab’s gradient kernels)' };
  return { candidates: ['webgl', 'cpu'], timed: true, reason: `${why}, so webgl and cpu are timed` };
}

/** Backends to build a model on for a summary (no gradients needed), best first. */
export const SUMMARY_BACKENDS: BackendPlan = {
  candidates: ['wasm', 'webgl', 'cpu'],
  reason: 'Building a model needs no gradients, and wasm is the fastest backend without a GPU',
};

/**
 * The sentence to report for the backend finally used: the plan's reason, plus the backends that
 * failed to initialise before `chosen` (with their errors) when there were any.
 */
export function backendReason(plan: BackendPlan, chosen: BackendName, failed: readonly { name: BackendName; error: string }[]): string {
  if (failed.length === 0) return `${plan.reason}.`;
  const why = failed.map((f) => `${f.name} failed to start${f.error ? ` (${f.error})` : ''}`).join(', and ');
  return `${plan.reason}, but ${why}, so ${chosen} is used.`;
}

/** The outcome of one backend's trial. */
export interface TrialResult {
  readonly backend: BackendName;
  /** Measured samples per second (an upper bound when `timedOut` and no timed step finished). */
  readonly samplesPerSec?: number;
  /** Mean step time, ms (absent when no timed step finished). */
  readonly stepMs?: number;
  /** Timed steps that finished. */
  readonly steps?: number;
  /** The budget (ms) ran out before a timed step finished. */
  readonly timedOutMs?: number;
  /** The backend failed to start or to train (its error). */
  readonly error?: string;
  /** Why the backend was not timed. */
  readonly skipped?: string;
}

/** Renderer strings of WebGL implementations that draw on the CPU (Chromium's SwiftShader, Mesa's llvmpipe /
 *  softpipe, Windows' WARP), where webgl is far slower than wasm on the same processor. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render|warp/i;

/** True when a WebGL renderer string (UNMASKED_RENDERER_WEBGL) names a software rasterizer. */
export const isSoftwareRenderer = (renderer: string | null | undefined): boolean => !!renderer && SOFTWARE_RENDERER.test(renderer);

/**
 * Why not to time webgl, or null to time it: a software renderer is not timed once another backend has
 * trained (its first step compiles shaders for seconds, and an abandoned step keeps the CPU busy after the
 * trial); it is still timed when nothing else can train the graph.
 */
export function skipWebglTrial(renderer: string | null | undefined, somethingTrained: boolean): string | null {
  if (!somethingTrained || !isSoftwareRenderer(renderer)) return null;
  const name = /swiftshader/i.test(renderer!) ? 'SwiftShader' : /llvmpipe/i.test(renderer!) ? 'llvmpipe' : renderer!.slice(0, 60);
  return `software renderer ${name}: a GPU emulated on this CPU, much slower than wasm here`;
}

/** A cpu step is timed only when the best step so far is shorter than this (ms): cpu is a few to a few hundred
 *  times slower than wasm, and a cpu step cannot be interrupted. */
export const CPU_TRIAL_MAX_BEST_STEP_MS = 25;

/** Whether to time cpu, given the best step time so far (ms; undefined = nothing else could train). */
export const shouldTimeCpu = (bestStepMs: number | undefined): boolean => bestStepMs === undefined || bestStepMs < CPU_TRIAL_MAX_BEST_STEP_MS;

/**
 * The wall-time budget (ms) of a trial after the first successful one: enough for a warm-up and `steps`
 * steps at 5× the best step time, at least 1.5 s (a GPU's first step compiles shaders), at most 6 s.
 * The first trial has no budget to compare with and gets `FIRST_TRIAL_BUDGET_MS`.
 */
export function trialBudgetMs(bestStepMs: number | undefined, steps: number): number {
  if (bestStepMs === undefined || !Number.isFinite(bestStepMs)) return FIRST_TRIAL_BUDGET_MS;
  return Math.min(6_000, Math.max(1_500, 5 * bestStepMs * (steps + 1)));
}
/** Budget of the first trial, ms. */
export const FIRST_TRIAL_BUDGET_MS = 30_000;

/** The fastest backend that completed timed steps, or null. */
export function fastestTrial(results: readonly TrialResult[]): TrialResult | null {
  let best: TrialResult | null = null;
  for (const r of results) if (r.steps && r.samplesPerSec !== undefined && (!best || r.samplesPerSec > best.samplesPerSec!)) best = r;
  return best;
}

/**
 * The user-facing sentence for a timed choice, e.g. "wasm: 152 samples/s vs webgl < 9 samples/s (no step
 * within 3.0 s) in a 3-step trial; cpu not timed (…)".
 */
export function trialReason(results: readonly TrialResult[], chosen: BackendName, steps: number): string {
  const first = results.find((r) => r.backend === chosen);
  const head = `${chosen}: ${first?.samplesPerSec !== undefined ? `${formatRate(first.samplesPerSec)} samples/s` : 'chosen'}`;
  const others = results
    .filter((r) => r.backend !== chosen)
    .map((r) => {
      if (r.error) return `${r.backend} failed (${r.error})`;
      if (r.skipped) return `${r.backend} not timed (${r.skipped})`;
      if (r.timedOutMs !== undefined && !r.steps)
        return `${r.backend} < ${formatRate(r.samplesPerSec ?? 0)} samples/s (no step within ${formatSeconds(r.timedOutMs)})`;
      return `${r.backend} ${formatRate(r.samplesPerSec ?? 0)} samples/s`;
    });
  const timed = others.filter((o) => !/not timed|failed/.test(o));
  const rest = others.filter((o) => /not timed|failed/.test(o));
  return `${head}${timed.length ? ` vs ${timed.join(', ')}` : ''} in a ${steps}-step trial${rest.length ? `; ${rest.join('; ')}` : ''}.`;
}
