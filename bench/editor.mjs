#!/usr/bin/env node
/**
 * The editor on big models, in headless Chromium (figures, not assertions):
 * - drag: a node dragged with the mouse on ResNet50 (template, 177 layers) and on a 500-layer residual model;
 *   each step is a real mousemove event (what d3-drag in React Flow listens to) and is timed from the event to
 *   the end of the next frame (requestAnimationFrame, then a task after the paint): ms per move and the frames
 *   per second that rate allows;
 * - edit on a 1,000-layer chain: a parameter typed in the inspector, a connection drawn between two handles, a
 *   delete (Delete key), each from the input event to the end of the next frame; for the delete also until the
 *   dock's summary has changed (it follows in an idle period) and its frame is drawn;
 * - import + layout, file dropped on the canvas → every node drawn and fitted: a 1,000-layer chain, a 300-layer
 *   residual model and InceptionV3 (313 layers), all written by tfjs (bench/models.mjs).
 *
 * Usage: node bench/editor.mjs [--url=http://127.0.0.1:5173/] [--label=after-prod] [--no-build] [--dist=folder]
 *        [--dev] [--only=import,drag-resnet50,drag-500,edit]
 * Without --url it builds the app (`vite build` into bench-results/app-dist unless --no-build) and serves it
 * with `vite preview`; with --dev it starts the Vite dev server instead (no build; the first page load compiles the
 * modules on demand, so the figures are for a page that has loaded once). --only runs the named measures.
 * Writes bench-results/editor-<label>.json. Needs /usr/bin/chromium (or CHROMIUM).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { devServer, launch, preview } from './browser.mjs';
import { AFTER_FRAME, dragNearestNode as drag, layersInView, openEditor as open } from './page.mjs';
import { chainJson, inceptionV3Json, residualJson } from './models.mjs';

const args = process.argv.slice(2);
const arg = (k) => args.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const label = arg('label') ?? 'prod';
const OUT = 'bench-results';
const APP = arg('dist') ?? join(process.cwd(), OUT, 'app-dist');
const port = Number(process.env.BENCH_PORT ?? 4291);
const only = arg('only')?.split(',');
/** True when the measure `name` runs (every one without --only). */
const runs = (name) => !only || only.includes(name);
mkdirSync(OUT, { recursive: true });

const fmt = (v, d = 1) => (v == null || Number.isNaN(v) ? '—' : Number(v).toFixed(d));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/** Drops `text` as the file `name` on the canvas; resolves with ms from the drop to `n` layers drawn and the next frame. */
async function dropAndWait(page, name, text, n) {
  const dt = await page.evaluateHandle(
    ([t, nm]) => {
      const d = new DataTransfer();
      d.items.add(new File([t], nm, { type: 'application/json' }));
      return d;
    },
    [text, name],
  );
  return page.evaluate(
    async ([dt, n, after]) => {
      const pane = document.querySelector('.react-flow__pane');
      const old = new Set(document.querySelectorAll('.toast'));
      const t0 = performance.now();
      pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      pane.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      // Done when the toast says the file is open and the canvas has drawn the model (every node in the page: the files
      // are fitted whole in view, so even where React Flow draws only the nodes in view, all of them are drawn).
      for (;;) {
        await new Promise((r) => setTimeout(r, 5));
        const opened = [...document.querySelectorAll('.toast')].some((e) => !old.has(e) && /Opened /.test(e.textContent ?? ''));
        const count = document.querySelectorAll('.react-flow__node').length;
        if (opened && count >= n) break;
        if (performance.now() - t0 > 120_000) return NaN;
      }
      const t1 = await new Function(`return (${after})()`)();
      return t1 - t0;
    },
    [dt, n, AFTER_FRAME],
  );
}

/**
 * Times one edit: `act` runs in the page (sync), then the next frame. With `summary`, resolves with
 * `[ms to the frame, ms until the summary's rows or total have changed and its frame drawn]` (the summary of a big model
 * follows in an idle period after the edit's frame: SummaryPanel.tsx).
 */
async function timed(page, act, argsForAct, summary = false) {
  return page.evaluate(
    async ([src, a, after, summary]) => {
      const frame = new Function(`return (${after})()`);
      const f = new Function(`return (${src})`)();
      // The summary's state: its rows and total (a delete may keep the row count: a chain broken in two is listed
      // as Functional, with its Input row).
      const rows = () =>
        `${document.querySelector('[data-testid="summary-table"]')?.getAttribute('data-rows')} ${document.querySelector('[data-testid="summary-total"]')?.textContent}`;
      await frame();
      const r0 = rows();
      const t0 = performance.now();
      f(a);
      const t1 = await frame();
      if (!summary) return t1 - t0;
      while (rows() === r0 && performance.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 1));
      const t2 = await frame();
      return [t1 - t0, rows() === r0 ? NaN : t2 - t0];
    },
    [act.toString(), argsForAct, AFTER_FRAME, summary],
  );
}

async function main() {
  let url = arg('url');
  let srv = null;
  if (!url && args.includes('--dev')) {
    srv = await devServer(port);
    url = srv.url;
  } else if (!url) {
    if (!args.includes('--no-build') && !arg('dist')) {
      console.log('Building the app…');
      execFileSync('npx', ['vite', 'build', '--outDir', APP, '--emptyOutDir'], { stdio: ['ignore', 'ignore', 'inherit'] });
    }
    srv = await preview(APP, port);
    url = srv.url;
  }
  const files = { chain1000: chainJson(1000), residual300: residualJson(100), residual500: residualJson(166), inception: inceptionV3Json() };
  const results = { label, url, date: new Date().toISOString() };
  const browser = await launch();
  try {
    // Import + layout.
    for (const [key, n, name] of !runs('import')
      ? []
      : [
          ['chain1000', 1000, 'chain-1000.json'],
          ['residual300', 301, 'residual-300.json'],
          ['inception', 313, 'inception_v3.json'],
        ]) {
      const page = await open(browser, url);
      const ms = [];
      // Twice: the first includes loading the file readers' chunk.
      for (let i = 0; i < 2; i++) ms.push(await dropAndWait(page, name, files[key], n));
      results[`import_${key}`] = ms;
      console.log(`import + layout ${key} (${n} layers): ${ms.map((v) => fmt(v, 0)).join(' / ')} ms (first / second)`);
      await page.close();
    }
    // Drag on ResNet50.
    if (runs('drag-resnet50')) {
      const page = await open(browser, url);
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator('[data-template="resnet50"]').click();
      await page.getByTestId('node-conv1_conv').waitFor({ state: 'attached' });
      await page.waitForTimeout(500);
      const t = await drag(page);
      results.drag_resnet50 = t;
      console.log(`drag ResNet50: ${fmt(median(t))} ms per move (median), ${fmt(1000 / median(t))} fps`);
      await page.close();
    }
    // Drag on 500 layers.
    if (runs('drag-500')) {
      const page = await open(browser, url);
      await dropAndWait(page, 'residual-500.json', files.residual500, 499);
      await page.waitForTimeout(500);
      const t = await drag(page);
      results.drag_500 = t;
      console.log(`drag 500 layers: ${fmt(median(t))} ms per move (median), ${fmt(1000 / median(t))} fps`);
      await page.close();
    }
    // Edits on the 1,000-layer chain.
    if (runs('edit')) {
      const page = await open(browser, url);
      await dropAndWait(page, 'chain-1000.json', files.chain1000, 1000);
      await page.waitForTimeout(500);
      // Fit shows all 1,000 layers (too small to click); View ▸ Zoom to read makes them readable.
      await page.locator('summary', { hasText: 'View' }).click();
      await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
      await page.waitForTimeout(500);
      // Select the node nearest the centre (a Dense layer).
      const name = await page.evaluate(() => {
        const pane = document.querySelector('.react-flow').getBoundingClientRect();
        let best = null;
        let bestD = Infinity;
        for (const el of document.querySelectorAll('.react-flow__node')) {
          const r = el.getBoundingClientRect();
          const d = Math.hypot(r.x + r.width / 2 - pane.x - pane.width / 2, r.y + r.height / 2 - pane.y - pane.height / 2);
          if (r.width > 0 && d < bestD) [best, bestD] = [el, d];
        }
        return best.querySelector('.layer-node').dataset.testid;
      });
      await page.getByTestId(name).click();
      await page.locator('#param-units').waitFor();
      const param = [];
      for (let i = 0; i < 5; i++)
        param.push(
          await timed(
            page,
            (v) => {
              const el = document.querySelector('#param-units');
              Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, String(v));
              el.dispatchEvent(new Event('input', { bubbles: true }));
            },
            9 + i,
          ),
        );
      results.edit_param = param;
      console.log(`edit a parameter (1,000 layers): ${fmt(median(param))} ms (median of ${param.length})`);
      // A delete (Delete key on a selected layer), then a connection over the gap it leaves (output handle of the
      // layer above to the input handle of the layer below), drawn with the mouse; the release is timed. Each round
      // works on the layers wholly inside the canvas pane (not under the dock), top to bottom: the second is clicked
      // and deleted, then the first is connected to the next one below the gap.
      const del = [];
      const delSummary = [];
      const conn = [];
      const inView = () => layersInView(page);
      for (let i = 0; i < 3; i++) {
        const before = await inView();
        await page.mouse.click(before[1].head[0], before[1].head[1]);
        await page.waitForTimeout(200);
        const [d, sum] = await timed(page, () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true })), undefined, true);
        del.push(d);
        delSummary.push(sum);
        const after = await inView();
        const pair = [after[0].source, after[1].target];
        const edges0 = await page.locator('.react-flow__edge').count();
        await page.mouse.move(pair[0][0], pair[0][1]);
        await page.mouse.down();
        await page.mouse.move(pair[1][0], pair[1][1] - 5, { steps: 4 });
        await page.mouse.move(pair[1][0], pair[1][1]);
        conn.push(
          await timed(
            page,
            ([x, y]) => {
              const target = document.elementFromPoint(x, y) ?? document;
              target.dispatchEvent(new MouseEvent('mouseup', { clientX: x, clientY: y, bubbles: true, cancelable: true, view: window }));
            },
            pair[1],
          ),
        );
        await page.mouse.up();
        results.edges_added = (results.edges_added ?? 0) + (await page.locator('.react-flow__edge').count()) - edges0;
      }
      results.edit_delete = del;
      results.edit_delete_summary = delSummary;
      results.edit_connect = conn;
      console.log(`delete a layer (1,000 layers): ${fmt(median(del))} ms (median of ${del.length})`);
      console.log(`  … and the summary updated: ${fmt(median(delSummary))} ms (median of ${delSummary.length}; it follows in an idle period)`);
      console.log(`connect (1,000 layers): ${fmt(median(conn))} ms (median of ${conn.length}; edges added: ${results.edges_added})`);
      await page.close();
    }
  } finally {
    await browser.close();
    srv?.stop();
  }
  writeFileSync(join(OUT, `editor-${label}.json`), JSON.stringify(results, null, 2));
  console.log(`\nWrote ${join(OUT, `editor-${label}.json`)}`);
}

await main();
