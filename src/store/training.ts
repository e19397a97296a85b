/**
 * The training session's status (not part of the model, not in the undo history): what runs, on which
 * backend, its progress and history of losses, and how it ended.
 */
import { create } from 'zustand';
import type { DummyDataKind, Graph, LayerNode } from '../core';
import type { BackendChoice, BackendName, InsightSnapshot, TrainProgress, TrainResult } from '../runtime/protocol';

export type TrainStatus = 'idle' | 'starting' | 'running' | 'stopping' | 'done' | 'stopped' | 'error';

export interface EpochPoint {
  readonly epoch: number;
  /** Global batch index at which the epoch ended (less than a full epoch when stopped). */
  readonly atBatch: number;
  readonly loss: number;
  readonly metric: number | null;
  readonly logs: Readonly<Record<string, number>>;
}

export interface TrainingSession {
  readonly status: TrainStatus;
  readonly backend: BackendName | null;
  readonly backendReason: string | null;
  /** wasm's thread count for this run (absent for other backends). */
  readonly threads: number | null;
  /** The dummy data the run uses. */
  readonly data: DummyDataKind | null;
  readonly progress: TrainProgress | null;
  /** Loss after each reported batch: [global batch index, loss]. */
  readonly batches: readonly (readonly [number, number])[];
  readonly epochs: readonly EpochPoint[];
  readonly result: TrainResult | null;
  readonly error: string | null;
  /** Samples per generated data set (for samples/s and the ETA). */
  readonly samples: number;
  /** The first batch report (global batch index, ms since start): samples/s is measured from it, so model
   *  building, data generation and the first (warm-up) batch do not count. */
  readonly rateFrom: { readonly seen: number; readonly elapsed: number } | null;
  /** When Stop was last clicked (ms since the epoch, Date.now()), or null: see `trainClickIgnored`. */
  readonly stopClickedAt: number | null;
  /** The graph this run trains (the canvas's when Train was clicked): results next to another model say so (`sameModelAs`). */
  readonly graph: Graph | null;
  /** The first look inside the model (before its first batch), when the run looks inside (runtime/insight.ts). */
  readonly insightFirst: InsightSnapshot | null;
  /** The latest look inside. */
  readonly insight: InsightSnapshot | null;
  /** Why the run could not (or could no longer) look inside, a sentence. */
  readonly insightError: string | null;
}

export const idleSession: TrainingSession = {
  status: 'idle',
  backend: null,
  backendReason: null,
  threads: null,
  data: null,
  progress: null,
  batches: [],
  epochs: [],
  result: null,
  error: null,
  samples: 0,
  rateFrom: null,
  stopClickedAt: null,
  graph: null,
  insightFirst: null,
  insight: null,
  insightError: null,
};

/** Nodes equal but for their positions (every other field compared by identity: edits make new objects). */
function sameNode(a: LayerNode, b: LayerNode): boolean {
  if (a === b) return true;
  const ka = Object.keys(a) as (keyof LayerNode)[];
  return ka.length === Object.keys(b).length && ka.every((k) => k === 'position' || a[k] === b[k]);
}

/**
 * True when `a` and `b` are the same model: equal but for node positions (a drag or a layout does not make a trained
 * model stale). Fields other than `nodes` are compared by identity, as the edit operations replace what they change.
 */
export function sameModelAs(a: Graph, b: Graph): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.edges !== b.edges || a.outputs !== b.outputs || a.nodes.length !== b.nodes.length) return false;
  return a.nodes.every((n, i) => sameNode(n, b.nodes[i]));
}

/**
 * How long after a click on Stop a click on Train is ignored, in ms. The Train / Stop button is one button
 * whose action follows the session; a run that ends quickly after Stop (before its first batch, or within one
 * batch) turns it back into Train before the second click of a double click lands. Operating systems count
 * two clicks within 500 ms as a double click by default (Windows' default; GNOME's is 400 ms).
 */
export const STOP_GUARD_MS = 600;

/**
 * True when a click on Train must not start a run: it is the second (or later) click of a multiple click
 * (`detail` > 1: a double click that began on Stop, or a double click on Train, which starts one run), or it
 * comes within STOP_GUARD_MS of a click on Stop.
 * @param now ms since the epoch; @param detail the click's `MouseEvent.detail` (click count; 0 from the
 *   keyboard); @param stopClickedAt the session's `stopClickedAt`
 */
export function trainClickIgnored(now: number, detail: number, stopClickedAt: number | null): boolean {
  if (detail > 1) return true;
  return stopClickedAt !== null && now - stopClickedAt >= 0 && now - stopClickedAt < STOP_GUARD_MS;
}

export const useTraining = create<TrainingSession & { patch(p: Partial<TrainingSession>): void }>()((set) => ({
  ...idleSession,
  patch: (p) => set(p),
}));

/** The backend the user asked for in the training panel ('auto': the worker times each candidate). Not saved. */
export const useBackendChoice = create<{ readonly choice: BackendChoice; set(choice: BackendChoice): void }>()((set) => ({
  choice: 'auto',
  set: (choice) => set({ choice }),
}));

/** Whether a run looks inside the model (histograms, dead ReLU units, filters: the Inside tab). On by default; not saved. */
export const useLookInside = create<{ readonly on: boolean; set(on: boolean): void }>()((set) => ({
  on: true,
  set: (on) => set({ on }),
}));
