/**
 * One number formatter (issue 9): src/core/format.ts is the only place that formats a number for a person,
 * and every formatter keeps "NaN" and "undefined" out of what the user reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCompact, formatCount, formatFixed, formatPercent, formatRate, formatSeconds, NO_VALUE } from '../../src/core';

describe('formatCount', () => {
  it('groups thousands the way Keras prints totals, whatever the locale', () => {
    expect(formatCount(822_922)).toBe('822,922');
    expect(formatCount(138_357_544)).toBe('138,357,544');
    expect(formatCount(-1200)).toBe('-1,200');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
  });
  it('writes a number that is not whole exactly, never rounded to a different bound', () => {
    expect(formatCount(0.0001)).toBe('0.0001');
    expect(formatCount(2.5)).toBe('2.5');
  });
  it('never shows NaN', () => {
    expect(formatCount(Number.NaN)).toBe(NO_VALUE);
    expect(formatCount(Infinity)).toBe('∞');
  });
});

describe('formatBytes', () => {
  it('uses binary multiples and at most three significant digits', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1024)).toBe('1 kB');
    expect(formatBytes(3.4 * 1024 * 1024)).toBe('3.4 MB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GB');
    expect(formatBytes(123.4 * 1024 ** 2)).toBe('123 MB');
    expect(formatBytes(Infinity)).toBe('∞');
    expect(formatBytes(Number.NaN)).toBe(NO_VALUE);
  });
});

describe('formatCompact (MACs)', () => {
  it('three significant digits with SI prefixes, as papers quote mult-adds', () => {
    expect(formatCompact(568_740_352)).toBe('569 M');
    expect(formatCompact(15_470_264_320)).toBe('15.5 G');
    expect(formatCompact(999_999)).toBe('1 M');
    expect(formatCompact(802_816)).toBe('803 k');
    expect(formatCompact(Number.NaN)).toBe(NO_VALUE);
  });
});

describe('percent, seconds, rates and measured values', () => {
  it('formats each as the panels show it', () => {
    expect(formatPercent(35, 1000)).toBe('3.5%');
    expect(formatPercent(420, 1000)).toBe('42%');
    expect(formatPercent(1, 0)).toBe('0%');
    expect(formatSeconds(1234)).toBe('1.2 s');
    expect(formatSeconds(3000)).toBe('3.0 s');
    expect(formatRate(2310.4)).toBe('2310');
    expect(formatRate(12.34)).toBe('12.3');
    expect(formatRate(8.61)).toBe('8.6');
    expect(formatRate(0.314)).toBe('0.31');
    expect(formatFixed(0.6931471)).toBe('0.6931');
    expect(formatFixed(0.5, 2)).toBe('0.50');
  });
  it('never returns NaN, Infinity or undefined text', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      for (const text of [formatSeconds(bad), formatRate(bad), formatFixed(bad), formatPercent(bad, 10)]) expect(text).not.toMatch(/NaN|Infinity|undefined/);
    }
    expect(formatFixed(null)).toBe(NO_VALUE);
    expect(formatFixed(undefined)).toBe(NO_VALUE);
  });
});

/**
 * Files that still format numbers themselves: they belong to the layer-definition and validator work of
 * issue 9 running alongside; each entry is to be removed when its file uses src/core/format.ts.
 */
const NOT_YET_MOVED = new Set<string>([]);

describe('one formatter', () => {
  it('no source file outside src/core/format.ts builds its own number format', () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.tsx?$/.test(f)) files.push(relative(root, p).split('\\').join('/'));
      }
    };
    walk(join(root, 'src'));
    // `Intl.NumberFormat`, `x.toLocaleString(` and the regex that inserts thousands separators by hand.
    const own = /Intl\.NumberFormat|\.toLocaleString\(|\\B\(\?=\(\\d\{3\}\)/;
    const offenders = files.filter((f) => f !== 'src/core/format.ts' && !NOT_YET_MOVED.has(f) && own.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('formatApprox', () => {
  it('rounds a count past 2^53 to three significant digits, in powers of ten beyond 10^21', async () => {
    const { formatApprox } = await import('../../src/core/format');
    expect(formatApprox(1.8e19)).toBe('18,000,000,000,000,000,000');
    expect(formatApprox(2 ** 53 + 2)).toBe('9,010,000,000,000,000');
    expect(formatApprox(1e308)).toBe('1.00 × 10^308');
    expect(formatApprox(Infinity)).toBe('∞');
    expect(formatApprox(NaN)).toBe('—');
  });
});
