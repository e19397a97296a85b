/** The Inside tab's pure helpers (src/panels/insightView.ts) and the weight names of runtime/insight.ts. */
import { describe, expect, it } from 'vitest';
import { filterImage, histogramPath, num, peakDensity, sharedRange } from '../../src/panels/insightView';
import { histogramOf, weightName } from '../../src/runtime/insight';

describe('weightName', () => {
  it("takes off the layer's prefix and tfjs's uniquifying suffix", () => {
    expect(weightName('conv1', 'conv1/kernel_1')).toBe('kernel');
    expect(weightName('conv1', 'conv1/bias')).toBe('bias');
    expect(weightName('bn', 'bn/moving_variance_12')).toBe('moving_variance');
    expect(weightName('bi', 'bi/forward_lstm/kernel')).toBe('forward_lstm/kernel');
    expect(weightName('other', 'x/kernel')).toBe('x/kernel');
  });
});

describe('histogram drawing', () => {
  it('puts two histograms on one axis, with bar areas proportional to their counts', () => {
    const a = histogramOf([0, 0, 1, 1, 1, 2], 6, 2); // bins [0,1) [1,2]: 2, 4
    const b = histogramOf([1, 3], 2, 2); // bins [1,2) [2,3]: 1, 1
    const [lo, hi] = sharedRange([a, b]);
    expect([lo, hi]).toEqual([0, 3]);
    const peak = peakDensity([a, b], lo, hi, 300);
    const bars = (d: string) => [...d.matchAll(/M([\d.]+) 30V([\d.]+)H([\d.]+)/g)].map((m) => ({ x0: +m[1], top: +m[2], x1: +m[3] }));
    const pa = bars(histogramPath(a, lo, hi, 300, 30, peak));
    expect(pa.map((r) => [r.x0, r.x1])).toEqual([
      [0, 100],
      [100, 200],
    ]);
    // Densities: a's second bin holds 4/6 of its values in 100 px, the peak: full height.
    expect(pa[1].top).toBe(0);
    expect(pa[0].top).toBeCloseTo(15, 5);
    const pb = bars(histogramPath(b, lo, hi, 300, 30, peak));
    expect(pb.map((r) => [r.x0, r.x1])).toEqual([
      [100, 200],
      [200, 300],
    ]);
    // b: 1/2 of its values in 100 px = 0.75 of a's peak density (4/6 in 100 px).
    expect(30 - pb[0].top).toBeCloseTo(30 * 0.75, 5);
  });

  it('draws a single value as a thin bar, and nothing for an empty histogram', () => {
    const one = histogramOf([5, 5, 5]);
    const [lo, hi] = sharedRange([one]);
    expect(hi - lo).toBe(1);
    expect(histogramPath(one, lo, hi, 100, 20, peakDensity([one], lo, hi, 100))).toBe('M49.50 20V0.00H50.50V20Z');
    expect(histogramPath(histogramOf([]), 0, 1, 100, 20, 1)).toBe('');
  });
});

describe('filterImage', () => {
  it('lays filters out in rows, 1 px apart, each scaled from its smallest (black) to its largest value (white)', () => {
    // Two 1×2 grey filters (one channel): [0, 2] and [-1, -3].
    const img = filterImage(
      {
        layer: 'c',
        kernelSize: [1, 2],
        channels: 1,
        count: 2,
        values: [
          [0, 2],
          [-1, -3],
        ],
      },
      16,
    );
    expect([img.width, img.height]).toEqual([5, 1]);
    const px = (x: number) => Array.from(img.rgba.slice(x * 4, x * 4 + 4));
    expect(px(0)).toEqual([0, 0, 0, 255]);
    expect(px(1)).toEqual([255, 255, 255, 255]);
    expect(px(2)).toEqual([0, 0, 0, 0]); // the gap
    expect(px(3)).toEqual([255, 255, 255, 255]); // -1 is that filter's largest
    expect(px(4)).toEqual([0, 0, 0, 255]);
  });

  it('draws 3 channels as RGB and other counts as their mean, wrapping after `columns` filters', () => {
    const rgb = filterImage(
      {
        layer: 'c',
        kernelSize: [1, 1],
        channels: 3,
        count: 3,
        values: [
          [0, 1, 0.5],
          [1, 1, 1],
          [0, 0, 2],
        ],
      },
      2,
    );
    expect([rgb.width, rgb.height]).toEqual([3, 3]);
    expect(Array.from(rgb.rgba.slice(0, 4))).toEqual([0, 255, 128, 255]);
    expect(Array.from(rgb.rgba.slice(4 * 2, 4 * 2 + 4))).toEqual([128, 128, 128, 255]); // a flat filter: mid grey
    expect(Array.from(rgb.rgba.slice(4 * 6, 4 * 6 + 4))).toEqual([0, 0, 255, 255]); // third filter, second row
    const two = filterImage({ layer: 'c', kernelSize: [1, 2], channels: 2, count: 1, values: [[0, 2, 4, 4]] });
    expect(Array.from(two.rgba)).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });
});

describe('num', () => {
  it('writes 3 significant digits, with an exponent only for very small or large values', () => {
    expect([num(0.012345), num(12.345), num(-0.5), num(0), num(1.2345e-5), num(123456), num(Number.NaN)]).toEqual([
      '0.0123',
      '12.3',
      '-0.5',
      '0',
      '1.23e-5',
      '1.23e5',
      'NaN',
    ]);
  });
});
