/**
 * Runs ELK's layered layout in a Web Worker (elkjs's own worker script), so laying out a large
 * imported model never blocks the page; with a time budget and a cancel signal, since ELK can run for
 * minutes (a 4,000-input Concatenate) or overflow its stack (a 5,000-layer chain).
 */
import ELK from 'elkjs/lib/elk-api.js';
import elkWorkerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { fromElk, toElk, type Graph, type LayoutDirection } from '../core';
import { whenIdle } from '../store/idle';

/** The part of a Worker elkjs's API uses (a fake one in tests). */
export interface LayoutWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onmessage: ((event: MessageEvent) => void) | null;
  /** Set when the worker itself dies (an uncaught error such as a stack overflow inside ELK). */
  onerror?: ((event: unknown) => void) | null;
}

/**
 * The most time ELK may take, in milliseconds: 8 s, so that with the fallback layout (well under a second
 * for 5,000 layers) a file opens within 10 s even when ELK gives up; the banner offers Cancel meanwhile.
 */
export const ELK_BUDGET_MS = 8000;

/** Why ELK gave no layout: over its time budget, cancelled by the user, or an error inside ELK. */
export class LayoutStopped extends Error {
  constructor(
    readonly why: 'timeout' | 'cancelled' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'LayoutStopped';
  }
}

export interface ElkRunOptions {
  /** Milliseconds before the worker is terminated (default ELK_BUDGET_MS). */
  readonly budgetMs?: number;
  /** Aborting it terminates the worker at once. */
  readonly signal?: AbortSignal;
  /** 'TB' top to bottom (default) or 'LR' left to right. */
  readonly direction?: LayoutDirection;
  /** Makes the worker (default: elkjs's worker script); tests pass a fake. */
  readonly workerFactory?: () => LayoutWorker;
}

/** A worker started ahead of the next layout (`prestartElk`), handed to it; null when none waits. */
let spare: LayoutWorker | null = null;
/** How spare workers are made (elkjs's worker script; tests pass a fake). */
const workerScript = (): LayoutWorker => new Worker(elkWorkerUrl) as unknown as LayoutWorker;
let spareFactory: () => LayoutWorker = workerScript;

/**
 * Starts one ELK worker ahead of the next layout, so that its 1.6 MB script is fetched and compiled while the page is
 * idle (the app calls it in idle time after start, and again after each layout) and not after a file is dropped. At
 * most one waits; it receives no message until a layout takes it. Does nothing where Web Workers are missing.
 * @param factory makes the worker (tests); default elkjs's worker script.
 */
export function prestartElk(factory?: () => LayoutWorker): void {
  if (factory) spareFactory = factory;
  if (spare || (spareFactory === workerScript && typeof Worker !== 'function')) return;
  try {
    spare = spareFactory();
  } catch {
    spare = null; // the layout starts its own worker as before
  }
}

/** The waiting spare worker, if any, now owned by the caller. */
function takeSpare(): LayoutWorker | null {
  const w = spare;
  spare = null;
  return w;
}

/**
 * Lays the graph out top to bottom (or left to right, `opts.direction` 'LR') with ELK in a worker of its own, terminated when the layout is done,
 * when `budgetMs` passes or when `signal` aborts — so no layout can keep running behind the page.
 * @returns the graph with ELK's positions.
 * @throws (rejects with) LayoutStopped: `why` 'timeout' past the budget, 'cancelled' when the signal
 *   aborted, 'failed' when ELK reported an error (e.g. its own stack overflow); the message says which in
 *   words. Callers fall back to core `layeredLayout`.
 */
export function elkLayout(graph: Graph, opts: ElkRunOptions = {}): Promise<Graph> {
  const budget = opts.budgetMs ?? ELK_BUDGET_MS;
  const signal = opts.signal;
  const factory = opts.workerFactory ?? (() => takeSpare() ?? spareFactory());
  return new Promise<Graph>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new LayoutStopped('cancelled', 'The layout was cancelled.'));
      return;
    }
    let worker: LayoutWorker | null = null;
    let finished = false;
    const finish = () => {
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        worker?.terminate();
      } catch {
        // already gone
      }
      // The next layout finds a worker started (each layout has a fresh one: a stopped ELK is never reused).
      if (!opts.workerFactory) whenIdle(() => prestartElk());
    };
    const onAbort = () => {
      if (finished) return;
      finish();
      reject(new LayoutStopped('cancelled', 'The layout was cancelled.'));
    };
    const timer = setTimeout(() => {
      if (finished) return;
      finish();
      reject(new LayoutStopped('timeout', `ELK took more than ${Math.round(budget / 1000)} s and was stopped.`));
    }, budget);
    signal?.addEventListener('abort', onAbort);
    try {
      const elk = new ELK({
        workerFactory: () => {
          const w = (worker = factory());
          w.onerror = () => {
            if (finished) return;
            finish();
            reject(new LayoutStopped('failed', 'ELK failed inside its worker.'));
          };
          return w as unknown as Worker;
        },
      });
      elk.layout(toElk(graph, opts.direction) as Parameters<InstanceType<typeof ELK>['layout']>[0]).then(
        (result) => {
          if (finished) return;
          finish();
          resolve(fromElk(graph, result));
        },
        (e: unknown) => {
          if (finished) return;
          finish();
          reject(
            new LayoutStopped(
              'failed',
              `ELK failed${e instanceof Error && e.message && !/call stack/i.test(e.message) ? ` (${e.message.slice(0, 120)})` : ''}.`,
            ),
          );
        },
      );
    } catch {
      finish();
      reject(new LayoutStopped('failed', 'ELK could not start.'));
    }
  });
}
