/**
 * How much memory training a graph needs, estimated before anything is allocated, and whether it fits.
 * Pure: computed from the analysis (shapes, parameter counts) and the training settings.
 *
 * Formula (every value float32, 4 bytes; B = batch size, S = samples, T / N = trainable / non-trainable
 * parameters):
 * - weights        = 4 · (T + N)
 * - gradients      = 4 · T                       (one gradient per trainable weight, live during the update)
 * - optimizer      = 4 · T · k, k = 2 for adam (first and second moments) and rmsprop (mean square and
 *                    momentum: tfjs's RMSPropOptimizer keeps both), 0 for plain sgd
 *                    (tfjs-core optimizers/adam_optimizer.ts, rmsprop_optimizer.ts; `OPTIMIZER_DEFS` slots)
 * - activations    = 4 · B · Σ_layers (elements of the layer's output per sample) · 2
 *                    — the forward pass keeps every layer's output for the backward pass, and the backward
 *                    pass holds a gradient of the same size for each while it runs; 2× is the usual bound
 *                    (inputs count as layers: the batch copy of the data).
 * - data set       = 4 · S · (Σ_inputs elements per sample + Σ_outputs label elements per sample)
 *                    — the generated dummy data stays in memory for the whole run.
 * Kernel scratch space (XNNPACK's packed weights, im2col buffers) is not counted; the limit leaves room
 * for it.
 */
import type { Graph, Shape } from './graph/types';
import type { Analysis } from './validate/analyze';
import { OPTIMIZER_DEFS, trainingOutputs, type TrainingOutput, type TrainingSettings } from './training';
import { formatBytes } from './format';

/** Bytes per value (float32). */
export const BYTES_PER_VALUE = 4;

/**
 * The most a training run may need, in bytes: 2 GiB. The wasm backend's heap cannot grow past 4 GiB
 * (tfjs-backend-wasm is built with a 4 GiB maximum memory, wasm32) and also holds kernel scratch space and
 * fragmentation; browsers kill tabs well before using all of a machine's memory; and a 2 GiB tensor is past
 * what one ArrayBuffer may hold in some browsers.
 */
export const TRAINING_MEMORY_LIMIT = 2 * 1024 ** 3;

export interface MemoryEstimate {
  /** Bytes of each part (see the formula above). */
  readonly weights: number;
  readonly gradients: number;
  readonly optimizer: number;
  readonly activations: number;
  readonly data: number;
  /** Sum of the parts, in bytes. */
  readonly total: number;
  /** The limit compared against, in bytes. */
  readonly limit: number;
  /** total ≤ limit. */
  readonly fits: boolean;
}

/** Elements per sample of a shape with the batch axis first (unknown dimensions count as 1). */
const perSample = (shape: Shape): number => shape.slice(1).reduce<number>((p, d) => p * (d ?? 1), 1);

/**
 * The memory estimate of training a valid graph with these settings (formula in the module comment).
 * Nodes whose output shape is unknown count as 0 (an invalid graph cannot be trained anyway).
 * Finite for every graph the validator accepts (its counts are at most 2⁵³ − 1, and the settings are bounded
 * by `checkTrainingSettings`); byte figures past 2⁵³ are rounded to a double's 53 bits, far below the
 * 3 digits `formatBytes` shows, and only ever compared with the 2 GiB limit. A non-finite total (settings
 * outside their bounds) does not fit.
 * @param limit bytes allowed (default TRAINING_MEMORY_LIMIT)
 */
export function estimateTrainingMemory(
  graph: Graph,
  analysis: Analysis,
  settings: Pick<TrainingSettings, 'batchSize' | 'samples' | 'optimizer' | 'losses'>,
  limit = TRAINING_MEMORY_LIMIT,
): MemoryEstimate {
  const { trainable, nonTrainable } = analysis.totals;
  const weights = BYTES_PER_VALUE * (trainable + nonTrainable);
  const gradients = BYTES_PER_VALUE * trainable;
  const optimizer = BYTES_PER_VALUE * trainable * (OPTIMIZER_DEFS[settings.optimizer]?.slots ?? 2);
  let perSampleActivations = 0;
  for (const info of analysis.nodes.values()) if (info.outputShape) perSampleActivations += perSample(info.outputShape);
  const batch = Math.min(settings.batchSize, settings.samples);
  const activations = BYTES_PER_VALUE * batch * perSampleActivations * 2;
  let dataPerSample = 0;
  for (const id of analysis.inputs) {
    const shape = analysis.nodes.get(id)?.outputShape;
    if (shape) dataPerSample += perSample(shape);
  }
  // One label tensor per output tensor (trainingOutputs: an LSTM's states and attention scores get theirs).
  const outputs = labelsOf(graph, analysis, settings);
  for (const o of outputs) dataPerSample += o.target.labelShape.reduce((p, d) => p * d, 1);
  const data = BYTES_PER_VALUE * settings.samples * dataPerSample;
  const total = weights + gradients + optimizer + activations + data;
  return { weights, gradients, optimizer, activations, data, total, limit, fits: Number.isFinite(total) && total <= limit };
}

/** The model's output tensors with their targets, or none when one has no known shape (an invalid graph). */
function labelsOf(graph: Graph, analysis: Analysis, settings: Pick<TrainingSettings, 'losses'>): TrainingOutput[] {
  try {
    return trainingOutputs(graph, analysis, settings.losses);
  } catch {
    return [];
  }
}

/**
 * The refusal for an estimate that does not fit, naming the figure, the limit and the largest part;
 * null when it fits.
 */
export function memoryRefusal(e: MemoryEstimate): string | null {
  if (e.fits) return null;
  const parts: [string, number][] = [
    ['weights', e.weights],
    ['gradients', e.gradients],
    ['optimizer slots', e.optimizer],
    ['activations of a batch', e.activations],
    ['the generated data set', e.data],
  ];
  const [name, size] = parts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return `Training this model would need about ${formatBytes(e.total)} of memory, more than the ${formatBytes(e.limit)} Layerlab allows in a browser tab (largest part: ${name}, ${formatBytes(size)}). Make the largest layers smaller, or lower the batch size or the number of samples.`;
}
