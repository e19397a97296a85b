/**
 * The main thread's handle on the training worker. Imports no tfjs: the worker (and with it tfjs) is
 * created on the first call, so the editor opens without loading TensorFlow.js.
 */
import type { Graph, TrainingSettings } from '../core';
import type { BackendChoice, BackendName, RuntimeEvent, RuntimeRequest, RuntimeSummary, TrainEvent, TrainResult } from './protocol';

/** What the client needs of a Worker (a real one, or a fake in tests). */
export interface WorkerLike {
  postMessage(message: RuntimeRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<RuntimeEvent>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
}

/** The real worker; Vite bundles worker.ts (and tfjs) as a separate module worker chunk. */
const createModuleWorker = (): WorkerLike => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });

interface Pending {
  resolve(event: RuntimeEvent): void;
  reject(error: Error): void;
  onEvent?: (event: TrainEvent) => void;
}

/**
 * Talks to the worker with the typed protocol. One training at a time; summaries can be asked any time.
 * Every promise settles: with the answer, with the worker's 'error' message, or when the worker dies or
 * the client is disposed.
 */
export class RuntimeClient {
  private worker: WorkerLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private trainingId: number | null = null;
  /** Set by an error with `restart`: the worker is replaced before the next request, once nothing is pending. */
  private stale = false;

  /** @param createWorker makes the worker (tests pass a fake); default: the module worker in worker.ts. */
  constructor(private readonly createWorker: () => WorkerLike = createModuleWorker) {}

  /** True while a training runs. */
  get training(): boolean {
    return this.trainingId !== null;
  }

  /**
   * tfjs's own summary of the model the graph builds (rows, totals, and the text of `model.summary()`).
   * @throws (rejects) Error with the first diagnostic's message when the graph is invalid.
   */
  async summary(graph: Graph): Promise<RuntimeSummary & { readonly backend: BackendName }> {
    const e = await this.request((id) => ({ type: 'summary', id, graph }));
    if (e.type !== 'summary') throw new Error(`Unexpected '${e.type}' answer to a summary request.`);
    return { ...e.summary, backend: e.backend };
  }

  /**
   * Trains the graph's model on dummy data in the worker. `onEvent` receives 'started' (backend and why),
   * 'progress' and (with `options.insight`) 'insight' events. Resolves with the 'done' event's result (final logs; `stopped` after `stop()`)
   * and the backend it ran on.
   * @param backend 'auto' (default: the worker times a few steps on each backend that can train the graph)
   *   or the backend to use.
   * @param options.insight also send 'insight' events (histograms, dead ReLU units, filters: runtime/insight.ts)
   * @throws (rejects) Error when a training is already running, the graph or settings are invalid, the
   *   model would not fit in memory, or tfjs fails.
   */
  async train(
    graph: Graph,
    settings: TrainingSettings,
    onEvent?: (event: TrainEvent) => void,
    backend: BackendChoice = 'auto',
    options: { readonly insight?: boolean } = {},
  ): Promise<TrainResult & { readonly backend: BackendName }> {
    if (this.trainingId !== null) throw new Error('A training is already running; stop it before starting another.');
    try {
      const e = await this.request((id) => {
        this.trainingId = id;
        return { type: 'train', id, graph, settings, ...(backend !== 'auto' ? { backend } : {}), ...(options.insight ? { insight: true } : {}) };
      }, onEvent);
      if (e.type !== 'done') throw new Error(`Unexpected '${e.type}' answer to a train request.`);
      return { ...e.result, backend: e.backend };
    } finally {
      this.trainingId = null;
    }
  }

  /** Asks the running training to stop after its current batch; its promise then resolves with `stopped: true`. No-op when idle. */
  stop(): void {
    if (this.trainingId !== null) this.worker?.postMessage({ type: 'stop', id: this.trainingId });
  }

  /** Terminates the worker (stopping any training at once) and rejects every unanswered call. */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new Error('The runtime was closed.'));
  }

  private request(make: (id: number) => RuntimeRequest, onEvent?: (event: TrainEvent) => void): Promise<RuntimeEvent> {
    const id = this.nextId++;
    return new Promise<RuntimeEvent>((resolve, reject) => {
      try {
        const worker = this.ensureWorker();
        this.pending.set(id, { resolve, reject, onEvent });
        worker.postMessage(make(id));
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker && this.stale && this.pending.size === 0) {
      this.worker.terminate();
      this.worker = null;
    }
    if (this.worker) return this.worker;
    this.stale = false;
    const w = this.createWorker();
    w.onmessage = (m) => this.receive(m.data);
    w.onerror = (e) => {
      // The worker script failed to load or crashed: it cannot answer anything any more.
      w.terminate();
      if (this.worker === w) this.worker = null;
      this.failAll(new Error(`The training worker stopped: ${(e.message || 'it failed to load').replace(/\.$/, '')}.`));
    };
    this.worker = w;
    return w;
  }

  private receive(e: RuntimeEvent): void {
    const call = this.pending.get(e.id);
    if (!call) {
      // An error nobody asked about comes from the worker itself: nothing in flight can be trusted.
      if (e.type === 'error') {
        this.stale = true;
        this.failAll(new Error(e.message));
      }
      return;
    }
    if (e.type === 'started' || e.type === 'progress' || e.type === 'insight') {
      call.onEvent?.(e);
      return;
    }
    this.pending.delete(e.id);
    if (e.type === 'error' && e.restart) this.stale = true;
    if (e.type === 'error') call.reject(new Error(e.message));
    else call.resolve(e);
  }

  private failAll(error: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const c of calls) c.reject(error);
  }
}
