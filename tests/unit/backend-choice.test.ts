/**
 * The pure rules of the backend choice (src/runtime/backend.ts): which backends can train a graph, when a
 * trial is skipped, the budgets, the winner and the sentence the user reads.
 */
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/core';
import {
  CPU_TRIAL_MAX_BEST_STEP_MS,
  FIRST_TRIAL_BUDGET_MS,
  fastestTrial,
  isSoftwareRenderer,
  shouldTimeCpu,
  skipWebglTrial,
  trainingBackends,
  trialBudgetMs,
  trialReason,
  WASM_CANNOT_TRAIN,
  wasmBlocker,
} from '../../src/runtime/backend';
import { LAYERLAB_WASM_KERNELS } from '../../src/runtime/kernels/names';

const withKind = (kind: string, params = {}): Graph => ({
  name: 'g',
  edges: [],
  nodes: [{ id: 'n1', kind, name: `my_${kind.toLowerCase()}`, params, position: { x: 0, y: 0 } }],
});

describe('which backends can train a graph', () => {
  it("keeps a graph off wasm only for a kernel missing from both stock wasm and Layerlab's kernels", () => {
    expect(wasmBlocker(withKind('Conv2D'))).toBeNull();
    for (const [kind, kernel] of Object.entries(WASM_CANNOT_TRAIN)) {
      const blocked = wasmBlocker(withKind(kind));
      if (LAYERLAB_WASM_KERNELS.includes(kernel)) expect(blocked, kind).toBeNull();
      else expect(blocked, kind).toEqual({ name: `my_${kind.toLowerCase()}`, kind, kernel });
    }
  });

  it('refuses wasm when the user names it for a graph it cannot train, and says what to choose', () => {
    const blocked = Object.entries(WASM_CANNOT_TRAIN).find(([, k]) => !LAYERLAB_WASM_KERNELS.includes(k));
    if (!blocked) return; // every listed kind is covered
    const g = withKind(blocked[0]);
    expect(() => trainingBackends(g, 'wasm')).toThrow(/cannot train on wasm .*choose Auto, webgl or cpu/);
    expect(trainingBackends(g)).toMatchObject({ candidates: ['webgl', 'cpu'], timed: true, reason: expect.stringMatching(/so webgl and cpu are timed$/) });
    expect(trainingBackends(g, 'cpu')).toEqual({ candidates: ['cpu'], reason: 'cpu was chosen in the training panel' });
  });
});

describe('trial rules', () => {
  it('recognises software WebGL renderers and skips their trial once something else trained', () => {
    const swiftshader = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    expect(isSoftwareRenderer(swiftshader)).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
    expect(isSoftwareRenderer(null)).toBe(false);
    expect(skipWebglTrial(swiftshader, true)).toBe('software renderer SwiftShader: a GPU emulated on this CPU, much slower than wasm here');
    expect(skipWebglTrial(swiftshader, false)).toBeNull(); // nothing else can train: time it anyway
    expect(skipWebglTrial('Apple M2', true)).toBeNull();
  });

  it('times cpu only when the best step is short or nothing else trained; budgets scale with the best step', () => {
    expect(shouldTimeCpu(undefined)).toBe(true);
    expect(shouldTimeCpu(CPU_TRIAL_MAX_BEST_STEP_MS - 1)).toBe(true);
    expect(shouldTimeCpu(CPU_TRIAL_MAX_BEST_STEP_MS)).toBe(false);
    expect(trialBudgetMs(undefined, 3)).toBe(FIRST_TRIAL_BUDGET_MS);
    expect(trialBudgetMs(10, 3)).toBe(1_500); // floor: a GPU's first step compiles shaders
    expect(trialBudgetMs(200, 3)).toBe(4_000); // 5 × 200 ms × (3 + 1)
    expect(trialBudgetMs(2_000, 3)).toBe(6_000); // ceiling
  });

  it('keeps the fastest trial that finished steps, and words the choice with every figure', () => {
    const results = [
      { backend: 'wasm' as const, samplesPerSec: 152.4, stepMs: 210, steps: 3 },
      { backend: 'webgl' as const, samplesPerSec: 8.6, steps: 0, timedOutMs: 3_000 },
      { backend: 'cpu' as const, skipped: 'wasm steps take 210 ms; cpu is many times slower' },
    ];
    expect(fastestTrial(results)).toBe(results[0]);
    expect(trialReason(results, 'wasm', 3)).toBe(
      'wasm: 152 samples/s vs webgl < 8.6 samples/s (no step within 3.0 s) in a 3-step trial; cpu not timed (wasm steps take 210 ms; cpu is many times slower).',
    );
    const gpu = [
      { backend: 'wasm' as const, samplesPerSec: 140, stepMs: 228, steps: 3 },
      { backend: 'webgl' as const, samplesPerSec: 2_310, stepMs: 14, steps: 3 },
      { backend: 'cpu' as const, error: 'boom' },
    ];
    expect(fastestTrial(gpu)).toBe(gpu[1]);
    expect(trialReason(gpu, 'webgl', 3)).toBe('webgl: 2310 samples/s vs wasm 140 samples/s in a 3-step trial; cpu failed (boom).');
    expect(fastestTrial([{ backend: 'webgl', samplesPerSec: 1, steps: 0, timedOutMs: 1 }])).toBeNull();
  });
});
