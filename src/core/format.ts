/**
 * THE number formatter: every number Layerlab shows a person — in the panels, on the nodes, in messages and
 * in the comments of generated code — goes through one of these functions, so a count reads the same
 * everywhere ("822,922"), bytes always use binary multiples, compute always SI prefixes. Pure; English
 * (en-US) grouping whatever the browser's locale, like Keras's `model.summary()`, which prints "822,922".
 * None of them ever returns "NaN" or "undefined": a value that is not a number is shown as '—'.
 */

/** Shown for a value that is absent or not a number (a loss that became NaN, a figure not measured yet). */
export const NO_VALUE = '—';

const GROUPED = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/**
 * en-US formatters with at most 0, 1 and 2 decimals, made once: `Number.prototype.toLocaleString` with options builds a
 * new Intl.NumberFormat on every call (21 µs a call against 0.5 µs for a kept formatter, Node 20 here), which a
 * redraw of 1,000 nodes pays 1,000 times.
 */
const DECIMALS = [0, 1, 2].map((d) => new Intl.NumberFormat('en-US', { maximumFractionDigits: d }));

/**
 * A count with thousands separators: 822922 → '822,922', -1200 → '-1,200', 1e21 → '1,000,000,000,000,000,000,000'.
 * A number that is not whole is written exactly as JavaScript writes it (0.0001 → '0.0001', 2.5 → '2.5'),
 * never rounded to a figure that reads like a different bound. Infinity → '∞' (the cost totals use it for
 * "more than 2⁵³ − 1"), NaN → '—'.
 */
export function formatCount(n: number): string {
  if (Number.isNaN(n)) return NO_VALUE;
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  return Number.isInteger(n) ? GROUPED.format(n) : String(n);
}

/**
 * Bytes in words with binary multiples, as browsers' task managers count: "512 B", "3.4 MB", "2 GB"
 * (1 kB = 1024 B, 1 MB = 1024² B, 1 GB = 1024³ B, 1 TB = 1024⁴ B, 1 PB = 1024⁵ B), three significant digits
 * at most (0 decimals from 100 up, 1 from 10, 2 below). Infinity → '∞', NaN → '—'.
 */
export function formatBytes(bytes: number): string {
  if (Number.isNaN(bytes)) return NO_VALUE;
  if (!Number.isFinite(bytes)) return '∞';
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${DECIMALS[digits].format(v)} ${units[u]}`;
}

/**
 * A count in short form with SI prefixes (k = 10³, M = 10⁶, G = 10⁹, T = 10¹², P = 10¹⁵) and three
 * significant digits — how papers quote multiply-accumulates ("MobileNet: 569 M mult-adds"):
 * 802816 → '803 k', 568740352 → '569 M', 15470264320 → '15.5 G', 1000000 → '1 M'; below 1000 the number
 * itself, rounded. Infinity → '∞', NaN → '—'.
 */
export function formatCompact(n: number): string {
  if (Number.isNaN(n)) return NO_VALUE;
  if (!Number.isFinite(n)) return '∞';
  if (Math.abs(n) < 1000) return String(Math.round(n));
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P'];
  let i = Math.min(Math.floor(Math.log10(Math.abs(n)) / 3), prefixes.length - 1);
  let v = Number((n / 1000 ** i).toPrecision(3));
  if (Math.abs(v) >= 1000 && i < prefixes.length - 1) {
    v = Number((v / 1000).toPrecision(3));
    i++;
  }
  return `${v} ${prefixes[i]}`;
}

/**
 * `part` as a percentage of `whole`: one decimal below 10 % ('3.5%'), none from 10 % up ('42%');
 * '0%' when `whole` is not positive. Grouped like counts ('1,200%').
 */
export function formatPercent(part: number, whole: number): string {
  if (!(whole > 0) || !Number.isFinite(part)) return '0%';
  return `${DECIMALS[part / whole < 0.1 ? 1 : 0].format((100 * part) / whole)}%`;
}

/** A duration given in milliseconds, in seconds with one decimal: 1234 → '1.2 s', 30000 → '30.0 s'. NaN → '—'. */
export function formatSeconds(ms: number): string {
  if (!Number.isFinite(ms)) return NO_VALUE;
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A measured rate (samples per second) with about three significant digits and no grouping (a
 * measurement, not a count): 2310.4 → '2310', 217.3 → '217', 12.34 → '12.3', 3.456 → '3.5', 0.31 → '0.31'.
 * NaN → '—'.
 */
export function formatRate(v: number): string {
  if (!Number.isFinite(v)) return NO_VALUE;
  if (v >= 100) return v.toFixed(0);
  return v >= 10 ? v.toFixed(1) : String(Number(v.toPrecision(2)));
}

/**
 * A measured value (a loss, a metric) with a fixed number of decimals: 0.693147 → '0.6931' (4 by default).
 * null, undefined, NaN and ±Infinity → '—' (the training panel reports a non-finite loss in words).
 */
export function formatFixed(v: number | null | undefined, digits = 4): string {
  return v === null || v === undefined || !Number.isFinite(v) ? NO_VALUE : v.toFixed(digits);
}

/**
 * A number too large to hold exactly, rounded to three significant digits for a message: below 10²¹ with
 * thousands separators (1.8e19 → '18,000,000,000,000,000,000'), above in powers of ten (1e308 → '1.00 × 10^308').
 * Infinity → '∞', NaN → '—'.
 */
export function formatApprox(n: number): string {
  if (Number.isNaN(n)) return NO_VALUE;
  if (!Number.isFinite(n)) return n > 0 ? '∞' : '-∞';
  const [mantissa, exponent] = n.toExponential(2).split('e');
  const exp = Number(exponent);
  return Math.abs(n) < 1e21 ? formatCount(Number(n.toPrecision(3))) : `${mantissa} × 10^${exp}`;
}
