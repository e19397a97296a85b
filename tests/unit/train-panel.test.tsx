// @vitest-environment jsdom
/**
 * The training panel (issue 8): its numeric fields accept exactly what the one definition of training
 * settings accepts (core/training.ts, shared with the project file, the runtime and the code generators) —
 * "1e21" or "20000" epochs are refused with the reason and the last valid value kept —, and a double click on
 * Stop never starts a new run. The runtime is a stand-in whose run ends as soon as Stop is sent.
 */
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRAINING, parseNumericSetting } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { generatePython } from '../../src/codegen/python';
import { useEditor } from '../../src/store/editor';
import { idleSession, STOP_GUARD_MS, useTraining } from '../../src/store/training';
import type { TrainResult } from '../../src/runtime/protocol';

const fake = vi.hoisted(() => {
  const state = { finish: null as null | ((r: unknown) => void) };
  return {
    state,
    train: vi.fn(
      () =>
        new Promise((resolve) => {
          state.finish = resolve;
        }),
    ),
    stop: vi.fn(() => state.finish?.({ logs: {}, loss: null, metric: null, metricName: '', epochsRun: 0, stopped: true, elapsed: 0 } satisfies TrainResult)),
  };
});
vi.mock('../../src/app/runtime', () => ({ runtime: () => ({ train: fake.train, stop: fake.stop }) }));
// The loss chart (uPlot) needs a browser's matchMedia; no run here reports a batch, so it is never drawn.
vi.mock('../../src/panels/LossChart', () => ({ LossChart: () => null, outputLossKeys: () => [] }));

const graph = () => buildGraph('m', (b) => void b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Input', { shape: [3] }, 'x')]));

let TrainPanel: typeof import('../../src/panels/TrainPanel').TrainPanel;
beforeEach(async () => {
  ({ TrainPanel } = await import('../../src/panels/TrainPanel'));
  useEditor.setState({ graph: graph(), training: DEFAULT_TRAINING });
  useTraining.setState({ ...idleSession });
  fake.train.mockClear();
  fake.stop.mockClear();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Lets the stand-in's promises settle and React re-render. */
const settle = () =>
  act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });

describe('numeric settings follow the one definition', () => {
  it.each([
    ['Epochs', 'epochs', '1e21', 'Epochs must be at most 10,000 (got 1e+21)'],
    ['Epochs', 'epochs', '20000', 'Epochs must be at most 10,000 (got 20000)'],
    ['Epochs', 'epochs', '2.5', 'Epochs must be a whole number (got 2.5)'],
    ['Epochs', 'epochs', 'abc', "Epochs must be a whole number (got 'abc')"],
    ['Epochs', 'epochs', '', 'Epochs needs a value'],
    ['Batch size', 'batchSize', '2000000', 'Batch size must be at most 1,000,000 (got 2000000)'],
    ['Samples', 'samples', '0', 'Samples must be at least 1 (got 0)'],
    ['Learning rate', 'learningRate', '50', 'Learning rate must be at most 10 (got 50)'],
    ['Learning rate', 'learningRate', '0', 'Learning rate must be greater than 0 (got 0)'],
    ['Learning rate', 'learningRate', 'Infinity', "Learning rate must be a number (got 'Infinity')"],
  ] as const)('%s "%s" → refused: %s, the last valid value kept', (label, key, text, reason) => {
    render(<TrainPanel />);
    const field = screen.getByLabelText(label);
    const before = useEditor.getState().training[key];
    fireEvent.change(field, { target: { value: text } });
    expect(screen.getByRole('alert').textContent).toBe(`${reason} — training keeps ${before}.`);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(useEditor.getState().training[key]).toBe(before);
    // The panel, the project file and the runtime share the check: the same words from the core.
    expect(parseNumericSetting(key, text)).toEqual({ ok: false, reason });
  });

  it('applies a value within bounds at once and clears the error', () => {
    render(<TrainPanel />);
    const field = screen.getByLabelText('Epochs');
    fireEvent.change(field, { target: { value: '1e21' } });
    fireEvent.change(field, { target: { value: '1e4' } });
    expect(useEditor.getState().training.epochs).toBe(10_000);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.change(screen.getByLabelText('Learning rate'), { target: { value: '0.05' } });
    expect(useEditor.getState().training.learningRate).toBe(0.05);
  });

  it('the code generators refuse what the panel refuses: no Python with 1e21 epochs', () => {
    const r = generatePython(graph(), { ...DEFAULT_TRAINING, epochs: 1e21 }, 'functional');
    expect(r).toEqual({ ok: false, reason: 'Training settings: Epochs must be at most 10,000 (got 1e+21).' });
  });
});

describe('Train / Stop', () => {
  it('a double click on Stop stops the run and never starts another; a later click on Train does', async () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    render(<TrainPanel />);
    const button = screen.getByRole('button', { name: 'Train' });
    fireEvent.click(button, { detail: 1 });
    await settle();
    expect(fake.train).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: 'Stop' })).toBe(button); // the same button, now Stop

    // Double click: the first click stops; the run ends at once, so the second lands on Train.
    fireEvent.click(button, { detail: 1 });
    await settle();
    expect(fake.stop).toHaveBeenCalledTimes(1);
    expect(useTraining.getState().status).toBe('stopped');
    expect(button.textContent).toBe('Train');
    now += 150;
    fireEvent.click(button, { detail: 2 });
    await settle();
    expect(fake.train).toHaveBeenCalledTimes(1);

    // Two quick single clicks (counted apart by the system) within the guard: still no new run.
    now += 200;
    fireEvent.click(button, { detail: 1 });
    await settle();
    expect(fake.train).toHaveBeenCalledTimes(1);
    expect(useTraining.getState().status).toBe('stopped');

    // A deliberate click after the guard starts a run.
    now += STOP_GUARD_MS;
    fireEvent.click(button, { detail: 1 });
    await settle();
    expect(fake.train).toHaveBeenCalledTimes(2);
    expect(useTraining.getState().status).toBe('starting');
  });

  it('while stopping, the button is disabled and says so', async () => {
    fake.stop.mockImplementationOnce(() => undefined); // this run takes its time to stop
    render(<TrainPanel />);
    const button = screen.getByRole('button', { name: 'Train' });
    fireEvent.click(button);
    await settle();
    fireEvent.click(button);
    await settle();
    expect(button.textContent).toBe('Stopping…');
    expect((button as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(button, { detail: 2 });
    expect(fake.train).toHaveBeenCalledTimes(1);
    expect(fake.stop).toHaveBeenCalledTimes(1);
  });
});

describe('training and editing together', () => {
  it('says a running training trains the earlier model, then marks its results; moving a node does not count', async () => {
    render(<TrainPanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Train' }), { detail: 1 });
    await settle();
    // The run was asked for the graph on the canvas, and the insight was asked for (on by default).
    const [trained, , , , options] = fake.train.mock.calls[0] as unknown as [unknown, unknown, unknown, unknown, { insight?: boolean }];
    expect(trained).toBe(useEditor.getState().graph);
    expect(options).toEqual({ insight: true });
    expect(screen.queryByTestId('train-stale')).toBeNull();

    // A move: the same model.
    const g = useEditor.getState().graph;
    act(() => useEditor.setState({ graph: { ...g, nodes: g.nodes.map((n) => ({ ...n, position: { x: n.position.x + 40, y: n.position.y } })) } }));
    expect(screen.queryByTestId('train-stale')).toBeNull();

    // An edit while it runs: the run goes on with the model it started with, and says so.
    const out = useEditor.getState().graph.nodes.find((n) => n.name === 'out')!;
    act(() => void useEditor.getState().setParam(out.id, 'units', 4));
    expect(screen.getByTestId('train-stale').textContent).toMatch(/as it was when Train was clicked/);

    // Once it ends, its results are marked as those of an earlier version.
    act(() => fake.state.finish?.({ logs: { loss: 1 }, loss: 1, metric: null, metricName: 'acc', epochsRun: 1, stopped: false, elapsed: 10 }));
    await settle();
    expect(screen.getByTestId('train-stale').textContent).toMatch(/from an earlier version of the model/);
    // Undo brings the trained model back: no mark.
    act(() => useEditor.temporal.getState().undo());
    expect(screen.queryByTestId('train-stale')).toBeNull();
  });
});
