/** Live loss chart (uPlot): the loss after each batch and the mean loss of each finished epoch. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { EpochPoint } from '../store/training';

interface Props {
  readonly batches: readonly (readonly [number, number])[];
  readonly epochs: readonly EpochPoint[];
}

export function LossChart({ batches, epochs }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  const data = (): uPlot.AlignedData => {
    const xs = batches.map((b) => b[0]);
    const epochAt = new Map(epochs.map((e) => [e.atBatch, e.loss]));
    for (const x of epochAt.keys()) if (!xs.includes(x)) xs.push(x);
    xs.sort((a, b) => a - b);
    const batchAt = new Map(batches.map((b) => [b[0], b[1]]));
    return [xs, xs.map((x) => batchAt.get(x) ?? null), xs.map((x) => epochAt.get(x) ?? null)];
  };

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
        axes: [{ ...axis, label: 'batch' }, { ...axis, label: 'loss' }],
        series: [
          { label: 'batch' },
          { label: 'batch loss', stroke: muted, width: 1, spanGaps: true, points: { show: false } },
          { label: 'epoch loss', stroke: accent, width: 2, spanGaps: true, points: { show: true, size: 6 } },
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
  }, []);

  useEffect(() => {
    plot.current?.setData(data());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batches, epochs]);

  return <div ref={box} className="loss-chart" aria-label="Loss chart" role="img" />;
}
