/**
 * Live loss chart (uPlot): the loss after each batch, the mean loss of each finished epoch, and — for a
 * model with several outputs — each output's epoch loss (tfjs logs it as '<output>_loss').
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochPoint } from '../store/training';

interface Props {
  readonly batches: readonly (readonly [number, number])[];
  readonly epochs: readonly EpochPoint[];
}

/** Per-output loss keys in the epoch logs ('category_loss', …); empty for a single output. */
export const outputLossKeys = (epochs: readonly EpochPoint[]): string[] =>
  epochs.length ? Object.keys(epochs[0].logs).filter((k) => k.endsWith('_loss') && k !== 'loss' && !k.startsWith('val_')) : [];

/** Colours for the per-output series (distinct from the total's accent). */
const OUTPUT_COLORS = ['#dd6b20', '#2f855a', '#805ad5', '#d53f8c', '#319795', '#b7791f'];

export function LossChart({ batches, epochs }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const keys = outputLossKeys(epochs);

  const data = (): uPlot.AlignedData => {
    const xs = batches.map((b) => b[0]);
    for (const e of epochs) if (!xs.includes(e.atBatch)) xs.push(e.atBatch);
    xs.sort((a, b) => a - b);
    const batchAt = new Map(batches.map((b) => [b[0], b[1]]));
    const epochAt = new Map(epochs.map((e) => [e.atBatch, e]));
    return [
      xs,
      xs.map((x) => batchAt.get(x) ?? null),
      xs.map((x) => epochAt.get(x)?.loss ?? null),
      ...keys.map((k) => xs.map((x) => epochAt.get(x)?.logs[k] ?? null)),
    ];
  };

  // (Re)created when the set of series changes: the per-output series are known after the first epoch.
  useEffect(() => {
    if (!box.current) return;
    const style = getComputedStyle(document.documentElement);
    const accent = style.getPropertyValue('--accent').trim() || '#2b6cb0';
    const muted = style.getPropertyValue('--muted').trim() || '#888';
    const axis = { stroke: muted, grid: { stroke: 'rgba(128,128,128,0.15)' }, ticks: { stroke: 'rgba(128,128,128,0.3)' } };
    plot.current = new uPlot(
      {
        width: box.current.clientWidth || 480,
        height: 180,
        legend: { show: true, live: false },
        scales: { x: { time: false } },
        axes: [
          { ...axis, label: 'batch' },
          { ...axis, label: 'loss' },
        ],
        series: [
          { label: 'batch' },
          { label: 'batch loss', stroke: muted, width: 1, spanGaps: true, points: { show: false } },
          { label: keys.length ? 'epoch loss (total)' : 'epoch loss', stroke: accent, width: 2, spanGaps: true, points: { show: true, size: 6 } },
          ...keys.map((k, i) => ({
            label: k.replace(/_loss$/, ''),
            stroke: OUTPUT_COLORS[i % OUTPUT_COLORS.length],
            width: 1.5,
            dash: [4, 3],
            spanGaps: true,
            points: { show: true, size: 5 },
          })),
        ],
      },
      data(),
      box.current,
    );
    const ro = new ResizeObserver(() => box.current && plot.current?.setSize({ width: box.current.clientWidth, height: 180 }));
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [keys.join('|')]);

  useEffect(() => {
    plot.current?.setData(data());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batches, epochs]);

  return <div ref={box} className="loss-chart" aria-label="Loss chart" role="img" />;
}
