/**
 * What the browser tests share: `test` with a `shot` fixture (screenshots kept as artifacts in
 * test-results/e2e/) and a check that the page threw no uncaught error, plus helpers that drive the canvas
 * (drag a layer from the palette, connect two nodes, drop a file) and read the autosave's IndexedDB.
 * Each test gets a fresh browser context (empty storage), as Playwright gives by default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

/** Where the screenshots and files the tests save on purpose go (people open them); not cleaned between runs. */
export const ARTIFACTS = join(import.meta.dirname, '../../test-results/e2e');

/** The path of artifact `name` (a file name with its extension) in test-results/e2e/. */
export const artifact = (name: string): string => join(ARTIFACTS, name);

interface Fixtures {
  /** Saves a screenshot of `page` (the test's page unless given) as test-results/e2e/<name>.png. */
  shot: (name: string, page?: Page) => Promise<void>;
  /** Uncaught errors of the test's page; the test fails when any is left at its end. */
  pageErrors: string[];
}

export const test = base.extend<Fixtures>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
  shot: async ({ page }, use) => {
    await use(async (name, p = page) => {
      await p.screenshot({ path: artifact(`${name}.png`) });
    });
  },
});

export { expect };

/** Drags palette item `kind` onto the canvas pane at (x, y) pixels from the pane's top left corner. */
export async function dropLayer(page: Page, kind: string, x: number, y: number): Promise<void> {
  await page.locator(`.palette__item[data-kind="${kind}"]`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

/** The centre of `loc` in page pixels; throws naming `what` when it is not laid out. */
async function centre(loc: Locator, what: string): Promise<{ x: number; y: number }> {
  const box = await loc.boundingBox();
  if (!box) throw new Error(`${what} has no bounding box (not visible on the canvas)`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags with the mouse from the bottom handle of node `from` to the top handle of node `to` (layer names). */
export async function connect(page: Page, from: string, to: string): Promise<void> {
  const a = await centre(page.locator(`[data-testid="node-${from}"] .react-flow__handle.source`), `the output handle of ${from}`);
  const b = await centre(page.locator(`[data-testid="node-${to}"] .react-flow__handle.target`), `the input handle of ${to}`);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2 + 10, { steps: 5 });
  await page.mouse.move(b.x, b.y, { steps: 5 });
  await page.mouse.up();
}

/** Drops a file named `name` holding `text` on the canvas pane, as dragging it from the desktop does. */
export async function dropFile(page: Page, name: string, text: string, type = 'application/json'): Promise<void> {
  const dt = await page.evaluateHandle(
    ([t, n, ty]) => {
      const d = new DataTransfer();
      d.items.add(new File([t], n, { type: ty }));
      return d;
    },
    [text, name, type] as const,
  );
  const pane = page.locator('.react-flow__pane');
  await pane.dispatchEvent('dragover', { dataTransfer: dt });
  await pane.dispatchEvent('drop', { dataTransfer: dt });
}

/** Reads a test fixture file (tests/fixtures/<path>) as text. */
export const fixtureText = (path: string): string => readFileSync(join(import.meta.dirname, '../fixtures', path), 'utf8');

/** A document the autosave stored in IndexedDB ('layerlab' / 'documents'), as the tests read it. */
export interface StoredDocument {
  /** The layer count the record states. */
  readonly layers: number;
  /** The layer names of its project file, in file order. */
  readonly names: readonly string[];
  /** Its training settings' epochs. */
  readonly epochs: number;
}

/** Every document record the autosave stored in this page's IndexedDB (other records, such as 'last', are skipped). */
export async function storedDocuments(page: Page): Promise<StoredDocument[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('layerlab');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error ?? new Error('indexedDB.open failed'));
    });
    try {
      const all = await new Promise<unknown[]>((res, rej) => {
        const q = db.transaction('documents').objectStore('documents').getAll();
        q.onsuccess = () => res(q.result as unknown[]);
        q.onerror = () => rej(q.error ?? new Error('getAll failed'));
      });
      return all.flatMap((v) => {
        const rec = v as { json?: unknown; layers?: unknown } | null;
        if (!rec || typeof rec.json !== 'string') return [];
        const project = JSON.parse(rec.json) as { graph: { nodes: { name: string }[] }; training?: { epochs?: number } };
        return [{ layers: Number(rec.layers), names: project.graph.nodes.map((n) => n.name), epochs: Number(project.training?.epochs) }];
      });
    } finally {
      db.close();
    }
  });
}
