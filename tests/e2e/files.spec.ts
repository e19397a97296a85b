/**
 * Files: a Keras file opened by drag-and-drop (and a malformed one refused), the diagram exported as PNG
 * and SVG, and a share link that reopens the graph in another browser profile.
 */
import { readFileSync } from 'node:fs';
import { artifact, dropFile, expect, fixtureText, test } from './fixtures';

test('open a Keras file by drag-and-drop, export PNG and SVG, share a link that reopens the graph', async ({ page, browser, shot }) => {
  await page.goto('/');
  await dropFile(page, 'keras2_model_functional.json', fixtureText('keras/keras2_model_functional.json'));
  await expect(page.getByTestId('node-merge')).toBeVisible();
  const opened = page.getByRole('alert').filter({ hasText: 'Opened keras2_model_functional.json' });
  await expect(opened).toHaveText(/Keras 2 Functional JSON \("Model"\)\): 7 layers, 41,802 parameters/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('total-params')).toHaveText('41,802');
  await shot('13-opened-by-drop');
  // A malformed file is refused and the graph stays.
  await dropFile(
    page,
    'bad.json',
    '{"class_name":"Model","config":{"layers":[{"class_name":"Lambda","config":{"name":"l"}}],"input_layers":[],"output_layers":[]}}',
    '',
  );
  await expect(page.getByRole('alert').filter({ hasText: 'bad.json was not opened' })).toBeVisible();
  await expect(page.getByTestId('total-params')).toHaveText('41,802');
  await expect(page.getByTestId('node-merge')).toBeVisible();
  for (const kind of ['PNG', 'SVG']) {
    await page.getByText('Export ▾').click();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: `Diagram as ${kind}` }).click()]);
    expect(dl.suggestedFilename()).toBe(`model_1.${kind.toLowerCase()}`);
    const path = artifact(`14-diagram.${kind.toLowerCase()}`);
    await dl.saveAs(path);
    if (kind === 'PNG') expect(readFileSync(path).subarray(0, 8).toString('latin1'), 'a PNG file').toBe('\x89PNG\r\n\x1a\n');
    else {
      const svg = readFileSync(path, 'utf8');
      expect(svg.slice(0, 200), 'an SVG file').toMatch(/<svg/);
      expect(svg, 'real SVG elements, no HTML inside').not.toMatch(/foreignObject/);
      expect(svg.length, 'a small file').toBeLessThan(100_000);
    }
  }
  await page.getByText('Export ▾').click();
  await page.getByRole('menuitem', { name: 'Copy share link' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Share link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#project=/);
  // Another browser profile (empty storage) opens the link.
  const elsewhere = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const other = await elsewhere.newPage();
    await other.goto(link);
    await expect(other.getByTestId('node-merge')).toBeVisible();
    await other.keyboard.press('Escape');
    await expect(other.getByTestId('total-params')).toHaveText('41,802');
    await expect(other, 'the fragment is removed from the address bar').not.toHaveURL(/#project=/);
    await shot('15-share-link-opened', other);
  } finally {
    await elsewhere.close();
  }
});
