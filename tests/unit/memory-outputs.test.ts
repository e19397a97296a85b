/**
 * The memory estimate's data part counts one label tensor per output tensor (core trainingOutputs), as the runtime
 * makes them: an LSTM with return_state that nothing reads outputs its sequence and its two states, each with labels.
 */
import { describe, expect, it } from 'vitest';
import { analyze, DEFAULT_TRAINING, estimateTrainingMemory, trainingOutputs } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';

const lstm = (returnState: boolean) =>
  buildGraph('states', (b) => {
    const x = b.add('Input', { shape: [5, 3] }, 'x');
    b.add('LSTM', { units: 4, return_state: returnState }, 'lstm', [x]);
  });

describe('memory estimate with several output tensors', () => {
  it('adds the labels of every output tensor: 3 × (None, 4) regression targets for an LSTM with its states', () => {
    const g = lstm(true);
    const a = analyze(g);
    const outs = trainingOutputs(g, a, undefined);
    expect(outs.map((o) => o.name)).toEqual(['lstm', 'lstm_state_h', 'lstm_state_c']);
    const settings = { ...DEFAULT_TRAINING, samples: 100 };
    const withStates = estimateTrainingMemory(g, a, settings).data;
    const single = estimateTrainingMemory(lstm(false), analyze(lstm(false)), settings).data;
    // Inputs 5 × 3 values per sample in both; labels 4 values per output tensor, float32.
    expect(single).toBe(4 * 100 * (15 + 4));
    expect(withStates).toBe(4 * 100 * (15 + 3 * 4));
  });
});
