/**
 * The worker's request handler, separated from `worker.ts` so that Node tests can run it in-process
 * with the npm tfjs on the cpu backend. It answers `RuntimeRequest`s with `RuntimeEvent`s (protocol.ts).
 */
import { analyze } from '../core';
import { buildError, type TF } from './buildModel';
import { backendReason, SUMMARY_BACKENDS, trainingBackends, type BackendPlan } from './backend';
import type { BackendName, RuntimeEvent, RuntimeRequest } from './protocol';
import { checkSettings, summarizeModel, trainModel } from './train';

export interface HostOptions {
  /** Longest wait for one backend to initialise before trying the next, in ms (default 20 000). */
  readonly backendTimeoutMs?: number;
  /** Least time between two 'batch' progress events, in ms (default 50; 0 = every batch). Epoch events are never dropped. */
  readonly batchEventMs?: number;
}

export interface RuntimeHost {
  /** Handles one request; never throws (failures become 'error' events). Resolves when the request is finished. */
  handle(request: RuntimeRequest): Promise<void>;
  /** Id of the training in progress, or null. */
  readonly trainingId: number | null;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

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
  const batchEventMs = opts.batchEventMs ?? 50;
  const backendTimeoutMs = opts.backendTimeoutMs ?? 20_000;
  /** The backend this host last switched to successfully. (tf.getBackend() is not enough: after a failed
   *  tf.setBackend it still names the backend that failed.) */
  let active: BackendName | null = null;
  /** Backend switches run one at a time (a summary and a training may both ask on first use). */
  let switching: Promise<unknown> = Promise.resolve();
  const useBackend = (plan: BackendPlan): Promise<{ backend: BackendName; reason: string }> => {
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
          failed.push({ name, error: messageOf(e) });
        }
      }
      if (ok) {
        await tf.ready();
        active = name;
        return { backend: name, reason: backendReason(plan, name, failed) };
      }
    }
    const tried = failed.map((f) => `${f.name}${f.error ? ` (${f.error})` : ''}`).join(', ');
    throw new Error(`No TensorFlow.js backend could start in this browser (tried ${tried || 'none'}).`);
  }

  async function summary(id: number, req: Extract<RuntimeRequest, { type: 'summary' }>): Promise<void> {
    try {
      // Any working backend can build a model: keep the current one (a training may be running on it).
      const backend = active ?? (await useBackend(SUMMARY_BACKENDS)).backend;
      post({ type: 'summary', id, summary: summarizeModel(tf, req.graph), backend });
    } catch (e) {
      post({ type: 'error', id, message: messageOf(e) });
    }
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
      checkSettings(req.settings);
      const bad = buildError(analyze(req.graph));
      if (bad) throw bad;
      const chosen = await useBackend(trainingBackends(req.graph));
      backend = chosen.backend;
      post({ type: 'started', id, backend, reason: chosen.reason });
      let lastBatchEvent = -Infinity;
      const result = await trainModel(tf, req.graph, req.settings, {
        onBatch: (progress) => {
          const now = performance.now();
          if (now - lastBatchEvent < batchEventMs) return;
          lastBatchEvent = now;
          post({ type: 'progress', id, phase: 'batch', progress });
        },
        onEpoch: (progress) => post({ type: 'progress', id, phase: 'epoch', progress }),
        shouldStop: () => run.stop,
      });
      post({ type: 'done', id, result, backend });
    } catch (e) {
      if (backend) post({ type: 'error', id, message: `Training on the ${backend} backend failed: ${messageOf(e)}`, restart: true });
      else post({ type: 'error', id, message: messageOf(e) });
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
        post({ type: 'error', id: req.id ?? 0, message: messageOf(e) });
      }
    },
  };
}
