/**
 * Exercise mode (issue 11): a teacher sets goals on the purchase predictor (a parameter budget, a merge, output
 * shape (None, 1)) and copies the share link; a student opens it in another browser profile and sees the checklist
 * all ✓; changing the last Dense's units breaks the output-shape goal (✗ with the reason), changing them back meets
 * every goal again.
 */
import { expect, test } from './fixtures';

test('exercise link: the teacher sets goals, the student sees them checked live, breaks one and fixes it', async ({ page, browser, shot }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Templates', exact: true }).click();
  await page.locator('[data-template="purchase-predictor"]').click();
  await expect(page.getByTestId('node-concatenate_branches')).toBeVisible();
  await page.keyboard.press('Escape');

  // The teacher's goals.
  await page.getByRole('tab', { name: 'Goals' }).click();
  await expect(page.getByText('No goals are set for this model.')).toBeVisible();
  await page.getByRole('button', { name: 'Set goals' }).click();
  const add = page.getByRole('combobox', { name: 'Add a goal' });
  await add.selectOption('params');
  await page.getByTestId('goal-0-max').fill('1,000,000');
  await add.selectOption('merge');
  await add.selectOption('outputShape');
  await expect(page.getByTestId('goal-2-dims')).toHaveValue('1');
  const goals = page.getByTestId('goal');
  await expect(goals).toHaveCount(3);
  await expect(page.getByTestId('goals-summary')).toHaveText('✓ All goals met');
  await shot('exercise-01-teacher-editing');
  await page.getByRole('button', { name: 'Done' }).click();

  await page.getByText('Export ▾').click();
  await page.getByRole('menuitem', { name: 'Copy share link' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Share link copied' })).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#project=/);

  // The student's browser: the link opens on the checklist.
  const elsewhere = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const student = await elsewhere.newPage();
    const errors: string[] = [];
    student.on('pageerror', (e) => errors.push(e.message));
    await student.goto(link);
    await expect(student.getByTestId('node-concatenate_branches')).toBeVisible();
    await expect(student.getByRole('tab', { name: 'Goals' })).toHaveAttribute('aria-selected', 'true');
    await expect(student.getByRole('status').filter({ hasText: 'This is an exercise with 3 goals' })).toBeVisible();
    const rows = student.getByTestId('goal');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toHaveAttribute('data-met', 'true');
    await expect(rows.nth(0)).toContainText('At most 1,000,000 parameters');
    await expect(rows.nth(0)).toContainText('total 799,233 parameters ≤ budget 1,000,000');
    await expect(rows.nth(1)).toContainText("'concatenate_branches' (Concatenate) merges 2 tensors");
    await expect(rows.nth(2)).toContainText('output shape (None, 1) = goal (None, 1)');
    await expect(student.getByTestId('goals-summary')).toHaveText('✓ All goals met');
    await expect(student.getByTestId('goal-0-max'), 'the checklist, not the editor').toHaveCount(0);
    await shot('exercise-02-student-all-met', student);

    // Break the output-shape goal: the last Dense gets 3 units.
    await student.getByTestId('node-output_sigmoid').click();
    await student.locator('#param-units').fill('3');
    await expect(rows.nth(2)).toHaveAttribute('data-met', 'false');
    await expect(rows.nth(2)).toContainText('output shape (None, 3) ≠ goal (None, 1)');
    await expect(student.getByTestId('goals-summary')).toHaveText('2 of 3 goals met');
    await expect(student.getByTestId('goals-badge'), 'the tab says it too').toHaveText('2/3');
    await shot('exercise-03-student-broken', student);

    // Fix it.
    await student.locator('#param-units').fill('1');
    await expect(rows.nth(2)).toHaveAttribute('data-met', 'true');
    await expect(student.getByTestId('goals-summary')).toHaveText('✓ All goals met');
    await expect(student.getByTestId('goals-badge')).toHaveText('✓');
    await shot('exercise-04-student-fixed', student);
    expect(errors, 'uncaught errors in the student page').toEqual([]);
  } finally {
    await elsewhere.close();
  }
});
