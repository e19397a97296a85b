/**
 * Blocks (Keras nested models, issue 13) in the browser: in the residual-block template, three layers selected and
 * grouped through the context menu become one block node with the summed parameters the summary prints
 * (2,384 = Conv2D 16·16·9 + 16 and BatchNormalization 4·16), the summary total unchanged; the Python code declares
 * the block as `keras.Model(…)` and calls it; the block expands in place (its layers in a frame) and collapses
 * again; Repeat ×2 as calls draws three block nodes sharing one set of weights (the summary's one row called three
 * times, the total unchanged). Then a Keras 3 file with nested models opens as blocks, and the banner's Flatten nested
 * models turns them into layers.
 */
import type { Locator } from '@playwright/test';
import type { Page } from '@playwright/test';
import { artifact, dropFile, expect, fixtureText, test } from './fixtures';

/** View ▾ → Zoom to read (the top of the model at a readable zoom), then waits for the 200 ms animation. */
async function zoomToRead(page: Page): Promise<void> {
  await page.getByText('View ▾').click();
  await page.getByRole('menuitem', { name: 'Zoom to read' }).click();
  await page.waitForTimeout(400);
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The page boxes of every element `loc` matches. */
async function boxes(loc: Locator): Promise<Box[]> {
  const out: Box[] = [];
  for (const el of await loc.all()) {
    const b = await el.boundingBox();
    if (b) out.push(b);
  }
  return out;
}

/** No two drawn nodes (layers and block nodes; frames are behind their layers on purpose) overlap. */
async function expectNoOverlap(nodes: Locator): Promise<void> {
  const bs = await boxes(nodes);
  for (let i = 0; i < bs.length; i++)
    for (let j = i + 1; j < bs.length; j++) expect(overlap(bs[i], bs[j]), `nodes ${i} and ${j} overlap: ${JSON.stringify([bs[i], bs[j]])}`).toBe(false);
}

test('group three layers into a block: one node, Python nested model, same total; expand, collapse, repeat ×2 as calls', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="residual-block"]').click();
  await expect(page.getByTestId('node-conv_a')).toBeVisible();
  await page.keyboard.press('Escape');
  const total = page.getByTestId('summary-total');
  await expect(total).toHaveText('4,938');

  // Select conv_a, bn_a and relu_a, then Group into a block… from the context menu, named 'stem'.
  await page.getByTestId('node-conv_a').click();
  await page.getByTestId('node-bn_a').click({ modifiers: ['Control'] });
  await page.getByTestId('node-relu_a').click({ modifiers: ['Control'] });
  await page.getByTestId('node-relu_a').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Group into a block…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Group into a block' });
  await expect(dialog.getByRole('textbox')).toHaveValue('block');
  await shot('blocks-0-group-dialog');
  await dialog.getByRole('textbox').fill('stem');
  await dialog.getByRole('textbox').press('Enter');
  await expect(dialog).toHaveCount(0);

  // One block node: its class, name, the summary's sum of its layers, its port shapes; its layers are not drawn.
  const block = page.getByTestId('block-stem');
  await expect(block).toBeVisible();
  await expect(block).toContainText('Functional');
  await expect(block.getByTestId('block-params')).toHaveText('3 layers · 2,384 params');
  await expect(block.getByTestId('block-input-0')).toHaveText('(None, 32, 32, 16)');
  await expect(block.getByTestId('block-output-0')).toHaveText('(None, 32, 32, 16)');
  await expect(page.getByTestId('node-conv_a')).toHaveCount(0);
  await expect(total).toHaveText('4,938');
  const row = page.getByTestId('summary-table').locator('tr', { hasText: 'stem (Functional)' });
  await expect(row).toHaveText(/2,384.*features\[0\]\[0\]/);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await zoomToRead(page);
  await shot('blocks-1-collapsed');
  await block.screenshot({ path: artifact('blocks-1b-node.png') });

  // The Python code declares the nested model and calls it.
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Python (Keras)' }).click();
  const code = page.getByTestId('code');
  await expect(code).toContainText('stem = keras.Model(');
  await expect(code).toContainText('= stem(features)');
  await page.getByRole('tab', { name: 'Summary' }).click();

  // Expand in place (double click): the layers inside a frame titled with the block; collapse with the chevron.
  await block.dblclick();
  const frame = page.getByTestId('frame-stem');
  await expect(frame).toBeVisible();
  await expect(page.getByTestId('node-conv_a')).toBeVisible();
  const f = (await frame.boundingBox())!;
  for (const name of ['conv_a', 'bn_a', 'relu_a']) {
    const b = (await page.getByTestId(`node-${name}`).boundingBox())!;
    expect(b.x >= f.x && b.y >= f.y && b.x + b.width <= f.x + f.width && b.y + b.height <= f.y + f.height, `${name} inside the frame`).toBe(true);
  }
  await expect(frame).toContainText('stem');
  // Dragging the frame by its title bar moves the block's layers with it.
  const title = (await frame.locator('.block-frame__head').boundingBox())!;
  const before = (await page.getByTestId('node-bn_a').boundingBox())!;
  await page.mouse.move(title.x + title.width - 20, title.y + title.height / 2);
  await page.mouse.down();
  await page.mouse.move(title.x + title.width + 20, title.y + title.height / 2, { steps: 6 });
  await page.mouse.move(title.x + title.width + 40, title.y + title.height / 2, { steps: 4 });
  await page.mouse.up();
  // As for a layer, React Flow starts the drag a few pixels in: the layers moved most of the 60 px, as far as the frame.
  await expect.poll(async () => Math.round((await page.getByTestId('node-bn_a').boundingBox())!.x - before.x)).toBeGreaterThan(40);
  const moved = (await page.getByTestId('node-bn_a').boundingBox())!.x - before.x;
  expect(Math.abs((await frame.boundingBox())!.x - f.x - moved)).toBeLessThan(1);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => Math.round((await page.getByTestId('node-bn_a').boundingBox())!.x - before.x)).toBe(0);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-2-expanded');
  // The connection leaving the block passes under its title bar, which stays readable (the frame is over connections).
  await frame.screenshot({ path: artifact('blocks-2b-frame.png') });
  await page.getByRole('button', { name: 'Collapse block stem' }).click();
  await expect(page.getByTestId('frame-stem')).toHaveCount(0);
  await expect(block).toBeVisible();

  // Repeat ×2 as calls of the same nested model: three block nodes, one set of weights.
  await block.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Repeat ×N…' }).click();
  const repeat = page.getByRole('dialog', { name: 'Repeat stem' });
  await repeat.getByRole('spinbutton').fill('2');
  await repeat.getByRole('radio', { name: /Calls of the same model/ }).check();
  await repeat.getByRole('button', { name: 'OK' }).click();
  await expect(page.locator('.block-node')).toHaveCount(3);
  await expect(page.getByTestId('block-stem#2')).toContainText('call 3 of 3');
  await expect(total).toHaveText('4,938');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveText(/2,384.*features\[0\]\[0\], stem\[0\]\[0\], stem\[1\]\[0\]/);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await zoomToRead(page);
  await shot('blocks-3-repeated-calls');

  // Left to right (View ▾, which re-runs Layout): block nodes take their inputs on the left, give outputs on the right.
  await page.getByText('View ▾').click();
  await page.getByRole('menuitemradio', { name: 'Layout left to right' }).click();
  await expect(page.locator('.block-node--lr')).toHaveCount(3);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await zoomToRead(page);
  await shot('blocks-3b-left-to-right');
});

test('a Keras 3 file with nested models opens as blocks; the banner flattens them in one action', async ({ page, shot }) => {
  await page.goto('/');
  await dropFile(page, 'nested.json', fixtureText('keras/keras3_nested_calls.json'));
  const flatten = page.getByRole('button', { name: 'Flatten nested models' });
  await expect(flatten).toBeVisible();
  const blocks = page.locator('.block-node');
  await expect.poll(() => blocks.count()).toBeGreaterThan(0);
  const total = await page.getByTestId('summary-total').textContent();
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-4-imported');
  // Expanded, its layers (laid out on their own) make room: nothing overlaps.
  await blocks.first().dblclick();
  await expect(page.locator('.block-frame')).toHaveCount(1);
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-4b-imported-expanded');
  await flatten.click();
  await expect(blocks).toHaveCount(0);
  await expect(page.getByTestId('summary-total')).toHaveText(total!);
  await expect(page.getByTestId('summary-table').locator('tr', { hasText: '(Functional)' })).toHaveCount(0);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-5-flattened');
});

test('copy and paste a block with the Input feeding it, duplicate it, rename it from its menu and its inspector', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="residual-block"]').click();
  await expect(page.getByTestId('node-conv_a')).toBeVisible();
  await page.keyboard.press('Escape');
  const total = page.getByTestId('summary-total');
  await expect(total).toHaveText('4,938');
  await page.getByTestId('node-conv_a').click();
  await page.getByTestId('node-bn_a').click({ modifiers: ['Control'] });
  await page.getByTestId('node-relu_a').click({ modifiers: ['Control'] });
  await page.getByTestId('node-relu_a').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Group into a block…' }).click();
  await page.getByRole('dialog', { name: 'Group into a block' }).getByRole('textbox').fill('stem');
  await page.getByRole('dialog', { name: 'Group into a block' }).getByRole('textbox').press('Enter');
  const block = page.getByTestId('block-stem');
  await expect(block).toBeVisible();

  // Rename from the context menu: the node, the summary row and the Python code follow.
  await block.click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename block stem' });
  await expect(rename.getByRole('textbox')).toHaveValue('stem');
  // A layer's name is refused with the reason, in the dialog.
  await rename.getByRole('textbox').fill('conv_b');
  await rename.getByRole('textbox').press('Enter');
  await expect(rename.getByRole('alert')).toHaveText("A layer is already named 'conv_b'; a block's name must differ from every layer's name.");
  await shot('blocks-6-rename-refused');
  await rename.getByRole('textbox').fill('encoder');
  await rename.getByRole('textbox').press('Enter');
  await expect(rename).toHaveCount(0);
  const encoder = page.getByTestId('block-encoder');
  await expect(encoder).toBeVisible();
  const rows = page.getByTestId('summary-table').locator('tr', { hasText: '(Functional)' });
  await expect(rows).toHaveText(['encoder (Functional)(None, 32, 32, 16)2,384features[0][0]']);
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Python (Keras)' }).click();
  await expect(page.getByTestId('code')).toContainText('encoder = keras.Model(');
  await expect(page.getByTestId('code')).toContainText('= encoder(features)');
  await page.getByRole('tab', { name: 'Summary' }).click();
  // One undo step brings the old name back; redo the rename.
  await page.keyboard.press('ControlOrMeta+z');
  await expect(block).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(encoder).toBeVisible();

  // Its inspector (a click on the block node): the name field renames it as you type.
  await encoder.click();
  const inspector = page.getByTestId('block-inspector');
  await expect(inspector).toBeVisible();
  await expect(inspector.getByTestId('block-inspector-params')).toHaveText('2,384');
  await inspector.getByRole('textbox').fill('trunk');
  await expect(page.getByTestId('block-trunk')).toBeVisible();
  await shot('blocks-7-block-inspector');

  // Copy the block and the Input that feeds it, paste at the pointer: a new block 'trunk_1' with its layers, counted.
  await page.getByTestId('block-trunk').click();
  await page.getByTestId('node-features').click({ modifiers: ['Control'] });
  await page.keyboard.press('ControlOrMeta+c');
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  await page.mouse.move(pane.x + pane.width - 260, pane.y + 60);
  await page.keyboard.press('ControlOrMeta+v');
  const copy = page.getByTestId('block-trunk_1');
  await expect(copy).toBeVisible();
  await expect(copy.getByTestId('block-params')).toHaveText('3 layers · 2,384 params');
  await expect(page.getByTestId('node-features_1')).toBeVisible();
  await expect(total).toHaveText('7,322');
  await expect(rows).toHaveCount(2);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-8-pasted');
  // The pasted block expands in place like the original: its layers have free names.
  await copy.dblclick();
  await expect(page.getByTestId('frame-trunk_1')).toBeVisible();
  for (const name of ['conv_a_1', 'bn_a_1', 'relu_a_1']) await expect(page.getByTestId(`node-${name}`)).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await page.keyboard.press('ControlOrMeta+z');
  await expect(copy).toHaveCount(0);
  await expect(total).toHaveText('4,938');

  // Ctrl+D on the block: a new block beside it, collapsed as it is.
  await page.getByTestId('block-trunk').click();
  await page.keyboard.press('ControlOrMeta+d');
  await expect(page.getByTestId('block-trunk_1')).toBeVisible();
  await expect(page.locator('.block-node')).toHaveCount(2);
  // Nothing feeds the copy yet: its node says how to connect it.
  await expect(page.getByTestId('block-trunk_1').getByTestId('block-no-input')).toBeVisible();
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await zoomToRead(page);
  await shot('blocks-8a-duplicated');
  // Zoomed far out (below 0.3) a collapsed block is a box with its name, as layers are there.
  for (let k = 0; k < 6; k++) await page.locator('.react-flow__controls-zoomout').click();
  await expect(page.locator('.block-node--far')).toHaveCount(2);
  await expect(page.locator('.block-node--far').first()).toHaveText('trunk');
  await shot('blocks-8b-far');
  await page.locator('.react-flow__controls-fitview').click();
  await expect(page.locator('.block-node--far')).toHaveCount(0);

  // Copying part of a block says what the paste will be.
  await page.keyboard.press('ControlOrMeta+z');
  await page.getByTestId('block-trunk').dblclick();
  await page.keyboard.press('Escape');
  await page.getByTestId('node-conv_a').click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
  await page.keyboard.press('ControlOrMeta+c');
  await expect(page.getByText("Copied 1 of the 3 layers of block 'trunk' (conv_a)")).toBeVisible();
  await shot('blocks-9-part-copied');
});

test('pasted code with a nested model called twice comes in collapsed, laid out around the block nodes', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Paste code…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Paste code' });
  await dialog
    .getByRole('textbox', { name: 'Code to import' })
    .fill(
      [
        "import * as tf from '@tensorflow/tfjs';",
        "const inner = tf.input({ shape: [16], name: 'enc_in' });",
        "const h = tf.layers.dense({ units: 32, activation: 'relu', name: 'enc_hidden' }).apply(inner) as tf.SymbolicTensor;",
        "const o = tf.layers.dense({ units: 16, name: 'enc_out' }).apply(h) as tf.SymbolicTensor;",
        "const encoder = tf.model({ name: 'encoder', inputs: inner, outputs: o });",
        "const a = tf.input({ shape: [16], name: 'left' });",
        "const b = tf.input({ shape: [16], name: 'right' });",
        "const both = tf.layers.concatenate({ name: 'both' }).apply([encoder.apply(a), encoder.apply(b)] as tf.SymbolicTensor[]) as tf.SymbolicTensor;",
        "const model = tf.model({ name: 'twins', inputs: [a, b], outputs: tf.layers.dense({ units: 1, name: 'score' }).apply(both) as tf.SymbolicTensor });",
      ].join('\n'),
    );
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog).toBeHidden();
  await page.keyboard.press('Escape');
  // Two calls of one nested model: two block nodes sharing its weights (16·32 + 32 + 32·16 + 16 = 1,072, counted once).
  await expect(page.locator('.block-node')).toHaveCount(2);
  await expect(page.locator('.block-frame')).toHaveCount(0);
  await expect(page.getByTestId('total-params')).toHaveText('1,105');
  await expect(page.getByTestId('block-encoder#1')).toContainText('call 2 of 2');
  await page.locator('.react-flow__controls-fitview').click();
  await page.waitForTimeout(400);
  await expectNoOverlap(page.locator('.react-flow__node-layer, .react-flow__node-block'));
  await shot('blocks-10-code-import-collapsed');
});
