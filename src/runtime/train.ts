/**
 * Training on dummy data and tfjs's own summary of a graph's model. The tfjs module is passed in.
 */
import type * as tfjs from '@tensorflow/tfjs';
import {
  analyze,
  checkTrainingSettings,
  DEFAULT_DUMMY_DATA,
  withTrialSizes,
  type Analysis,
  type Graph,
  type OutputTarget,
  type TrainingSettings,
} from '../core';
import { buildModel, disposeModel, type TF } from './buildModel';
import { makeDummyData } from './dummyData';
import { errorText } from './errorText';
import { createInsight, InsightSchedule, type InsightProbe } from './insight';
import type { InsightSnapshot, RuntimeSummary, TrainProgress, TrainResult } from './protocol';

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
  /**
   * When given, the run looks inside the model (insight.ts): a snapshot before the first batch, then between batches
   * as often as `InsightSchedule` allows (a twentieth of the training time), and one after the last batch.
   */
  onInsight?(snapshot: InsightSnapshot): void;
  /** Taking a snapshot failed (the message); no more are taken and training goes on. */
  onInsightError?(message: string): void;
}

/**
 * Checks training settings against the one definition (core `checkTrainingSettings`: bounds in
 * `TRAINING_SETTINGS`, the optimizer list, data and loss kinds).
 * @throws Error naming the first bad setting, e.g. "Epochs must be at most 10,000 (got 20000)."
 */
export function assertTrainingSettings(s: TrainingSettings): void {
  const bad = checkTrainingSettings(s);
  if (bad) throw new Error(`${bad}.`);
}

/**
 * A new optimizer object: `tf.train.adam | sgd | rmsprop(learningRate)` with tfjs's other defaults.
 * The caller must `dispose()` it: `model.dispose()` does not free an optimizer passed to `compile`
 * (docs/keras-facts.md §6, tfjs-layers training.ts `isOptimizerOwned`).
 */
export function makeOptimizer(tf: TF, s: Pick<TrainingSettings, 'optimizer' | 'learningRate'>): tfjs.Optimizer {
  switch (s.optimizer) {
    case 'adam':
      return tf.train.adam(s.learningRate);
    case 'sgd':
      return tf.train.sgd(s.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(s.learningRate);
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
    next: () =>
      new Promise<void>((r) => {
        waiting.push(r);
        channel.port2.postMessage(0);
      }),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

/**
 * Compiles `model` for the targets (one loss per output tensor: core `outputTarget`'s tfjs loss; its metric) with
 * `optimizer`, and returns the key of the first output's metric in tfjs's logs.
 * `outputNames` (core `trainingOutputs` names, one per target): tfjs names each output after its layer, so the
 * outputs of a layer that returns several (an LSTM's output and states) would share one name, and one key in the
 * logs and in a metrics map; the model's output names are replaced by these unique ones before compiling.
 */
export function compileForTargets(
  model: tfjs.LayersModel,
  targets: readonly OutputTarget[],
  optimizer: tfjs.Optimizer,
  outputNames?: readonly string[],
): string {
  // tfjs-layers engine/training.ts `compile` reads `outputNames` for its loss and metric names (and a metrics map).
  if (targets.length > 1 && outputNames && outputNames.length === model.outputNames.length) model.outputNames = [...outputNames];
  // A Sequential model has no outputNames before compile; a single output needs no names anyway.
  const names = targets.length > 1 ? model.outputNames : [];
  model.compile({
    optimizer,
    loss: targets.map((t) => t.loss),
    metrics: targets.length > 1 ? Object.fromEntries(names.map((n, i) => [n, targets[i].metric])) : [targets[0].metric],
  });
  if (targets.length > 1) perSampleLosses(model);
  return metricKey(names, targets[0]);
}

/**
 * Makes each loss of a compiled model with several outputs return one value per sample. tfjs 4.22 adds the outputs'
 * unreduced losses before taking their mean (tfjs-layers engine/training.ts `makeTrainFunction`: `totalLoss =
 * add(totalLoss, loss)`), so outputs whose losses have different shapes — an LSTM's sequence (batch, steps) next to
 * its state (batch), attention scores (batch, heads, T) — fail to broadcast ("Operands could not be broadcast").
 * Averaging each loss over its axes after the batch first gives every output a (batch) loss; the total is unchanged
 * (every sample has as many positions, so the mean of the per-sample means is the mean over all, Keras's
 * 'sum_over_batch_size'). Replaced after `compile`, which chose each accuracy metric by the loss's identity.
 */
function perSampleLosses(model: tfjs.LayersModel): void {
  model.lossFunctions = model.lossFunctions.map((loss) => (yTrue: tfjs.Tensor, yPred: tfjs.Tensor) => {
    const l = loss(yTrue, yPred);
    return l.rank > 1 ? l.mean(Array.from({ length: l.rank - 1 }, (_x, i) => i + 1)) : l;
  });
}

/** The numeric entries of tfjs's logs, without the 'batch' and 'size' bookkeeping keys. */
function numbers(logs: tfjs.Logs | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(logs ?? {})) if (typeof v === 'number' && k !== 'batch' && k !== 'size') out[k] = v;
  return out;
}

/**
 * Builds the graph's model, compiles it and fits it on `settings.samples` generated samples (labels per
 * `settings.data`: a learnable synthetic task or noise; core `outputTarget` per output: sparse categorical
 * cross-entropy + accuracy, binary cross-entropy + accuracy, or mean squared error + mae), reporting progress
 * after each batch and epoch. A loss that becomes NaN or ±∞ ends training after that batch (`nonFinite`).
 * With `hooks.onInsight`, snapshots of the model's insides (insight.ts) are taken before, during and after training.
 * Model, optimizer and data tensors are disposed before it returns or throws.
 * @returns the final logs, whether a stop (or a non-finite loss) ended training, and the time taken (ms).
 * @throws Error for invalid settings, an invalid graph (first diagnostic's message) or a tfjs failure
 *   (e.g. a kernel the backend lacks).
 */
export async function trainModel(tf: TF, model0: Graph, settings: TrainingSettings, hooks: TrainHooks = {}): Promise<TrainResult> {
  assertTrainingSettings(settings);
  const t0 = performance.now();
  // Unknown input sizes (None) take their trial sizes (core withTrialSizes; the same graph when there are none).
  const graph = withTrialSizes(model0, settings);
  const analysis = analyze(graph);
  const yielder = macrotaskYielder();
  let model: tfjs.LayersModel | undefined;
  let optimizer: tfjs.Optimizer | undefined;
  let data: ReturnType<typeof makeDummyData> | undefined;
  let insightProbe = (): InsightProbe | null => null;
  try {
    model = buildModel(tf, graph, analysis);
    data = makeDummyData(tf, graph, settings.samples, analysis, settings.data ?? DEFAULT_DUMMY_DATA, settings.losses);
    optimizer = makeOptimizer(tf, settings);
    const metricName = compileForTargets(model, data.targets, optimizer, data.names);
    const batchesPerEpoch = Math.ceil(settings.samples / settings.batchSize);
    const m = model;
    let epoch = 0;
    let epochsRun = 0;
    let stopped = false;
    let nonFinite: TrainResult['nonFinite'];
    let last: Record<string, number> = {};
    const progress = (batch: number, logs: Record<string, number>): TrainProgress => ({
      epoch,
      epochs: settings.epochs,
      batch,
      batchesPerEpoch,
      loss: logs.loss ?? NaN,
      metric: logs[metricName] ?? null,
      metricName,
      elapsed: performance.now() - t0,
      logs,
    });
    let batchesDone = 0;
    let seen = 0;
    // The look inside (insight.ts), when asked: failures end it, never the training.
    let probe: InsightProbe | null = null;
    const schedule = new InsightSchedule();
    let lookedAt = -1;
    const look = async (batch: number): Promise<void> => {
      if (!probe || !hooks.onInsight) return;
      lookedAt = seen;
      try {
        const snap = await probe.snapshot({ epoch, batch, seen });
        schedule.taken(performance.now(), snap.costMs);
        hooks.onInsight(snap);
      } catch (e) {
        probe.dispose();
        probe = null;
        hooks.onInsightError?.(`The look inside the model stopped: ${errorText(e)}`);
      }
    };
    if (hooks.onInsight)
      try {
        probe = createInsight(tf, m, { graph, xs: data.xs });
      } catch (e) {
        hooks.onInsightError?.(`Layerlab cannot look inside this model: ${errorText(e)}`);
      }
    insightProbe = () => probe;
    await look(0);
    await m.fit(data.xs.length === 1 ? data.xs[0] : data.xs, data.ys.length === 1 ? data.ys[0] : data.ys, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      verbose: 0,
      yieldEvery: 'never',
      callbacks: {
        onEpochBegin: async (e) => {
          epoch = e;
          batchesDone = 0;
        },
        onBatchEnd: async (b, logs) => {
          batchesDone = b + 1;
          seen++;
          last = numbers(logs);
          hooks.onBatch?.(progress(batchesDone, last));
          if (!nonFinite && last.loss !== undefined && !Number.isFinite(last.loss)) {
            nonFinite = { epoch, batch: batchesDone, loss: last.loss };
            stopped = true;
            m.stopTraining = true;
            return;
          }
          if (probe && schedule.due(performance.now())) await look(batchesDone);
          await yielder.next();
          if (hooks.shouldStop?.()) {
            stopped = true;
            m.stopTraining = true;
          }
        },
        onEpochEnd: async (_e, logs) => {
          epochsRun++;
          last = numbers(logs);
          hooks.onEpoch?.(progress(batchesDone, last));
        },
      },
    });
    // The model as training left it (also after a stop), unless the last batch was just looked at.
    if (probe && lookedAt !== seen) await look(batchesDone);
    return {
      logs: last,
      loss: last.loss ?? null,
      metric: last[metricName] ?? null,
      metricName,
      epochsRun,
      stopped,
      elapsed: performance.now() - t0,
      ...(nonFinite ? { nonFinite } : {}),
    };
  } finally {
    yielder.close();
    insightProbe()?.dispose();
    if (model) disposeModel(tf, model);
    optimizer?.dispose();
    if (data) tf.dispose([...data.xs, ...data.ys]);
  }
}

/** The outcome of timing a few training steps (a backend trial). */
export interface StepTiming {
  /** Samples per training step (min(batchSize, samples)). */
  readonly batch: number;
  /** Timed steps that finished (the warm-up step is not counted). */
  readonly steps: number;
  /** Mean wall time of the timed steps, ms (NaN when none finished). */
  readonly stepMs: number;
  /** batch / stepMs · 1000, or an upper bound when no timed step finished (`timedOut`). */
  readonly samplesPerSec: number;
  /** True when the budget ran out before `steps` steps: `samplesPerSec` is then an upper bound if 0 steps finished. */
  readonly timedOut: boolean;
  /** Wall time of the whole trial (build, warm-up, steps), ms. */
  readonly elapsed: number;
}

/**
 * Times real training steps of the graph's model on the current backend: builds and compiles it as
 * trainModel does, makes one batch of dummy data, runs one warm-up step (shader compilation, XNNPACK
 * operator set-up) and then up to `steps` timed steps with `model.trainOnBatch`. Each step is raced against
 * the budget; when the budget ends first the trial stops waiting (a backend whose steps run asynchronously,
 * webgl, is abandoned; its model is freed when the pending step ends). Synchronous backends (cpu, wasm)
 * cannot be interrupted inside a step: the caller decides whether to try them at all.
 * Everything the trial allocates is disposed.
 * @param budgetMs wall-time budget for the trial, ms
 * @throws Error when the model cannot be built or a step fails (e.g. a missing kernel)
 */
export async function timeTrainingSteps(
  tf: TF,
  model0: Graph,
  settings: TrainingSettings,
  options: { steps?: number; budgetMs?: number; analysis?: Analysis } = {},
): Promise<StepTiming> {
  // Unknown input sizes (None) take their trial sizes, as in trainModel; an analysis given is of that graph.
  const graph = withTrialSizes(model0, settings);
  const { steps = 3, budgetMs = 10_000 } = options;
  const analysis = options.analysis && graph === model0 ? options.analysis : analyze(graph);
  const t0 = performance.now();
  const deadline = t0 + budgetMs;
  const batch = Math.min(settings.batchSize, settings.samples);
  let model: tfjs.LayersModel | undefined;
  let optimizer: tfjs.Optimizer | undefined;
  let data: ReturnType<typeof makeDummyData> | undefined;
  const cleanup = () => {
    if (model) disposeModel(tf, model);
    optimizer?.dispose();
    if (data) tf.dispose([...data.xs, ...data.ys]);
  };
  let pending: Promise<unknown> | null = null;
  try {
    model = buildModel(tf, graph, analysis);
    data = makeDummyData(tf, graph, batch, analysis, settings.data ?? DEFAULT_DUMMY_DATA, settings.losses);
    optimizer = makeOptimizer(tf, settings);
    compileForTargets(model, data.targets, optimizer, data.names);
    const m = model;
    const { xs, ys } = data;
    /** One step, or 'late' when the deadline passes first (the step then keeps running: `pending`). */
    const step = async (): Promise<'done' | 'late'> => {
      const run = m.trainOnBatch(xs.length === 1 ? xs[0] : xs, ys.length === 1 ? ys[0] : ys);
      pending = run;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), Math.max(0, deadline - performance.now()))));
      const outcome = await Promise.race([run.then(() => 'done' as const), late]);
      clearTimeout(timer);
      if (outcome === 'done') pending = null;
      return outcome;
    };
    if ((await step()) === 'late') {
      const elapsed = performance.now() - t0;
      return { batch, steps: 0, stepMs: NaN, samplesPerSec: (batch / elapsed) * 1000, timedOut: true, elapsed };
    }
    let done = 0;
    let timed = 0;
    let timedOut = false;
    while (done < steps) {
      if (performance.now() >= deadline) {
        timedOut = true;
        break;
      }
      const s0 = performance.now();
      if ((await step()) === 'late') {
        timedOut = true;
        break;
      }
      timed += performance.now() - s0;
      done++;
    }
    const elapsed = performance.now() - t0;
    if (done === 0) return { batch, steps: 0, stepMs: NaN, samplesPerSec: (batch / Math.max(1, deadline - t0)) * 1000, timedOut: true, elapsed };
    const stepMs = timed / done;
    return { batch, steps: done, stepMs, samplesPerSec: (batch / stepMs) * 1000, timedOut, elapsed };
  } finally {
    const p = pending as Promise<unknown> | null;
    if (p) void p.then(cleanup, cleanup);
    else cleanup();
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
      // A layer that returns several tensors (tfjs: outputShape is a list of shapes) has them all in outputShapes.
      const several = Array.isArray(shape[0]) ? (shape as (number | null)[][]) : null;
      return {
        name: l.name,
        className: l.getClassName(),
        outputShape: (several ? several[0] : shape) as (number | null)[],
        ...(several && several.length > 1 ? { outputShapes: several.map((s) => [...s]) } : {}),
        params: l.countParams(),
      };
    });
    const trainable = size(model.trainableWeights);
    const nonTrainable = size(model.nonTrainableWeights);
    return { name: model.name, rows, totals: { total: model.countParams(), trainable, nonTrainable }, text: lines.join('\n') };
  } finally {
    disposeModel(tf, model);
  }
}
