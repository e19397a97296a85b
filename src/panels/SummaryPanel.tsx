/**
 * The Keras-style summary computed by the core (Layer (type), Output Shape, Param #, and Connected to
 * for graphs that are not one chain), the model's compute and activation totals (core/validate/cost.ts),
 * with tfjs's own `model.summary()` text on request.
 *
 * From WINDOW_FROM rows on, the table draws only the rows in view of the panel's scroll container (plus a margin) and
 * stands spacer rows in for the others, so an edit on a 1,000-layer model redraws a few dozen rows, not 1,000; copying
 * from such a table copies every row (`summaryTableText`).
 */
import { useDeferredValue, useEffect, useRef, useState, type ClipboardEvent } from 'react';
import { formatBytes, formatCompact, formatCount, formatShape, type Summary, type SummaryRow } from '../core';
import { useEditor } from '../store/editor';
import { analysisOf, costOf, modelOf, summaryOf } from '../store/derived';
import { useIdleValue } from '../store/useIdleValue';
import { isConsequence } from '../canvas/nodeProblems';
import { runtime } from '../app/runtime';
import './summary.css';

/**
 * A row's Output Shape cell as Keras 3 prints it (keras/src/utils/summary_utils.py `format_layer_shape`): one
 * output as `(None, 64)`; a layer returning several (an LSTM with return_state) as the list of every output's
 * shape, `[(None, 64), (None, 64), (None, 64)]`; 'multiple' for a shared layer whose calls differ; '?' unknown.
 */
export function summaryShape(r: SummaryRow): string {
  if (r.outputShapes && r.outputShapes.length > 1) return `[${r.outputShapes.map(formatShape).join(', ')}]`;
  return r.outputShape ? formatShape(r.outputShape) : r.calls > 1 ? 'multiple' : '?';
}

/** From this many rows on the table is windowed (only the rows in view are in the page). */
export const WINDOW_FROM = 200;
/** Rows drawn above and below the ones in view, so a short scroll shows drawn rows at once. */
const OVERSCAN = 20;
/** Row height assumed until a drawn row has been measured, in CSS pixels (a one-line row of the table). */
const ROW_HEIGHT_GUESS = 23;
/** Rows drawn while the panel has no height yet (its tab hidden): the first screenful. */
const FIRST_ROWS = 60;

/**
 * The whole table as tab-separated text, one line per row after a header line — Layer (type), Output Shape, Param #
 * and, for a Functional model, Connected to (joined by ", "): what copying from a windowed table puts on the clipboard.
 */
export function summaryTableText(s: Summary): string {
  const head = ['Layer (type)', 'Output Shape', 'Param #', ...(s.sequential ? [] : ['Connected to'])];
  const lines = s.rows.map((r) =>
    [`${r.name} (${r.className})`, summaryShape(r), formatCount(r.params), ...(s.sequential ? [] : [r.connectedTo.join(', ')])].join('\t'),
  );
  return [head.join('\t'), ...lines].join('\n');
}

/** The nearest ancestor of `el` that scrolls vertically (overflow-y auto or scroll), or null. */
function scrollParent(el: HTMLElement | null): HTMLElement | null {
  for (let p = el?.parentElement ?? null; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if (o === 'auto' || o === 'scroll') return p;
  }
  return null;
}

/**
 * The rows [start, end) of a windowed table of `count` rows of `rowHeight` px whose body starts `bodyTop` px below the
 * top of a scroll container showing `viewHeight` px (bodyTop is negative once scrolled past it), with OVERSCAN rows
 * either side; the first FIRST_ROWS while the container has no height (a hidden tab).
 */
export function visibleRows(count: number, rowHeight: number, bodyTop: number, viewHeight: number): { start: number; end: number } {
  if (viewHeight <= 0 || rowHeight <= 0) return { start: 0, end: Math.min(count, FIRST_ROWS) };
  const first = Math.floor(-bodyTop / rowHeight);
  const last = Math.ceil((viewHeight - bodyTop) / rowHeight);
  const start = Math.max(0, Math.min(count, first - OVERSCAN));
  return { start, end: Math.max(start, Math.min(count, last + OVERSCAN)) };
}

/**
 * Which rows of the table to draw: all below WINDOW_FROM rows; otherwise the rows in view of the table's scroll
 * container, followed as it scrolls or resizes. Returns the range, the row height used for the spacers, and the refs
 * to put on the table body and on its first drawn row (measured for the row height).
 */
function useRowWindow(count: number) {
  const windowed = count >= WINDOW_FROM;
  const body = useRef<HTMLTableSectionElement>(null);
  const firstRow = useRef<HTMLTableRowElement>(null);
  // What the measuring callback reads (kept out of its dependencies, so it is set up once, not on every edit).
  const live = useRef({ count, rowHeight: ROW_HEIGHT_GUESS, schedule: null as (() => void) | null });
  const [rowHeight, setRowHeight] = useState(ROW_HEIGHT_GUESS);
  const [range, setRange] = useState({ start: 0, end: FIRST_ROWS });
  useEffect(() => {
    if (!windowed) return;
    const st = live.current;
    // Found once: getComputedStyle on every update forced a style recalculation of the page mid-render (53 ms in the
    // CPU profile of a 1,000-layer import).
    const scroller = scrollParent(body.current);
    if (!scroller) return;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Measures once the next frame has been painted (an animation frame, then a task), once however many events came:
    // the page's layout is then already done, so reading it costs nothing. Read in the animation frame itself, right
    // after a 1,000-layer import, it forced the page's layout there (385 ms counted to getBoundingClientRect in the CPU
    // profile of a first import) and kept the frame from painting until then.
    const update = () => {
      frame = 0;
      timer = undefined;
      const tbody = body.current;
      if (!tbody) return;
      const measured = firstRow.current?.getBoundingClientRect().height ?? 0;
      if (measured > 0 && Math.abs(measured - st.rowHeight) > 0.5) {
        st.rowHeight = measured;
        setRowHeight(measured);
      }
      const top = tbody.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
      const r = visibleRows(st.count, st.rowHeight, top, scroller.clientHeight);
      setRange((old) => (old.start === r.start && old.end === r.end ? old : r));
    };
    const schedule = () => {
      if (!frame && !timer) frame = requestAnimationFrame(() => (timer = setTimeout(update, 0)));
    };
    st.schedule = schedule;
    schedule();
    scroller.addEventListener('scroll', schedule, { passive: true });
    const ro = typeof ResizeObserver !== 'undefined' ? new ResizeObserver(schedule) : null;
    ro?.observe(scroller);
    return () => {
      st.schedule = null;
      if (frame) cancelAnimationFrame(frame);
      clearTimeout(timer);
      scroller.removeEventListener('scroll', schedule);
      ro?.disconnect();
    };
  }, [windowed]);
  // A model with more or fewer rows: measure again.
  useEffect(() => {
    live.current.count = count;
    live.current.schedule?.();
  }, [count]);
  const start = windowed ? Math.min(range.start, count) : 0;
  const end = windowed ? Math.min(Math.max(range.end, start), count) : count;
  return { windowed, start, end, rowHeight, body, firstRow };
}

/**
 * From this many layers on, the summary is computed and drawn in the page's first idle period after an edit (at most
 * 150 ms later) instead of before the edit's frame is painted: on a 1,000-layer chain its rows take about 4 ms to
 * compute and as much to draw, which a delete's frame cannot spare. Smaller models follow at once.
 */
export const LAG_FROM = 300;

/**
 * The Keras-style summary of the canvas's model, with totals and tfjs's own printout on request. It follows the model
 * as a deferred value (React's useDeferredValue), so an edit renders the canvas first; a big model's summary waits
 * further, for the page to be idle once the edit's frame has been painted (`LAG_FROM`). Moving layers does not
 * redraw it.
 */
export function SummaryPanel() {
  // The model without positions (store/derived.ts modelOf): the same object while layers only move, so a drag does not
  // redraw the summary (in the dev server about 7 ms of each move on a 500-layer model).
  // A big model's summary follows in the page's next idle period, after the canvas has painted the edit (store/useIdleValue.ts).
  const model = useDeferredValue(useEditor((s) => modelOf(s.graph)));
  const graph = useIdleValue(model, model.nodes.length >= LAG_FROM);
  const select = useEditor((s) => s.select);
  const s = summaryOf(graph);
  const a = analysisOf(graph);
  const cost = costOf(graph);
  const [tfjs, setTfjs] = useState<{ graph: typeof graph; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const { windowed, start, end, rowHeight, body, firstRow } = useRowWindow(s.rows.length);
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
  const cols = s.sequential ? 3 : 4;
  // A windowed table has only some rows in the page: a copy from it gives the whole table as text.
  const onCopy = (e: ClipboardEvent) => {
    if (!windowed) return;
    e.preventDefault();
    e.clipboardData.setData('text/plain', summaryTableText(s));
  };
  return (
    <div className="summary">
      <div className="summary__main">
        <div className="summary__title">
          Model: “{s.name}” <span className="badge">{s.sequential ? 'Sequential' : 'Functional'}</span>
          {errors ? <span className="badge badge--error">{errors === 1 ? '1 problem' : `${errors} problems`}</span> : null}
        </div>
        <table className={`summary__table${windowed ? ' summary__table--windowed' : ''}`} data-testid="summary-table" data-rows={s.rows.length} onCopy={onCopy}>
          <thead>
            <tr>
              <th>Layer (type)</th>
              <th>Output Shape</th>
              <th className="num">Param #</th>
              {s.sequential ? null : <th>Connected to</th>}
            </tr>
          </thead>
          <tbody ref={body}>
            {start > 0 ? (
              <tr className="summary__spacer" aria-hidden="true" style={{ height: start * rowHeight }}>
                <td colSpan={cols} />
              </tr>
            ) : null}
            {s.rows.slice(start, end).map((r, i) => {
              // Red for a layer with a problem of its own; muted for one only cut off from every Input by a problem
              // before it (canvas/nodeProblems.ts).
              const errs = a.nodes.get(r.nodeId)?.diagnostics.filter((d) => d.severity === 'error') ?? [];
              const rowClass = !errs.length ? '' : errs.every(isConsequence) ? 'row-unreached' : 'row-error';
              return (
                <tr key={r.nodeId} ref={i === 0 ? firstRow : undefined} className={rowClass} onClick={() => select({ nodes: [r.nodeId], edges: [] })}>
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
            {end < s.rows.length ? (
              <tr className="summary__spacer" aria-hidden="true" style={{ height: (s.rows.length - end) * rowHeight }}>
                <td colSpan={cols} />
              </tr>
            ) : null}
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
