/**
 * The training session's status (not part of the model, not in the undo history): what runs, on which
 * backend, its progress and history of losses, and how it ended.
 */
import { create } from 'zustand';
import type { DummyDataKind } from '../core';
import type { BackendChoice, BackendName, TrainProgress, TrainResult } from '../runtime/protocol';

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
}

export const idleSession: TrainingSession = {
  status: 'idle', backend: null, backendReason: null, threads: null, data: null, progress: null, batches: [], epochs: [], result: null, error: null, samples: 0, rateFrom: null,
};

export const useTraining = create<TrainingSession & { patch(p: Partial<TrainingSession>): void }>()((set) => ({
  ...idleSession,
  patch: (p) => set(p),
}));

/** The backend the user asked for in the training panel ('auto': the worker times each candidate). Not saved. */
export const useBackendChoice = create<{ readonly choice: BackendChoice; set(choice: BackendChoice): void }>()((set) => ({
  choice: 'auto',
  set: (choice) => set({ choice }),
}));
