/**
 * Looking inside while training (issue 11), the last step of the lecture: the product classifier trains with the
 * Inside tab open; the tab fills before the first batch and moves on while training (per-layer weight and activation
 * histograms, dead ReLU units per ReLU layer, the first Conv2D's 32 filters); a row selects its layer on the canvas;
 * once the model is edited, the Inside and Train tabs say their results are from an earlier version.
 */
import { expect, test } from './fixtures';

test('Inside tab: histograms, dead ReLU units and filters while the product classifier trains', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="product-classifier"]').click();
  await expect(page.getByTestId('node-conv1')).toBeVisible();
  await page.keyboard.press('Escape');

  // Before any training the tab says what it will show.
  await page.getByRole('tab', { name: 'Inside' }).click();
  await expect(page.getByText(/Train the model \(Train tab\) to see inside it/)).toBeVisible();
  await expect(page.getByLabel(/Look inside while training/)).toBeChecked();

  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('4');
  await page.getByLabel('Samples').fill('128');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.getByRole('tab', { name: 'Inside' }).click();

  const head = page.getByTestId('inside-head');
  await expect(head).toBeVisible({ timeout: 60_000 });
  // One row per layer after the Input, in model order.
  const rows = page.getByTestId('inside-row');
  await expect(rows).toHaveCount(8);
  expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-layer')))).toEqual([
    'conv1',
    'pool1',
    'conv2',
    'pool2',
    'flatten',
    'dense1',
    'dropout1',
    'output_softmax',
  ]);
  // Dead ReLU units are counted for the three ReLU layers only.
  await expect(page.getByTestId('inside-dead')).toHaveCount(3);
  await expect(page.locator('[data-layer="conv1"] [data-testid="inside-dead"]')).toHaveText(/^(⚠ )?\d+ \/ 32 \(\d+ %\)(before training: \d+)?$/);
  // conv1's weights: kernel 3×3×3×32 and bias 32, each with a histogram.
  const conv1 = page.locator('[data-layer="conv1"]');
  await expect(conv1.getByText('3×3×3×32')).toBeVisible();
  await expect(conv1.locator('.hist')).toHaveCount(3);
  await expect(conv1.locator('.hist__now').first()).toHaveAttribute('d', /^M/);
  // The filters: all 32, 3×3 RGB, drawn as (16 × 4 − 1) × (2 × 4 − 1) pixels.
  const filters = page.getByTestId('inside-filters');
  await expect(filters).toHaveAttribute('aria-label', '32 filters of 3×3');
  expect(await filters.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([63, 7]);
  // The picture is not blank: its pixels differ.
  const distinct = await filters.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    return new Set(Array.from({ length: d.length / 4 }, (_x, i) => `${d[4 * i]},${d[4 * i + 1]},${d[4 * i + 2]}`)).size;
  });
  expect(distinct).toBeGreaterThan(20);

  // It moves on while training, and ends after the last batch.
  await expect(head).toHaveText(/After batch \d+ of epoch \d+/, { timeout: 60_000 });
  await shot('inside-01-training');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('final-loss')).toHaveText(/Done after 4 epochs/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Look inside the model →' }).click();
  await expect(head).toHaveText(/^After batch 4 of epoch 4/);

  // A row selects its layer on the canvas.
  await page.locator('[data-layer="dense1"] th button').click();
  await expect(page.locator('.react-flow__node.selected').getByTestId('node-dense1')).toHaveCount(1);
  await expect(page.locator('[data-layer="dense1"]')).toHaveClass(/selected/);
  await shot('inside-02-done-dense1-selected');

  // An edit makes the results stale, and both tabs say so.
  await expect(page.getByTestId('inside-stale')).toHaveCount(0);
  await page.getByLabel('units', { exact: true }).fill('32');
  await expect(page.getByTestId('inside-stale')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('train-stale')).toHaveText(/from an earlier version of the model/);
  await page.getByTestId('train-stale').scrollIntoViewIfNeeded();
  await shot('inside-03-stale');
});
