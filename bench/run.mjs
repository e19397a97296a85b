#!/usr/bin/env node
/**
 * `npm run bench`: Layerlab's performance figures (figures, not assertions). Prints tables and writes
 * bench-results/bench-<date>.json (and bench-results/latest.json).
 *
 * 1. Training throughput in headless Chromium (bench page, bench/page): the seed product classifier and the
 *    purchase predictor through Layerlab's runtime (its real worker) on 'auto' and on each backend, against
 *    the same models written by hand in plain tfjs (stock kernels, tfjs's default threads) on each backend;
 *    and against plain tfjs with Layerlab's kernels and threads (the runtime's own overhead).
 * 2. Validation + shape inference of 100 / 1,000 / 5,000-layer graphs vs building them in tfjs (Node).
 * 3. Main-thread long tasks while training in the app (PerformanceObserver 'longtask').
 * 4. Bundle: the app's initial JavaScript (gzip) vs the lazily loaded parts (tfjs worker, wasm).
 * 5. The cost of looking inside while training (runtime/insight.ts): samples/s with and without it, same model and
 *    backend, runs alternated (off, on, off, on), best of each.
 * 6. Code import in the page (bench/codeimport-browser.mjs): the first Python import with Pyodide's load, and a
 *    100-layer model once loaded, in the import worker and as the user sees it (Paste code… → drawn).
 *
 * Options: --quick (wasm-only throughput, fewer seconds), --only=throughput,validation,longtasks,bundle,insight,codeimport,
 * --no-build (reuse bench-results/app-dist and bench-results/page-dist). Port: BENCH_PORT (default 4290).
 * Needs /usr/bin/chromium (Debian: apt-get install -y chromium) or CHROMIUM=/path.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runnerImport } from 'vite';
import { launch, preview } from './browser.mjs';
import { runCodeImportBench } from './codeimport-browser.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const noBuild = args.includes('--no-build');
const only = (args.find((a) => a.startsWith('--only=')) ?? '--only=throughput,validation,longtasks,bundle,insight,codeimport').slice(7).split(',');
const port = Number(process.env.BENCH_PORT ?? 4290);
const OUT = 'bench-results';
const APP = join(process.cwd(), OUT, 'app-dist');
const PAGE = join(process.cwd(), OUT, 'page-dist');
mkdirSync(OUT, { recursive: true });

const results = { date: new Date().toISOString(), machine: machine(), quick };
const fmt = (v, d = 1) => (v === undefined || v === null || Number.isNaN(v) ? '—' : Number(v).toFixed(d));

function machine() {
  const cpus = os.cpus();
  // The load average says how much other work shared the processor while the figures were taken.
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
}

function build() {
  if (noBuild) return;
  const vite = (extra, env = {}) =>
    execFileSync('npx', ['vite', 'build', ...extra], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  console.log('Building the app and the bench page…');
  vite(['--outDir', APP, '--emptyOutDir']);
  vite(['-c', 'bench/vite.config.ts'], { BENCH_OUT: PAGE });
}

function table(title, head, rows) {
  console.log(`\n${title}`);
  const cells = [head, ...rows].map((r) => r.map(String));
  const w = head.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  for (const [k, r] of cells.entries()) {
    console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
    if (k === 0) console.log(w.map((n) => '-'.repeat(n)).join('  '));
  }
}

/** 1. Throughput on the bench page. */
async function throughput(browser) {
  const srv = await preview(PAGE, port, 'bench/vite.config.ts');
  try {
    const page = await browser.newPage();
    await page.goto(srv.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    results.browser = {
      version: browser.version(),
      crossOriginIsolated: await page.evaluate(() => window.bench.isolated()),
      hardwareConcurrency: await page.evaluate(() => window.bench.cores()),
    };
    const batch = 32;
    const runs = [];
    const seconds = quick ? 5 : 12;
    const plan = [];
    for (const template of ['product-classifier', 'purchase-predictor']) {
      for (const backend of quick ? ['wasm'] : ['auto', 'wasm', 'webgl', 'cpu']) plan.push({ kind: 'layerlab', template, backend });
      for (const backend of quick ? ['wasm'] : ['wasm', 'webgl', 'cpu']) plan.push({ kind: 'plain', template, backend, kernels: false });
      plan.push({ kind: 'plain', template, backend: 'wasm', kernels: true });
    }
    for (const p of plan) {
      // Slow backends (a batch takes seconds): two batches, the warm-up and one timed.
      const slow = p.backend === 'cpu' || (p.backend === 'webgl' && p.template === 'product-classifier');
      const s = slow ? 1 : seconds;
      const maxBatches = slow ? 2 : 200;
      process.stdout.write(`  ${p.kind} ${p.template} ${p.backend}${p.kernels ? ' +kernels' : ''}… `);
      const r =
        p.kind === 'layerlab'
          ? await page.evaluate(([t, b, n, m, sec]) => window.bench.layerlab(t, b, n, m, sec), [p.template, p.backend, batch, maxBatches, s])
          : await page.evaluate((req) => window.bench.plain(req), {
              template: p.template,
              backend: p.backend,
              kernels: p.kernels,
              allCores: p.kernels,
              batch,
              maxBatches,
              seconds: s,
            });
      console.log(r.error ? `error: ${r.error}` : `${fmt(r.samplesPerSec)} samples/s`);
      runs.push({ ...p, requested: p.backend, ...r });
    }
    results.throughput = { batch, runs };
    const rows = [];
    for (const template of ['product-classifier', 'purchase-predictor']) {
      const of = (kind, backend, kernels = false) =>
        runs.find((r) => r.template === template && r.kind === kind && r.requested === backend && (kind === 'layerlab' || !!r.kernels === kernels));
      const stock = runs.filter((r) => r.template === template && r.kind === 'plain' && !r.kernels && r.samplesPerSec);
      const best = stock.reduce((a, b) => (!a || b.samplesPerSec > a.samplesPerSec ? b : a), null);
      const auto = of('layerlab', quick ? 'wasm' : 'auto');
      const ours = of('layerlab', 'wasm');
      const same = of('plain', 'wasm', true);
      const summary = {
        template,
        layerlab: auto?.samplesPerSec,
        layerlabBackend: auto?.backend,
        threads: auto?.threads,
        reason: auto?.reason,
        startMs: auto?.startMs,
        stockBest: best?.samplesPerSec,
        stockBestBackend: best?.backend,
        ratioVsStockBest: auto?.samplesPerSec && best ? auto.samplesPerSec / best.samplesPerSec : null,
        plainSameKernels: same?.samplesPerSec,
        runtimeOverheadPct: ours?.samplesPerSec && same?.samplesPerSec ? (1 - ours.samplesPerSec / same.samplesPerSec) * 100 : null,
      };
      (results.throughputSummary ??= []).push(summary);
      rows.push([
        template,
        `${fmt(summary.layerlab)} (${summary.layerlabBackend ?? '?'}${summary.threads ? `, ${summary.threads} thr` : ''})`,
        `${fmt(summary.stockBest)} (${summary.stockBestBackend ?? '—'})`,
        `${fmt(summary.ratioVsStockBest)}×`,
        fmt(summary.plainSameKernels),
        `${fmt(summary.runtimeOverheadPct)} %`,
      ]);
    }
    table(
      'Training throughput, samples/s (batch 32, headless Chromium)',
      ['model', 'Layerlab', 'stock tfjs best', 'ratio', 'plain tfjs + Layerlab kernels', 'runtime overhead'],
      rows,
    );
    table(
      'Every run',
      ['run', 'backend', 'samples/s', 'batches', 'first batch ms', 'note'],
      runs.map((r) => [
        `${r.kind} ${r.template}${r.kernels ? ' +kernels' : ''}`,
        `${r.requested}${r.requested === 'auto' ? ` → ${r.backend ?? '?'}` : ''}`,
        fmt(r.samplesPerSec),
        r.batches ?? '—',
        fmt(r.firstBatchMs, 0),
        r.error ? r.error.slice(0, 70) : r.withWarmup ? 'one batch, warm-up included' : '',
      ]),
    );
  } finally {
    srv.stop();
  }
}

/** 2. Validation vs tfjs building, in Node. */
async function validation() {
  const { module } = await runnerImport('./bench/validation.ts');
  const rows = await module.runValidationBench(quick ? [100, 1_000] : [100, 1_000, 5_000]);
  results.validation = rows;
  table(
    'Validation + shape inference (core analyze) vs building the model in tfjs (cpu backend), Node, median ms',
    ['graph', 'Layerlab core', 'tfjs build', 'ratio'],
    rows.map((r) => [`${r.layers} layers, ${r.shape}`, fmt(r.coreMs, 2), fmt(r.tfjsMs, 0), `${fmt(r.ratio, 0)}×`]),
  );
}

/** 3. Long tasks on the app's main thread while training. */
async function longTasks(browser) {
  const srv = await preview(APP, port + 1);
  const spinners = [];
  try {
    const out = [];
    for (const [button, seconds, busy] of [
      ['Product image classifier (CNN)', quick ? 8 : 15, false],
      ['Purchase predictor (two inputs)', quick ? 6 : 10, false],
      // The issue's harder case: the other core busy (a process spinning on it) while the app trains, with the Inside
      // tab open (its histograms redrawn at each snapshot).
      ['Product image classifier (CNN)', quick ? 8 : 15, true],
    ]) {
      const spinner = busy ? spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }) : null;
      if (spinner) spinners.push(spinner);
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(srv.url);
      // The Templates dialog's card for the model (its data-template id).
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator(`[data-template="${button.startsWith('Product') ? 'product-classifier' : 'purchase-predictor'}"]`).click();
      await page.keyboard.press('Escape');
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Epochs').fill('50');
      await page.waitForTimeout(500);
      const t0 = await page.evaluate(() => performance.now());
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await page.getByTestId('backend').waitFor({ timeout: 60_000 });
      const trainingFrom = await page.evaluate(() => performance.now());
      if (busy) {
        await page.getByRole('tab', { name: 'Inside' }).click();
        await page.getByTestId('inside-head').waitFor({ timeout: 30_000 });
      }
      await page.waitForTimeout(seconds * 1000);
      const backend = (await page.getByTestId('backend').textContent())?.slice(0, 60);
      if (busy) await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByRole('button', { name: 'Stop' }).click();
      await page.getByTestId('final-loss').waitFor({ timeout: 60_000 });
      const tasks = await page.evaluate((from) => window.__longTasks.filter((t) => t.start >= from), t0);
      const during = tasks.filter((t) => t.start >= trainingFrom);
      spinner?.kill();
      const r = {
        model: busy ? `${button}, other core busy, Inside tab open` : button,
        backend,
        seconds,
        count: during.length,
        longestMs: Math.max(0, ...during.map((t) => t.duration)),
        countIncludingStart: tasks.length,
        longestIncludingStartMs: Math.max(0, ...tasks.map((t) => t.duration)),
      };
      out.push(r);
      await context.close();
    }
    results.longTasks = out;
    table(
      'Main-thread long tasks (> 50 ms) while training in the app',
      ['model', 'backend', 'seconds', 'count', 'longest ms', 'from Train click: count / longest'],
      out.map((r) => [r.model, r.backend ?? '', r.seconds, r.count, fmt(r.longestMs, 0), `${r.countIncludingStart} / ${fmt(r.longestIncludingStartMs, 0)}`]),
    );
  } finally {
    for (const s of spinners) s.kill();
    srv.stop();
  }
}

/** 5. Training speed with and without the look inside (histograms, dead units, filters), on wasm. */
async function insightCost(browser) {
  const srv = await preview(PAGE, port + 2, 'bench/vite.config.ts');
  try {
    const page = await browser.newPage();
    await page.goto(srv.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
    const seconds = quick ? 5 : 10;
    const out = [];
    for (const template of ['product-classifier', 'purchase-predictor']) {
      const runs = { off: [], on: [] };
      for (const insight of [false, true, false, true]) {
        process.stdout.write(`  ${template} insight ${insight ? 'on' : 'off'}… `);
        const r = await page.evaluate(([t, sec, ins]) => window.bench.layerlab(t, 'wasm', 32, 200, sec, ins), [template, seconds, insight]);
        console.log(r.error ? `error: ${r.error}` : `${fmt(r.samplesPerSec)} samples/s${insight ? `, ${r.looks} looks of ${fmt(r.lookMs, 0)} ms` : ''}`);
        runs[insight ? 'on' : 'off'].push(r);
      }
      const best = (rs) => rs.reduce((a, b) => (!a || (b.samplesPerSec ?? 0) > (a.samplesPerSec ?? 0) ? b : a), null);
      const off = best(runs.off);
      const on = best(runs.on);
      out.push({
        template,
        offSamplesPerSec: off?.samplesPerSec,
        onSamplesPerSec: on?.samplesPerSec,
        slowdownPct: off?.samplesPerSec && on?.samplesPerSec ? (1 - on.samplesPerSec / off.samplesPerSec) * 100 : null,
        looks: on?.looks,
        lookMs: on?.lookMs,
      });
    }
    results.insight = out;
    table(
      'Looking inside while training (wasm, batch 32): samples/s without and with it (target: at most 10 % slower)',
      ['model', 'without', 'with', 'slower by', 'looks', 'ms per look'],
      out.map((r) => [r.template, fmt(r.offSamplesPerSec), fmt(r.onSamplesPerSec), `${fmt(r.slowdownPct)} %`, r.looks ?? '—', fmt(r.lookMs, 0)]),
    );
  } finally {
    srv.stop();
  }
}

/** 4. Bundle sizes of the app build. */
function bundle() {
  const html = readFileSync(join(APP, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  const assets = readdirSync(join(APP, 'assets'));
  const gz = (f) => gzipSync(readFileSync(join(APP, f))).length;
  const raw = (f) => statSync(join(APP, f)).size;
  const initialGzip = initial.reduce((s, f) => s + gz(f), 0);
  const workers = assets.filter((f) => /^worker.*\.js$/.test(f)).map((f) => `assets/${f}`);
  const wasm = assets.filter((f) => f.endsWith('.wasm')).map((f) => `assets/${f}`);
  const lazyJs = assets.filter((f) => f.endsWith('.js') && !initial.includes(`assets/${f}`) && !/^worker/.test(f)).map((f) => `assets/${f}`);
  results.bundle = {
    initialJs: initial,
    initialGzip,
    initialRaw: initial.reduce((s, f) => s + raw(f), 0),
    tfjsWorkerGzip: workers.reduce((s, f) => s + gz(f), 0),
    tfjsWorkerRaw: workers.reduce((s, f) => s + raw(f), 0),
    wasmGzip: Object.fromEntries(wasm.map((f) => [f.replace(/^assets\/|-[\w-]{8}\.wasm$/g, ''), gz(f)])),
    otherLazyJsGzip: lazyJs.reduce((s, f) => s + gz(f), 0),
  };
  const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
  const b = results.bundle;
  table(
    'Bundle (app build)',
    ['part', 'gzip', 'raw'],
    [
      ['initial JS (index.html)', kb(b.initialGzip), kb(b.initialRaw)],
      ['tfjs worker (loaded on first Train / summary)', kb(b.tfjsWorkerGzip), kb(b.tfjsWorkerRaw)],
      ...Object.entries(b.wasmGzip).map(([k, v]) => [`${k}.wasm (one of three is fetched)`, kb(v), '']),
      ['other lazy chunks (panels, export)', kb(b.otherLazyJsGzip), ''],
    ],
  );
}

build();
let browser;
try {
  if (only.includes('validation')) await validation();
  if (only.includes('bundle')) bundle();
  if (['throughput', 'longtasks', 'insight', 'codeimport'].some((o) => only.includes(o))) browser = await launch();
  if (only.includes('throughput')) await throughput(browser);
  if (only.includes('longtasks')) await longTasks(browser);
  if (only.includes('insight')) await insightCost(browser);
  if (only.includes('codeimport')) results.codeImport = (await runCodeImportBench(browser, APP, port + 3, quick ? 1 : 3)).summary;
} finally {
  await browser?.close();
}
results.machine.loadAverageAtEnd = os.loadavg().map((v) => Number(v.toFixed(2)));
console.log(
  `\nMachine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGB} GB, ${results.machine.os}, Node ${results.machine.node}, load average ${results.machine.loadAverageAtStart[0]} → ${results.machine.loadAverageAtEnd[0]}${results.browser ? `, Chromium ${results.browser.version} (crossOriginIsolated ${results.browser.crossOriginIsolated}, hardwareConcurrency ${results.browser.hardwareConcurrency})` : ''}`,
);
const file = join(OUT, `bench-${results.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(results, null, 1));
writeFileSync(join(OUT, 'latest.json'), JSON.stringify(results, null, 1));
console.log(`Wrote ${file}`);
