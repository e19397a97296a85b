/**
 * Graphs with layers that return several tensors (issue 10, "Layers with several outputs"), for the code
 * generators' tests: the generated TypeScript runs them in tfjs (tests/contract/codegen.contract.test.ts), the
 * unit tests read the text (tests/unit/codegen-multi-output.test.ts). Each trains on tfjs's cpu backend.
 */
import type { Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';

/**
 * An LSTM with return_state whose states feed other layers: its output sequence and state_h start a GRU (initial
 * state), its state_c feeds a Dense. Outputs: the GRU's head and the Dense; the LSTM's own outputs are all read.
 */
export const statesRead = (): Graph =>
  buildGraph('states_read', (b) => {
    const seq = b.add('Input', { shape: [6, 3] }, 'seq');
    const enc = b.add('LSTM', { units: 4, return_sequences: true, return_state: true }, 'enc', [seq]);
    const gru = b.add('GRU', { units: 4 }, 'gru', [enc, { node: enc, output: 1 }]);
    b.add('Dense', { units: 2, activation: 'softmax' }, 'head', [gru]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'state_flag', [{ node: enc, output: 2 }]);
  });

/**
 * MultiHeadAttention with both call arguments (use_causal_mask, return_attention_scores): its output feeds a
 * classifier, its attention scores (batch, heads, T, S) a second head.
 */
export const attentionScores = (): Graph =>
  buildGraph('attention_scores', (b) => {
    const x = b.add('Input', { shape: [6, 8] }, 'tokens');
    const mha = b.add('MultiHeadAttention', { num_heads: 2, key_dim: 4, use_causal_mask: true, return_attention_scores: true }, 'mha', [x]);
    const pool = b.add('GlobalAveragePooling1D', {}, 'pool', [mha]);
    b.add('Dense', { units: 3, activation: 'softmax' }, 'label', [pool]);
    const flat = b.add('Flatten', {}, 'flat_scores', [{ node: mha, output: 1 }]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'score_flag', [flat]);
  });

/**
 * A shared LSTM with return_state called on two inputs (each call unpacks its own outputs; both state_h meet in a
 * Concatenate), a listed output `{ node, output }` (the second call's state_c, first in the model's outputs), and a
 * SimpleRNN with return_state that nothing reads, so both its tensors are model outputs.
 */
export const sharedStates = (): Graph => {
  let second = '';
  const g = buildGraph('shared_states', (b) => {
    const left = b.add('Input', { shape: [5, 3] }, 'left');
    const right = b.add('Input', { shape: [5, 3] }, 'right');
    const enc = b.add('LSTM', { units: 4, return_state: true }, 'enc', [left]);
    second = b.call(enc, [right]);
    const cat = b.add('Concatenate', {}, 'cat', [
      { node: enc, output: 1 },
      { node: second, output: 1 },
    ]);
    b.add('Dense', { units: 1, activation: 'sigmoid' }, 'same', [cat]);
    b.add('SimpleRNN', { units: 3, return_state: true }, 'summary_rnn', [left]);
  });
  return { ...g, outputs: [{ node: second, output: 2 }] };
};

/**
 * An LSTM with return_sequences and return_state that nothing reads: its three tensors are the model's outputs,
 * the sequence (batch, steps, units) next to the states (batch, units), so their losses have different shapes.
 */
export const sequenceAndStates = (): Graph =>
  buildGraph('sequence_and_states', (b) => {
    const x = b.add('Input', { shape: [5, 3] }, 'steps');
    b.add('LSTM', { units: 4, return_sequences: true, return_state: true }, 'lstm', [x]);
  });

/** The graphs above, by id. */
export const MULTI_OUTPUT_GRAPHS: readonly { id: string; build: () => Graph }[] = [
  { id: 'states-read', build: statesRead },
  { id: 'attention-scores', build: attentionScores },
  { id: 'shared-states', build: sharedStates },
  { id: 'sequence-and-states', build: sequenceAndStates },
];
