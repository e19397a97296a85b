/**
 * Training on dummy data and tfjs's own summary of a graph's model. The tfjs module is passed in.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { analyze, type Graph, type OutputTarget, type TrainingSettings } from '../core';
import { buildModel, type TF } from './buildModel';
import { makeDummyData } from './dummyData';
import type { RuntimeSummary, TrainProgress, TrainResult } from './protocol';

export interface TrainHooks {
  /** After every batch. */
  onBatch?(progress: TrainProgress): void;
  /** After every epoch, including one cut short by a stop. */
  onEpoch?(progress: TrainProgress): void;
  /**
   * Polled after every batch, after yielding to the event loop (so a worker's 'stop' message can be
   * handled in between). Returning true ends training after that batch.
   */
  shouldStop?(): boolean;
}

/**
 * Checks training settings.
 * @throws Error naming the first bad setting: epochs, batchSize and samples must be whole numbers ≥ 1,
 *   learningRate a finite number > 0, optimizer one of 'adam', 'sgd', 'rmsprop'.
 */
export function checkSettings(s: TrainingSettings): void {
  for (const key of ['epochs', 'batchSize', 'samples'] as const)
    if (!Number.isInteger(s[key]) || s[key] < 1) throw new Error(`Training setting ${key} must be a whole number ≥ 1 (got ${s[key]}).`);
  if (!Number.isFinite(s.learningRate) || s.learningRate <= 0) throw new Error(`The learning rate must be a number > 0 (got ${s.learningRate}).`);
  if (!['adam', 'sgd', 'rmsprop'].includes(s.optimizer)) throw new Error(`Unknown optimizer '${s.optimizer}': use adam, sgd or rmsprop.`);
}

/**
 * A new optimizer object: `tf.train.adam | sgd | rmsprop(learningRate)` with tfjs's other defaults.
 * The caller must `dispose()` it: `model.dispose()` does not free an optimizer passed to `compile`
 * (PITFALLS §1, tfjs-layers training.ts `isOptimizerOwned`).
 */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learningRate'>): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'adam': return tf.train.adam(s.learningRate);
    case 'sgd': return tf.train.sgd(s.learningRate);
    case 'rmsprop': return tf.train.rmsprop(s.learningRate);
  }
}

/**
 * Key of output `i`'s metric in tfjs's logs: tfjs logs 'accuracy' as 'acc' and 'mae' as 'mae', and
 * prefixes `<outputName>_` when the model has several outputs (tfjs-layers training.ts `appendMetric`).
 */
export const metricKey = (outputNames: readonly string[], target: OutputTarget, i = 0): string =>
  `${outputNames.length > 1 ? `${outputNames[i]}_` : ''}${target.metric === 'accuracy' ? 'acc' : 'mae'}`;

/**
 * A way to yield to the event loop with a macrotask, so that messages queued for a worker are handled.
 * - setImmediate where it exists (Node): a check-phase task; Node drains a MessagePort's queue, messages
 *   posted meanwhile included, without running other tasks, so a MessageChannel would starve everything else;
 * - else a MessageChannel (browsers, workers): no 4 ms clamping of nested timers, and its messages share the
 *   posted-message task queue with the worker's incoming messages, so a waiting 'stop' runs first;
 * - else setTimeout(0).
 * Call `close()` when done.
 */
function macrotaskYielder(): { next(): Promise<void>; close(): void } {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
  if (typeof immediate === 'function') return { next: () => new Promise<void>((r) => void immediate(r)), close: () => {} };
  if (typeof MessageChannel === 'undefined') return { next: () => new Promise((r) => setTimeout(r, 0)), close: () => {} };
  const channel = new MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  return {
    next: () => new Promise<void>((r) => { waiting.push(r); channel.port2.postMessage(0); }),
    close: () => { channel.port1.close(); channel.port2.close(); },
  };
}

/** The numeric entries of tfjs's logs, without the 'batch' and 'size' bookkeeping keys. */
function numbers(logs: tfjs.Logs | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs ?? {})) if (typeof v === 'number' && k !== 'batch' && k !== 'size') out[k] = v;
  return out;
}

/**
 * Builds the graph's model, compiles it and fits it on `settings.samples` random samples (core
 * `outputTarget` per output: sparse categorical cross-entropy + accuracy, binary cross-entropy +
 * accuracy, or mean squared error + mae), reporting progress after each batch and epoch.
 * Model, optimizer and data tensors are disposed before it returns or throws.
 * @returns the final logs, whether a stop ended training, and the time taken (ms).
 * @throws Error for invalid settings, an invalid graph (first diagnostic's message) or a tfjs failure
 *   (e.g. a kernel the backend lacks).
 */
export async function trainModel(tf: TF, graph: Graph, settings: TrainingSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  checkSettings(settings);
  const t0 = performance.now();
  const analysis = analyze(graph);
  const yielder = macrotaskYielder();
  let model: tfjs.LayersModel | undefined;
  let optimizer: tfjs.Optimizer | undefined;
  let data: ReturnType<typeof makeDummyData> | undefined;
  try {
    model = buildModel(tf, graph, analysis);
    data = makeDummyData(tf, graph, settings.samples, analysis);
    optimizer = makeOptimizer(tf, settings);
    const targets = data.targets;
    // A Sequential model has no outputNames before compile; a single output needs no names anyway.
    const names = targets.length > 1 ? model.outputNames : [];
    model.compile({
      optimizer,
      loss: targets.map((t) => t.loss),
      metrics: targets.length > 1 ? Object.fromEntries(names.map((n, i) => [n, targets[i].metric])) : [targets[0].metric],
    });
    const metricName = metricKey(names, targets[0]);
    const batchesPerEpoch = Math.ceil(settings.samples / settings.batchSize);
    const m = model;
    let epoch = 0;
    let epochsRun = 0;
    let stopped = false;
    let last: Record<string, number> = {};
    const progress = (batch: number, logs: Record<string, number>): TrainProgress => ({
      epoch, epochs: settings.epochs, batch, batchesPerEpoch,
      loss: logs.loss ?? NaN,
      metric: logs[metricName] ?? null,
      metricName,
      elapsed: performance.now() - t0,
      logs,
    });
    let batchesDone = 0;
    await m.fit(data.xs.length === 1 ? data.xs[0] : data.xs, data.ys.length === 1 ? data.ys[0] : data.ys, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: {
        onEpochBegin: async (e) => { epoch = e; batchesDone = 0; },
        onBatchEnd: async (b, logs) => {
          batchesDone = b + 1;
          last = numbers(logs);
          hooks.onBatch?.(progress(batchesDone, last));
          await yielder.next();
          if (hooks.shouldStop?.()) { stopped = true; m.stopTraining = true; }
        },
        onEpochEnd: async (_e, logs) => {
          epochsRun++;
          last = numbers(logs);
          hooks.onEpoch?.(progress(batchesDone, last));
        },
      },
    });
    return {
      logs: last,
      loss: last.loss ?? null,
      metric: last[metricName] ?? null,
      metricName,
      epochsRun,
      stopped,
      elapsed: performance.now() - t0,
    };
  } finally {
    yielder.close();
    model?.dispose();
    optimizer?.dispose();
    if (data) tf.dispose([...data.xs, ...data.ys]);
  }
}

/** Number of scalars in a list of weights. */
const size = (weights: readonly { shape: readonly (number | null)[] }[]): number =>
  weights.reduce((s, w) => s + w.shape.reduce<number>((p, d) => p * (d ?? 1), 1), 0);

/**
 * What tfjs says about the model the graph builds: one row per layer of `model.layers` (a Sequential
 * model has no InputLayer row, a Functional one has), the totals (trainable = sizes of
 * `model.trainableWeights`) and the text `model.summary()` prints (captured with its printFn argument).
 * The model is disposed before returning.
 * @throws Error with the first diagnostic's message when the graph is invalid.
 */
export function summarizeModel(tf: TF, graph: Graph): RuntimeSummary {
  const model = buildModel(tf, graph);
  try {
    const lines: string[] = [];
    model.summary(undefined, undefined, (...parts: unknown[]) => lines.push(parts.map(String).join(' ')));
    const rows = model.layers.map((l) => {
      const shape = l.outputShape;
      return {
        name: l.name,
        className: l.getClassName(),
        outputShape: (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[],
        params: l.countParams(),
      };
    });
    const trainable = size(model.trainableWeights);
    const nonTrainable = size(model.nonTrainableWeights);
    return { name: model.name, rows, totals: { total: model.countParams(), trainable, nonTrainable }, text: lines.join('\n') };
  } finally {
    model.dispose();
  }
}
