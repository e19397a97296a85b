// Share links: a budgeted decoder of lz-string's URI format (issue 8: a crafted 117 KB link decompressed
// quadratically and blanked the page).
import { describe, expect, it } from 'vitest';
import LZString from 'lz-string';
import { decodeShareFragment, MAX_SHARE_FRAGMENT } from '../../src/app/shareCodec';

import { craftedLink } from '../helpers/craftedLink';
import { LEAKS } from '../helpers/messages';

describe('decodeShareFragment', () => {
  it('reads what lz-string writes: random texts, JSON, non-Latin characters, long repeats', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts = ['a', 'ab', '{"format":"layerlab-project"}', 'é☃𝄞 ünïcode', 'x'.repeat(100_000)];
    for (let t = 0; t < 60; t++) {
      const n = Math.floor(rnd() * 3000);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(rnd() < 0.9 ? 32 + Math.floor(rnd() * 60) : Math.floor(rnd() * 0xd7ff));
      texts.push(s);
    }
    for (const s of texts) {
      const packed = LZString.compressToEncodedURIComponent(s);
      expect(decodeShareFragment(packed, 10_000_000)).toEqual({ ok: true, text: LZString.decompressFromEncodedURIComponent(packed) });
    }
  });

  it('the crafted stream is what lz-string expands quadratically (checked small), and is refused at the budget in bounded time', () => {
    const small = craftedLink(300);
    const expected = 'a'.repeat((301 * 302) / 2);
    expect(LZString.decompressFromEncodedURIComponent(small)).toBe(expected);
    expect(decodeShareFragment(small, 10_000_000)).toEqual({ ok: true, text: expected });
    // The size: ~117 KB of link, ~80,000 codes, billions of characters for lz-string.
    const big = craftedLink(80_000);
    expect(big.length).toBeGreaterThan(100_000);
    const t0 = performance.now();
    const r = decodeShareFragment(big, 10 * 1024 * 1024);
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/larger than 10 MB, the most Layerlab opens/);
    expect(ms).toBeLessThan(2000);
  });

  it('refuses an over-long fragment before decoding, and damaged links with a reason', () => {
    const r = decodeShareFragment('A'.repeat(MAX_SHARE_FRAGMENT + 1), 1e7);
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toMatch(/Layerlab opens links up to 4,000,000/);
    const good = LZString.compressToEncodedURIComponent('{"format":"layerlab-project","version":1}');
    const cut = decodeShareFragment(good.slice(0, 10), 1e7);
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.reason).toMatch(/damaged|cut short/);
    const alien = decodeShareFragment(good.slice(0, 5) + '%' + good.slice(6), 1e7);
    expect(alien.ok).toBe(false);
    if (!alien.ok) expect(alien.reason).toMatch(/\('%'\)/);
    for (const r2 of [cut, alien]) if (!r2.ok) expect(r2.reason).not.toMatch(LEAKS);
  });
});
