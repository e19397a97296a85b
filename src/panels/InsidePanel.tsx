/**
 * The Inside tab: what the model looks like inside while it trains (runtime/insight.ts, computed in the training
 * worker). Per layer, histograms of its weights and of its activations on a probe batch, the current one filled over
 * the one before training (outlined), the share of dead ReLU units (flagged from a fifth), and the first Conv2D's
 * filters as small images. A row selects its layer on the canvas; the selected layer's row is marked.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { formatCount } from '../core';
import type { Histogram, InsightFilters, LayerInsight } from '../runtime/protocol';
import { useEditor } from '../store/editor';
import { useShallow } from 'zustand/react/shallow';
import { sameModelAs, useLookInside, useTraining } from '../store/training';
import { useUi } from '../store/ui';
import { DEAD_FLAG, filterImage, histogramPath, num, peakDensity, shapeText, sharedRange } from './insightView';
import './inside.css';

const W = 132;
const H = 30;

/** One histogram (filled) over the one before training (outlined), on a shared axis; its range and moments below. */
function HistogramChart({ now, first, label }: { now: Histogram; first?: Histogram; label: string }) {
  const [lo, hi] = sharedRange([now, first]);
  const peak = peakDensity([now, first], lo, hi, W);
  const sampledNote = now.sampled < now.total ? `, from ${formatCount(now.sampled)} of ${formatCount(now.total)} values` : '';
  const title = `${label}: min ${num(now.min)}, max ${num(now.max)}, mean ${num(now.mean)}, std ${num(now.std)}${sampledNote}${
    now.nonFinite ? `; ${formatCount(now.nonFinite)} not finite` : ''
  }${first ? `. Before training: mean ${num(first.mean)}, std ${num(first.std)}` : ''}`;
  return (
    <figure className="hist" title={title}>
      <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {first ? <path className="hist__first" d={histogramPath(first, lo, hi, W, H, peak)} /> : null}
        <path className="hist__now" d={histogramPath(now, lo, hi, W, H, peak)} />
        {lo < 0 && hi > 0 ? <line className="hist__zero" x1={((0 - lo) / (hi - lo)) * W} x2={((0 - lo) / (hi - lo)) * W} y1={0} y2={H} /> : null}
      </svg>
      <figcaption>
        <span>{num(lo)}</span>
        <span className="hist__moments">
          μ {num(now.mean)} σ {num(now.std)}
        </span>
        <span>{num(hi)}</span>
      </figcaption>
    </figure>
  );
}

/** The filters as one pixelated image, each filter scaled on its own. */
function Filters({ f }: { f: InsightFilters }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const img = filterImage(f);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx || !img.width || !img.height) return;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.rgba), img.width, img.height), 0, 0);
  }, [img]);
  const scale = Math.max(2, Math.min(8, Math.floor(220 / Math.max(img.height, 1)), Math.floor(520 / Math.max(img.width, 1))));
  return (
    <section className="inside__filters" aria-label="Filters of the first Conv2D layer">
      <h4>
        Filters of <b>{f.layer}</b>
      </h4>
      <canvas
        ref={ref}
        width={img.width}
        height={img.height}
        style={{ width: img.width * scale, height: img.height * scale }}
        data-testid="inside-filters"
        aria-label={`${f.values.length} filters of ${f.kernelSize.join('×')}`}
      />
      <p className="muted small">
        {f.values.length < f.count ? `The first ${f.values.length} of ${f.count}` : `All ${f.count}`} filters, {f.kernelSize.join('×')},{' '}
        {f.channels === 3 ? 'input channels as red, green, blue' : f.channels === 1 ? 'grey' : `mean of ${f.channels} input channels in grey`}; each scaled from
        its smallest weight (dark) to its largest (light).
      </p>
    </section>
  );
}

/** A layer's row. Memoised: a new snapshot re-renders only rows whose data changed identity (all of them, once). */
const LayerRow = memo(function LayerRow({
  layer,
  first,
  selected,
  onSelect,
}: {
  layer: LayerInsight;
  first?: LayerInsight;
  selected: boolean;
  onSelect: (name: string) => void;
}) {
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const deadShare = layer.dead && layer.dead.units ? layer.dead.dead / layer.dead.units : 0;
  return (
    <tr ref={ref} className={selected ? 'selected' : ''} onClick={() => onSelect(layer.name)} data-testid="inside-row" data-layer={layer.name}>
      <th scope="row">
        <button type="button" className="linklike" onClick={() => onSelect(layer.name)}>
          {layer.name}
        </button>
        <div className="muted small">{layer.className}</div>
      </th>
      <td>
        {layer.weights.length ? (
          <div className="inside__weights">
            {layer.weights.map((w, i) => (
              <div key={`${i}-${w.name}`} className="inside__weight">
                <div className="small muted">
                  {w.name} <span className="inside__shape">{shapeText(w.shape)}</span>
                  {w.trainable ? '' : ' · not trained'}
                </div>
                <HistogramChart
                  now={w.histogram}
                  first={first?.weights[i]?.name === w.name ? first.weights[i].histogram : undefined}
                  label={`${layer.name} ${w.name}`}
                />
              </div>
            ))}
          </div>
        ) : (
          <span className="muted small">no weights</span>
        )}
      </td>
      <td>
        <HistogramChart now={layer.activation} first={first?.activation} label={`${layer.name} output`} />
      </td>
      <td className={deadShare >= DEAD_FLAG ? 'inside__dead inside__dead--flag' : 'inside__dead'} data-testid={layer.dead ? 'inside-dead' : undefined}>
        {layer.dead ? (
          <div
            title={`Units (the last axis) whose output is 0 for all ${layer.dead.samples} probe samples${deadShare >= DEAD_FLAG ? ': a fifth or more of this layer has stopped learning' : ''}`}
          >
            {deadShare >= DEAD_FLAG ? '⚠ ' : ''}
            {formatCount(layer.dead.dead)} / {formatCount(layer.dead.units)} ({Math.round(deadShare * 100)} %)
            {first?.dead && first !== layer ? <div className="muted small">before training: {formatCount(first.dead.dead)}</div> : null}
          </div>
        ) : (
          <span className="muted small">—</span>
        )}
      </td>
    </tr>
  );
});

const selectLayer = (name: string) => {
  const { graph, select } = useEditor.getState();
  select({ nodes: graph.nodes.filter((n) => n.name === name).map((n) => n.id), edges: [] });
};

export function InsidePanel() {
  // Only what this tab shows (not the progress, which changes ten times a second), and frozen while the tab is hidden:
  // a training's snapshots then cost the page nothing (the tab stays mounted, keeping its scroll position).
  const visible = useUi((s) => s.dockOpen && s.dockTab === 'inside');
  const live = useTraining(
    useShallow((s) => ({ status: s.status, graph: s.graph, insight: s.insight, insightFirst: s.insightFirst, insightError: s.insightError })),
  );
  // react.dev "adjusting some state when a prop changes": what is shown follows the store only while visible.
  const [t, setShown] = useState(live);
  if (visible && t !== live) setShown(live);
  const on = useLookInside((s) => s.on);
  const graph = useEditor((s) => s.graph);
  const selectedNames = useEditor((s) => {
    const ids = new Set(s.selection.nodes);
    return s.graph.nodes
      .filter((n) => ids.has(n.id))
      .map((n) => n.name)
      .join('\n');
  });
  const chosen = new Set(selectedNames.split('\n'));
  const snap = t.insight;
  const busy = t.status === 'starting' || t.status === 'running' || t.status === 'stopping';
  if (!snap)
    return (
      <div className="inside inside--empty">
        <p className="muted">
          {t.insightError
            ? t.insightError
            : busy && on
              ? 'Waiting for the first look inside…'
              : "Train the model (Train tab) to see inside it: histograms of every layer's weights and activations as they change, the share of dead ReLU units, and the first Conv2D layer's filters."}
        </p>
        <label className="setting--check">
          <input type="checkbox" checked={on} disabled={busy} onChange={(e) => useLookInside.getState().set(e.target.checked)} />
          <span>Look inside while training (training slows by about a twentieth)</span>
        </label>
      </div>
    );
  const firstByName = new Map((t.insightFirst?.layers ?? []).map((l) => [l.name, l]));
  const stale = t.graph && !sameModelAs(t.graph, graph);
  const dead = snap.layers.filter((l) => l.dead && l.dead.units && l.dead.dead / l.dead.units >= DEAD_FLAG);
  return (
    <div className="inside">
      <p className="small inside__head" data-testid="inside-head">
        {snap.seen === 0 ? 'Before training' : `After batch ${snap.batch} of epoch ${snap.epoch + 1}`} · activations on {snap.probeSamples} probe sample
        {snap.probeSamples === 1 ? '' : 's'} · <span className="hist-key hist-key--now" /> now <span className="hist-key hist-key--first" /> before training
        {busy ? ' · updating while it trains' : ''}
      </p>
      {stale ? (
        <p className="notice small" data-testid="inside-stale">
          This is inside an earlier version of the model: it changed since. Train again to see this one.
        </p>
      ) : null}
      {t.insightError ? <p className="notice small">{t.insightError}</p> : null}
      {dead.length ? (
        <p className="notice small" data-testid="inside-dead-warning">
          ⚠ Dead ReLU units (0 for every probe sample) in {dead.map((l) => l.name).join(', ')}: they pass no gradient and stop learning. A lower learning rate,
          He initialisation or LeakyReLU can help.
        </p>
      ) : null}
      <div className="inside__body">
        {snap.filters ? <Filters f={snap.filters} /> : null}
        <table className="inside__table">
          <thead>
            <tr>
              <th>Layer</th>
              <th>Weights</th>
              <th>Activations</th>
              <th title="ReLU units whose output is 0 for every probe sample">Dead ReLU</th>
            </tr>
          </thead>
          <tbody>
            {snap.layers.map((l) => (
              <LayerRow key={l.name} layer={l} first={firstByName.get(l.name)} selected={chosen.has(l.name)} onSelect={selectLayer} />
            ))}
          </tbody>
        </table>
        {snap.layersLeftOut ? (
          <p className="muted small">
            {formatCount(snap.layersLeftOut)} more layers are not shown (the first {snap.layers.length} are).
          </p>
        ) : null}
      </div>
    </div>
  );
}
