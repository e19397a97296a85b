/**
 * Layers with several outputs (issue 10): the encoder-decoder template's encoder LSTM (return_state) shows three
 * labelled output handles, output / state_h / state_c, each (None, 64), and its states leave from their own
 * handles into the decoder; the model counts Keras's 258,698. Then, from the palette: Input → LSTM, return_state
 * on, state_h dragged into a Dense, whose shape follows; taking return_state away again is refused with the
 * reason; the Python code unpacks the LSTM's outputs.
 */
import type { Locator, Page } from '@playwright/test';
import { artifact, connect, dropLayer, expect, test } from './fixtures';

type Box = { x: number; y: number; width: number; height: number };

/** The page box of `loc`; fails naming `what` when it is not laid out. */
async function box(loc: Locator, what: string): Promise<Box> {
  const b = await loc.boundingBox();
  if (!b) throw new Error(`${what} has no bounding box (not visible on the canvas)`);
  return b;
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * The labels of node `name`'s outputs do not overlap one another, and each output's handle sits under its own
 * label, on the node's bottom edge, in left-to-right order.
 */
async function expectOutputsLaidOut(page: Page, name: string, count: number): Promise<void> {
  const node = page.getByTestId(`node-${name}`);
  const nodeBox = await box(node, `node ${name}`);
  const labels: Box[] = [];
  for (let k = 0; k < count; k++) {
    const column = node.getByTestId(`node-output-${k}`);
    const name = await box(column.locator('.layer-node__output-name'), `output ${k} name`);
    const shape = await box(column.locator('.layer-node__output-shape'), `output ${k} shape`);
    const handle = await box(column.locator('.react-flow__handle.source'), `output ${k} handle`);
    const left = Math.min(name.x, shape.x);
    const right = Math.max(name.x + name.width, shape.x + shape.width);
    // The handle's centre lies between its label's ends, on the node's bottom edge (± 3 px).
    expect(handle.x + handle.width / 2).toBeGreaterThan(left);
    expect(handle.x + handle.width / 2).toBeLessThan(right);
    expect(Math.abs(handle.y + handle.height / 2 - (nodeBox.y + nodeBox.height))).toBeLessThan(3);
    labels.push({
      x: left,
      y: Math.min(name.y, shape.y),
      width: right - left,
      height: Math.max(name.y + name.height, shape.y + shape.height) - Math.min(name.y, shape.y),
    });
  }
  for (let i = 0; i < count; i++)
    for (let j = i + 1; j < count; j++) expect(overlap(labels[i], labels[j]), `labels ${i} and ${j} of ${name} overlap`).toBe(false);
  for (let k = 1; k < count; k++) expect(labels[k].x).toBeGreaterThan(labels[k - 1].x);
}

/**
 * Where edge `id`'s path starts, in page pixels: its first point mapped through the SVG's screen transform
 * (React Flow draws the edge from its source handle).
 */
async function edgeStart(page: Page, id: string): Promise<{ x: number; y: number }> {
  return page.locator(`[data-testid="rf__edge-${id}"] path.react-flow__edge-path`).evaluate((p) => {
    const path = p as SVGPathElement;
    const pt = path.getPointAtLength(0);
    const m = path.getScreenCTM()!;
    return { x: pt.x * m.a + pt.y * m.c + m.e, y: pt.x * m.b + pt.y * m.d + m.f };
  });
}

/** The ids of the rendered edges whose path starts at `handle` (within 3 px of its bottom centre, where React Flow starts an edge from a bottom handle). */
async function edgesLeaving(page: Page, handle: Locator): Promise<string[]> {
  const h = await box(handle, 'the output handle');
  const ids = await page.evaluate(() => [...document.querySelectorAll('.react-flow__edge')].map((e) => e.getAttribute('data-id') ?? ''));
  const out: string[] = [];
  for (const id of ids) {
    const s = await edgeStart(page, id);
    if (Math.abs(s.x - (h.x + h.width / 2)) < 3 && Math.abs(s.y - (h.y + h.height)) < 3) out.push(id);
  }
  return out;
}

/** Drags with the mouse from `from` (a source handle) to the input handle of node `to`. */
async function dragTo(page: Page, from: Locator, to: string): Promise<void> {
  const a = await box(from, 'the output handle');
  const b = await box(page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`), `the input handle of ${to}`);
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

test('encoder-decoder template: three labelled encoder outputs, states leave their own handles, 258,698 parameters', async ({ page, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="encoder-decoder"]').click();
  const encoder = page.getByTestId('node-encoder');
  await expect(encoder).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('258,698');
  await expect(page.getByTestId('summary-total')).toHaveText('258,698');
  // Three source handles: output (React Flow's default), state_h (out-1), state_c (out-2), each labelled (None, 64).
  await expect(encoder.locator('.react-flow__handle.source')).toHaveCount(3);
  for (const [k, name] of ['output', 'state_h', 'state_c'].entries()) {
    await expect(encoder.getByTestId(`node-output-${k}`).locator('.layer-node__output-name')).toHaveText(name);
    await expect(encoder.getByTestId(`node-output-${k}`).locator('.layer-node__output-shape')).toHaveText('(None, 64)');
  }
  // One output per layer elsewhere: the decoder keeps its one default handle.
  await expect(page.getByTestId('node-decoder').locator('.react-flow__handle.source')).toHaveCount(1);
  await expectOutputsLaidOut(page, 'encoder', 3);
  // The summary prints the encoder's outputs as Keras 3 does, and the decoder's connections name the tensors.
  const row = page.getByTestId('summary-table').locator('tr', { hasText: 'encoder (LSTM)' });
  await expect(row).toContainText('[(None, 64), (None, 64), (None, 64)]');
  await expect(page.getByTestId('summary-table').locator('tr', { hasText: 'decoder (LSTM)' })).toContainText('encoder[0][1], encoder[0][2]');
  await shot('40-encoder-decoder');
  // The states' edges leave their own handles: one from state_h (out-1), one from state_c (out-2), one from output 0
  // (none: the encoder's sequence output is a model output nothing reads).
  expect(await page.locator('.react-flow__edge').count()).toBe(7);
  for (const handle of ['out-1', 'out-2'])
    expect(await edgesLeaving(page, encoder.locator(`.react-flow__handle.source[data-handleid="${handle}"]`))).toHaveLength(1);
  expect(await edgesLeaving(page, encoder.locator('.react-flow__handle.source').first())).toHaveLength(0);
  // Into the decoder, the states' edges are labelled with their input position (2, 3), which do not overlap each other
  // or the sequence's label; the tooltip names the output and its shape.
  const decoderLabels: Box[] = [];
  for (const [text, title] of [
    ['2', '2: state_h (None, 64)'],
    ['3', '3: state_c (None, 64)'],
  ]) {
    const label = page.getByTestId('edge-label').filter({ hasText: new RegExp(`^${text}$`) });
    await expect(label).toHaveAttribute('title', title);
    decoderLabels.push(await box(label, `edge label ${text}`));
  }
  // The decoder's input 1, its sequence (the encoder reads one sequence: its input is not numbered).
  decoderLabels.push(await box(page.getByTestId('edge-label').filter({ hasText: /^1: \(None, None, 64\)$/ }), 'edge label 1'));
  await expect(page.getByTestId('edge-label').filter({ hasText: /^\(None, None, 64\)$/ })).toHaveCount(1);
  for (let i = 0; i < 3; i++)
    for (let j = i + 1; j < 3; j++) expect(overlap(decoderLabels[i], decoderLabels[j]), `decoder labels ${i + 1} and ${j + 1} overlap`).toBe(false);
  // Zoomed in and out (the Controls' buttons), the labels still do not overlap.
  await page.locator('.react-flow__controls-zoomout').click();
  await page.locator('.react-flow__controls-zoomout').click();
  await expectOutputsLaidOut(page, 'encoder', 3);
  for (let i = 0; i < 5; i++) await page.locator('.react-flow__controls-zoomin').click();
  await expect(encoder).toBeVisible();
  await expectOutputsLaidOut(page, 'encoder', 3);
  await encoder.screenshot({ path: artifact('41-encoder-node-zoomed.png') });
});

test('from the palette: LSTM with return_state, its state_h into a Dense; Python unpacks the outputs', async ({ page, shot }) => {
  await page.goto('/');
  await dropLayer(page, 'Input', 420, 60);
  await dropLayer(page, 'LSTM', 420, 200);
  await dropLayer(page, 'Dense', 560, 380);
  await connect(page, 'input_layer', 'lstm');
  await page.getByTestId('node-input_layer').click();
  await page.locator('#param-shape').fill('10, 8');
  await page.getByTestId('node-lstm').click();
  await expect(page.getByTestId('inspector-inputs')).toHaveText(/^Inputs: sequence, initial state_h, initial state_c\./);
  await page.locator('#param-return_state').check();
  const lstm = page.getByTestId('node-lstm');
  await expect(lstm.locator('.react-flow__handle.source')).toHaveCount(3);
  const stateH = await lstm.getByTestId('node-output-1').locator('.layer-node__output-shape').textContent();
  expect(stateH).toBe('(None, 32)');
  await expectOutputsLaidOut(page, 'lstm', 3);
  // Drag from the state_h handle to the Dense.
  const handle = lstm.locator('.react-flow__handle.source[data-handleid="out-1"]');
  await dragTo(page, handle, 'dense');
  await expect(page.getByTestId('node-dense').getByTestId('node-shape')).toHaveText('(None, 32)');
  // The edge's label is state_h's shape (the Input → LSTM edge is labelled with the sequence's).
  await expect(page.getByTestId('edge-label').filter({ hasText: stateH! })).toHaveCount(1);
  expect(await page.locator('.react-flow__edge').count()).toBe(2);
  expect(await edgesLeaving(page, handle)).toHaveLength(1);
  await page.getByTestId('node-dense').click();
  await expect(page.getByTestId('inspector-shape')).toHaveText('(None, 32)');
  await shot('42-lstm-state-into-dense');
  // return_state off while state_h feeds the Dense: refused, with the reason at the field.
  await page.getByTestId('node-lstm').click();
  await page.locator('#param-return_state').click();
  await expect(page.locator('.inspector [role="alert"]')).toHaveText(
    "'lstm' still feeds other layers from state_h, which return_state = false would take away: remove that connection first.",
  );
  await expect(page.locator('#param-return_state')).toBeChecked();
  await shot('43-return-state-refused');
  // Python: the LSTM's outputs are unpacked in order (Keras's RNN guide).
  await page.getByRole('tab', { name: 'Code' }).click();
  await page.getByRole('button', { name: 'Python (Keras)' }).click();
  const unpack = /\n(\w+), (\w+), (\w+) = layers\.LSTM\([^)]*return_state=True[^)]*\)\(\w+\)\n/;
  await expect(page.getByTestId('code')).toHaveText(unpack);
  // …and the Dense is called on the second, state_h.
  const stateVar = unpack.exec((await page.getByTestId('code').textContent()) ?? '')![2];
  await expect(page.getByTestId('code')).toHaveText(new RegExp(`= layers\\.Dense\\([^)]*\\)\\(${stateVar}\\)`));
  expect(stateVar).toMatch(/state_h/);
  // Scroll the unpacking line into view for the screenshot.
  await page.getByTestId('code').evaluate((code) => {
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode())
      if (n.textContent?.includes('layers.LSTM')) {
        n.parentElement?.scrollIntoView({ block: 'center' });
        break;
      }
  });
  await shot('44-python-unpacking');
});
