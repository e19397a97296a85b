#!/usr/bin/env node
/**
 * Where the editor's time goes on big models: a CPU profile (Chrome DevTools Protocol, Profiler domain) of
 * (a) five parameter edits in the inspector on a 1,000-layer chain and (b) a 40-move drag on a 500-layer residual
 * model, in headless Chromium 1440×900; prints the functions with the most self time (ms, share of the sampled time).
 * `--only=delete-connect`: three deletes (Delete key) and three connections drawn with the mouse on the 1,000-layer
 * chain at Zoom to read, as bench/editor.mjs does them, each profiled on its own.
 * Build without minification for readable names: `npx vite build --minify false --outDir <folder>`.
 *
 * `--dev` profiles the Vite dev server instead of a build (development React, StrictMode's checks).
 * Usage: node bench/profile-editor.mjs --dist=<built folder> | --dev [--top=25] [--only=edit|drag|drag-resnet|import|import-cold|delete-connect] [--trace]
 *        [--callers=fn1,fn2 (who calls them, by time)] [--css=<style sheet added before the drag>]
 */
import { devServer, launch, preview } from './browser.mjs';
import { AFTER_FRAME, dragNearestNode, layersInView, openEditor as open } from './page.mjs';
import { chainJson, residualJson } from './models.mjs';

const args = process.argv.slice(2);
const arg = (k) => args.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
const dist = arg('dist');
const dev = args.includes('--dev');
if (!dist && !dev) throw new Error('--dist=<built folder> (or --dev, the Vite dev server) is required');
const top = Number(arg('top') ?? 25);
const only = arg('only');
const port = Number(process.env.BENCH_PORT ?? 4293);

/** Self time per function (name + file:line) from a CPU profile, largest first. */
function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = profile.timeDeltas;
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const n = byId.get(profile.samples[i]);
    const d = (dt[i + 1] ?? 0) / 1000;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + d);
    total += d;
  }
  return { total, rows: [...self].sort((a, b) => b[1] - a[1]), inclusive: inclusiveTimes(profile) };
}

/** Total (inclusive) time per named function: each sample counts once for every distinct function on its stack. */
function inclusiveTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const d = (dt[i + 1] ?? 0) / 1000;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id).callFrame;
      if (!f.functionName || f.functionName.startsWith('(')) continue;
      const key = `${f.functionName} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + d);
    }
  }
  return [...incl].sort((a, b) => b[1] - a[1]);
}

/**
 * The time of each function named `name` by the chain of its `depth` nearest named callers (`--callers=name`): who
 * asks for it, e.g. which component runs an analysis during an edit.
 */
function callersOf(profile, name, depth = 4) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id) => {
    const f = byId.get(id).callFrame;
    return `${f.functionName || '(anonymous)'}:${f.lineNumber + 1}`;
  };
  const out = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    let id = profile.samples[i];
    while (id !== undefined && byId.get(id).callFrame.functionName !== name) id = parent.get(id);
    if (id === undefined) continue;
    const chain = [];
    for (let p = parent.get(id); p !== undefined && chain.length < depth; p = parent.get(p)) chain.push(label(p));
    const key = chain.join(' < ');
    out.set(key, (out.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}

async function profiled(page, what, act) {
  if (args.includes('--trace')) return traced(page, what, act);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const r = await act();
  const { profile } = await cdp.send('Profiler.stop');
  const { total, rows, inclusive } = selfTimes(profile);
  console.log(`\n== ${what}: ${r} ; sampled ${total.toFixed(0)} ms`);
  for (const [k, v] of rows.slice(0, top)) console.log(`${v.toFixed(1).padStart(8)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
  console.log('-- inclusive (total) time');
  for (const [k, v] of inclusive.slice(0, 2 * top)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  for (const name of arg('callers')?.split(',') ?? []) {
    console.log(`-- callers of ${name}`);
    for (const [k, v] of callersOf(profile, name)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
  }
}

/** As `profiled`, with a Chromium trace: main-thread time by event kind (self time, nested events subtracted). */
async function traced(page, what, act) {
  await page
    .context()
    .browser()
    .startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'disabled-by-default-v8.compile'] });
  const r = await act();
  const buf = await page.context().browser().stopTracing();
  const all = JSON.parse(buf.toString()).traceEvents;
  const main = all.find(
    (e) =>
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain' &&
      all.some((x) => x.pid === e.pid && x.tid === e.tid && x.name === 'FunctionCall'),
  );
  const evs = all.filter((e) => e.ph === 'X' && e.pid === main.pid && e.tid === main.tid && e.dur > 0).sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const self = new Map();
  const stack = [];
  for (const e of evs) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur / 1000);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur / 1000);
    stack.push(e);
  }
  const rows = [...self].sort((a, b) => b[1] - a[1]);
  console.log(`\n== ${what} (trace): ${r}`);
  for (const [k, v] of rows.slice(0, top)) console.log(`${v.toFixed(1).padStart(8)} ms  ${k}`);
}

async function drop(page, name, text, n) {
  const dt = await page.evaluateHandle(
    ([t, nm]) => {
      const d = new DataTransfer();
      d.items.add(new File([t], nm, { type: 'application/json' }));
      return d;
    },
    [text, name],
  );
  await page.evaluate(
    ([dt]) => {
      const pane = document.querySelector('.react-flow__pane');
      pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      pane.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    [dt],
  );
  await page.waitForFunction((n) => document.querySelectorAll('.react-flow__node').length >= n, n, { timeout: 120_000 });
  await page
    .getByText(/^Opened /)
    .first()
    .waitFor({ timeout: 120_000 });
  await page.waitForTimeout(1500);
}

/** Drags the node nearest the centre (40 moves); the median ms per move as text. */
const dragText = async (page) => {
  const t = (await dragNearestNode(page, 40)).sort((a, b) => a - b);
  return `median ${t[Math.floor(t.length / 2)].toFixed(1)} ms per move`;
};

const srv = dev ? await devServer(port) : await preview(dist, port);
const browser = await launch();
try {
  if (!only || only === 'edit') {
    const page = await open(browser, srv.url);
    await drop(page, 'chain-1000.json', chainJson(1000), 1000);
    await page.locator('summary', { hasText: 'View' }).click();
    await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
    await page.waitForTimeout(800);
    const id = await page.evaluate(() => {
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
    await page.getByTestId(id).click();
    await page.locator('#param-units').waitFor();
    await profiled(page, 'edit a parameter ×5, 1,000-layer chain', () =>
      page.evaluate(
        async ([after]) => {
          const frame = new Function(`return (${after})()`);
          const times = [];
          for (let i = 0; i < 5; i++) {
            await frame();
            const el = document.querySelector('#param-units');
            const t0 = performance.now();
            Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(el, String(9 + i));
            el.dispatchEvent(new Event('input', { bubbles: true }));
            times.push((await frame()) - t0);
          }
          return times.map((t) => t.toFixed(0)).join(', ') + ' ms';
        },
        [AFTER_FRAME],
      ),
    );
    await page.close();
  }
  if (!only || only === 'drag') {
    const page = await open(browser, srv.url);
    await drop(page, 'residual-500.json', residualJson(166), 499);
    await page.waitForTimeout(500);
    if (arg('css')) await page.addStyleTag({ content: arg('css') });
    await page.waitForTimeout(300);
    await profiled(page, 'drag 40 moves, 500-layer residual', () => dragText(page));
    await page.close();
  }
  if (only === 'import-cold') {
    // The first import of a fresh page: the file readers' chunk loads and the code runs cold.
    const page = await open(browser, srv.url);
    await profiled(page, 'first import + layout, 1,000-layer chain', async () => {
      const t0 = Date.now();
      await drop(page, 'chain-1000.json', chainJson(1000), 1000);
      return `${Date.now() - t0 - 1500} ms to drawn (incl. test overhead)`;
    });
    await page.close();
  }
  if (only === 'import') {
    const page = await open(browser, srv.url);
    // Once unprofiled (loads the file readers' chunk), then profiled.
    await drop(page, 'chain-1000.json', chainJson(1000), 1000);
    await page
      .locator('.toast button')
      .first()
      .click()
      .catch(() => {});
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.waitForTimeout(500);
    await profiled(page, 'import + layout, 1,000-layer chain', async () => {
      const t0 = Date.now();
      await drop(page, 'chain-1000.json', chainJson(1000), 1000);
      return `${Date.now() - t0 - 1500} ms to drawn (incl. test overhead)`;
    });
    await page.close();
  }
  if (only === 'delete-connect') {
    const page = await open(browser, srv.url);
    await drop(page, 'chain-1000.json', chainJson(1000), 1000);
    await page.locator('summary', { hasText: 'View' }).click();
    await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
    await page.waitForTimeout(800);
    // The layers wholly in the pane above the dock, top to bottom: head, output and input handle centres.
    const inView = () => layersInView(page);
    const inPage = (src) =>
      page.evaluate(
        async ([src, after]) => {
          const frame = new Function(`return (${after})()`);
          await frame();
          const t0 = performance.now();
          new Function(src)();
          return `${((await frame()) - t0).toFixed(0)} ms`;
        },
        [src, AFTER_FRAME],
      );
    for (let i = 0; i < 3; i++) {
      const before = await inView();
      await page.mouse.click(before[1].head[0], before[1].head[1]);
      await page.waitForTimeout(200);
      await profiled(page, `delete ${i + 1}, 1,000-layer chain`, () =>
        inPage(`window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Delete', bubbles: true }))`),
      );
      const after = await inView();
      const [from, to] = [after[0].source, after[1].target];
      await page.mouse.move(from[0], from[1]);
      await page.mouse.down();
      await page.mouse.move(to[0], to[1] - 5, { steps: 4 });
      await page.mouse.move(to[0], to[1]);
      await profiled(page, `connect ${i + 1}, 1,000-layer chain`, () =>
        inPage(
          `const t = document.elementFromPoint(${to[0]}, ${to[1]}) ?? document; t.dispatchEvent(new MouseEvent('mouseup', { clientX: ${to[0]}, clientY: ${to[1]}, bubbles: true, cancelable: true, view: window }))`,
        ),
      );
      await page.mouse.up();
    }
    await page.close();
  }
  if (only === 'drag-resnet') {
    const page = await open(browser, srv.url);
    await page.getByRole('button', { name: 'Templates', exact: true }).click();
    await page.locator('[data-template="resnet50"]').click();
    await page.getByTestId('node-conv1_conv').waitFor({ state: 'attached' });
    await page.waitForTimeout(800);
    await profiled(page, 'drag 40 moves, ResNet50', () => dragText(page));
    await page.close();
  }
} finally {
  await browser.close();
  srv.stop();
}
