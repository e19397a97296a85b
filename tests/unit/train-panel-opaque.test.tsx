// @vitest-environment jsdom
/**
 * The Train button refuses a model with a layer Layerlab cannot run (an opaque node from a file: core
 * `trainingBlock`, a `train/blocked` warning, not an error): disabled, its tooltip and the panel saying which layer
 * and why; a model without one trains as before. The runtime is a stand-in that records calls.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TRAINING, importKerasJson, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { idleSession, useTraining } from '../../src/store/training';

vi.mock('../../src/app/runtime', () => ({ runtime: () => ({ train: vi.fn(), stop: vi.fn() }) }));
vi.mock('../../src/panels/LossChart', () => ({ LossChart: () => null, outputLossKeys: () => [] }));

const lambdaModel = (): Graph => {
  const r = importKerasJson(readFileSync(path.join(__dirname, '../fixtures/keras/keras3_lambda_chain.json'), 'utf8'));
  if (!r.ok) throw new Error(r.reason);
  return r.graph;
};
const plain = () => buildGraph('m', (b) => void b.add('Dense', { units: 2, activation: 'softmax' }, 'out', [b.add('Input', { shape: [3] }, 'x')]));

let TrainPanel: typeof import('../../src/panels/TrainPanel').TrainPanel;
beforeEach(async () => {
  ({ TrainPanel } = await import('../../src/panels/TrainPanel'));
  useTraining.setState({ ...idleSession });
});
afterEach(() => cleanup());

describe('the Train button and a layer Layerlab cannot run', () => {
  it('is disabled, saying which layer and why', () => {
    useEditor.setState({ graph: lambdaModel(), training: DEFAULT_TRAINING });
    render(<TrainPanel />);
    const button = screen.getByRole('button', { name: 'Train' });
    const why = "Lambda 'lam' runs Python code Layerlab cannot run; shapes, summary, code and export still work, training does not.";
    expect(button).toHaveProperty('disabled', true);
    expect(button.getAttribute('title')).toBe(why);
    expect(screen.getByTestId('train-blocked').textContent).toBe(why);
  });

  it('is enabled for a model without one', () => {
    useEditor.setState({ graph: plain(), training: DEFAULT_TRAINING });
    render(<TrainPanel />);
    expect(screen.getByRole('button', { name: 'Train' })).toHaveProperty('disabled', false);
    expect(screen.queryByTestId('train-blocked')).toBeNull();
  });
});
