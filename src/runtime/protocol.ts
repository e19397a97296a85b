/**
 * The typed messages between the main thread (`client.ts`) and the training worker (`worker.ts`),
 * and the plain-data results they carry. Type-only: importing this file loads no tfjs.
 *
 * Every request has an `id` chosen by the client; every event answers one request and repeats its id.
 * A `train` request produces `started`, any number of `progress` (and of `insight` when asked), then exactly one `done` or `error` (an
 * `error` alone when the graph or settings are refused before training starts).
 * A `summary` request produces exactly one `summary` or `error`. A `stop` request names the `train` id to
 * stop and produces no event of its own (the training's `done` has `stopped: true`).
 */
import type { DummyDataKind, Graph, Shape, TrainingSettings, Totals } from '../core';

/** A tfjs backend the worker may run on. */
export type BackendName = 'wasm' | 'webgl' | 'cpu';

/** The user's backend choice: 'auto' (time a few steps on each candidate, keep the fastest) or one backend. */
export type BackendChoice = 'auto' | BackendName;

/** One row of the summary of the model tfjs built (as tfjs's `model.summary()` lists it). */
export interface RuntimeSummaryRow {
  readonly name: string;
  /** tfjs class name, e.g. 'Dense', 'InputLayer'. */
  readonly className: string;
  /** The layer's output shape, batch axis first (null = unknown); the first output's for a layer that returns several. */
  readonly outputShape: Shape;
  /** Every output's shape, for a layer that returns several (an LSTM with return_state: output, state_h, state_c); absent otherwise. */
  readonly outputShapes?: readonly Shape[];
  /** `layer.countParams()`: trainable + non-trainable weights. */
  readonly params: number;
}

/** What tfjs itself says about a built model. */
export interface RuntimeSummary {
  readonly name: string;
  readonly rows: readonly RuntimeSummaryRow[];
  readonly totals: Totals;
  /** The text of tfjs's own `model.summary()`, lines joined by '\n'. */
  readonly text: string;
}

/**
 * Training progress after a batch or an epoch.
 * `loss` is the total loss (the sum over outputs); `metric` is the first output's metric
 * (accuracy as a fraction, or mean absolute error), null when tfjs did not report it.
 */
export interface TrainProgress {
  /** 0-based index of the current epoch. */
  readonly epoch: number;
  readonly epochs: number;
  /** Batches finished in this epoch, 1 … batchesPerEpoch (equal to batchesPerEpoch at the end of a whole epoch). */
  readonly batch: number;
  /** ceil(samples / batchSize). */
  readonly batchesPerEpoch: number;
  readonly loss: number;
  readonly metric: number | null;
  /** The key of `metric` in tfjs's logs: 'acc' or 'mae', prefixed by the output name when there are several outputs. */
  readonly metricName: string;
  /** Milliseconds since training started (building and data included). */
  readonly elapsed: number;
  /** All numbers tfjs logged (per-output losses and metrics of a multi-output model included). */
  readonly logs: Readonly<Record<string, number>>;
}

/** The end of a training run. */
export interface TrainResult {
  /** Logs of the last epoch (averaged over the batches it ran), or of the last batch if no epoch ended. */
  readonly logs: Readonly<Record<string, number>>;
  readonly loss: number | null;
  readonly metric: number | null;
  readonly metricName: string;
  /** Epochs that ran, the last possibly cut short by a stop. */
  readonly epochsRun: number;
  /** True when training ended early: a stop request, or a loss that became NaN or infinite (`nonFinite`). */
  readonly stopped: boolean;
  readonly elapsed: number;
  /**
   * Set when training stopped because the loss became NaN or ±∞: where (0-based epoch, 1-based batch) and
   * the value. Absent otherwise.
   */
  readonly nonFinite?: { readonly epoch: number; readonly batch: number; readonly loss: number };
}

/**
 * A histogram of a tensor's values: `counts` of equal bins over [min, max] (the last bin includes max), computed
 * from `sampled` values (every k-th when the tensor is larger than runtime/insight.ts HISTOGRAM_SAMPLE) of `total`.
 * `mean` and `std` are those of the sampled finite values; `nonFinite` counts NaN and ±∞ among them.
 */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  readonly counts: readonly number[];
  readonly sampled: number;
  readonly total: number;
  readonly nonFinite: number;
}

/** One layer in an insight snapshot. */
export interface LayerInsight {
  /** The layer's name (the node's Keras name). */
  readonly name: string;
  /** tfjs class name. */
  readonly className: string;
  /** One histogram per weight tensor (kernel, bias, gamma, moving_mean, …), in tfjs's order; name relative to the layer. */
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly trainable: boolean; readonly histogram: Histogram }[];
  /** The layer's (first) output on the probe batch. */
  readonly activation: Histogram;
  /**
   * For a layer whose output is a ReLU (core `outputActivationOf`): units (the last axis) whose output is 0 for every
   * sample and position of the probe batch (`samples` samples): dead ReLU units.
   */
  readonly dead?: { readonly units: number; readonly dead: number; readonly samples: number };
}

/** The first Conv2D layer's filters: each filter's kernel values in (row, column, input channel) order. */
export interface InsightFilters {
  readonly layer: string;
  readonly kernelSize: readonly [number, number];
  /** Input channels of the kernel. */
  readonly channels: number;
  /** Filters the layer has (`values` holds at most runtime/insight.ts INSIGHT_MAX_FILTERS of them). */
  readonly count: number;
  readonly values: readonly (readonly number[])[];
}

/** What the model looks like inside at one moment of training. */
export interface InsightSnapshot {
  /** 0-based epoch. */
  readonly epoch: number;
  /** Batches finished in that epoch (0: before training). */
  readonly batch: number;
  /** Batches finished since training started. */
  readonly seen: number;
  /** Samples in the probe batch the activations were computed on. */
  readonly probeSamples: number;
  readonly layers: readonly LayerInsight[];
  /** Layers after the first runtime/insight.ts INSIGHT_MAX_LAYERS, not shown. */
  readonly layersLeftOut?: number;
  readonly filters?: InsightFilters;
  /** Worker time this snapshot took, ms. */
  readonly costMs: number;
}

/** Main thread → worker. */
export type RuntimeRequest =
  | { readonly type: 'summary'; readonly id: number; readonly graph: Graph }
  | {
      readonly type: 'train';
      readonly id: number;
      readonly graph: Graph;
      readonly settings: TrainingSettings;
      /** Backend to train on; 'auto' or absent = time a few steps on each candidate and keep the fastest. */
      readonly backend?: BackendChoice;
      /** Send 'insight' events (histograms, dead ReLU units, filters) during training; absent = no. */
      readonly insight?: boolean;
    }
  | { readonly type: 'stop'; readonly id: number };

export interface SummaryEvent {
  readonly type: 'summary';
  readonly id: number;
  readonly summary: RuntimeSummary;
  readonly backend: BackendName;
}
/** Training began on `backend`; `reason` says in one sentence why that backend was chosen. */
export interface StartedEvent {
  readonly type: 'started';
  readonly id: number;
  readonly backend: BackendName;
  readonly reason: string;
  /** wasm only: the threads XNNPACK runs on (1 without cross-origin isolation or in Node). */
  readonly threads?: number;
  /** Whether the worker is cross-origin isolated (SharedArrayBuffer, so wasm threads, available). */
  readonly crossOriginIsolated?: boolean;
  /** Which dummy data this run uses. */
  readonly data?: DummyDataKind;
  /** The memory estimate the run was checked against (core estimateTrainingMemory), in bytes. */
  readonly memoryBytes?: number;
}
export interface TrainProgressEvent {
  readonly type: 'progress';
  readonly id: number;
  /** 'batch' after a batch (throttled by the worker), 'epoch' after every epoch. */
  readonly phase: 'batch' | 'epoch';
  readonly progress: TrainProgress;
}
export interface DoneEvent {
  readonly type: 'done';
  readonly id: number;
  /** Final logs, and `stopped` when a stop request ended training early. */
  readonly result: TrainResult;
  readonly backend: BackendName;
}
/**
 * A look inside the model: one before the first batch, then during training as often as the budget allows (a
 * twentieth of the training time: runtime/insight.ts `InsightSchedule`), and one at the end.
 */
export interface InsightEvent {
  readonly type: 'insight';
  readonly id: number;
  /** The snapshot; absent when taking one failed (`error`), after which the run sends no more and trains on. */
  readonly insight?: InsightSnapshot;
  /** Why no snapshot could be taken, a sentence. */
  readonly error?: string;
}
/** The request failed; `message` is a sentence for the user. */
export interface RuntimeErrorEvent {
  readonly type: 'error';
  readonly id: number;
  readonly message: string;
  /**
   * True when the failure happened inside training: tfjs 4.22 can then be left with its gradient tape open
   * and tensors it never frees (seen when a kernel is missing mid-fit), so the client replaces the worker
   * before its next request.
   */
  readonly restart?: boolean;
}

/** Worker → main thread. */
export type RuntimeEvent = SummaryEvent | StartedEvent | TrainProgressEvent | InsightEvent | DoneEvent | RuntimeErrorEvent;

/** Events a training's `onEvent` callback receives before its promise settles. */
export type TrainEvent = StartedEvent | TrainProgressEvent | InsightEvent;
