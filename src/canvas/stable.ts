/**
 * Keeping props React Flow compares by identity the same objects while their content is the same: a new edges array
 * makes React Flow rebuild its connection lookup and markers for every edge (1,000 on a big chain), a new minimap
 * colour function redraws every minimap node. A parameter edit changes neither the edges nor the layers' kinds.
 */

/** True when `a` and `b` hold the same items (by identity) in the same order. */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** True when maps `a` and `b` have the same keys with the same values (by identity). */
export function sameEntries<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v || !b.has(k)) return false;
  return true;
}

/**
 * True when every key of `next` that `prev` also has keeps its value: only keys were added or removed (a layer deleted,
 * pasted or added), so a lookup function reading `prev` stays right once `prev` holds `next`'s entries.
 */
export function keptColors<K, V>(prev: ReadonlyMap<K, V>, next: ReadonlyMap<K, V>): boolean {
  for (const [k, v] of next) if (prev.has(k) && prev.get(k) !== v) return false;
  return true;
}
