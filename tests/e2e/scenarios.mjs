/**
 * The browser scenarios (issue #2's checks). Each gets a fresh browser context (empty storage).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import LZString from 'lz-string';

const T = 20_000;

/** Drags a palette item onto the canvas at (x, y) relative to the canvas pane. */
async function dropLayer(page, kind, x, y) {
  await page.locator(`.palette__item[data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** Drags from the bottom handle of node `from` to the top handle of node `to` (by layer name). */
async function connect(page, from, to) {
  const src = page.locator(`[data-testid="node-${from}"] .react-flow__handle.source`);
  const dst = page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`);
  const a = await src.boundingBox();
  const b = await dst.boundingBox();
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
  await page.mouse.up();
}

const text = async (loc) => (await loc.textContent({ timeout: T }))?.trim() ?? '';

export const scenarios = [
  [
    'build Input → Conv2D → Flatten → Dense by dragging, read shapes, refuse a cycle',
    async ({ page, base, shot }) => {
      await page.goto(base);
      await page.getByText('Drag a layer here, or start from a template').waitFor({ timeout: T });
      await shot('01-empty');
      await dropLayer(page, 'Input', 420, 60);
      await dropLayer(page, 'Conv2D', 420, 190);
      await dropLayer(page, 'Flatten', 420, 320);
      await dropLayer(page, 'Dense', 420, 450);
      for (const n of ['input_layer', 'conv2d', 'flatten', 'dense']) await page.getByTestId(`node-${n}`).waitFor({ timeout: T });
      await connect(page, 'input_layer', 'conv2d');
      await connect(page, 'conv2d', 'flatten');
      await connect(page, 'flatten', 'dense');
      const labels = page.getByTestId('edge-label');
      await labels.nth(2).waitFor({ state: 'attached', timeout: T });
      const all = await labels.allTextContents();
      assert.deepEqual(all.sort(), ['(null, 21632)', '(null, 26, 26, 32)', '(null, 28, 28, 1)'].sort());
      // Nothing selected: the inspector shows the model's totals. 320 + 21632·32 + 32 = 692,576.
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '692,576');
      assert.equal(await text(page.getByTestId('summary-total')), '692,576');
      await shot('02-built');
      // Dense → Conv2D would close a cycle: refused with the reason, no edge added.
      await connect(page, 'dense', 'conv2d');
      const toast = page.getByRole('alert').filter({ hasText: 'cycle' });
      await toast.waitFor({ timeout: T });
      assert.match(await text(toast), /would make a cycle/);
      assert.equal(await labels.count(), 3);
      await shot('03-cycle-refused');
      // Edit a parameter in the inspector: the shape updates at once.
      await page.getByTestId('node-conv2d').click();
      await page.locator('#param-filters').fill('16');
      assert.equal(await text(page.getByTestId('inspector-shape')), '(null, 26, 26, 16)');
      await page.locator('#param-filters').fill('0');
      await page.getByText('filters must be ≥ 1').waitFor({ timeout: T });
      assert.equal(await text(page.getByTestId('inspector-shape')), '(null, 26, 26, 16)');
      await shot('04-inspector');
    },
  ],
  [
    'purchase predictor: train one epoch, Functional code, survive a reload',
    async ({ page, base, shot }) => {
      await page.goto(base);
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      const card = page.locator('[data-template="purchase-predictor"]');
      assert.match(await text(card), /12 layers · 799,233 parameters · Functional/);
      await card.click();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '799,233');
      await shot('05-purchase-predictor');
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Epochs').fill('1');
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      const final = page.getByTestId('final-loss');
      await final.waitFor({ timeout: 120_000 });
      const done = await text(final);
      assert.match(done, /Done after 1 epoch · final loss \d+\.\d{4}/);
      assert.match(await text(page.getByTestId('backend')), /Backend: (wasm|webgl|cpu)/);
      await shot('06-trained');
      await page.getByRole('tab', { name: 'Code' }).click();
      const code = await text(page.getByTestId('code'));
      assert.ok(code.includes('tf.model('), 'Functional TypeScript contains tf.model(');
      await page.getByRole('button', { name: /^Sequential/ }).click();
      assert.match(await text(page.getByTestId('api-explanation')), /2 inputs/);
      await shot('07-code');
      await page.waitForTimeout(500); // autosave is debounced
      await page.reload();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '799,233');
      await shot('08-after-reload');
    },
  ],
  [
    'product classifier: tfjs summary agrees; trains on the timed backend (shown with why), Stop ends it within one batch, no main-thread task over 50 ms',
    async ({ page, base, shot }) => {
      await page.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((l) => {
          for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(base);
      await page.getByRole('button', { name: 'Product image classifier (CNN)' }).click();
      await page.getByTestId('node-output_softmax').waitFor({ timeout: T });
      assert.equal(await text(page.getByTestId('summary-total')), '822,922');
      await page.getByRole('button', { name: 'tfjs model.summary()' }).click();
      const tfjs = await text(page.getByTestId('tfjs-summary'));
      assert.match(tfjs, /Total params: 822922/);
      assert.match(tfjs, /dense1 \(Dense\)\s+\[\[null,12544\]\]\s+\[null,64\]\s+802880/);
      await shot('09-tfjs-summary');
      await page.getByRole('tab', { name: 'Train' }).click();
      assert.match(await text(page.getByTestId('memory-estimate')), /Memory for training: about [\d.]+ MB \(limit 2 GB\)/);
      assert.match(await text(page.getByTestId('dummy-data')), /Dummy data: a learnable task/);
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      // 'Auto' times a few steps per backend and says so: without a GPU, wasm (with Layerlab's kernels, on
      // every core: "N threads") wins; with one, webgl may.
      const backend = page.getByTestId('backend');
      await backend.waitFor({ timeout: 60_000 });
      const trainingFrom = await page.evaluate(() => performance.now());
      assert.match(await text(backend), /^Backend: (wasm \(\d+ threads?\)|webgl) — (wasm|webgl): \d+ samples\/s (vs [^;]+ )?in a 3-step trial/);
      const batch = page.getByRole('progressbar').nth(1);
      await batch.waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => Number(document.querySelectorAll('[role=progressbar]')[1]?.getAttribute('aria-valuenow')) >= 25, null, {
        timeout: 60_000,
      });
      const at = Number(await batch.getAttribute('aria-valuenow'));
      await page.getByRole('button', { name: 'Stop' }).click();
      const final = page.getByTestId('final-loss');
      await final.waitFor({ timeout: 60_000 });
      assert.match(await text(final), /Stopped in epoch 1 · final loss \d+\.\d{4}/);
      const after = Number(await batch.getAttribute('aria-valuenow'));
      // 8 batches per epoch: each batch is 12.5 %; stopping may finish the running batch and at most one more report.
      assert.ok(after - at <= 25, `stopped within one batch (progress ${at}% → ${after}%)`);
      assert.ok(after < 100, `stopped mid-epoch (${after}%)`);
      const long = await page.evaluate((from) => window.__longTasks.filter((t) => t.start >= from), trainingFrom);
      assert.deepEqual(
        long.filter((t) => t.duration > 50),
        [],
        `main-thread tasks over 50 ms while training: ${JSON.stringify(long)}`,
      );
      await shot('10-stopped');
    },
  ],
  [
    'per-node cost: parameters, MACs and output size on the nodes, totals in the summary',
    async ({ page, base, shot }) => {
      await page.goto(base);
      await page.getByRole('button', { name: 'Product image classifier (CNN)' }).click();
      const dense1 = page.getByTestId('node-dense1');
      await dense1.waitFor({ timeout: T });
      // Issue #3's check: 12,544 · 64 + 64 parameters, 12,544 · 64 MACs.
      assert.equal(await text(dense1.getByTestId('node-params')), '802,880 params');
      assert.equal(await text(dense1.getByTestId('node-macs')), '802,816 MACs');
      assert.equal(await text(dense1.getByTestId('node-size')), '256 B');
      // conv2 has the most MACs: its bar is full; dense1's is 802,816 / 15,501,312 of it.
      const width = (node, kind) =>
        page
          .getByTestId(node)
          .getByTestId(kind)
          .locator('.cost__fill')
          .evaluate((e) => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width);
      assert.ok(Math.abs((await width('node-conv2', 'node-macs')) - 1) < 0.01);
      assert.ok(Math.abs((await width('node-dense1', 'node-macs')) - 802_816 / 15_501_312) < 0.02);
      assert.ok(Math.abs((await width('node-dense1', 'node-params')) - 1) < 0.01);
      assert.equal(await page.getByTestId('node-pool1').getByTestId('node-macs').count(), 0);
      assert.equal(await text(page.getByTestId('summary-macs')), '19,625,984');
      assert.match(await text(page.getByTestId('summary-activations')), /^245,098 values \(957 kB\)$/);
      await shot('17-cost-product-classifier');
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator('[data-template="mobilenet"]').click();
      await page.getByTestId('node-conv_preds').waitFor({ timeout: T });
      assert.equal(await text(page.getByTestId('summary-macs')), '568,740,352');
      await shot('18-cost-mobilenet');
    },
  ],
  [
    'keyboard: delete, undo, redo; unreadable saved work is kept aside with a message',
    async ({ page, base, shot }) => {
      // Seed unreadable saved work before the app starts (once: later loads must see what the app did).
      await page.addInitScript(() => {
        if (sessionStorage.getItem('seeded')) return;
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('layerlab.autosave', '{"format":"layerlab-project","version":1,"graph":{"nodes":"oops"}}');
      });
      await page.goto(base);
      const banner = page.getByRole('status').filter({ hasText: 'could not be read' });
      await banner.waitFor({ timeout: T });
      assert.match(await text(banner), /kept unchanged in the browser's storage under 'layerlab\.autosave\.unreadable\./);
      assert.ok(await page.getByRole('button', { name: 'Download the unreadable data' }).isVisible());
      const kept = await page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith('layerlab.autosave.unreadable.'))
          .map((k) => localStorage.getItem(k)),
      );
      assert.deepEqual(kept, ['{"format":"layerlab-project","version":1,"graph":{"nodes":"oops"}}']);
      await shot('11-unreadable-banner');
      await page.getByRole('button', { name: 'Dismiss' }).click();
      await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
      await page.getByTestId('node-dense').click();
      await page.keyboard.press('Delete');
      await page.getByTestId('node-dense').waitFor({ state: 'detached', timeout: T });
      await page.keyboard.press('Control+z');
      await page.getByTestId('node-dense').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '4');
      await page.keyboard.press('Control+Shift+z');
      await page.getByTestId('node-dense').waitFor({ state: 'detached', timeout: T });
      await page.keyboard.press('Control+z');
      await page.getByTestId('node-dense').click();
      await page.keyboard.press('Control+d');
      await page.getByTestId('node-dense_1').waitFor({ timeout: T });
      await shot('12-keyboard');
    },
  ],
  [
    'open a Keras file by drag-and-drop, export PNG and SVG, share a link that reopens the graph',
    async ({ page, base, shot, context }) => {
      await page.goto(base);
      const keras = readFileSync(new URL('../fixtures/keras/keras2_model_functional.json', import.meta.url), 'utf8');
      const dt = await page.evaluateHandle((text) => {
        const d = new DataTransfer();
        d.items.add(new File([text], 'keras2_model_functional.json', { type: 'application/json' }));
        return d;
      }, keras);
      await page.locator('.react-flow__pane').dispatchEvent('dragover', { dataTransfer: dt });
      await page.locator('.react-flow__pane').dispatchEvent('drop', { dataTransfer: dt });
      await page.getByTestId('node-merge').waitFor({ timeout: T });
      const opened = page.getByRole('alert').filter({ hasText: 'Opened keras2_model_functional.json' });
      assert.match(await text(opened), /Keras 2 Functional JSON \("Model"\)\): 7 layers, 41,802 parameters/);
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '41,802');
      await shot('13-opened-by-drop');
      // A malformed file is refused and the graph stays.
      const bad = await page.evaluateHandle(() => {
        const d = new DataTransfer();
        d.items.add(
          new File(
            ['{"class_name":"Model","config":{"layers":[{"class_name":"Lambda","config":{"name":"l"}}],"input_layers":[],"output_layers":[]}}'],
            'bad.json',
          ),
        );
        return d;
      });
      await page.locator('.react-flow__pane').dispatchEvent('drop', { dataTransfer: bad });
      await page.getByRole('alert').filter({ hasText: 'bad.json was not opened' }).waitFor({ timeout: T });
      assert.equal(await text(page.getByTestId('total-params')), '41,802');
      for (const kind of ['PNG', 'SVG']) {
        await page.getByText('Export ▾').click();
        const [dl] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.getByRole('menuitem', { name: `Diagram as ${kind}` }).click()]);
        assert.equal(dl.suggestedFilename(), `model_1.${kind.toLowerCase()}`);
        const path = `test-results/e2e/14-diagram.${kind.toLowerCase()}`;
        await dl.saveAs(path);
        const head = readFileSync(path).subarray(0, 8).toString('latin1');
        if (kind === 'PNG') assert.ok(head.startsWith('\x89PNG'), 'a PNG file');
        else assert.match(readFileSync(path, 'utf8').slice(0, 200), /<svg/);
      }
      await page.getByText('Export ▾').click();
      await page.getByRole('menuitem', { name: 'Copy share link' }).click();
      await page.getByRole('alert').filter({ hasText: 'Share link copied' }).waitFor({ timeout: T });
      const link = await page.evaluate(() => navigator.clipboard.readText());
      assert.match(link, /#project=/);
      const other = await (await context.browser().newContext({ viewport: { width: 1440, height: 900 } })).newPage();
      await other.goto(link);
      await other.getByTestId('node-merge').waitFor({ timeout: T });
      await other.keyboard.press('Escape');
      assert.equal(await text(other.getByTestId('total-params')), '41,802');
      assert.ok(!other.url().includes('#project='), 'the fragment is removed from the address bar');
      await other.screenshot({ path: 'test-results/e2e/15-share-link-opened.png' });
      await other.context().close();
    },
  ],
  [
    'siamese template: one shared encoder, counted once, as tfjs counts it',
    async ({ page, base, shot }) => {
      await page.goto(base);
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator('[data-template="siamese"]').click();
      await page.getByTestId('node-encoder_hidden#1').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      // 64·32+32 + 32·16+16 + 2: each shared layer once.
      assert.equal(await text(page.getByTestId('summary-total')), '2,610');
      const row = page.getByTestId('summary-table').locator('tr', { hasText: 'encoder_hidden (Dense)' });
      assert.equal(await row.count(), 1);
      assert.match(await text(row), /shared ×2.*\(null, 32\).*2,080.*left\[0\]\[0\], right\[0\]\[0\]/);
      await page.getByRole('button', { name: 'tfjs model.summary()' }).click();
      assert.match(await text(page.getByTestId('tfjs-summary')), /Total params: 2610/);
      await page.getByTestId('node-encoder_hidden#1').click();
      await page.getByText('Shared layer').waitFor({ timeout: T });
      assert.equal(await page.locator('.layer-node.sibling').count(), 1);
      await page.locator('#param-units').fill('24');
      assert.match(await text(page.getByTestId('node-encoder_hidden')), /24/);
      await shot('16-siamese');
      await page.getByRole('tab', { name: 'Code' }).click();
      const code = await text(page.getByTestId('code'));
      assert.equal(code.split("name: 'encoder_hidden'").length - 1, 1, 'the shared layer is declared once');
      assert.match(code, /encoderHiddenLayer\.apply\(right\)/);
    },
  ],
  [
    'two-headed model: one loss per output, chosen per output, each reported while training',
    async ({ page, base, shot }) => {
      await page.goto(base);
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator('[data-template="two-headed"]').click();
      await page.getByTestId('node-price').waitFor({ timeout: T });
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Epochs').fill('1');
      await page
        .getByLabel('Loss of price')
        .selectOption('binary')
        .catch(() => {});
      // 'price' has one linear unit: 0/1 labels are allowed; 'category' (5 units) cannot take them.
      assert.equal(await page.getByLabel('Loss of category').locator('option[value="binary"]').isDisabled(), true);
      await page.getByRole('button', { name: 'Train', exact: true }).click();
      await page.getByTestId('final-loss').waitFor({ timeout: 120_000 });
      for (const k of ['category_loss', 'price_loss']) assert.match(await text(page.getByTestId(`epoch-${k}`)), /^\d+\.\d{4}$/);
      assert.match(await text(page.getByTestId('dummy-data')), /price: 0\/1 labels · binary cross-entropy/);
      // The live chart has a series per output besides the total.
      const legend = await page.locator('.loss-chart .u-legend .u-label').allTextContents();
      for (const k of ['category', 'price']) assert.ok(legend.includes(k), `chart legend lists ${k}: ${legend.join(', ')}`);
      await shot('17-two-outputs');
    },
  ],
  [
    'persistence: reload restores the canvas; a share link opens as a new document, the previous work one click away (also after a reload)',
    async ({ page, base, shot, context }) => {
      const saved = page.getByTestId('save-state').filter({ hasText: 'Saved' });
      await page.goto(base);
      // The link: the siamese template (shared layers), saved as a file in another browser profile.
      const elsewhere = await (await context.browser().newContext({ acceptDownloads: true })).newPage();
      await elsewhere.goto(base);
      await elsewhere.getByRole('button', { name: 'Templates', exact: true }).click();
      await elsewhere.locator('[data-template="siamese"]').click();
      await elsewhere.getByTestId('node-encoder_hidden#1').waitFor({ timeout: T });
      const [file] = await Promise.all([
        elsewhere.waitForEvent('download', { timeout: T }),
        elsewhere.getByRole('button', { name: 'Save', exact: true }).click(),
      ]);
      await file.saveAs('test-results/e2e/siamese.layerlab.json');
      await elsewhere.context().close();
      const link = `${base}#project=${LZString.compressToEncodedURIComponent(readFileSync('test-results/e2e/siamese.layerlab.json', 'utf8'))}`;
      // My work: the purchase predictor with a changed training setting.
      await page.getByRole('button', { name: 'Templates', exact: true }).click();
      await page.locator('[data-template="purchase-predictor"]').click();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByLabel('Epochs').fill('7');
      await saved.waitFor({ timeout: T });
      await page.reload();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      await page.getByRole('tab', { name: 'Train' }).click();
      assert.equal(await page.getByLabel('Epochs').inputValue(), '7');
      await saved.waitFor({ timeout: T });
      await shot('20-saved-state');
      // Open the link in this tab: a new document; my work is untouched and one click away.
      await page.goto('about:blank');
      await page.goto(link);
      const banner = page.getByRole('status').filter({ hasText: 'Opened the share link as a new document' });
      await banner.waitFor({ timeout: T });
      assert.match(await text(banner), /Your previous work is saved and unchanged\./);
      await page.getByTestId('node-encoder_hidden#1').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '2,610');
      await shot('21-share-link-new-document');
      await page.getByRole('button', { name: 'Back to my previous work' }).click();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      assert.equal(await text(page.getByTestId('total-params')), '799,233');
      // Again, then reload: the link reopens its stored document (no duplicate); the tab stays on it;
      // Recent reaches the previous work.
      await page.goto('about:blank');
      await page.goto(link);
      await page.getByRole('status').filter({ hasText: 'The model in this share link is already saved in this browser' }).waitFor({ timeout: T });
      await page.getByTestId('node-encoder_hidden#1').waitFor({ timeout: T });
      await saved.waitFor({ timeout: T });
      await page.reload();
      await page.getByTestId('node-encoder_hidden#1').waitFor({ timeout: T });
      await page.keyboard.press('Escape');
      assert.equal(await text(page.getByTestId('total-params')), '2,610', 'shared layers survive the reload');
      await page.getByText('Recent ▾').click();
      const items = page.getByTestId('recent-document');
      await items.first().waitFor({ timeout: T });
      await shot('22-recent-menu');
      const titles = await items.allTextContents();
      assert.ok(
        titles.some((t) => t.startsWith('multi_input_purchase_predictor')),
        `Recent lists the previous work: ${titles.join(' | ')}`,
      );
      assert.equal(titles.filter((t) => t.includes('(from a share link)')).length, 1, `Recent lists the shared document once: ${titles.join(' | ')}`);
      await items
        .filter({ hasText: /^multi_input_purchase_predictor/ })
        .first()
        .click();
      await page.getByTestId('node-concatenate_branches').waitFor({ timeout: T });
      await page.getByRole('tab', { name: 'Train' }).click();
      assert.equal(await page.getByLabel('Epochs').inputValue(), '7');
    },
  ],
  [
    'persistence: storage writes failing show "Not saved" with a download, and the next change retries',
    async ({ page, base, shot }) => {
      await page.addInitScript(() => {
        window.__failWrites = true;
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (value, key) {
          if (window.__failWrites && String(key).startsWith('doc:')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
          return put.call(this, value, key);
        };
      });
      await page.goto(base);
      await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
      const failed = page.getByTestId('save-state').filter({ hasText: 'Not saved' });
      await failed.waitFor({ timeout: T });
      assert.match(await text(failed), /Not saved:\s*the browser storage for this page is full/);
      assert.match(await failed.getAttribute('title'), /The next change tries again\./);
      await shot('23-not-saved');
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: T }), failed.getByRole('button', { name: 'Download a copy' }).click()]);
      assert.match(dl.suggestedFilename(), /\.layerlab\.json$/);
      const path = 'test-results/e2e/23-not-saved-copy.json';
      await dl.saveAs(path);
      assert.match(readFileSync(path, 'utf8'), /"format": "layerlab-project"/);
      // Storage recovers: the next change is saved.
      await page.evaluate(() => (window.__failWrites = false));
      await page.getByTestId('node-dense').click();
      await page.keyboard.press('Control+d');
      await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor({ timeout: T });
    },
  ],
  [
    'persistence: two tabs editing the same model, neither loses work',
    async ({ page, base, context }) => {
      await page.goto(base);
      await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
      await page.getByTestId('save-state').filter({ hasText: 'Saved' }).waitFor({ timeout: T });
      const other = await context.newPage();
      await other.goto(base);
      await other.getByTestId('node-dense').waitFor({ timeout: T });
      await other.getByTestId('save-state').filter({ hasText: 'also open in another tab' }).waitFor({ timeout: T });
      // Tab 1 adds a layer; tab 2 has no changes and follows.
      await page.bringToFront();
      await page.getByTestId('node-dense').click();
      await page.keyboard.press('Control+d');
      await other.getByTestId('node-dense_1').waitFor({ timeout: T });
      // Both edit at once: one of them keeps its version as a separate document and says so.
      await other.bringToFront();
      await other.getByTestId('node-dense_1').click();
      await other.keyboard.press('Delete');
      await page.bringToFront();
      await page.getByTestId('node-dense_1').click();
      await page.keyboard.press('Control+d');
      const said = (p) => p.getByRole('status').filter({ hasText: 'also changed in another tab' });
      await Promise.race([said(page).waitFor({ timeout: T }), said(other).waitFor({ timeout: T })]);
      const [bannerPage, keptPage] = (await said(other).count()) ? [other, page] : [page, other];
      await bannerPage.bringToFront();
      await bannerPage.screenshot({ path: 'test-results/e2e/24-two-tabs-banner.png' });
      await keptPage.waitForTimeout(600);
      // Both versions are stored: tab 1's (dense_2 added) and tab 2's (dense_1 deleted).
      const docs = await page.evaluate(async () => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('layerlab');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const all = await new Promise((res) => {
          const q = db.transaction('documents').objectStore('documents').getAll();
          q.onsuccess = () => res(q.result);
        });
        return all.filter((v) => v && v.json).map((v) => JSON.parse(v.json).graph.nodes.map((n) => n.name));
      });
      assert.equal(docs.length, 2, `two documents: ${JSON.stringify(docs)}`);
      assert.ok(
        docs.some((d) => d.includes('dense_2') && d.includes('dense')),
        `tab 1's version is stored: ${JSON.stringify(docs)}`,
      );
      assert.ok(
        docs.some((d) => d.includes('dense') && !d.includes('dense_1') && !d.includes('dense_2')),
        `tab 2's version is stored: ${JSON.stringify(docs)}`,
      );
      // The banner's choice shows the other tab's version.
      await bannerPage.getByRole('button', { name: "Open the other tab's version" }).click();
      await said(bannerPage).waitFor({ state: 'detached', timeout: T });
      const names = async (p) => (await p.locator('.layer-node').evaluateAll((ns) => ns.map((n) => n.getAttribute('data-testid')))).sort().join();
      assert.equal(await names(bannerPage), await names(keptPage));
      await other.close();
    },
  ],
  [
    'persistence: a crash in a panel keeps the canvas and offers the download; a page crash offers it too',
    async ({ page, base, shot, context }) => {
      await page.addInitScript(() => (window.__layerlabCrash = 'the inspector'));
      await page.goto(base);
      await page.getByRole('button', { name: 'Dense(2, input_dim=1)' }).click();
      const crash = page.getByTestId('crash');
      await crash.waitFor({ timeout: T });
      assert.match(await text(crash), /The inspector stopped working/);
      await page.getByTestId('node-dense').waitFor({ timeout: T });
      await shot('25-inspector-crash');
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: T }), crash.getByRole('button', { name: 'Download your work' }).click()]);
      assert.match(dl.suggestedFilename(), /\.layerlab\.json$/);
      const whole = await context.newPage();
      await whole.addInitScript(() => (window.__layerlabCrash = 'Layerlab'));
      await whole.goto(base);
      const pageCrash = whole.getByTestId('crash');
      await pageCrash.waitFor({ timeout: T });
      assert.match(await text(pageCrash), /Layerlab stopped working/);
      assert.ok(await pageCrash.getByRole('button', { name: 'Reload' }).isVisible());
      await whole.screenshot({ path: 'test-results/e2e/26-page-crash.png' });
      await whole.close();
    },
  ],
  [
    'persistence: import a 5,000-layer model, select all, duplicate (10,000 layers): the page stays, and autosave saves or says "Not saved"',
    async ({ page, base, shot }) => {
      page.on('console', (m) => process.env.E2E_DEBUG && console.log('    console:', m.text().slice(0, 300)));
      page.on('pageerror', (e) => process.env.E2E_DEBUG && console.log('    pageerror:', String(e).slice(0, 300)));
      await page.goto(base);
      const layers = [{ class_name: 'Dense', config: { name: 'dense_0', units: 4, batch_input_shape: [null, 4] } }];
      for (let i = 1; i < 5000; i++) layers.push({ class_name: 'Dense', config: { name: `dense_${i}`, units: 4 } });
      const json = JSON.stringify({ class_name: 'Sequential', config: { name: 'big', layers } });
      const dt = await page.evaluateHandle((t) => {
        const d = new DataTransfer();
        d.items.add(new File([t], 'big.json', { type: 'application/json' }));
        return d;
      }, json);
      await page.locator('.react-flow__pane').dispatchEvent('dragover', { dataTransfer: dt });
      await page.locator('.react-flow__pane').dispatchEvent('drop', { dataTransfer: dt });
      // A refusal would show a toast naming the file; a chain is laid out at once, so the model lands on the
      // canvas while the main thread renders it (its 6 s toast can expire in that time: wait for the model).
      await page.waitForFunction(
        () =>
          /Layers\s*5001(?!\d)/.test(document.querySelector('.inspector')?.textContent ?? '') ||
          /big\.json was not opened/.test(document.body.textContent ?? ''),
        null,
        { timeout: 120_000 },
      );
      assert.doesNotMatch(await page.locator('body').innerText(), /big\.json was not opened/);
      // 5,000 Dense layers + the InputLayer the importer adds.
      await page.waitForFunction(() => /Layers\s*5001(?!\d)/.test(document.querySelector('.inspector')?.textContent ?? ''), null, { timeout: 120_000 });
      await page
        .getByTestId('save-state')
        .filter({ hasText: /^\s*Saved/ })
        .waitFor({ timeout: 60_000 });
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await page.keyboard.press('Control+a');
      const t0 = Date.now();
      await page.keyboard.press('Control+d');
      await page.waitForFunction(() => /Layers\s*10002(?!\d)/.test(document.querySelector('.inspector')?.textContent ?? ''), null, { timeout: 120_000 });
      // Saved, or "Not saved" with the download: never silent, never a blank page.
      const state = page.getByTestId('save-state');
      await page.waitForFunction(
        () =>
          /Saved|Not saved/.test(document.querySelector('[data-testid=save-state]')?.textContent ?? '') &&
          !/Saving/.test(document.querySelector('[data-testid=save-state]')?.textContent ?? ''),
        null,
        { timeout: 120_000 },
      );
      const answer = await text(state);
      console.log(`    10,000 layers: duplicated and autosave answered "${answer}" in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      if (/Not saved/.test(answer)) assert.ok(await state.getByRole('button', { name: 'Download a copy' }).isVisible());
      assert.ok(await page.getByText('Layerlab', { exact: true }).first().isVisible(), 'the page is not blank');
      assert.equal(await page.getByTestId('crash').count(), 0);
      await shot('27-ten-thousand-layers');
      const stored = await page.evaluate(async () => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('layerlab');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const all = await new Promise((res) => {
          const q = db.transaction('documents').objectStore('documents').getAll();
          q.onsuccess = () => res(q.result);
        });
        return all.filter((v) => v && v.json).map((v) => v.layers);
      });
      if (/Saved/.test(answer)) assert.deepEqual(stored, [10_002]);
    },
  ],
];
