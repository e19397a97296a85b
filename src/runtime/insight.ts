/**
 * A look inside a model while it trains: per layer, a histogram of each weight tensor and of the layer's output
 * (its activations) on a fixed probe batch, the share of dead units of a layer whose output is a ReLU, and the first
 * Conv2D layer's filters. Computed in the training worker between batches (train.ts), as often as a budget allows
 * (`InsightSchedule`: a twentieth of the training time, so that training slows by well under a tenth), and sent to the page as plain data
 * (protocol.ts `InsightSnapshot`).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { outputActivationOf, type Graph } from '../core';
import type { TF } from './buildModel';
import type { Histogram, InsightFilters, InsightSnapshot, LayerInsight } from './protocol';

/** Bins of every histogram. */
export const HISTOGRAM_BINS = 24;
/** Most values a histogram is computed from; a larger tensor is sampled at an even stride (on the device). */
export const HISTOGRAM_SAMPLE = 8192;
/** Samples in the probe batch the activations are computed on (fewer when the data set is smaller). */
export const PROBE_SAMPLES = 32;
/** Most layers a snapshot covers (the first ones in the model's order); a larger model is cut, and says so. */
export const INSIGHT_MAX_LAYERS = 300;
/** Most filters of the first Conv2D drawn. */
export const INSIGHT_MAX_FILTERS = 32;
/** Activations Layerlab counts as ReLUs for the dead-unit share (core `outputActivationOf`). */
const RELU = new Set(['relu', 'relu6']);

/**
 * A histogram of `values` over [min, max] in `bins` equal bins (the last bin includes max), with their mean and
 * standard deviation (population). Non-finite values are left out and counted in `nonFinite`. All values equal: one
 * full bin in the middle. `total` is the size of the tensor the values were sampled from (≥ values.length).
 */
export function histogramOf(values: ArrayLike<number>, total = values.length, bins = HISTOGRAM_BINS): Histogram {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let n = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    n++;
  }
  const counts = new Array<number>(bins).fill(0);
  if (!n) return { min: 0, max: 0, mean: 0, std: 0, counts, sampled: 0, total, nonFinite };
  const mean = sum / n;
  let sq = 0;
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    sq += (v - mean) * (v - mean);
    counts[width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : bins >> 1]++;
  }
  return { min, max, mean, std: Math.sqrt(sq / n), counts, sampled: n + nonFinite, total, nonFinite };
}

/** The flat values of `t` (at most `HISTOGRAM_SAMPLE`, every k-th when larger), as a tensor to download. Inside tidy. */
function sampled(tf: TF, t: tfjs.Tensor): tfjs.Tensor {
  const flat = t.reshape([-1]);
  if (flat.size <= HISTOGRAM_SAMPLE) return flat;
  const step = Math.ceil(flat.size / HISTOGRAM_SAMPLE);
  return tf.gather(flat, tf.range(0, flat.size, step, 'int32'));
}

/** What `createInsight` needs to know about the run. */
export interface InsightSource {
  /** The graph the model was built from (trial sizes applied): which layers end in a ReLU. */
  readonly graph: Graph;
  /** The model's training inputs, one per model input (the first `PROBE_SAMPLES` samples are the probe batch). */
  readonly xs: readonly tfjs.Tensor[];
}

/** Takes snapshots of one model; `dispose()` frees the probe batch. */
export interface InsightProbe {
  /** A snapshot after batch `batch` (1-based; 0 before training) of epoch `epoch` (0-based), `seen` batches in all. */
  snapshot(at: { epoch: number; batch: number; seen: number }): Promise<InsightSnapshot>;
  dispose(): void;
}

/**
 * A weight's name relative to its layer, as Keras names it: tfjs names variables `<layer>/<weight>` and appends `_1`,
 * `_2`, … when a model built earlier in the same worker used the name (dense/kernel_1); both are taken off.
 */
export function weightName(layer: string, variable: string): string {
  const own = variable.startsWith(`${layer}/`) ? variable.slice(layer.length + 1) : variable;
  return own.replace(/_\d+$/, '');
}

/** What a snapshot downloads for one layer (tensors kept out of the snapshot's tidy). */
interface Pending {
  readonly weights: readonly { name: string; shape: number[]; trainable: boolean; values: tfjs.Tensor; total: number }[];
  readonly act: tfjs.Tensor;
  readonly actTotal: number;
  /** Per unit (last axis), the largest output over the probe batch: for a ReLU layer only. */
  readonly unitMax?: tfjs.Tensor;
}

/** The first output of a layer's first call (a layer returning several tensors: its first). */
function firstOutput(layer: tfjs.layers.Layer): tfjs.SymbolicTensor {
  const out = layer.getOutputAt(0);
  return Array.isArray(out) ? out[0] : out;
}

/**
 * Prepares snapshots of `model`: a second model over the same layers (no copies: the same weights) whose outputs
 * are every layer's first output, and the probe batch (the first `PROBE_SAMPLES` samples of each input).
 * Layers without a tensor output of their own (InputLayer) are left out; a layer called several times (a shared
 * layer) is shown once, with its first call's output.
 * @throws Error from tfjs when the model's layers cannot be wired into the probe model (not seen so far)
 */
export function createInsight(tf: TF, model: tfjs.LayersModel, source: InsightSource): InsightProbe {
  const all = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const layers = all.slice(0, INSIGHT_MAX_LAYERS);
  const probe = tf.model({ inputs: model.inputs, outputs: layers.map(firstOutput) });
  const n = Math.min(PROBE_SAMPLES, source.xs[0]?.shape[0] ?? 0);
  const probeXs = source.xs.map((x) => x.slice(0, n));
  const relu = new Set(source.graph.nodes.filter((node) => RELU.has(outputActivationOf(node) ?? '')).map((node) => node.name));
  const conv = layers.find((l) => l.getClassName() === 'Conv2D');
  return {
    async snapshot(at) {
      const t0 = performance.now();
      // Everything the snapshot downloads, computed in one tidy: weights and activations sampled, per-unit maxima.
      const pending = tf.tidy((): tfjs.TensorContainer => {
        const outs = probe.predict(probeXs.length === 1 ? probeXs[0] : [...probeXs]);
        const acts = Array.isArray(outs) ? outs : [outs];
        return layers.map((layer, i) => {
          const act = acts[i];
          const weights = layer.weights.map((w) => {
            const v = w.read();
            return { name: weightName(layer.name, w.name), shape: [...v.shape], trainable: w.trainable, values: sampled(tf, v), total: v.size };
          });
          const isRelu = relu.has(layer.name) && act.rank >= 2;
          return {
            weights,
            act: sampled(tf, act),
            actTotal: act.size,
            ...(isRelu ? { unitMax: act.max(Array.from({ length: act.rank - 1 }, (_x, k) => k)) } : {}),
          };
        });
      }) as unknown as Pending[];
      try {
        const out: LayerInsight[] = [];
        for (let i = 0; i < layers.length; i++) {
          const p = pending[i];
          const weights = [];
          for (const w of p.weights)
            weights.push({ name: w.name, shape: w.shape, trainable: w.trainable, histogram: histogramOf(await w.values.data(), w.total) });
          const activation = histogramOf(await p.act.data(), p.actTotal);
          let dead: LayerInsight['dead'];
          if (p.unitMax) {
            const max = await p.unitMax.data();
            let d = 0;
            for (let k = 0; k < max.length; k++) if (!(max[k] > 0)) d++;
            dead = { units: max.length, dead: d, samples: n };
          }
          out.push({ name: layers[i].name, className: layers[i].getClassName(), weights, activation, ...(dead ? { dead } : {}) });
        }
        const filters = conv ? await filtersOf(tf, conv) : undefined;
        return {
          ...at,
          probeSamples: n,
          layers: out,
          ...(all.length > layers.length ? { layersLeftOut: all.length - layers.length } : {}),
          ...(filters ? { filters } : {}),
          costMs: performance.now() - t0,
        };
      } finally {
        for (const p of pending) tf.dispose([p.act, ...(p.unitMax ? [p.unitMax] : []), ...p.weights.map((w) => w.values)]);
      }
    },
    dispose() {
      tf.dispose(probeXs);
    },
  };
}

/**
 * The first `INSIGHT_MAX_FILTERS` filters of a Conv2D layer, from its kernel (kernel_size[0], kernel_size[1],
 * input channels, filters): each filter's values in (row, column, channel) order, channels-last; `channels` is the
 * kernel's input channel count (the page draws 3 as RGB, else the mean over channels as grey).
 */
async function filtersOf(tf: TF, layer: tfjs.layers.Layer): Promise<InsightFilters | undefined> {
  const kernel = layer.weights[0]?.read();
  if (!kernel || kernel.rank !== 4) return undefined;
  const [kh, kw, channels, count] = kernel.shape;
  const shown = Math.min(count, INSIGHT_MAX_FILTERS);
  const t = tf.tidy(() => kernel.slice([0, 0, 0, 0], [kh, kw, channels, shown]).transpose([3, 0, 1, 2]));
  try {
    const values = Array.from(await t.data());
    const per = kh * kw * channels;
    return {
      layer: layer.name,
      kernelSize: [kh, kw],
      channels,
      count,
      values: Array.from({ length: shown }, (_x, f) => values.slice(f * per, (f + 1) * per)),
    };
  } finally {
    t.dispose();
  }
}

/**
 * When to take the next snapshot so that taking them costs at most `share` of the training time: after a snapshot
 * that took c ms, the next waits until training has run c · (1 − share) / share ms (a twentieth, the default: 19 c), and
 * never less than `minIntervalMs` (the page gains nothing from more than a few updates a second). The default share
 * leaves room for what the snapshot's own time does not show (posting it, the page drawing it): measured by
 * `npm run bench` (section 5), the bound is a tenth.
 */
export class InsightSchedule {
  private last = -Infinity;
  private wait = 0;
  constructor(
    private readonly share = 0.05,
    private readonly minIntervalMs = 500,
  ) {}
  /** True when a snapshot is due at `now` (ms, performance.now()). The first is due at once. */
  due(now: number): boolean {
    return now - this.last >= this.wait;
  }
  /** Records a snapshot that ended at `now` and took `costMs`. */
  taken(now: number, costMs: number): void {
    this.last = now;
    this.wait = Math.max(this.minIntervalMs, (costMs * (1 - this.share)) / this.share);
  }
}
