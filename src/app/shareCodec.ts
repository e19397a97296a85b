/**
 * Decoding a share link's fragment (lz-string's `compressToEncodedURIComponent` format) with a budget.
 *
 * lz-string's own decoder has no limit: a crafted fragment whose every code names the entry just being
 * defined makes each dictionary entry one character longer than the last, so n codes expand to about
 * n²/2 characters — a 117 KB link asks for billions and freezes the page. This decoder reads the same
 * format (an LZW variant: 6-bit symbols from the URI-safe alphabet read most significant bit first,
 * codes assembled least significant bit first; codes 0 and 1 introduce an 8- or 16-bit character, 2
 * ends the stream; code width grows by one bit each time the dictionary doubles) and stops as soon as
 * the output would pass `maxChars`, so its time and memory are bounded by the budget, not by the input.
 */
import { formatBytes, formatCount } from '../core/format';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

/** What a share link's URL fragment starts with; the packed project follows. */
export const SHARE_PREFIX = '#project=';

/** The longest fragment accepted (characters): far above any real project's link, well below a page freeze. */
export const MAX_SHARE_FRAGMENT = 4_000_000;

export type ShareDecode = { ok: true; text: string } | { ok: false; reason: string };

/**
 * Decodes `packed` (the text after `#project=`).
 * @param maxChars the largest decoded text accepted (the project file size limit).
 * @returns the text, or why it was refused: too long a fragment, output beyond `maxChars`, or a
 *   damaged stream (a character outside the alphabet, a code naming no entry, an early end). Never throws.
 */
export function decodeShareFragment(packed: string, maxChars: number): ShareDecode {
  if (packed.length > MAX_SHARE_FRAGMENT)
    return {
      ok: false,
      reason: `the link's project part is ${formatCount(packed.length)} characters long; Layerlab opens links up to ${formatCount(MAX_SHARE_FRAGMENT)}`,
    };
  const input = packed.replace(/ /g, '+');
  if (!input) return { ok: false, reason: 'the link carries no project' };
  let index = 0;
  let symbol = 0;
  let mask = 0;
  let bad = '';
  const bit = (): number | null => {
    if (mask === 0) {
      if (index >= input.length) return null;
      const ch = input[index++];
      const v = VALUE.get(ch);
      if (v === undefined) {
        bad = ch;
        return null;
      }
      symbol = v;
      mask = 32;
    }
    const b = symbol & mask ? 1 : 0;
    mask >>= 1;
    return b;
  };
  const read = (width: number): number | null => {
    let v = 0;
    for (let i = 0; i < width; i++) {
      const b = bit();
      if (b === null) return null;
      v |= b << i;
    }
    return v;
  };
  const damaged = (why: string): ShareDecode => ({
    ok: false,
    reason: bad ? `the link contains a character ('${bad}') a share link never has` : `the link is damaged (${why}); it may have been cut short`,
  });
  const tooLarge: ShareDecode = { ok: false, reason: `the project in the link would be larger than ${formatBytes(maxChars)}, the most Layerlab opens` };

  const dict: string[] = ['', '', ''];
  const first = read(2);
  if (first === null) return damaged('it ends before its first character');
  if (first === 2) return { ok: false, reason: 'the link carries no project' };
  if (first === 3) return damaged('it does not start with a character');
  const c0 = read(first === 0 ? 8 : 16);
  if (c0 === null) return damaged('it ends inside its first character');
  let w = String.fromCharCode(c0);
  dict.push(w);
  const out: string[] = [w];
  let size = w.length;
  let width = 3;
  let grow = 4;
  for (;;) {
    let code = read(width);
    if (code === null) return damaged('it ends without its end mark');
    if (code === 0 || code === 1) {
      const ch = read(code === 0 ? 8 : 16);
      if (ch === null) return damaged('it ends inside a character');
      dict.push(String.fromCharCode(ch));
      code = dict.length - 1;
      if (--grow === 0) {
        grow = 2 ** width;
        width++;
      }
    } else if (code === 2) {
      return { ok: true, text: out.join('') };
    }
    let entry: string;
    if (code < dict.length) entry = dict[code]!;
    else if (code === dict.length) entry = w + w[0];
    else return damaged(`code ${code} names no entry`);
    size += entry.length;
    if (size > maxChars) return tooLarge;
    out.push(entry);
    dict.push(w + entry[0]);
    if (--grow === 0) {
      grow = 2 ** width;
      width++;
    }
    w = entry;
  }
}
