/**
 * The Keras-style summary computed by the core (Layer (type), Output Shape, Param #, and Connected to
 * for graphs that are not one chain), the model's compute and activation totals (core/validate/cost.ts),
 * with tfjs's own `model.summary()` text on request.
 */
import { useState } from 'react';
import { formatBytes, formatCompact, formatCount, formatShape, type SummaryRow } from '../core';
import { useEditor } from '../store/editor';
import { analysisOf, costOf, summaryOf } from '../store/derived';
import { runtime } from '../app/runtime';

/**
 * A row's Output Shape cell as Keras 3 prints it (keras/src/utils/summary_utils.py `format_layer_shape`): one
 * output as `(None, 64)`; a layer returning several (an LSTM with return_state) as the list of every output's
 * shape, `[(None, 64), (None, 64), (None, 64)]`; 'multiple' for a shared layer whose calls differ; '?' unknown.
 */
export function summaryShape(r: SummaryRow): string {
  if (r.outputShapes && r.outputShapes.length > 1) return `[${r.outputShapes.map(formatShape).join(', ')}]`;
  return r.outputShape ? formatShape(r.outputShape) : r.calls > 1 ? 'multiple' : '?';
}

export function SummaryPanel() {
  const graph = useEditor((s) => s.graph);
  const select = useEditor((s) => s.select);
  const s = summaryOf(graph);
  const a = analysisOf(graph);
  const cost = costOf(graph);
  const [tfjs, setTfjs] = useState<{ graph: typeof graph; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!graph.nodes.length) return <p className="muted pad">The summary appears here once the canvas has layers.</p>;
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  const askTfjs = async () => {
    setBusy(true);
    try {
      const r = await runtime().summary(graph);
      setTfjs({ graph, text: r.text });
    } catch (e) {
      setTfjs({ graph, text: `tfjs could not build this model: ${(e as Error).message}` });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="summary">
      <div className="summary__main">
        <div className="summary__title">
          Model: “{s.name}” <span className="badge">{s.sequential ? 'Sequential' : 'Functional'}</span>
          {errors ? <span className="badge badge--error">{errors === 1 ? '1 problem' : `${errors} problems`}</span> : null}
        </div>
        <table className="summary__table" data-testid="summary-table">
          <thead>
            <tr>
              <th>Layer (type)</th>
              <th>Output Shape</th>
              <th className="num">Param #</th>
              {s.sequential ? null : <th>Connected to</th>}
            </tr>
          </thead>
          <tbody>
            {s.rows.map((r) => {
              const bad = a.nodes.get(r.nodeId)?.diagnostics.some((d) => d.severity === 'error');
              return (
                <tr key={r.nodeId} className={bad ? 'row-error' : ''} onClick={() => select({ nodes: [r.nodeId], edges: [] })}>
                  <td>
                    {r.name} ({r.className})
                    {r.calls > 1 ? (
                      <span className="badge" title="A shared layer: one set of weights, counted once">
                        shared ×{r.calls}
                      </span>
                    ) : null}
                  </td>
                  <td className="mono">{summaryShape(r)}</td>
                  <td className="num">{formatCount(r.params)}</td>
                  {s.sequential ? null : <td className="mono">{r.connectedTo.join(', ')}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="summary__totals">
          <div>
            Total params: <b data-testid="summary-total">{formatCount(s.totals.total)}</b>
          </div>
          <div>Trainable params: {formatCount(s.totals.trainable)}</div>
          <div>Non-trainable params: {formatCount(s.totals.nonTrainable)}</div>
          <div title="Multiply-accumulates of the weighted products (Dense, convolutions, recurrent kernels at every step, Dot) for one sample; element-wise operations (bias, activations, normalization, pooling, merges) are not counted. A shared layer counts at every call.">
            MACs per sample: <b data-testid="summary-macs">{formatCount(cost.totals.macs)}</b>
            {cost.totals.macs >= 1000 ? <span className="muted"> ({formatCompact(cost.totals.macs)})</span> : null}
          </div>
          <div title="Values of every layer's output for one sample, the inputs included, and their size at 4 bytes each (float32)">
            Activations per sample:{' '}
            <span data-testid="summary-activations">
              {formatCount(cost.totals.activations)} values ({formatBytes(cost.totals.bytes)})
            </span>
          </div>
          {cost.unknown.length ? (
            <div className="muted small" data-testid="summary-not-counted">
              Not counted: {cost.unknown.length === 1 ? '1 layer' : `${cost.unknown.length} layers`} whose cost depends on a size the model leaves unknown
              (None).
            </div>
          ) : null}
        </div>
      </div>
      <div className="summary__tfjs">
        <button
          type="button"
          onClick={askTfjs}
          disabled={busy || !a.valid}
          title={a.valid ? 'Build the model in TensorFlow.js and print its own summary' : 'Fix the problems first'}
        >
          {busy ? 'Building in tfjs…' : 'tfjs model.summary()'}
        </button>
        {tfjs && tfjs.graph === graph ? (
          <pre className="tfjs-summary" data-testid="tfjs-summary">
            {tfjs.text}
          </pre>
        ) : (
          <p className="muted small">TensorFlow.js's own printout of the same model, to compare.</p>
        )}
      </div>
    </div>
  );
}
