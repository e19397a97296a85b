/**
 * Test tiers. `npm test` runs a representative fast subset (≤ 90 s on 2 cores); `npm run test:contract`
 * sets LAYERLAB_FULL=1 and runs every case, including the slow ones (full-size templates trained on Node's
 * cpu backend, large kernel inputs). A test file names what it leaves to the full run with `fullOnly`.
 */
export const FULL = process.env.LAYERLAB_FULL === '1';

/**
 * Keeps the cases the fast tier runs: all of them under LAYERLAB_FULL=1, else those `slow` rejects.
 * Logs how many were left to the full run, so a skipped case is never silent.
 */
export function fastSubset<T>(what: string, cases: readonly T[], slow: (c: T) => boolean): T[] {
  if (FULL) return [...cases];
  const kept = cases.filter((c) => !slow(c));
  if (kept.length < cases.length) console.info(`${what}: ${cases.length - kept.length} slow case(s) run only in \`npm run test:contract\`.`);
  return kept;
}
