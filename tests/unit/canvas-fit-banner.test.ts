/**
 * A fit leaves the banner floating over the top of the canvas clear (canvas/Canvas.tsx `fitPadding`): the layers of a
 * model just imported with notes are not fitted under the notes.
 */
// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fitPadding } from '../../src/canvas/viewport';

/** A DOM element at a given place (jsdom lays nothing out, so its box is set). */
function placed(html: string, parent: Element, rect: { top: number; height: number }): Element {
  parent.insertAdjacentHTML('beforeend', html);
  const el = parent.lastElementChild!;
  el.getBoundingClientRect = () => ({
    top: rect.top,
    bottom: rect.top + rect.height,
    height: rect.height,
    left: 0,
    right: 800,
    width: 800,
    x: 0,
    y: rect.top,
    toJSON: () => ({}),
  });
  return el;
}

afterEach(() => document.body.replaceChildren());

describe('fit margins', () => {
  it('6 % all round without a banner', () => {
    const ws = placed('<div class="workspace"></div>', document.body, { top: 40, height: 600 });
    placed('<div class="react-flow"></div>', ws, { top: 40, height: 560 });
    expect(fitPadding()).toBe(0.06);
  });
  it('the top margin clears a banner over the canvas by 12 px', () => {
    const ws = placed('<div class="workspace"></div>', document.body, { top: 40, height: 600 });
    placed('<div class="react-flow"></div>', ws, { top: 40, height: 560 });
    placed('<div class="banner" role="status"></div>', ws, { top: 48, height: 70 });
    expect(fitPadding()).toEqual({ top: '90px', right: 0.06, bottom: 0.06, left: 0.06 });
  });
  it('a banner taller than half the pane (a tiny window) is not allowed to squeeze the model away', () => {
    const ws = placed('<div class="workspace"></div>', document.body, { top: 40, height: 300 });
    placed('<div class="react-flow"></div>', ws, { top: 40, height: 200 });
    placed('<div class="banner" role="status"></div>', ws, { top: 48, height: 150 });
    expect(fitPadding()).toBe(0.06);
  });
});
