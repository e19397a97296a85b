/**
 * Persistence: the autosave and reload, share links as new documents, storage failures, two tabs on one model,
 * crashes, and a 10,000-layer model.
 */
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';
import { artifact, dropFile, expect, storedDocuments, test } from './fixtures';

/** "Saved" in the toolbar (case-sensitive and at the start: "Not saved: …" must not match). */
const SAVED = /^\s*Saved/;

test('persistence: reload restores the canvas; a share link opens as a new document, the previous work one click away (also after a reload)', async ({
  page,
  browser,
  baseURL,
  shot,
}) => {
  const saveState = page.getByTestId('save-state');
  await page.goto('/');
  // The link: the siamese template (shared layers), saved as a file in another browser profile.
  const elsewhere = await browser.newContext({ acceptDownloads: true });
  try {
    const p = await elsewhere.newPage();
    await p.goto(`${baseURL}`);
    await p.getByRole('button', { name: 'Templates', exact: true }).click();
    await p.locator('[data-template="siamese"]').click();
    await expect(p.getByTestId('node-encoder_hidden#1')).toBeVisible();
    const [file] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Save', exact: true }).click()]);
    await file.saveAs(artifact('siamese.layerlab.json'));
  } finally {
    await elsewhere.close();
  }
  const link = `${baseURL}#project=${LZString.compressToEncodedURIComponent(readFileSync(artifact('siamese.layerlab.json'), 'utf8'))}`;
  // My work: the purchase predictor with a changed training setting.
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="purchase-predictor"]').click();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('7');
  // The autosave is debounced: reload once the setting is stored.
  await expect
    .poll(async () => (await storedDocuments(page)).some((d) => d.names.includes('concatenate_branches') && d.epochs === 7), {
      message: 'the purchase predictor with epochs = 7 is saved',
    })
    .toBe(true);
  await expect(saveState).toHaveText(SAVED);
  await page.reload();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByLabel('Epochs')).toHaveValue('7');
  await expect(saveState).toHaveText(SAVED);
  await shot('20-saved-state');
  // Open the link in this tab: a new document; my work is untouched and one click away.
  await page.goto('about:blank');
  await page.goto(link);
  const banner = page.getByRole('status').filter({ hasText: 'Opened the share link as a new document' });
  await expect(banner).toHaveText(/Your previous work is saved and unchanged\./);
  await expect(page.getByTestId('node-encoder_hidden#1')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('2,610');
  await shot('21-share-link-new-document');
  await page.getByRole('button', { name: 'Back to my previous work' }).click();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await expect(page.getByTestId('total-params')).toHaveText('799,233');
  // Again, then reload: the link reopens its stored document (no duplicate); the tab stays on it;
  // Recent reaches the previous work.
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByRole('status').filter({ hasText: 'The model in this share link is already saved in this browser' })).toBeVisible();
  await expect(page.getByTestId('node-encoder_hidden#1')).toBeVisible();
  await expect(saveState).toHaveText(SAVED);
  await page.reload();
  await expect(page.getByTestId('node-encoder_hidden#1')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params'), 'shared layers survive the reload').toHaveText('2,610');
  await page.getByText('Recent ▾').click();
  const items = page.getByTestId('recent-document');
  await expect(items.first()).toBeVisible();
  await shot('22-recent-menu');
  await expect(items.filter({ hasText: /^\s*multi_input_purchase_predictor/ }).first(), 'Recent lists the previous work').toBeVisible();
  await expect(items.filter({ hasText: '(from a share link)' }), 'Recent lists the shared document once').toHaveCount(1);
  await items
    .filter({ hasText: /^\s*multi_input_purchase_predictor/ })
    .first()
    .click();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByLabel('Epochs')).toHaveValue('7');
});

test('persistence: storage writes failing show "Not saved" with a download, and the next change retries', async ({ page, shot }) => {
  type FailingWindow = Window & { __failWrites: boolean };
  await page.addInitScript(() => {
    const w = window as unknown as FailingWindow;
    w.__failWrites = true;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (w.__failWrites && String(key).startsWith('doc:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
  const failed = page.getByTestId('save-state').filter({ hasText: 'Not saved' });
  await expect(failed).toHaveText(/Not saved:\s*the browser storage for this page is full/);
  await expect(failed).toHaveAttribute('title', /The next change tries again\./);
  await shot('23-not-saved');
  const [dl] = await Promise.all([page.waitForEvent('download'), failed.getByRole('button', { name: 'Download a copy' }).click()]);
  expect(dl.suggestedFilename()).toMatch(/\.layerlab\.json$/);
  const path = artifact('23-not-saved-copy.json');
  await dl.saveAs(path);
  expect(readFileSync(path, 'utf8')).toMatch(/"format": "layerlab-project"/);
  expect(await storedDocuments(page), 'nothing was stored while writes failed').toEqual([]);
  // Storage recovers: the next change is saved.
  await page.evaluate(() => ((window as unknown as FailingWindow).__failWrites = false));
  await page.getByTestId('node-dense').click();
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('save-state')).toHaveText(SAVED);
  await expect.poll(async () => (await storedDocuments(page)).map((d) => d.names)).toEqual([expect.arrayContaining(['dense', 'dense_1'])]);
});

test('persistence: two tabs editing the same model, neither loses work', async ({ page, context }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
  await expect(page.getByTestId('save-state')).toHaveText(SAVED);
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByTestId('node-dense')).toBeVisible();
  await expect(other.getByTestId('save-state')).toHaveText(/also open in another tab/);
  // Tab 1 adds a layer; tab 2 has no changes and follows.
  await page.bringToFront();
  await page.getByTestId('node-dense').click();
  await page.keyboard.press('Control+d');
  await expect(other.getByTestId('node-dense_1')).toBeVisible();
  // Both edit at once: one of them keeps its version as a separate document and says so.
  await other.bringToFront();
  await other.getByTestId('node-dense_1').click();
  await other.keyboard.press('Delete');
  await page.bringToFront();
  await page.getByTestId('node-dense_1').click();
  await page.keyboard.press('Control+d');
  const said = (p: typeof page) => p.getByRole('status').filter({ hasText: 'also changed in another tab' });
  await expect
    .poll(async () => (await said(page).count()) + (await said(other).count()), { message: 'one tab says the model also changed in another tab' })
    .toBeGreaterThan(0);
  const [bannerPage, keptPage] = (await said(other).count()) ? [other, page] : [page, other];
  await bannerPage.bringToFront();
  await bannerPage.screenshot({ path: artifact('24-two-tabs-banner.png') });
  // Both versions are stored: tab 1's (dense_2 added) and tab 2's (dense_1 deleted).
  await expect
    .poll(async () => {
      const docs = (await storedDocuments(page)).map((d) => d.names);
      return {
        documents: docs.length,
        tab1: docs.some((d) => d.includes('dense_2') && d.includes('dense')),
        tab2: docs.some((d) => d.includes('dense') && !d.includes('dense_1') && !d.includes('dense_2')),
        names: docs,
      };
    })
    .toMatchObject({ documents: 2, tab1: true, tab2: true });
  // The banner's choice shows the other tab's version.
  await bannerPage.getByRole('button', { name: "Open the other tab's version" }).click();
  await expect(said(bannerPage)).toHaveCount(0);
  const names = async (p: typeof page) => (await p.locator('.layer-node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-testid')))).sort().join();
  await expect.poll(() => names(bannerPage)).toBe(await names(keptPage));
  await other.close();
});

test('persistence: a crash in a panel keeps the canvas and offers the download; a page crash offers it too', async ({ page, context, shot }) => {
  type CrashWindow = Window & { __layerlabCrash?: string };
  await page.addInitScript(() => ((window as CrashWindow).__layerlabCrash = 'the inspector'));
  await page.goto('/');
  await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
  const crash = page.getByTestId('crash');
  await expect(crash).toHaveText(/The inspector stopped working/);
  await expect(page.getByTestId('node-dense')).toBeVisible();
  await shot('25-inspector-crash');
  const [dl] = await Promise.all([page.waitForEvent('download'), crash.getByRole('button', { name: 'Download your work' }).click()]);
  expect(dl.suggestedFilename()).toMatch(/\.layerlab\.json$/);
  const whole = await context.newPage();
  await whole.addInitScript(() => ((window as CrashWindow).__layerlabCrash = 'Layerlab'));
  await whole.goto('/');
  const pageCrash = whole.getByTestId('crash');
  await expect(pageCrash).toHaveText(/Layerlab stopped working/);
  await expect(pageCrash.getByRole('button', { name: 'Reload' })).toBeVisible();
  await expect(pageCrash.getByRole('button', { name: 'Download your work' })).toBeVisible();
  await shot('26-page-crash', whole);
  await whole.close();
});

test('persistence: import a 5,000-layer model, select all, duplicate (10,000 layers): the page stays, and autosave saves or says "Not saved"', async ({
  page,
  shot,
}) => {
  test.setTimeout(400_000); // rendering and saving 10,000 layers takes most of a minute on 2 cores
  if (process.env.E2E_DEBUG) {
    page.on('console', (m) => console.log('    console:', m.text().slice(0, 300)));
    page.on('pageerror', (e) => console.log('    pageerror:', String(e).slice(0, 300)));
  }
  await page.goto('/');
  const layers: { class_name: string; config: Record<string, unknown> }[] = [
    { class_name: 'Dense', config: { name: 'dense_0', units: 4, batch_input_shape: [null, 4] } },
  ];
  for (let i = 1; i < 5000; i++) layers.push({ class_name: 'Dense', config: { name: `dense_${i}`, units: 4 } });
  await dropFile(page, 'big.json', JSON.stringify({ class_name: 'Sequential', config: { name: 'big', layers } }));
  // A refusal would show a toast naming the file; a chain is laid out at once, so the model lands on the
  // canvas while the main thread renders it (its 6 s toast can expire in that time: wait for the model).
  const inspector = page.locator('.inspector');
  const refused = page.getByText(/big\.json was not opened/);
  await expect(inspector.filter({ hasText: /Layers\s*5001(?!\d)/ }).or(refused)).not.toHaveCount(0, { timeout: 120_000 });
  await expect(refused).toHaveCount(0);
  // 5,000 Dense layers + the InputLayer the importer adds.
  await expect(inspector).toContainText(/Layers\s*5001(?!\d)/, { timeout: 120_000 });
  const state = page.getByTestId('save-state');
  await expect(state).toHaveText(SAVED, { timeout: 60_000 });
  await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+a');
  const t0 = Date.now();
  await page.keyboard.press('Control+d');
  await expect(inspector).toContainText(/Layers\s*10002(?!\d)/, { timeout: 120_000 });
  // Saved, or "Not saved" with the download: never silent, never a blank page. The toolbar keeps its last
  // "Saved" until the debounced write starts, so "Saved" counts once the 10,002 layers are in storage.
  const outcome = async (): Promise<string> => {
    const text = (await state.textContent())?.trim() ?? '';
    if (/Not saved/.test(text)) return text;
    if (SAVED.test(text) && (await storedDocuments(page)).some((d) => d.layers === 10_002)) return text;
    return 'waiting';
  };
  await expect.poll(outcome, { timeout: 120_000, intervals: [500, 1000] }).not.toBe('waiting');
  const answer = await outcome();
  const measured = `duplicated and autosave answered "${answer}" in ${((Date.now() - t0) / 1000).toFixed(1)} s`;
  console.log(`    10,000 layers: ${measured}`);
  test.info().annotations.push({ type: '10,000 layers', description: measured });
  if (/Not saved/.test(answer)) await expect(state.getByRole('button', { name: 'Download a copy' })).toBeVisible();
  await expect(page.getByText('Layerlab', { exact: true }).first(), 'the page is not blank').toBeVisible();
  await expect(page.getByTestId('crash')).toHaveCount(0);
  await shot('27-ten-thousand-layers');
  if (SAVED.test(answer)) expect((await storedDocuments(page)).map((d) => d.layers)).toEqual([10_002]);
});
