/**
 * The training panel: settings (dummy data: a learnable task or noise; the backend: Auto or one), Train /
 * Stop, the backend in use and why (with wasm's thread count), the memory the run needs, progress per epoch
 * and per batch with ETA and samples/s, the loss and metric of every epoch, and a live loss chart.
 * Training runs in the runtime's Web Worker; errors (a NaN loss included) are shown in words, never as a dead
 * panel.
 */
import { useMemo, type ReactNode } from 'react';
import {
  DEFAULT_DUMMY_DATA,
  DUMMY_DATA_KINDS,
  estimateTrainingMemory,
  formatBytes,
  formatFixed,
  formatRate,
  formatSeconds,
  memoryRefusal,
  OPTIMIZERS,
  trainingOutputs,
  trainingBlock,
  unknownDims,
  withTrialSizes,
  type DummyDataKind,
  type OptimizerName,
} from '../core';
import type { BackendChoice } from '../runtime/protocol';
import { useEditor } from '../store/editor';
import { analysisOf } from '../store/derived';
import { sameModelAs, useBackendChoice, useLookInside, useTraining } from '../store/training';
import { useUi } from '../store/ui';
import { nonFiniteAdvice } from './trainingAdvice';
import { LossChart, outputLossKeys } from './LossChart';
import { OutputTargets, targetText } from './OutputTargets';
import { onTrainClick, stopTraining } from './trainActions';
import { NumberSetting, TrialSize } from './TrainFields';

const DATA_LABEL: Record<DummyDataKind, string> = { task: 'Learnable task', noise: 'Noise' };

const DATA_TEXT: Record<DummyDataKind, string> = {
  task: 'a learnable task: inputs on a random low-dimensional manifold, labels a fixed random function of them, so the loss can fall',
  noise: 'noise: uniform random inputs in [0, 1), labels independent of them, so there is nothing to learn',
};

function Bar({ value, label }: { value: number; label: ReactNode }) {
  return (
    <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(value * 100)}>
      <div className="bar__fill" style={{ width: `${Math.min(100, value * 100)}%` }} />
      <span className="bar__label">{label}</span>
    </div>
  );
}

export function TrainPanel() {
  const graph = useEditor((s) => s.graph);
  const optimizer = useEditor((s) => s.training.optimizer);
  const training = useEditor((s) => s.training);
  const dataKind = training.data ?? DEFAULT_DUMMY_DATA;
  const backendChoice = useBackendChoice((s) => s.choice);
  const lookInside = useLookInside((s) => s.on);
  const t = useTraining();
  // Results of a run on another version of the model say so (positions do not count: sameModelAs).
  const stale = !!t.graph && t.status !== 'idle' && !sameModelAs(t.graph, graph);
  const a = analysisOf(graph);
  const busy = t.status === 'starting' || t.status === 'running' || t.status === 'stopping';
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  // A layer Layerlab cannot run (a Lambda from a file) is a warning that blocks training (core trainingBlock).
  const blocked = a.valid ? trainingBlock(a) : null;
  const p = t.progress;
  const seen = p ? p.epoch * p.batchesPerEpoch + p.batch : 0;
  const total = p ? p.epochs * p.batchesPerEpoch : 0;
  const perBatch = p && t.rateFrom && seen > t.rateFrom.seen ? (p.elapsed - t.rateFrom.elapsed) / (seen - t.rateFrom.seen) : p && seen ? p.elapsed / seen : 0;
  // Measured from the first batch report on (building the model, the data and the warm-up batch excluded).
  const from = t.rateFrom && seen > t.rateFrom.seen && p!.elapsed > t.rateFrom.elapsed ? t.rateFrom : { seen: 0, elapsed: 0 };
  const samplesPerSec = p && p.elapsed > from.elapsed ? ((seen - from.seen) * t.samples) / p.batchesPerEpoch / ((p.elapsed - from.elapsed) / 1000) : 0;
  const eta = p && busy ? ((total - seen) * perBatch) / 1000 : 0;
  // Unknown input sizes (None) take their trial sizes for the estimate and the data, as the run does.
  const unknown = useMemo(() => unknownDims(graph), [graph]);
  const trialGraph = useMemo(() => withTrialSizes(graph, training), [graph, training]);
  const ta = trialGraph === graph ? a : analysisOf(trialGraph);
  const memory = a.valid && ta.valid ? estimateTrainingMemory(trialGraph, ta, training) : null;
  const tooBig = memory ? memoryRefusal(memory) : null;
  const advice = t.result ? nonFiniteAdvice(t.result, training) : null;
  // With several outputs tfjs logs each output's loss as '<output name>_loss': one column each.
  const lossKeys = outputLossKeys(t.epochs);
  // One target per output tensor, named as the runtime names them (core trainingOutputs: encoder_state_h, …).
  const targets = a.valid && ta.valid ? trainingOutputs(trialGraph, ta, training.losses).map((o) => ({ name: o.name, target: o.target })) : [];
  return (
    <div className="train">
      <div className="train__settings">
        <NumberSetting k="epochs" />
        <NumberSetting k="batchSize" />
        <NumberSetting k="samples" />
        <label className="setting">
          <span>Optimizer</span>
          <select value={optimizer} disabled={busy} onChange={(e) => useEditor.getState().setTraining({ optimizer: e.target.value as OptimizerName })}>
            {OPTIMIZERS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <NumberSetting k="learningRate" />
        {unknown.length ? (
          <fieldset className="train__trial" data-testid="trial-sizes">
            <legend className="small">Training sizes for the model's None sizes</legend>
            {unknown.map((d) => (
              <TrialSize key={d.key} dim={d} />
            ))}
          </fieldset>
        ) : null}
        <label className="setting">
          <span>Dummy data</span>
          <select value={dataKind} disabled={busy} onChange={(e) => useEditor.getState().setTraining({ data: e.target.value as DummyDataKind })}>
            {DUMMY_DATA_KINDS.map((d) => (
              <option key={d} value={d}>
                {DATA_LABEL[d]}
              </option>
            ))}
          </select>
        </label>
        <label className="setting">
          <span>Backend</span>
          <select
            value={backendChoice}
            disabled={busy}
            title="Auto times a few training steps on each backend that can train the model and keeps the fastest"
            onChange={(e) => useBackendChoice.getState().set(e.target.value as BackendChoice)}
          >
            <option value="auto">Auto</option>
            <option value="wasm">wasm</option>
            <option value="webgl">webgl</option>
            <option value="cpu">cpu</option>
          </select>
        </label>
        <label
          className="setting setting--check"
          title="Histograms of every layer's weights and activations, dead ReLU units and the first Conv2D's filters, in the Inside tab (training slows by about a twentieth)"
        >
          <input type="checkbox" checked={lookInside} disabled={busy} onChange={(e) => useLookInside.getState().set(e.target.checked)} />
          <span>Look inside while training</span>
        </label>
        <div className="train__buttons">
          {/* One button whose action follows the session, so a double click on Stop never starts a run (trainClickIgnored). */}
          <button
            type="button"
            key="run"
            className={busy ? undefined : 'primary'}
            onClick={busy ? stopTraining : onTrainClick}
            disabled={busy ? t.status === 'stopping' : !a.valid || !!tooBig || !!blocked}
            title={
              busy
                ? 'Stop after the current batch'
                : !a.valid
                  ? 'Fix the problems first'
                  : blocked
                    ? blocked
                    : tooBig
                      ? 'The model would not fit in memory'
                      : 'Train on generated dummy data'
            }
          >
            {t.status === 'stopping' ? 'Stopping…' : busy ? 'Stop' : 'Train'}
          </button>
        </div>
        {!a.valid ? (
          <p className="muted small">
            {graph.nodes.length
              ? `Fix ${errors === 1 ? 'the problem' : `the ${errors} problems`} shown on the canvas to train.`
              : 'Add layers to train a model.'}
          </p>
        ) : blocked ? (
          <p className="muted small" data-testid="train-blocked">
            {blocked}
          </p>
        ) : null}
        {memory ? (
          tooBig ? (
            <p className="train__error small" role="alert" data-testid="memory-refusal">
              {tooBig}
            </p>
          ) : (
            <p
              className="muted small"
              data-testid="memory-estimate"
              title="weights + gradients + optimizer slots + activations of a batch (×2 for the backward pass) + the generated data set"
            >
              Memory for training: about {formatBytes(memory.total)} (limit {formatBytes(memory.limit)}).
            </p>
          )
        ) : null}
        <OutputTargets graph={graph} analysis={a} disabled={busy} />
        {targets.length ? (
          <div className="muted small train__targets" data-testid="dummy-data">
            Dummy data: {DATA_TEXT[t.data ?? dataKind]};{' '}
            {targets.map(({ name, target }, i) => (
              <span key={name}>
                {i ? '; ' : ''}
                {name}:{' '}
                {target.kind === 'regression'
                  ? `${(t.data ?? dataKind) === 'task' ? 'real-valued' : 'random normal'} targets, mean squared error`
                  : targetText(target)}
              </span>
            ))}
            .
          </div>
        ) : null}
      </div>
      <div className="train__run">
        {stale && busy ? (
          <p className="notice small" data-testid="train-stale">
            Training the model as it was when Train was clicked: your changes since then count from the next run.
          </p>
        ) : null}
        {t.backend ? (
          <p className="small" data-testid="backend">
            Backend:{' '}
            <b>
              {t.backend}
              {t.backend === 'wasm' && t.threads ? ` (${t.threads} thread${t.threads === 1 ? '' : 's'})` : ''}
            </b>{' '}
            — {t.backendReason}
          </p>
        ) : t.status === 'starting' ? (
          <p className="small muted">
            {backendChoice === 'auto'
              ? 'Loading TensorFlow.js and timing a few training steps on each backend…'
              : 'Loading TensorFlow.js and building the model…'}
          </p>
        ) : null}
        {p ? (
          <>
            <Bar value={(p.epoch + p.batch / p.batchesPerEpoch) / p.epochs} label={`Epoch ${Math.min(p.epoch + 1, p.epochs)} / ${p.epochs}`} />
            <Bar value={p.batch / p.batchesPerEpoch} label={`Batch ${p.batch} / ${p.batchesPerEpoch}`} />
            <p className="small muted">
              {samplesPerSec ? `${formatRate(samplesPerSec)} samples/s` : ''}
              {busy && eta ? ` · about ${eta < 90 ? `${Math.ceil(eta)} s` : `${Math.ceil(eta / 60)} min`} left` : ''}
            </p>
          </>
        ) : null}
        {t.status === 'error' ? (
          <p className="train__error" role="alert">
            {t.error}
          </p>
        ) : null}
        {advice ? (
          <p className="train__error" role="alert" data-testid="non-finite">
            {advice}
          </p>
        ) : null}
        {stale && !busy ? (
          <p className="notice small" data-testid="train-stale">
            These results are from an earlier version of the model: it changed since. Train again to see this one.
          </p>
        ) : null}
        {t.result ? (
          <p data-testid="final-loss">
            {t.result.nonFinite
              ? `Stopped (loss not finite) in epoch ${t.result.epochsRun}`
              : t.result.stopped
                ? t.result.epochsRun
                  ? `Stopped in epoch ${t.result.epochsRun}`
                  : 'Stopped before the first batch'
                : `Done after ${t.result.epochsRun} epoch${t.result.epochsRun === 1 ? '' : 's'}`}{' '}
            · final loss <b>{formatFixed(t.result.loss)}</b>
            {t.result.metric !== null ? ` · ${t.result.metricName} ${formatFixed(t.result.metric)}` : ''} · {formatSeconds(t.result.elapsed)}
          </p>
        ) : null}
        {t.insight ? (
          <p className="small">
            <button type="button" className="linklike" onClick={() => useUi.getState().setDockTab('inside')}>
              Look inside the model →
            </button>
          </p>
        ) : null}
        {t.epochs.length ? (
          <table className="train__epochs">
            <thead>
              <tr>
                <th>Epoch</th>
                <th className="num">Loss</th>
                {lossKeys.map((k) => (
                  <th key={k} className="num">
                    {k}
                  </th>
                ))}
                <th className="num">{p?.metricName ?? 'metric'}</th>
              </tr>
            </thead>
            <tbody>
              {t.epochs.map((e) => (
                <tr key={e.epoch}>
                  <td>{e.epoch + 1}</td>
                  <td className="num">{formatFixed(e.loss)}</td>
                  {lossKeys.map((k) => (
                    <td key={k} className="num" data-testid={`epoch-${k}`}>
                      {formatFixed(e.logs[k])}
                    </td>
                  ))}
                  <td className="num">{formatFixed(e.metric)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
      <div className="train__chart">
        {t.batches.length ? <LossChart batches={t.batches} epochs={t.epochs} /> : <p className="muted small">The loss chart appears when training starts.</p>}
      </div>
    </div>
  );
}
