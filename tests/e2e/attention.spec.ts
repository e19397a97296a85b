/**
 * Attention from the palette (issue 10): a MultiHeadAttention layer tfjs 4.22 lacks, built by hand on a
 * (None, 100, 256) sequence, shows Keras's 263,168 parameters, trains one epoch on wasm in the page's worker, and
 * exports Python (Keras's own class) and TypeScript (Layerlab's custom layer, with its module to download).
 */
import { connect, dropLayer, expect, test } from './fixtures';

test('transformer block from the palette: 263,168 on the attention node, one epoch on wasm, Python and TypeScript', async ({ page, shot }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await dropLayer(page, 'Input', 420, 60);
  await dropLayer(page, 'MultiHeadAttention', 420, 190);
  await dropLayer(page, 'GlobalAveragePooling1D', 420, 320);
  await dropLayer(page, 'Dense', 420, 450);
  await connect(page, 'input_layer', 'multi_head_attention');
  await connect(page, 'multi_head_attention', 'global_average_pooling1d');
  await connect(page, 'global_average_pooling1d', 'dense');
  // A sequence of 100 vectors of 256 values, attended by 4 heads of key_dim 64 (self-attention: one input).
  await page.getByTestId('node-input_layer').click();
  await page.locator('#param-shape').fill('100, 256');
  await page.getByTestId('node-multi_head_attention').click();
  await page.locator('#param-num_heads').fill('4');
  await page.locator('#param-key_dim').fill('64');
  await expect(page.getByTestId('inspector-shape')).toHaveText('(None, 100, 256)');
  // Keras 3: query, key and value projections 3 · (256 · 4 · 64 + 4 · 64) and the output 4 · 64 · 256 + 256.
  await expect(page.getByTestId('node-multi_head_attention')).toContainText('263,168 params');
  await page.getByTestId('node-dense').click();
  await page.locator('#param-units').fill('2');
  // Nothing selected (a click on empty canvas): the inspector shows the model's totals.
  await page.locator('.react-flow__pane').click({ position: { x: 60, y: 420 } });
  await expect(page.getByTestId('total-params')).toHaveText('263,682');
  await shot('30-attention-built');
  // One epoch on wasm, on a small data set.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByLabel('Epochs').fill('1');
  await page.getByLabel('Samples').fill('16');
  await page.getByLabel('Batch size').fill('8');
  await page.getByLabel('Backend').selectOption('wasm');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('final-loss')).toHaveText(/Done after 1 epoch · final loss \d+\.\d{4}/, { timeout: 180_000 });
  await expect(page.getByTestId('backend')).toHaveText(/Backend: wasm/);
  await shot('31-attention-trained');
  // Python names Keras's class; TypeScript Layerlab's custom layer, whose module the panel offers.
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Python (Keras)' }).click();
  await expect(page.getByTestId('code')).toContainText('layers.MultiHeadAttention(4, 64, name="multi_head_attention")(');
  await page.getByRole('button', { name: 'TypeScript (tfjs)' }).click();
  await expect(page.getByTestId('code')).toContainText("import * as layerlab from './layerlab-layers';");
  await expect(page.getByTestId('code')).toHaveText(/layerlab\s*\.multiHeadAttention\(\{ numHeads: 4, keyDim: 64/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'layerlab-layers.ts' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('layerlab-layers.ts');
  await shot('32-attention-code');
});
