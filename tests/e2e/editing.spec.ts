/**
 * Editing on the canvas: building a model by dragging and connecting, refusing a cycle, the inspector,
 * keyboard editing, per-node cost, shared layers.
 */
import type { Locator, Page } from '@playwright/test';
import { connect, dropLayer, expect, test } from './fixtures';

test('build Input → Conv2D → Flatten → Dense by dragging, read shapes, refuse a cycle', async ({ page, shot }) => {
  await page.goto('/');
  await expect(page.getByText('Drag a layer here, or start from a template')).toBeVisible();
  await shot('01-empty');
  await dropLayer(page, 'Input', 420, 60);
  await dropLayer(page, 'Conv2D', 420, 190);
  await dropLayer(page, 'Flatten', 420, 320);
  await dropLayer(page, 'Dense', 420, 450);
  for (const n of ['input_layer', 'conv2d', 'flatten', 'dense']) await expect(page.getByTestId(`node-${n}`)).toBeVisible();
  await connect(page, 'input_layer', 'conv2d');
  await connect(page, 'conv2d', 'flatten');
  await connect(page, 'flatten', 'dense');
  // A vertical straight edge has zero width and counts as hidden: read the labels' texts, not their visibility.
  const labels = page.getByTestId('edge-label');
  await expect.poll(async () => (await labels.allTextContents()).sort()).toEqual(['(None, 21632)', '(None, 26, 26, 32)', '(None, 28, 28, 1)'].sort());
  // Nothing selected: the inspector shows the model's totals. 320 + 21632·32 + 32 = 692,576.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('692,576');
  await expect(page.getByTestId('summary-total')).toHaveText('692,576');
  await shot('02-built');
  // Dense → Conv2D would close a cycle: refused with the reason, no edge added.
  await connect(page, 'dense', 'conv2d');
  const toast = page.getByRole('alert').filter({ hasText: 'cycle' });
  await expect(toast).toHaveText(/would make a cycle/);
  await expect(labels).toHaveCount(3);
  await shot('03-cycle-refused');
  // Edit a parameter in the inspector: the shape updates at once.
  await page.getByTestId('node-conv2d').click();
  await page.locator('#param-filters').fill('16');
  await expect(page.getByTestId('inspector-shape')).toHaveText('(None, 26, 26, 16)');
  // An invalid value: the field says why and the model keeps its last valid value.
  await page.locator('#param-filters').fill('0');
  await expect(page.getByText('filters must be ≥ 1')).toBeVisible();
  await expect(page.getByTestId('inspector-shape')).toHaveText('(None, 26, 26, 16)');
  await shot('04-inspector');
});

test('keyboard: delete, undo, redo; unreadable saved work is kept aside with a message', async ({ page, shot }) => {
  const unreadable = '{"format":"layerlab-project","version":1,"graph":{"nodes":"oops"}}';
  // Seed unreadable saved work before the app starts (once: later loads must see what the app did).
  await page.addInitScript((text) => {
    if (sessionStorage.getItem('seeded')) return;
    sessionStorage.setItem('seeded', '1');
    localStorage.setItem('layerlab.autosave', text);
  }, unreadable);
  await page.goto('/');
  const banner = page.getByRole('status').filter({ hasText: 'could not be read' });
  await expect(banner).toHaveText(/kept unchanged in the browser's storage under 'layerlab\.autosave\.unreadable\./);
  await expect(page.getByRole('button', { name: 'Download the unreadable data' })).toBeVisible();
  const kept = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('layerlab.autosave.unreadable.'))
      .map((k) => localStorage.getItem(k)),
  );
  expect(kept).toEqual([unreadable]);
  await shot('11-unreadable-banner');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toHaveCount(0);
  await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
  const dense = page.getByTestId('node-dense');
  await dense.click();
  await page.keyboard.press('Delete');
  await expect(dense).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(dense).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('4');
  await page.keyboard.press('Control+Shift+z');
  await expect(dense).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await dense.click();
  await page.keyboard.press('Control+d');
  await expect(page.getByTestId('node-dense_1')).toBeVisible();
  // The copy (not connected: duplicate copies only the edges among the copied nodes) is a third layer.
  await page.keyboard.press('Escape');
  await expect(page.locator('.inspector')).toContainText(/Layers\s*3(?!\d)/);
  await shot('12-keyboard');
});

test('per-node cost: parameters, MACs and output size on the nodes, totals in the summary', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Product image classifier (CNN)' }).click();
  const dense1 = page.getByTestId('node-dense1');
  await expect(dense1).toBeVisible();
  // Issue #3's check: 12,544 · 64 + 64 parameters, 12,544 · 64 MACs.
  await expect(dense1.getByTestId('node-params')).toHaveText('802,880 params');
  await expect(dense1.getByTestId('node-macs')).toHaveText('802,816 MACs');
  await expect(dense1.getByTestId('node-size')).toHaveText('256 B');
  // conv2 has the most MACs: its bar is full; dense1's is 802,816 / 15,501,312 of it.
  const width = (node: string, kind: string) =>
    page
      .getByTestId(node)
      .getByTestId(kind)
      .locator('.cost__fill')
      .evaluate((e) => e.getBoundingClientRect().width / (e.parentElement?.getBoundingClientRect().width ?? NaN));
  const off = async (node: string, kind: string, expected: number) => Math.abs((await width(node, kind)) - expected);
  await expect.poll(() => off('node-conv2', 'node-macs', 1), 'conv2 MACs bar full').toBeLessThan(0.01);
  await expect.poll(() => off('node-dense1', 'node-macs', 802_816 / 15_501_312), 'dense1 MACs bar in proportion').toBeLessThan(0.02);
  await expect.poll(() => off('node-dense1', 'node-params', 1), 'dense1 parameters bar full').toBeLessThan(0.01);
  await expect(page.getByTestId('node-pool1').getByTestId('node-macs')).toHaveCount(0);
  await expect(page.getByTestId('summary-macs')).toHaveText('19,625,984');
  await expect(page.getByTestId('summary-activations')).toHaveText('245,098 values (957 kB)');
  await shot('17-cost-product-classifier');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="mobilenet"]').click();
  await expect(page.getByTestId('node-conv_preds')).toBeVisible();
  await expect(page.getByTestId('summary-macs')).toHaveText('568,740,352');
  await shot('18-cost-mobilenet');
});

test('siamese template: one shared encoder, counted once, as tfjs counts it', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="siamese"]').click();
  await expect(page.getByTestId('node-encoder_hidden#1')).toBeVisible();
  await page.keyboard.press('Escape');
  // 64·32+32 + 32·16+16 + 2: each shared layer once.
  await expect(page.getByTestId('summary-total')).toHaveText('2,610');
  const row = page.getByTestId('summary-table').locator('tr', { hasText: 'encoder_hidden (Dense)' });
  await expect(row).toHaveCount(1);
  await expect(row).toHaveText(/shared ×2.*\(None, 32\).*2,080.*left\[0\]\[0\], right\[0\]\[0\]/);
  await page.getByRole('button', { name: 'tfjs model.summary()' }).click();
  await expect(page.getByTestId('tfjs-summary')).toHaveText(/Total params: 2610/);
  await page.getByTestId('node-encoder_hidden#1').click();
  await expect(page.getByText('Shared layer')).toBeVisible();
  await expect(page.locator('.layer-node.sibling')).toHaveCount(1);
  await page.locator('#param-units').fill('24');
  await expect(page.getByTestId('node-encoder_hidden')).toHaveText(/24/);
  await shot('16-siamese');
  await page.getByRole('tab', { name: 'Code' }).click();
  const code = page.getByTestId('code');
  await expect(code).toHaveText(/encoderHiddenLayer\.apply\(right\)/);
  // The shared layer is declared once.
  expect((await code.textContent())?.split("name: 'encoder_hidden'").length).toBe(2);
});

/** The centre of the connection from node `from`'s output handle to node `to`'s input handle, at `t` of the way (0…1). */
async function along(page: Page, from: string, to: string, t: number): Promise<{ x: number; y: number }> {
  const a = await page.locator(`[data-testid="node-${from}"] .react-flow__handle.source`).boundingBox();
  const b = await page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`).boundingBox();
  if (!a || !b) throw new Error(`no handles between ${from} and ${to}`);
  const [ax, ay, bx, by] = [a.x + a.width / 2, a.y + a.height / 2, b.x + b.width / 2, b.y + b.height / 2];
  return { x: ax + (bx - ax) * t, y: ay + (by - ay) * t };
}

/** Waits until `loc` stops moving (a view animation, e.g. Fit's 200 ms, has ended). */
async function settled(loc: Locator): Promise<void> {
  let last: { x: number; y: number } | null = null;
  await expect
    .poll(async () => {
      const b = await loc.boundingBox();
      const still = !!b && !!last && Math.abs(b.x - last.x) < 0.5 && Math.abs(b.y - last.y) < 0.5;
      last = b;
      return still;
    })
    .toBe(true);
}

test('editing habits: box select, copy and paste in this tab and another, context menus, insert on an edge, one undo step per typed value, one nudge, Escape closes Templates', async ({
  page,
  shot,
}) => {
  await page.goto('/');
  await dropLayer(page, 'Input', 420, 60);
  await dropLayer(page, 'Dense', 420, 300);
  await dropLayer(page, 'Dense', 420, 540);
  await connect(page, 'input_layer', 'dense');
  await connect(page, 'dense', 'dense_1');
  const nodes = page.locator('.react-flow__node');
  await expect(nodes).toHaveCount(3);
  const edges = page.locator('.react-flow__edge');
  await expect(edges).toHaveCount(2);

  // Box selection: Shift+drag from an empty spot around the three layers.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const boxes = await Promise.all(['input_layer', 'dense', 'dense_1'].map((n) => page.getByTestId(`node-${n}`).boundingBox()));
  const left = Math.min(...boxes.map((b) => b!.x)) - 30;
  const top = Math.min(...boxes.map((b) => b!.y)) - 20;
  const right = Math.max(...boxes.map((b) => b!.x + b!.width)) + 30;
  const bottom = Math.max(...boxes.map((b) => b!.y + b!.height)) + 20;
  expect(top).toBeGreaterThan(pane.y);
  await page.keyboard.down('Shift');
  await page.mouse.move(left, top);
  await page.mouse.down();
  await page.mouse.move((left + right) / 2, (top + bottom) / 2, { steps: 5 });
  await page.mouse.move(right, bottom, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(3);
  await shot('20-box-selected');

  // Copy, then paste at the pointer: three new layers with unique names, the two edges among them, selected.
  await page.keyboard.press('ControlOrMeta+c');
  await page.mouse.move(pane.x + 900, pane.y + 80);
  await page.keyboard.press('ControlOrMeta+v');
  await expect(nodes).toHaveCount(6);
  await expect(edges).toHaveCount(4);
  for (const n of ['input_layer_1', 'dense_2', 'dense_3']) await expect(page.getByTestId(`node-${n}`)).toBeVisible();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(3);
  const pasted = (await page.getByTestId('node-input_layer_1').boundingBox())!;
  expect(Math.abs(pasted.x - (pane.x + 900))).toBeLessThan(40);
  await shot('21-pasted');
  // One undo step removes the whole paste.
  await page.keyboard.press('ControlOrMeta+z');
  await expect(nodes).toHaveCount(3);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(nodes).toHaveCount(6);

  // Into another tab, on a new model (the system clipboard carries the text): the names are free there, so kept.
  const other = await page.context().newPage();
  await other.goto('/');
  const newModel = other.getByRole('button', { name: 'New', exact: true });
  if (await newModel.isEnabled()) await newModel.click();
  await expect(other.locator('.react-flow__node')).toHaveCount(0);
  const otherPane = (await other.locator('.react-flow__pane').boundingBox())!;
  await other.mouse.move(otherPane.x + 200, otherPane.y + 200);
  await other.keyboard.press('ControlOrMeta+v');
  await expect(other.locator('.react-flow__node')).toHaveCount(3);
  for (const n of ['input_layer', 'dense', 'dense_1']) await expect(other.getByTestId(`node-${n}`)).toBeVisible();
  await expect(other.locator('.react-flow__edge')).toHaveCount(2);
  await shot('21b-pasted-in-another-tab', other);
  await other.close();

  // Right click on a connection → Insert a layer here… → Dropout: input_layer → dropout → dense.
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Fit', exact: true }).click();
  await settled(page.getByTestId('node-input_layer'));
  await expect(page.getByTestId('node-input_layer')).toBeInViewport();
  const p = await along(page, 'input_layer', 'dense', 0.25);
  await page.mouse.click(p.x, p.y, { button: 'right' });
  const menu = page.getByRole('menu', { name: 'Connection actions' });
  await expect(menu).toBeVisible();
  await shot('22-edge-menu');
  await menu.getByRole('menuitem', { name: 'Insert a layer here…' }).click();
  await page.getByRole('searchbox', { name: 'Search the layer to insert' }).fill('Dropout');
  await shot('23-insert-list');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('node-dropout')).toBeVisible();
  await expect(edges).toHaveCount(5);
  await expect(menu).toHaveCount(0);

  // A layer that cannot take the tensor is refused with the reason, nothing added.
  const q = await along(page, 'dense', 'dense_1', 0.25);
  await page.mouse.click(q.x, q.y, { button: 'right' });
  await page.getByRole('menuitem', { name: 'Insert a layer here…' }).click();
  await page.getByRole('searchbox', { name: 'Search the layer to insert' }).fill('LSTM');
  await page.keyboard.press('Enter');
  const refusal = page.getByRole('alert').filter({ hasText: 'LSTM cannot go on the connection dense → dense_1' });
  await expect(refusal).toBeVisible();
  // The toast floats above the dock: it covers none of the summary's numbers.
  const dockTop = (await page.locator('.dock').boundingBox())!.y;
  expect((await refusal.boundingBox())!.y + (await refusal.boundingBox())!.height).toBeLessThanOrEqual(dockTop);
  await expect(nodes).toHaveCount(7);

  // Drop a Dropout from the palette onto the connection dense → dense_1: the edge is split.
  const d = await along(page, 'dense', 'dense_1', 0.3);
  await page.locator('.palette__item[data-kind="Dropout"]').dragTo(page.locator('.react-flow__pane'), {
    targetPosition: { x: d.x - pane.x, y: d.y - pane.y },
  });
  await expect(page.getByTestId('node-dropout_1')).toBeVisible();
  await expect(nodes).toHaveCount(8);
  await expect(edges).toHaveCount(6);

  // The layer menu (screenshot) and the canvas menu.
  await page.getByTestId('node-dense').click({ button: 'right' });
  await expect(page.getByRole('menu', { name: 'Layer actions' })).toBeVisible();
  await shot('24-layer-menu');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.mouse.click(pane.x + 150, pane.y + pane.height - 150, { button: 'right' });
  await expect(page.getByRole('menu', { name: 'Canvas actions' })).toBeVisible();
  await shot('25-canvas-menu');
  await page.keyboard.press('Escape');

  // Typing a value is one undo step.
  await page.getByTestId('node-dense').click();
  const units = page.locator('#param-units');
  const original = await units.inputValue();
  await units.fill('');
  await units.pressSequentially('128');
  await expect(page.getByTestId('node-dense')).toHaveText(/128/);
  await page.getByTestId('node-dense').click();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(units).toHaveValue(original);

  // An arrow key moves a clicked layer once (10 canvas pixels), not twice.
  const zoom = Number((await page.locator('.react-flow__viewport').getAttribute('style'))?.match(/scale\(([\d.]+)\)/)?.[1]);
  const x0 = (await page.getByTestId('node-dense').boundingBox())!.x;
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Math.round(((await page.getByTestId('node-dense').boundingBox())!.x - x0) / zoom)).toBe(10);

  // A whole Keras model JSON pasted on the canvas is offered to open, in a banner that does not move the canvas.
  const canvasTop = (await page.locator('.react-flow').boundingBox())!.y;
  await page.evaluate(() =>
    navigator.clipboard.writeText(
      JSON.stringify({
        class_name: 'Sequential',
        config: { name: 'pasted', layers: [{ class_name: 'Dense', config: { name: 'd', units: 2, batch_input_shape: [null, 1] } }] },
      }),
    ),
  );
  await page.mouse.move(pane.x + 300, pane.y + 300);
  await page.keyboard.press('ControlOrMeta+v');
  const offer = page.getByRole('status').filter({ hasText: 'a Keras / tfjs model JSON, not copied layers' });
  await expect(offer).toBeVisible();
  expect((await page.locator('.react-flow').boundingBox())!.y).toBe(canvasTop);
  await shot('26-paste-keras-offer');
  await offer.getByRole('button', { name: 'Open it' }).click();
  await expect(page.getByTestId('node-d')).toBeVisible();
  await expect(nodes).toHaveCount(2);

  // Escape closes the Templates dialog.
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  const gallery = page.getByRole('dialog', { name: 'Templates' });
  await expect(gallery).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(gallery).toBeHidden();
});
