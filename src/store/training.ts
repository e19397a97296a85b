/**
 * The training session's status (not part of the model, not in the undo history): what runs, on which
 * backend, its progress and history of losses, and how it ended.
 */
import { create } from 'zustand';
import type { BackendName, TrainProgress, TrainResult } from '../runtime/protocol';

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
  readonly progress: TrainProgress | null;
  /** Loss after each reported batch: [global batch index, loss]. */
  readonly batches: readonly (readonly [number, number])[];
  readonly epochs: readonly EpochPoint[];
  readonly result: TrainResult | null;
  readonly error: string | null;
  /** Samples per generated data set (for samples/s and the ETA). */
  readonly samples: number;
}

export const idleSession: TrainingSession = {
  status: 'idle', backend: null, backendReason: null, progress: null, batches: [], epochs: [], result: null, error: null, samples: 0,
};

export const useTraining = create<TrainingSession & { patch(p: Partial<TrainingSession>): void }>()((set) => ({
  ...idleSession,
  patch: (p) => set(p),
}));
