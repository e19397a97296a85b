#!/usr/bin/env node
/**
 * Browser test: drives the built app (dist/, served by `vite preview`) in Debian's headless Chromium
 * with playwright-core. Screenshots go to test-results/e2e/. Prints "N passed, N failed".
 * Needs /usr/bin/chromium (Debian: `sudo apt-get update && sudo apt-get install -y chromium`), or
 * CHROMIUM=/path/to/chrome. E2E_ONLY=<text> runs only the scenarios whose name contains that text.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.mjs';

const exe = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(exe)) {
  console.error(
    `Chromium not found at ${exe}.\nInstall Debian's chromium:  sudo apt-get update && sudo apt-get install -y chromium\n(or set CHROMIUM=/path/to/chromium). Never 'npx playwright install' here.`,
  );
  process.exit(1);
}
const dist = process.env.E2E_DIST ?? 'dist';
if (!existsSync(`${dist}/index.html`)) {
  console.error(`${dist}/ is missing: run \`npm run build\` first (npm run test:e2e does).`);
  process.exit(1);
}
const out = 'test-results/e2e';
mkdirSync(out, { recursive: true });

const port = Number(process.env.E2E_PORT ?? 4179);
const server = spawn('npx', ['vite', 'preview', '--outDir', dist, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
const base = `http://127.0.0.1:${port}/`;
const stopServer = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
};

let passed = 0;
let failed = 0;
let browser;
try {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(base);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 100) throw new Error(`vite preview did not start:\n${serverLog}`);
    await sleep(200);
  }
  browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  const only = process.env.E2E_ONLY;
  for (const [name, fn] of scenarios.filter(([n]) => !only || n.includes(only))) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const t0 = Date.now();
    try {
      await fn({ page, base, shot: (n) => page.screenshot({ path: `${out}/${n}.png` }), context });
      if (errors.length) throw new Error(`page errors: ${errors.join(' | ')}`);
      passed++;
      console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      failed++;
      console.log(
        `  ✗ ${name}\n    ${String(e?.stack ?? e)
          .split('\n')
          .slice(0, 6)
          .join('\n    ')}`,
      );
      await page.screenshot({ path: `${out}/FAILED-${name.replace(/\W+/g, '-')}.png` }).catch(() => {});
    } finally {
      await context.close();
    }
  }
} catch (e) {
  failed++;
  console.log(`  ✗ setup: ${e?.stack ?? e}`);
} finally {
  await browser?.close();
  stopServer();
}
console.log(`\ne2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
