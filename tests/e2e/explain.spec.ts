/**
 * Explanations where a number is read (issue 11): on the product classifier, hovering the shape label of the edge
 * after the first Conv2D gives the window arithmetic as its tooltip; selecting that Conv2D shows "How Keras computes
 * this" in the inspector with each axis's step and the count as arithmetic (screenshot explain-01).
 */
import { expect, test } from './fixtures';

test('explanations: the edge tooltip after the first Conv2D and the inspector section', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="product-classifier"]').click();
  const conv = page.getByTestId('node-conv1');
  await expect(conv).toBeVisible();
  await page.keyboard.press('Escape');

  // The edge leaving conv1 carries (None, 62, 62, 32); its tooltip is written when the pointer enters.
  const label = page.getByTestId('edge-label').filter({ hasText: /^\(None, 62, 62, 32\)$/ });
  await expect(label).toHaveCount(1);
  await label.hover();
  await expect(label).toHaveAttribute('title', /height: ⌊\(64 − 3\) \/ 1⌋ \+ 1 = 62/);
  const title = await label.getAttribute('title');
  expect(title!.split('\n')).toEqual([
    '(None, 62, 62, 32)',
    'conv1 (Conv2D): (None, 64, 64, 3) → (None, 62, 62, 32)',
    'height: ⌊(64 − 3) / 1⌋ + 1 = 62',
    'width: ⌊(64 − 3) / 1⌋ + 1 = 62',
    'channels: filters = 32',
  ]);

  // Selecting the layer: the inspector explains its shape and count.
  await conv.locator('.layer-node__head').click();
  const box = page.getByTestId('inspector-explain');
  await expect(box).toBeVisible();
  await expect(box.getByTestId('explain-steps').locator('li')).toHaveText([
    'height: ⌊(64 − 3) / 1⌋ + 1 = 62',
    'width: ⌊(64 − 3) / 1⌋ + 1 = 62',
    'channels: filters = 32',
  ]);
  await expect(box.getByTestId('explain-count')).toHaveText('kernel 3 × 3 × 3 × 32 = 864 + bias 32 = 896');
  await box.scrollIntoViewIfNeeded();
  await shot('explain-01-conv2d-inspector');
});
