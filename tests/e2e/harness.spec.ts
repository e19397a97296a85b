/**
 * The test harness itself (fixtures.ts): an uncaught error in the page reaches the `pageErrors` list, which
 * fails the test at its end when it is not empty, so no test passes while the app throws behind its back.
 */
import { expect, test } from './fixtures';

test('harness: an uncaught error in the page is recorded in pageErrors (which fails a test at its end)', async ({ page, pageErrors }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Templates', exact: true })).toBeVisible();
  expect(pageErrors).toEqual([]);
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error('thrown by the harness test');
    }, 0);
  });
  await expect.poll(() => [...pageErrors]).toEqual(['thrown by the harness test']);
  // Expected here: emptied so that this test passes; in any other test the fixture would fail it now.
  pageErrors.length = 0;
});
