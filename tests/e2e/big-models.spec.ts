/**
 * Big models (issue 13): ResNet50 (177 layers) and a 1,000-layer chain file; Fit shows every node inside the canvas,
 * the canvas still responds (a node is selected and dragged, a parameter edited), the minimap can be hidden and stays
 * hidden after a reload, the theme switch overrides the system's. Speed is measured by bench/editor.mjs, not here.
 * Screenshots at 1440×900 and 1024×700, light and dark.
 */
import { dropFile, expect, test } from './fixtures';
import type { Page } from '@playwright/test';

/** A tfjs-form Sequential topology of `n` layers (the import adds the Input): Dense(8) layers. */
function chainFile(n: number): string {
  const layers = Array.from({ length: n - 1 }, (_, i) => ({
    class_name: 'Dense',
    config: { name: `dense_${i + 1}`, units: 8, activation: 'linear', use_bias: true, ...(i === 0 ? { batch_input_shape: [null, 8] } : {}) },
  }));
  return JSON.stringify({ class_name: 'Sequential', config: { name: 'chain', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' });
}

/** How many of the canvas's nodes lie wholly inside the canvas pane, and how many there are. */
async function nodesInView(page: Page): Promise<{ inside: number; total: number }> {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')!.getBoundingClientRect();
    const nodes = [...document.querySelectorAll('.react-flow__node')];
    const inside = nodes.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.left >= pane.left - 0.5 && r.right <= pane.right + 0.5 && r.top >= pane.top - 0.5 && r.bottom <= pane.bottom + 0.5;
    }).length;
    return { inside, total: nodes.length };
  });
}

test('ResNet50: Fit shows all 177 layers, a node can be dragged, minimap and theme switches are remembered', async ({ page, shot }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="resnet50"]').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(177);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect.poll(() => nodesInView(page)).toEqual({ inside: 177, total: 177 });
  await shot('big-01-resnet50-fit-1440');
  // The canvas responds: zoom to read, drag a node by its head, it moves.
  await page.getByText('View ▾').click();
  await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
  const node = page.getByTestId('node-conv1_conv');
  await expect(node).toBeVisible();
  // Zoom to read animates (200 ms) and the node is drawn again in its full form on the way (lod.ts): its box is read
  // once it stays put.
  let before = { x: 0, y: 0, width: 0, height: 0 };
  await expect
    .poll(async () => {
      const a = await node.boundingBox();
      await page.waitForTimeout(100);
      const b = await node.boundingBox();
      if (!a || !b || a.x !== b.x || a.y !== b.y || a.width !== b.width) return false;
      before = b;
      return true;
    })
    .toBe(true);
  await page.mouse.move(before.x + 40, before.y + 10);
  await page.mouse.down();
  await page.mouse.move(before.x + 100, before.y + 40, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => Math.round(((await node.boundingBox())?.x ?? before.x) - before.x)).toBeGreaterThan(30);
  // The minimap draws the model on its canvas (its boxes add colours to the background and the mask), and a drag in
  // it moves the view.
  const minimap = page.getByTestId('minimap');
  const colours = () =>
    minimap.evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]);
      return seen.size;
    });
  await expect.poll(colours).toBeGreaterThan(3);
  const view = () => page.locator('.react-flow__viewport').evaluate((e) => (e as HTMLElement).style.transform);
  const v0 = await view();
  const mb = (await minimap.boundingBox())!;
  await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
  await page.mouse.down();
  await page.mouse.move(mb.x + mb.width / 2 + 20, mb.y + mb.height / 2 + 10, { steps: 4 });
  await page.mouse.up();
  await expect.poll(view).not.toBe(v0);
  // Minimap off, remembered across a reload.
  await expect(page.locator('.react-flow__minimap')).toHaveCount(1);
  await page.getByText('View ▾').click();
  await page.getByRole('menuitemcheckbox', { name: /Minimap/ }).click();
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  // Dark theme, remembered; light overrides a dark system.
  await page.getByText('View ▾').click();
  await page.getByTestId('theme-switch').click(); // auto → light
  await page.getByTestId('theme-switch').click(); // light → dark
  await page.getByText('View ▾').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim());
  expect(await bg()).toBe('#14171c');
  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(177);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.react-flow__minimap')).toHaveCount(0);
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect.poll(() => nodesInView(page)).toEqual({ inside: 177, total: 177 });
  await shot('big-02-resnet50-dark-1440');
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await expect.poll(() => nodesInView(page)).toEqual({ inside: 177, total: 177 });
  // The toolbar stays one line at 1024 px.
  const h = await page.locator('.toolbar').evaluate((e) => e.getBoundingClientRect().height);
  expect(h).toBeLessThan(50);
  // …and nothing on it is cut off: every control ends inside the window.
  const right = await page.locator('.toolbar > *').evaluateAll((els) => Math.max(...els.map((e) => e.getBoundingClientRect().right)));
  expect(right).toBeLessThanOrEqual(1024);
  await shot('big-03-resnet50-dark-1024');
  await page.getByText('View ▾').click();
  await page.getByTestId('theme-switch').click(); // dark → auto
  await page.getByTestId('theme-switch').click(); // auto → light
  await page.getByText('View ▾').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await bg()).not.toBe('#14171c');
  // Light stays light on a dark system, warnings included; 'auto' then follows the system.
  await page.emulateMedia({ colorScheme: 'dark' });
  const warning = () => page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--warning').trim());
  expect([await bg(), await warning()]).toEqual(['#f7f8fa', '#b54708']);
  await page.getByText('View ▾').click();
  await page.getByTestId('theme-switch').click(); // light → dark
  await page.getByTestId('theme-switch').click(); // dark → auto
  await page.getByText('View ▾').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect([await bg(), await warning()]).toEqual(['#14171c', '#fdb022']);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.getByText('View ▾').click();
  await page.getByRole('menuitemcheckbox', { name: /Minimap/ }).click();
  await shot('big-04-resnet50-light-1024');
});

test('a 1,000-layer chain file: Fit shows every layer; after Zoom to read a parameter edit shows at once', async ({ page, shot }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page.getByText('Drag a layer here, or start from a template')).toBeVisible();
  await dropFile(page, 'chain-1000.json', chainFile(1000));
  await expect(page.locator('.react-flow__node')).toHaveCount(1000, { timeout: 60_000 });
  await expect.poll(() => nodesInView(page), { timeout: 30_000 }).toEqual({ inside: 1000, total: 1000 });
  await shot('big-05-chain-1000-fit');
  await page.getByText('View ▾').click();
  await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
  const first = page.getByTestId('node-dense_1');
  await expect(first).toBeInViewport();
  await first.click();
  await page.locator('#param-units').fill('12');
  await expect(first.getByTestId('node-shape')).toHaveText('(None, 12)');
  await expect(page.getByTestId('node-dense_2').getByTestId('node-params')).toContainText('104 params');
  await shot('big-06-chain-1000-readable');
});
