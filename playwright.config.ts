/**
 * Browser tests (`npm run test:e2e`, or `npx playwright test` after `npm run build`): @playwright/test drives
 * Debian's headless Chromium against the production build in dist/, served by `vite preview` (cross-origin
 * isolated, so wasm trains with threads; vite.config.ts sets the headers).
 *
 * - Chromium: /usr/bin/chromium (Debian's package), or CHROMIUM=/path/to/chromium. Playwright's own browser
 *   download (`npx playwright install`) is never used.
 * - Port: 4179 (E2E_PORT to change it); dist/ (E2E_DIST to serve another build).
 * - Screenshots the tests take on purpose: test-results/e2e/ (tests/e2e/fixtures.ts). Playwright's own
 *   artifacts (a screenshot and a trace of each failed test): test-results/e2e-artifacts/; the HTML report
 *   (never opened automatically): test-results/e2e-report/.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const dist = process.env.E2E_DIST ?? 'dist';
const port = Number(process.env.E2E_PORT ?? 4179);

/**
 * Stops before Playwright starts anything when the browser or the build is missing, with what to do
 * (Playwright's own messages would be a launch failure deep in a test, or vite preview exiting with code 1).
 */
function preflight(): void {
  const problems: string[] = [];
  if (!existsSync(chromium))
    problems.push(
      `Chromium not found at ${chromium}.\n  Install Debian's chromium:  sudo apt-get update && sudo apt-get install -y chromium\n  (or set CHROMIUM=/path/to/chromium). Never 'npx playwright install' here: the tests use the system browser.`,
    );
  if (!existsSync(`${dist}/index.html`))
    problems.push(`${dist}/index.html is missing: run \`npm run build\` first (\`npm run test:e2e\` builds, then runs the tests).`);
  if (problems.length === 0) return;
  console.error(`\nBrowser tests cannot start:\n\n${problems.map((p) => `- ${p}`).join('\n')}\n`);
  process.exit(1);
}
preflight();

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/e2e-artifacts',
  // Two cores on the project machine, and the tests train models: one test at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Most tests take a few seconds; the ones that train or build 10,000 layers set their own limit.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { outputFolder: 'test-results/e2e-report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1440, height: 900 },
    permissions: ['clipboard-read', 'clipboard-write'],
    actionTimeout: 20_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --outDir ${dist} --port ${port} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
