/**
 * Page set-up shared by bench/editor.mjs and bench/profile-editor.mjs: opening the editor, waiting for the next
 * painted frame, the layers in view and a mouse drag of the node nearest the centre, done in the page.
 */

/** In the page: resolves after the next frame has been painted (rAF, then a task), with performance.now(). */
export const AFTER_FRAME = `() => new Promise((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)))`;

/** Opens the editor at `url` in a 1440×900 page of `browser`; resolves when the empty canvas shows. */
export async function openEditor(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // `--minimap=off` on the command line: the page starts with the minimap hidden (its remembered preference).
  if (process.argv.includes('--minimap=off')) await page.addInitScript(() => localStorage.setItem('layerlab.minimap', 'off'));
  await page.goto(url);
  await page.getByText('Drag a layer here, or start from a template').waitFor({ timeout: 60_000 });
  return page;
}

/**
 * The layers wholly inside the canvas pane (not under the dock), top to bottom: the centres of each one's head, output
 * handle and input handle, in page pixels.
 */
export function layersInView(page) {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow').getBoundingClientRect();
    const dock = document.querySelector('.dock')?.getBoundingClientRect();
    const bottom = Math.min(pane.bottom, dock?.top ?? Infinity);
    const c = (h) => {
      const r = h?.getBoundingClientRect();
      return r ? [r.x + r.width / 2, r.y + r.height / 2] : null;
    };
    return [...document.querySelectorAll('.react-flow__node')]
      .map((e) => [e, e.getBoundingClientRect()])
      .filter(([, r]) => r.width > 0 && r.top >= pane.top && r.bottom <= bottom)
      .sort((a, b) => a[1].y - b[1].y)
      .map(([e]) => ({
        head: c(e.querySelector('.layer-node__head')),
        source: c(e.querySelector('.react-flow__handle.source')),
        target: c(e.querySelector('.react-flow__handle.target')),
      }));
  });
}

/**
 * Drags the node nearest the pane's centre by `moves` mousemove events of 4 px (what d3-drag in React Flow listens to),
 * each timed from the event to the end of the next painted frame; resolves with the ms per move, the first three left
 * out (they start the drag: threshold, history pause).
 */
export function dragNearestNode(page, moves = 40) {
  return page.evaluate(
    async ([moves, after]) => {
      const frame = new Function(`return (${after})()`);
      const pane = document.querySelector('.react-flow').getBoundingClientRect();
      const cx = pane.x + pane.width / 2;
      const cy = pane.y + pane.height / 2;
      let best = null;
      let bestD = Infinity;
      for (const el of document.querySelectorAll('.react-flow__node')) {
        const r = el.getBoundingClientRect();
        const d = Math.hypot(r.x + r.width / 2 - cx, r.y + r.height / 2 - cy);
        if (r.width > 0 && d < bestD) [best, bestD] = [el, d];
      }
      const head = best.querySelector('.layer-node__head') ?? best;
      const r = head.getBoundingClientRect();
      let x = r.x + r.width / 2;
      let y = r.y + r.height / 2;
      const ev = (type, target) =>
        target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, button: 0, buttons: 1, bubbles: true, cancelable: true, view: window }));
      ev('mousedown', head);
      await frame();
      const times = [];
      for (let i = 0; i < moves; i++) {
        x += 4;
        y += i % 2 ? 2 : -1;
        const t0 = performance.now();
        ev('mousemove', window);
        times.push((await frame()) - t0);
      }
      ev('mouseup', window);
      await frame();
      return times.slice(3);
    },
    [moves, AFTER_FRAME],
  );
}
