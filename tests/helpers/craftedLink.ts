/**
 * Test helpers for share links: the crafted lz-string stream of issue 8 (a link whose decompressed size is
 * quadratic in its length). Used by the share-codec and the startup tests.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/**
 * Writes the crafted stream of the issue in lz-string's URI format: one literal 'a', then `n` codes
 * each naming the entry being defined (the LZW "KwKwK" case), then the end mark. Its output is
 * 1 + 2 + … + (n + 1) characters of 'a': quadratic in the link's length.
 */
export function craftedLink(n: number): string {
  const bits: number[] = [];
  const put = (v: number, width: number) => {
    for (let i = 0; i < width; i++) bits.push((v >> i) & 1);
  };
  put(0, 2);
  put(97, 8);
  let dictSize = 4;
  let width = 3;
  let grow = 4;
  for (let k = 0; k < n; k++) {
    put(dictSize, width); // names the entry not yet defined
    dictSize++;
    if (--grow === 0) {
      grow = 2 ** width;
      width++;
    }
  }
  put(2, width);
  let out = '';
  for (let i = 0; i < bits.length; i += 6) {
    let v = 0;
    for (let j = 0; j < 6; j++) v = (v << 1) | (bits[i + j] ?? 0);
    out += ALPHABET[v];
  }
  return out;
}
