/**
 * Training in the page's Web Worker: the purchase predictor for one epoch (then its code and a reload), the
 * product classifier on the backend Auto timed (stopped mid-epoch, the main thread kept free), and a model
 * with two outputs, each with its own loss.
 */
import { expect, storedDocuments, test } from './fixtures';

/** The long tasks (over 50 ms, the browser's definition) a PerformanceObserver saw on the main thread. */
type WithLongTasks = Window & { __longTasks: { start: number; duration: number }[] };

test('purchase predictor: train one epoch, Functional code, survive a reload', async ({ page, shot }) => {
  test.setTimeout(240_000); // one epoch of a 799,233-parameter model, and a backend trial first
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  const card = page.locator('[data-template="purchase-predictor"]');
  await expect(card).toHaveText(/12 layers · 799,233 parameters · Functional/);
  await card.click();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('799,233');
  await shot('05-purchase-predictor');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('final-loss')).toHaveText(/Done after 1 epoch · final loss \d+\.\d{4}/, { timeout: 120_000 });
  await expect(page.getByTestId('backend')).toHaveText(/Backend: (wasm|webgl|cpu)/);
  await shot('06-trained');
  await page.getByRole('tab', { name: 'Code' }).click();
  await expect(page.getByTestId('code'), 'Functional TypeScript calls tf.model(').toContainText('tf.model(');
  await page.getByRole('button', { name: /^Sequential/ }).click();
  await expect(page.getByTestId('api-explanation')).toHaveText(/2 inputs/);
  await shot('07-code');
  // The autosave is debounced: reload once the model with its 1-epoch setting is stored, not after a guessed delay.
  await expect
    .poll(async () => (await storedDocuments(page)).some((d) => d.names.includes('concatenate_branches') && d.epochs === 1), {
      message: 'the purchase predictor with epochs = 1 is saved',
    })
    .toBe(true);
  await page.reload();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('799,233');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByLabel('Epochs')).toHaveValue('1');
  await shot('08-after-reload');
});

test('product classifier: tfjs summary agrees; trains on the timed backend (shown with why), Stop ends it within one batch, no main-thread task over 50 ms', async ({
  page,
  shot,
}) => {
  test.setTimeout(240_000); // the backend trial, then training until a quarter of the first epoch
  await page.addInitScript(() => {
    const w = window as unknown as WithLongTasks;
    w.__longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Product image classifier (CNN)' }).click();
  await expect(page.getByTestId('node-output_softmax')).toBeVisible();
  await expect(page.getByTestId('summary-total')).toHaveText('822,922');
  await page.getByRole('button', { name: 'tfjs model.summary()' }).click();
  const tfjs = page.getByTestId('tfjs-summary');
  await expect(tfjs).toHaveText(/Total params: 822922/);
  await expect(tfjs).toHaveText(/dense1 \(Dense\)\s+\[\[null,12544\]\]\s+\[null,64\]\s+802880/);
  await shot('09-tfjs-summary');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('memory-estimate')).toHaveText(/Memory for training: about [\d.]+ MB \(limit 2 GB\)/);
  await expect(page.getByTestId('dummy-data')).toHaveText(/Dummy data: a learnable task/);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  // 'Auto' times a few steps per backend and says so: without a GPU, wasm (with Layerlab's kernels, on
  // every core: "N threads") wins; with one, webgl may.
  const backend = page.getByTestId('backend');
  await expect(backend).toBeVisible({ timeout: 60_000 });
  const trainingFrom = await page.evaluate(() => performance.now());
  // Rates are written with three significant digits: "217 samples/s", "97.0 samples/s", "1,176 samples/s".
  await expect(backend).toHaveText(/^\s*Backend: (wasm \(\d+ threads?\)|webgl) — (wasm|webgl): \d[\d,]*(\.\d+)? samples\/s (vs [^;]+ )?in a 3-step trial/);
  const batch = page.getByRole('progressbar').nth(1);
  await expect(batch).toBeVisible({ timeout: 60_000 });
  // An epoch takes about a second here: poll in the page (every animation frame), so Stop comes mid-epoch.
  await page.waitForFunction(() => Number(document.querySelectorAll('[role=progressbar]')[1]?.getAttribute('aria-valuenow')) >= 25, null, {
    timeout: 60_000,
  });
  const at = Number(await batch.getAttribute('aria-valuenow'));
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('final-loss')).toHaveText(/Stopped in epoch 1 · final loss \d+\.\d{4}/, { timeout: 60_000 });
  const after = Number(await batch.getAttribute('aria-valuenow'));
  // 8 batches per epoch: each batch is 12.5 %; stopping may finish the running batch and at most one more report.
  expect(after - at, `stopped within one batch (progress ${at}% → ${after}%)`).toBeLessThanOrEqual(25);
  expect(after, 'stopped mid-epoch').toBeLessThan(100);
  const long = await page.evaluate((from) => (window as unknown as WithLongTasks).__longTasks.filter((t) => t.start >= from), trainingFrom);
  expect(
    long.filter((t) => t.duration > 50),
    `main-thread tasks over 50 ms while training: ${JSON.stringify(long)}`,
  ).toEqual([]);
  await shot('10-stopped');
});

test('two-headed model: one loss per output, chosen per output, each reported while training', async ({ page, shot }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="two-headed"]').click();
  await expect(page.getByTestId('node-price')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('1');
  // 'price' has one linear unit: 0/1 labels are allowed; 'category' (5 units) cannot take them.
  const priceLoss = page.getByLabel('Loss of price');
  await priceLoss.selectOption('binary');
  await expect(priceLoss).toHaveValue('binary');
  await expect(page.getByLabel('Loss of category').locator('option[value="binary"]')).toBeDisabled();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('final-loss')).toHaveText(/Done after 1 epoch · final loss \d+\.\d{4}/, { timeout: 120_000 });
  for (const k of ['category_loss', 'price_loss']) await expect(page.getByTestId(`epoch-${k}`)).toHaveText(/^\s*\d+\.\d{4}\s*$/);
  await expect(page.getByTestId('dummy-data')).toHaveText(/price: 0\/1 labels · binary cross-entropy/);
  // The live chart has a series per output besides the total.
  const legend = page.locator('.loss-chart .u-legend .u-label');
  for (const k of ['category', 'price']) await expect(legend.filter({ hasText: new RegExp(`^\\s*${k}\\s*$`) }), `chart legend lists ${k}`).toHaveCount(1);
  await shot('17-two-outputs');
});
