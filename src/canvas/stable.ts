/**
 * Keeping props React Flow compares by identity the same objects while their content is the same: a new edges array
 * makes React Flow rebuild its connection lookup and markers for every edge (1,000 on a big chain). A parameter edit
 * does not change the edges.
 */

/** True when `a` and `b` hold the same items (by identity) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
