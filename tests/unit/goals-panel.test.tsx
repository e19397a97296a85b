// @vitest-environment jsdom
/**
 * The Goals panel (issue 11, exercise mode): the checklist shows ✓ / ✗ / ○ with each goal's reason and "All goals
 * met" or "k of n goals met", live on every edit and after a training run; the goal editor adds goals from its menu,
 * refuses an invalid value in red with the reason (keeping the last valid goal) and removes goals.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { GoalsPanel } from '../../src/panels/GoalsPanel';
import { Dock } from '../../src/app/Dock';
import { useUi } from '../../src/store/ui';
import { undo, useEditor } from '../../src/store/editor';
import { useGoals } from '../../src/store/goals';
import { idleSession, useTraining } from '../../src/store/training';
import { analyze, formatCount, templateById, type Goal } from '../../src/core';
import { LEAKS } from '../helpers/messages';

const rows = () => screen.getAllByTestId('goal');
const marks = () => rows().map((r) => `${within(r).getByRole('img').textContent} ${r.getAttribute('data-met')}`);
const reasons = () => screen.getAllByTestId('goal-reason').map((r) => r.textContent);
const summary = () => screen.getByTestId('goals-summary').textContent;
const nodeId = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;

beforeEach(() => {
  useEditor.getState().loadGraph(templateById('purchase-predictor')!.build());
  useGoals.setState({ goals: [], editing: false, lastRun: null });
  useTraining.setState({ ...idleSession });
});
afterEach(cleanup);

describe('the checklist (student)', () => {
  const goals: Goal[] = [{ kind: 'params', max: 1_000_000 }, { kind: 'merge' }, { kind: 'outputShape', dims: [1] }];

  it('shows ✓ for each met goal and "All goals met"; breaking a goal shows ✗ with its reason and the count; fixing it restores', () => {
    useGoals.getState().setGoals(goals);
    render(<GoalsPanel />);
    expect(marks()).toEqual(['✓ true', '✓ true', '✓ true']);
    expect(summary()).toBe('✓ All goals met');
    const total = formatCount(analyze(useEditor.getState().graph).totals.total);
    expect(reasons()).toEqual([
      `total ${total} parameters ≤ budget 1,000,000`,
      "'concatenate_branches' (Concatenate) merges 2 tensors",
      'output shape (None, 1) = goal (None, 1)',
    ]);
    expect(screen.queryByRole('textbox')).toBeNull();

    act(() => void useEditor.getState().setParam(nodeId('output_sigmoid'), 'units', 3));
    expect(marks()).toEqual(['✓ true', '✓ true', '✗ false']);
    expect(reasons()[2]).toBe('output shape (None, 3) ≠ goal (None, 1)');
    expect(summary()).toBe('2 of 3 goals met');

    act(() => void useEditor.getState().setParam(nodeId('output_sigmoid'), 'units', 1));
    expect(marks()).toEqual(['✓ true', '✓ true', '✓ true']);
    expect(summary()).toBe('✓ All goals met');
  });

  it('a loss goal waits (○) for a training run, then follows its final loss; an edit after the run makes it wait again', () => {
    useGoals.getState().setGoals([{ kind: 'loss', below: 0.3 }]);
    render(<GoalsPanel />);
    expect(marks()).toEqual(['○ null']);
    expect(summary()).toBe('0 of 1 goal met');
    // The Train tab's sequence (panels/TrainPanel.tsx): 'starting' with the graph on the canvas, then the result.
    act(() => useTraining.getState().patch({ ...idleSession, status: 'starting' }));
    const result = { logs: {}, loss: 0.21, metric: null, metricName: 'acc', epochsRun: 3, stopped: false, elapsed: 1000 };
    act(() => useTraining.getState().patch({ status: 'done', result }));
    expect(marks()).toEqual(['✓ true']);
    expect(reasons()).toEqual(['final loss 0.2100 < goal 0.3']);
    // Moving a layer does not change the model: still checked.
    act(() => useEditor.getState().moveNodes(new Map([[nodeId('output_sigmoid'), { x: 5, y: 5 }]]), false));
    expect(marks()).toEqual(['✓ true']);
    act(() => void useEditor.getState().setParam(nodeId('dense_combined'), 'units', 16));
    expect(marks()).toEqual(['○ null']);
    expect(reasons()).toEqual(['the model changed since its last training run: train it again to check the loss']);
  });

  it('goals are not in the undo history: undo takes back the model edit, never a goal', () => {
    useEditor.temporal.getState().clear();
    useGoals.getState().setGoals([{ kind: 'outputShape', dims: [1] }]);
    render(<GoalsPanel />);
    act(() => void useEditor.getState().setParam(nodeId('output_sigmoid'), 'units', 4));
    expect(marks()).toEqual(['✗ false']);
    act(() => useGoals.getState().addGoal({ kind: 'merge' }));
    act(() => undo());
    expect(useGoals.getState().goals).toEqual([{ kind: 'outputShape', dims: [1] }, { kind: 'merge' }]);
    expect(marks()).toEqual(['✓ true', '✓ true']);
  });

  it('without goals: says none are set and offers to set them', () => {
    render(<GoalsPanel />);
    expect(screen.getByText('No goals are set for this model.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Set goals' }));
    expect(useGoals.getState().editing).toBe(true);
  });
});

describe('the Goals tab badge', () => {
  it('shows nothing without goals, then "k/n" or ✓ on the tab, live, whichever tab is open', async () => {
    useUi.getState().setDockTab('summary');
    render(<Dock />);
    expect(screen.queryByTestId('goals-badge')).toBeNull();
    act(() => useGoals.getState().setGoals([{ kind: 'merge' }, { kind: 'outputShape', dims: [1] }, { kind: 'shared' }]));
    const badge = await screen.findByTestId('goals-badge');
    expect(badge.textContent).toBe('2/3');
    expect(screen.getByRole('tab', { name: /Goals/ }).contains(badge)).toBe(true);
    // The Dock also holds the summary, which React renders as a deferred value (SummaryPanel): under a loaded test run
    // its render may still be in flight, so the badge is awaited rather than read at once.
    act(() => useGoals.getState().removeGoal(2));
    await waitFor(() => expect(screen.getByTestId('goals-badge').textContent).toBe('✓'));
    act(() => void useEditor.getState().setParam(nodeId('output_sigmoid'), 'units', 2));
    await waitFor(() => expect(screen.getByTestId('goals-badge').textContent).toBe('1/2'));
  });
});

describe('the goal editor (teacher)', () => {
  it('adds goals from the menu, met by the model as it is; edits a number live; refuses an invalid one in red; removes', () => {
    render(<GoalsPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Set goals' }));
    const add = screen.getByRole('combobox', { name: 'Add a goal' });
    fireEvent.change(add, { target: { value: 'params' } });
    fireEvent.change(add, { target: { value: 'merge' } });
    fireEvent.change(add, { target: { value: 'outputShape' } });
    const total = analyze(useEditor.getState().graph).totals.total;
    expect(useGoals.getState().goals).toEqual([{ kind: 'params', max: total }, { kind: 'merge' }, { kind: 'outputShape', dims: [1] }]);
    expect(marks()).toEqual(['✓ true', '✓ true', '✓ true']);

    const budget = screen.getByTestId('goal-0-max') as HTMLInputElement;
    expect(budget.value).toBe(formatCount(total));
    fireEvent.change(budget, { target: { value: '500,000' } });
    expect(useGoals.getState().goals[0]).toEqual({ kind: 'params', max: 500_000 });
    expect(marks()[0]).toBe('✗ false');
    expect(reasons()[0]).toBe(`total ${formatCount(total)} parameters > budget 500,000`);

    fireEvent.change(budget, { target: { value: '1.5' } });
    expect(budget.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toBe('The parameter budget must be a whole number.');
    expect(useGoals.getState().goals[0]).toEqual({ kind: 'params', max: 500_000 });
    fireEvent.blur(budget);
    expect(budget.value).toBe('500,000');
    expect(screen.queryByRole('alert')).toBeNull();

    const dims = screen.getByTestId('goal-2-dims') as HTMLInputElement;
    fireEvent.change(dims, { target: { value: 'None, 0' } });
    expect(screen.getByRole('alert').textContent).toBe('Each size must be from 1 to 1,000,000 (got 0).');
    fireEvent.change(dims, { target: { value: '5' } });
    expect(useGoals.getState().goals[2]).toEqual({ kind: 'outputShape', dims: [5] });
    expect(reasons()[2]).toBe('output shape (None, 1) ≠ goal (None, 5)');

    fireEvent.change(add, { target: { value: 'kinds' } });
    const kinds = screen.getByTestId('goal-3-kinds') as HTMLInputElement;
    expect(kinds.value).toBe('Flatten, Dense, Dropout, Concatenate');
    fireEvent.change(kinds, { target: { value: 'dense, Teleport' } });
    expect(screen.getByRole('alert').textContent).toMatch(/^'Teleport' is not a layer kind/);
    fireEvent.change(kinds, { target: { value: 'dense, flatten, concatenate' } });
    expect(useGoals.getState().goals[3]).toEqual({ kind: 'kinds', allowed: ['Dense', 'Flatten', 'Concatenate'] });
    expect(reasons()[3]).toBe("uses Dropout ('dropout_image' and 'dropout_text'), not in the allowed kinds: Dense, Flatten, Concatenate");

    fireEvent.click(screen.getByRole('button', { name: 'Remove the goal: Uses a merge layer (Add, Concatenate, …) on two or more tensors' }));
    expect(useGoals.getState().goals.map((g) => g.kind)).toEqual(['params', 'outputShape', 'kinds']);
    expect(summary()).toBe('0 of 3 goals met');
    for (const r of reasons()) expect(r).not.toMatch(LEAKS);

    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit goals' })).toBeTruthy();
  });
});
