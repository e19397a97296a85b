/**
 * Shared by the bench scripts: serve a built folder with `vite preview` (cross-origin isolated, from the
 * app's vite.config.ts) and drive Debian's headless Chromium with playwright-core.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Runs `npx vite <args>` in its own process group and resolves when `url` answers (polled every 200 ms, at most
 * `tries` times); rejects with the server's output otherwise. Returns { url, stop }; stop ends the whole group.
 */
async function serve(args, port, what, tries) {
  const server = spawn('npx', ['vite', ...args, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > tries) {
      stop();
      throw new Error(`${what} did not start:\n${log}`);
    }
    await sleep(200);
  }
  return { url, stop };
}

/** Starts `vite preview` of `outDir` on `port` (optionally with config file `config`); resolves when it answers. Returns { url, stop }. */
export function preview(outDir, port, config) {
  return serve(['preview', '--outDir', outDir, ...(config ? ['-c', config] : [])], port, 'vite preview', 150);
}

/**
 * Starts the Vite dev server (the app's vite.config.ts, cross-origin isolated) on `port`; resolves when the page has
 * been requested once (the first request makes Vite pre-bundle the dependencies). Returns { url, stop }.
 */
export function devServer(port) {
  return serve([], port, 'vite dev server', 300);
}

/** Launches headless Chromium with the bench flags. */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (Debian: apt-get install -y chromium; or set CHROMIUM).`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
