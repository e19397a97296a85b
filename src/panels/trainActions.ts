/**
 * Starting and stopping a training run from the Train tab: the run trains the graph on the canvas at that moment with
 * the current settings in the runtime's worker, and its events fill the training session (store/training.ts).
 */
import type { MouseEvent } from 'react';
import { runtime } from '../app/runtime';
import { useEditor } from '../store/editor';
import { idleSession, trainClickIgnored, useBackendChoice, useLookInside, useTraining } from '../store/training';

/** Starts training the current graph with the current settings. */
export async function startTraining(): Promise<void> {
  const { graph, training } = useEditor.getState();
  const t = useTraining.getState();
  if (t.status === 'starting' || t.status === 'running' || t.status === 'stopping') return;
  t.patch({ ...idleSession, status: 'starting', samples: training.samples, graph });
  try {
    const result = await runtime().train(
      graph,
      training,
      (e) => {
        const s = useTraining.getState();
        if (e.type === 'insight') {
          if (e.insight) s.patch({ insight: e.insight, ...(s.insightFirst ? {} : { insightFirst: e.insight }) });
          else s.patch({ insightError: e.error ?? 'The look inside the model stopped.' });
        } else if (e.type === 'started')
          s.patch({
            status: s.status === 'stopping' ? 'stopping' : 'running',
            backend: e.backend,
            backendReason: e.reason,
            threads: e.threads ?? null,
            data: e.data ?? null,
          });
        else if (e.phase === 'batch') {
          const p = e.progress;
          const seen = p.epoch * p.batchesPerEpoch + p.batch;
          s.patch({ progress: p, batches: [...s.batches, [seen, p.loss]], ...(s.rateFrom ? {} : { rateFrom: { seen, elapsed: p.elapsed } }) });
        } else {
          const p = e.progress;
          s.patch({
            progress: p,
            epochs: [...s.epochs, { epoch: p.epoch, atBatch: p.epoch * p.batchesPerEpoch + p.batch, loss: p.loss, metric: p.metric, logs: p.logs }],
          });
        }
      },
      useBackendChoice.getState().choice,
      { insight: useLookInside.getState().on },
    );
    useTraining.getState().patch({ status: result.stopped ? 'stopped' : 'done', result });
  } catch (e) {
    useTraining.getState().patch({ status: 'error', error: (e as Error).message });
  }
}

/** Asks the running training to stop after its current batch (and remembers when: see `trainClickIgnored`). */
export function stopTraining(): void {
  const t = useTraining.getState();
  if (t.status !== 'running' && t.status !== 'starting') return;
  t.patch({ status: 'stopping', stopClickedAt: Date.now() });
  runtime().stop();
}

/** A click on Train: starts a run unless it is the tail of a double click or follows Stop too closely. */
export function onTrainClick(e: MouseEvent<HTMLButtonElement>): void {
  if (trainClickIgnored(Date.now(), e.detail, useTraining.getState().stopClickedAt)) return;
  void startTraining();
}
