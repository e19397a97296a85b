/**
 * core/format.ts keeps its Intl formatters: `Number.prototype.toLocaleString` with options builds a new
 * Intl.NumberFormat per call (21 µs against 0.5 µs, measured in Node 20), and the canvas formats each node's size on
 * every redraw of it (issue 13: a redraw of a 1,000-layer chain spent 230 ms in formatBytes). What they write is
 * checked in format.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatBytes, formatPercent } from '../../src/core';

afterEach(() => vi.restoreAllMocks());

describe('formatters made once', () => {
  it('formatBytes and formatPercent never call toLocaleString', () => {
    const spy = vi.spyOn(Number.prototype, 'toLocaleString');
    expect([formatBytes(512), formatBytes(3.4 * 1024 ** 2), formatBytes(12.345 * 1024), formatBytes(150 * 1024 ** 3)]).toEqual([
      '512 B',
      '3.4 MB',
      '12.3 kB',
      '150 GB',
    ]);
    expect([formatPercent(35, 1000), formatPercent(42, 100), formatPercent(12, 1)]).toEqual(['3.5%', '42%', '1,200%']);
    expect(spy).not.toHaveBeenCalled();
  });
});
