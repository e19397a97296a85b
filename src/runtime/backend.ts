/**
 * Which tfjs backend to train a graph on. Pure (no tfjs import), so the rule is testable anywhere.
 *
 * v0 rule, by layer kind (issue #5 will replace it with timing a few steps on each backend):
 * stock wasm is the fastest backend without a GPU (../shared/TOOLCHAIN.md: ~40× webgl on SwiftShader)
 * but lacks some gradient kernels (PITFALLS §4), so graphs with such layers go to webgl, then cpu.
 */
import type { Graph } from '../core';
import type { BackendName } from './protocol';

/** Layer kinds stock tfjs-backend-wasm 4.22 cannot train, with the missing gradient kernel (PITFALLS §4, tfjs #8474). */
export const WASM_CANNOT_TRAIN: Readonly<Record<string, string>> = {
  Conv2D: 'Conv2DBackpropFilter',
};

export interface BackendPlan {
  /** Backends to try, best first; the next is used when one fails to initialise. */
  readonly candidates: readonly BackendName[];
  /** Why the first candidate, in one sentence for the user. */
  readonly reason: string;
}

/**
 * The backends to try for training `graph`, best first, and why.
 * - no layer wasm cannot train → wasm, webgl, cpu;
 * - otherwise → webgl, cpu (the reason names the layer and the missing kernel).
 */
export function trainingBackends(graph: Graph): BackendPlan {
  const blocker = graph.nodes.find((n) => n.kind in WASM_CANNOT_TRAIN);
  if (!blocker) return { candidates: ['wasm', 'webgl', 'cpu'], reason: 'Every layer of this model can train on wasm, the fastest backend without a GPU' };
  return {
    candidates: ['webgl', 'cpu'],
    reason: `'${blocker.name}' (${blocker.kind}) cannot train on wasm (tfjs lacks its ${WASM_CANNOT_TRAIN[blocker.kind]} kernel there), so webgl is preferred`,
  };
}

/** Backends to build a model on for a summary (no gradients needed), best first. */
export const SUMMARY_BACKENDS: BackendPlan = { candidates: ['wasm', 'webgl', 'cpu'], reason: 'Building a model needs no gradients, and wasm is the fastest backend without a GPU' };

/**
 * The sentence to report for the backend finally used: the plan's reason, plus the backends that
 * failed to initialise before `chosen` (with their errors) when there were any.
 */
export function backendReason(plan: BackendPlan, chosen: BackendName, failed: readonly { name: BackendName; error: string }[]): string {
  if (failed.length === 0) return `${plan.reason}.`;
  const why = failed.map((f) => `${f.name} failed to start${f.error ? ` (${f.error})` : ''}`).join(', and ');
  return `${plan.reason}, but ${why}, so ${chosen} is used.`;
}
