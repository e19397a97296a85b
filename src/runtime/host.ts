/**
 * The worker's request handler, separated from `worker.ts` so that Node tests can run it in-process
 * with the npm tfjs on the cpu backend. It answers `RuntimeRequest`s with `RuntimeEvent`s (protocol.ts).
 */
import {
  analyze,
  DEFAULT_DUMMY_DATA,
  estimateTrainingMemory,
  withTrialSizes,
  memoryRefusal,
  TRAINING_MEMORY_LIMIT,
  type Analysis,
  type Graph,
  type TrainingSettings,
} from '../core';
import { buildError, type TF } from './buildModel';
import {
  backendReason,
  fastestTrial,
  shouldTimeCpu,
  skipWebglTrial,
  SUMMARY_BACKENDS,
  trainingBackends,
  trialBudgetMs,
  trialReason,
  type BackendPlan,
  type TrialResult,
} from './backend';
import { errorText } from './errorText';
import { registerWasmKernels } from './kernels';
import type { BackendName, InsightSnapshot, RuntimeEvent, RuntimeRequest } from './protocol';
import { assertTrainingSettings, summarizeModel, timeTrainingSteps, trainModel } from './train';

export interface HostOptions {
  /** Longest wait for one backend to initialise before trying the next, in ms (default 20 000). */
  readonly backendTimeoutMs?: number;
  /** Least time between two 'batch' progress events, in ms (default 100: ten panel updates a second keep the page's
   *  main thread idle; 0 = every batch). Epoch events are never dropped. */
  readonly batchEventMs?: number;
  /** Training steps timed on each candidate backend when the choice is 'auto' (default 3). */
  readonly trialSteps?: number;
  /** Register Layerlab's wasm kernels (kernels/index.ts) when tfjs-backend-wasm is loaded (default true). */
  readonly wasmKernels?: boolean;
  /** Most memory a training run may need, bytes (default core TRAINING_MEMORY_LIMIT). */
  readonly memoryLimit?: number;
  /** The wasm backend's thread count (tfjs-backend-wasm `getThreadsCount`), reported in 'started'. */
  readonly wasmThreads?: () => number;
  /** The WebGL renderer's name (UNMASKED_RENDERER_WEBGL), or null when unknown: a software renderer is not timed. */
  readonly webglRenderer?: () => string | null;
}

/** What decides the speed of a trial: the layers and their wiring, the batch, the optimizer (not positions or names). */
function trialKey(graph: Graph, s: TrainingSettings): string {
  return JSON.stringify([
    graph.nodes.map((n) => [n.id, n.kind, n.params]),
    graph.edges.map((e) => [e.source, e.target]),
    Math.min(s.batchSize, s.samples),
    s.optimizer,
  ]);
}

export interface RuntimeHost {
  /** Handles one request; never throws (failures become 'error' events). Resolves when the request is finished. */
  handle(request: RuntimeRequest): Promise<void>;
  /** Id of the training in progress, or null. */
  readonly trainingId: number | null;
}

/** `p`, or a rejection "no answer within N s" after `ms` milliseconds. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Creates the handler. `post` sends an event to the main thread.
 * One training at a time: a second 'train' while one runs gets an 'error' event. A 'stop' for the
 * running training's id makes it end after the current batch; a 'stop' for any other id is ignored.
 */
export function createRuntimeHost(tf: TF, post: (event: RuntimeEvent) => void, opts: HostOptions = {}): RuntimeHost {
  let running: { id: number; stop: boolean } | null = null;
  const batchEventMs = opts.batchEventMs ?? 100;
  const backendTimeoutMs = opts.backendTimeoutMs ?? 20_000;
  const trialSteps = opts.trialSteps ?? 3;
  // Layerlab's gradient kernels make Conv2D (and more) trainable on wasm; they replace stock ones for all
  // users of this tfjs, so they are registered once, before any backend runs.
  if ((opts.wasmKernels ?? true) && tf.getKernel('Conv2D', 'wasm')) registerWasmKernels(tf);
  let rendererName: string | null | undefined;
  /** The WebGL renderer, asked once. */
  const renderer = (): string | null => (rendererName === undefined ? (rendererName = opts.webglRenderer?.() ?? null) : rendererName);
  /** Trial outcomes per model (trialKey): the backend and the sentence, so Train again does not re-time. */
  const trials = new Map<string, { backend: BackendName; reason: string }>();
  /** The backend this host last switched to successfully. (tf.getBackend() is not enough: after a failed
   *  tf.setBackend it still names the backend that failed.) */
  let active: BackendName | null = null;
  /** Backend switches run one at a time (a summary and a training may both ask on first use). */
  let switching: Promise<unknown> = Promise.resolve();
  const startBackend = (plan: BackendPlan): Promise<{ backend: BackendName; reason: string }> => {
    const next = switching.then(() => switchTo(plan));
    switching = next.catch(() => {});
    return next;
  };

  /**
   * Switches tfjs to the first candidate of `plan` that initialises (keeping the current backend when it is
   * that candidate). tf.setBackend resolves false, or throws for an unregistered name, when a backend fails;
   * one that does not answer in time (e.g. wasm threads that cannot start) counts as failed too.
   * @throws Error when none starts.
   */
  async function switchTo(plan: BackendPlan): Promise<{ backend: BackendName; reason: string }> {
    const failed: { name: BackendName; error: string }[] = [];
    for (const name of plan.candidates) {
      let ok = active === name && tf.getBackend() === name;
      if (!ok) {
        try {
          ok = await withTimeout(tf.setBackend(name), backendTimeoutMs);
          if (!ok) failed.push({ name, error: '' });
        } catch (e) {
          failed.push({ name, error: errorText(e) });
        }
      }
      if (ok) {
        await tf.ready();
        active = name;
        return { backend: name, reason: backendReason(plan, name, failed) };
      }
    }
    const tried = failed.map((f) => `${f.name}${f.error ? ` (${f.error})` : ''}`).join(', ');
    throw Object.assign(new Error(`No TensorFlow.js backend could start in this browser (tried ${tried || 'none'}).`), { failed });
  }

  async function summary(id: number, req: Extract<RuntimeRequest, { type: 'summary' }>): Promise<void> {
    try {
      // Any working backend can build a model: keep the current one (a training may be running on it).
      const backend = active ?? (await startBackend(SUMMARY_BACKENDS)).backend;
      post({ type: 'summary', id, summary: summarizeModel(tf, req.graph), backend });
    } catch (e) {
      post({ type: 'error', id, message: errorText(e) });
    }
  }

  /**
   * Times `trialSteps` training steps of the graph on each candidate of an 'auto' plan (backend.ts decides the
   * order, the budgets and whether cpu is worth timing), switches to the fastest and says why. A backend that
   * fails to start or to train is reported and skipped. The outcome is cached per model.
   * @throws Error when no candidate can train the graph.
   */
  async function chooseByTrial(
    plan: BackendPlan,
    graph: Graph,
    settings: TrainingSettings,
    analysis: Analysis,
    stopped: () => boolean,
  ): Promise<{ backend: BackendName; reason: string }> {
    const key = trialKey(graph, settings);
    const cached = trials.get(key);
    if (cached) {
      try {
        await startBackend({ candidates: [cached.backend], reason: cached.reason });
        return { backend: cached.backend, reason: `${cached.reason.replace(/\.$/, '')} (timed when this model was first trained).` };
      } catch {
        trials.delete(key);
      }
    }
    const results: TrialResult[] = [];
    let best: TrialResult | null = null;
    for (const name of plan.candidates) {
      if (stopped() && best) break; // the user pressed Stop: no need to time the rest
      const webglSkip = name === 'webgl' ? skipWebglTrial(renderer(), !!best) : null;
      if (webglSkip) {
        results.push({ backend: 'webgl', skipped: webglSkip });
        continue;
      }
      if (name === 'cpu' && best && !shouldTimeCpu(best.stepMs)) {
        results.push({ backend: 'cpu', skipped: `${best.backend} steps take ${Math.round(best.stepMs ?? 0)} ms; cpu is many times slower` });
        continue;
      }
      try {
        await startBackend({ candidates: [name], reason: '' });
      } catch (e) {
        const failed = (e as { failed?: { error: string }[] }).failed;
        results.push({ backend: name, error: failed?.[0]?.error || errorText(e) });
        continue;
      }
      const budgetMs = trialBudgetMs(best?.stepMs, trialSteps);
      try {
        const t = await timeTrainingSteps(tf, graph, settings, { steps: trialSteps, budgetMs, analysis });
        const r: TrialResult = t.steps
          ? { backend: name, samplesPerSec: t.samplesPerSec, stepMs: t.stepMs, steps: t.steps }
          : { backend: name, samplesPerSec: t.samplesPerSec, steps: 0, timedOutMs: budgetMs };
        results.push(r);
        if (r.steps && (!best || r.samplesPerSec! > best.samplesPerSec!)) best = r;
      } catch (e) {
        results.push({ backend: name, error: errorText(e) });
      }
    }
    const winner = fastestTrial(results) ?? results.find((r) => r.timedOutMs !== undefined) ?? null;
    if (!winner) {
      const tried = results.map((r) => `${r.backend}: ${r.error ?? r.skipped ?? 'no result'}`).join('; ');
      throw new Error(`No backend could train this model (${tried}).`);
    }
    await startBackend({ candidates: [winner.backend], reason: '' });
    // When a layer keeps wasm out, say so first.
    const reason = `${plan.candidates.includes('wasm') ? '' : `${plan.reason}. `}${trialReason(results, winner.backend, trialSteps)}`;
    trials.set(key, { backend: winner.backend, reason });
    return { backend: winner.backend, reason };
  }

  async function train(req: Extract<RuntimeRequest, { type: 'train' }>): Promise<void> {
    const { id } = req;
    if (running) {
      post({ type: 'error', id, message: 'A training is already running; stop it before starting another.' });
      return;
    }
    const run = { id, stop: false };
    running = run;
    let backend: BackendName | null = null;
    try {
      assertTrainingSettings(req.settings);
      // Unknown input sizes (Keras's None) take their trial sizes: the data, the estimate and the run need sizes.
      const graph = withTrialSizes(req.graph, req.settings);
      const analysis = analyze(graph);
      const bad = buildError(analysis);
      if (bad) throw bad;
      // Refuse, before anything is allocated, a model whose training would not fit in memory.
      const memory = estimateTrainingMemory(graph, analysis, req.settings, opts.memoryLimit ?? TRAINING_MEMORY_LIMIT);
      const refusal = memoryRefusal(memory);
      if (refusal) throw new Error(refusal);
      const plan = trainingBackends(graph, req.backend ?? 'auto');
      const chosen =
        plan.timed && plan.candidates.length > 1 ? await chooseByTrial(plan, graph, req.settings, analysis, () => run.stop) : await startBackend(plan);
      backend = chosen.backend;
      const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
      post({
        type: 'started',
        id,
        backend,
        reason: chosen.reason,
        ...(backend === 'wasm' && opts.wasmThreads ? { threads: opts.wasmThreads() } : {}),
        ...(isolated !== undefined ? { crossOriginIsolated: isolated } : {}),
        data: req.settings.data ?? DEFAULT_DUMMY_DATA,
        memoryBytes: memory.total,
      });
      if (run.stop) {
        post({ type: 'done', id, backend, result: { logs: {}, loss: null, metric: null, metricName: '', epochsRun: 0, stopped: true, elapsed: 0 } });
        return;
      }
      let lastBatchEvent = -Infinity;
      const result = await trainModel(tf, graph, req.settings, {
        onBatch: (progress) => {
          const now = performance.now();
          if (now - lastBatchEvent < batchEventMs) return;
          lastBatchEvent = now;
          post({ type: 'progress', id, phase: 'batch', progress });
        },
        onEpoch: (progress) => post({ type: 'progress', id, phase: 'epoch', progress }),
        shouldStop: () => run.stop,
        ...(req.insight
          ? {
              onInsight: (insight: InsightSnapshot) => post({ type: 'insight', id, insight }),
              onInsightError: (error: string) => post({ type: 'insight', id, error }),
            }
          : {}),
      });
      post({ type: 'done', id, result, backend });
    } catch (e) {
      if (backend) post({ type: 'error', id, message: `Training on the ${backend} backend failed: ${errorText(e)}`, restart: true });
      else post({ type: 'error', id, message: errorText(e) });
    } finally {
      running = null;
    }
  }

  return {
    get trainingId() {
      return running?.id ?? null;
    },
    async handle(req) {
      try {
        switch (req.type) {
          case 'stop':
            if (running && running.id === req.id) running.stop = true;
            return;
          case 'summary':
            return await summary(req.id, req);
          case 'train':
            return await train(req);
          default:
            post({ type: 'error', id: (req as { id?: number }).id ?? 0, message: `Unknown request '${(req as { type?: string }).type}'.` });
        }
      } catch (e) {
        post({ type: 'error', id: req.id ?? 0, message: errorText(e) });
      }
    },
  };
}
