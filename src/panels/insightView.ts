/**
 * Pure helpers of the Inside tab: the outline of a histogram drawn on a shared value axis (so the histogram before
 * training and the current one can be compared), the first Conv2D's filters as an RGBA image, and numbers as text.
 */
import type { Histogram, InsightFilters } from '../runtime/protocol';

/** The value range both histograms span, widened a little when it is a single value. */
export function sharedRange(hs: readonly (Histogram | null | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hs)
    if (h && h.sampled > h.nonFinite) {
      lo = Math.min(lo, h.min);
      hi = Math.max(hi, h.max);
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-12) return [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

/**
 * The SVG path of a histogram's bars on the axis [lo, hi] mapped onto [0, width], heights as densities (count per
 * sampled value per pixel of bin width) scaled so that `peak` density is `height`. A histogram of one value (min =
 * max) is a bar one pixel wide at that value.
 */
export function histogramPath(h: Histogram, lo: number, hi: number, width: number, height: number, peak: number): string {
  const n = h.sampled - h.nonFinite;
  if (!n || peak <= 0) return '';
  const x = (v: number) => ((v - lo) / (hi - lo)) * width;
  const bw = (h.max - h.min) / h.counts.length;
  let d = '';
  h.counts.forEach((c, i) => {
    if (!c) return;
    const x0 = bw > 0 ? x(h.min + i * bw) : x(h.min) - 0.5;
    const x1 = bw > 0 ? x(h.min + (i + 1) * bw) : x(h.min) + 0.5;
    const y = height - Math.min(height, (density(c, n, x1 - x0) / peak) * height);
    d += `M${x0.toFixed(2)} ${height}V${y.toFixed(2)}H${x1.toFixed(2)}V${height}Z`;
  });
  return d;
}

const density = (count: number, n: number, px: number): number => count / n / Math.max(px, 1e-9);

/** The largest bar density of the histograms on the axis [lo, hi] mapped onto [0, width] (see `histogramPath`). */
export function peakDensity(hs: readonly (Histogram | null | undefined)[], lo: number, hi: number, width: number): number {
  let peak = 0;
  for (const h of hs) {
    if (!h) continue;
    const n = h.sampled - h.nonFinite;
    if (!n) continue;
    const px = h.max > h.min ? ((h.max - h.min) / h.counts.length / (hi - lo)) * width : 1;
    for (const c of h.counts) peak = Math.max(peak, density(c, n, px));
  }
  return peak;
}

/**
 * The filters as one RGBA image: `columns` filters a row, each kernel_size[1] × kernel_size[0] pixels, 1 px apart.
 * Each filter is scaled on its own (its smallest value drawn black, its largest white); 3 input channels are drawn as
 * RGB, any other count as the mean over channels in grey.
 * @returns width and height in pixels, and the pixels (4 bytes each, rows top to bottom)
 */
export function filterImage(f: InsightFilters, columns = 16): { width: number; height: number; rgba: Uint8ClampedArray } {
  const [kh, kw] = f.kernelSize;
  const cols = Math.max(1, Math.min(columns, f.values.length));
  const rows = Math.ceil(f.values.length / cols);
  const width = cols * (kw + 1) - 1;
  const height = Math.max(0, rows * (kh + 1) - 1);
  const rgba = new Uint8ClampedArray(width * height * 4);
  const rgb = f.channels === 3;
  f.values.forEach((raw, k) => {
    // The values drawn: RGB as they are, else each pixel's mean over channels; scaled over what is drawn.
    const per = rgb ? 3 : 1;
    const v = rgb
      ? raw
      : Array.from({ length: kh * kw }, (_x, p) => {
          let sum = 0;
          for (let ch = 0; ch < f.channels; ch++) sum += raw[p * f.channels + ch];
          return sum / f.channels;
        });
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const shade = (x: number) => (hi > lo ? ((x - lo) * 255) / (hi - lo) : 128);
    const ox = (k % cols) * (kw + 1);
    const oy = Math.floor(k / cols) * (kh + 1);
    for (let r = 0; r < kh; r++)
      for (let c = 0; c < kw; c++) {
        const at = (r * kw + c) * per;
        const px = ((oy + r) * width + ox + c) * 4;
        if (rgb) for (let ch = 0; ch < 3; ch++) rgba[px + ch] = shade(v[at + ch]);
        else rgba[px] = rgba[px + 1] = rgba[px + 2] = shade(v[at]);
        rgba[px + 3] = 255;
      }
  });
  return { width, height, rgba };
}

/** A number in 3 significant digits, without exponent for ordinary magnitudes: 0.0123, 12.3, 1.23e-5. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(3)));
  return v.toExponential(2).replace('e+', 'e');
}

/** A weight or activation shape as text: 3×3×3×32. */
export const shapeText = (shape: readonly number[]): string => (shape.length ? shape.join('×') : 'scalar');

/** The share of dead units that is flagged as a problem (a fifth). */
export const DEAD_FLAG = 0.2;
