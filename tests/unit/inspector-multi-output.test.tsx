// @vitest-environment jsdom
/**
 * Layers with several outputs in the inspector and the summary (issue 10): a recurrent layer names its inputs
 * (sequence, then its initial states), lists every output with its shape, refuses turning return_state off while a
 * state feeds a layer with the reason shown at the field, and the summary prints a layer's outputs as Keras 3 does,
 * `[(None, 64), (None, 64), (None, 64)]`, with shapes tfjs gives for the same layer.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import * as tf from '@tensorflow/tfjs';
import { buildGraph } from '../../src/core/templates/build';
import { encoderDecoder } from '../../src/core/templates/zoo';
import { analyze, formatShape, summarize, type Graph, type Shape } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { SummaryPanel, summaryShape } from '../../src/panels/SummaryPanel';
import { inputNamesOf } from '../../src/canvas/handles';
import { cpuBackend } from '../helpers/tfjs';

beforeAll(cpuBackend);
afterEach(cleanup);

/** Input (5, 8) → LSTM(64, return_state) 'encoder' whose state_h feeds Dense(3) 'head'. */
const stateGraph = (): Graph =>
  buildGraph('m', (b) => {
    const x = b.add('Input', { shape: [5, 8] }, 'in');
    const enc = b.add('LSTM', { units: 64, return_state: true }, 'encoder', [x]);
    b.add('Dense', { units: 3 }, 'head', [{ node: enc, output: 1 }]);
  });

const select = (graph: Graph, name: string) => useEditor.setState({ graph, selection: { nodes: [graph.nodes.find((n) => n.name === name)!.id], edges: [] } });

/** The output shapes tfjs gives an LSTM(units, returnState) applied to a (None, steps, features) input (zeros recurrent weights: shapes only, without the slow orthogonal initializer). */
function tfjsLstmStates(units: number, steps: number | null, features: number): Shape[] {
  const out = tf.layers.lstm({ units, returnState: true, recurrentInitializer: 'zeros' }).apply(tf.input({ shape: [steps, features] })) as tf.SymbolicTensor[];
  return out.map((t) => t.shape);
}

describe('inspector: recurrent layers with states', () => {
  it("names a recurrent layer's inputs: the sequence, then its initial states (LSTM two, GRU one)", () => {
    select(stateGraph(), 'encoder');
    render(<Inspector />);
    expect(screen.getByTestId('inspector-inputs').textContent).toMatch(/^Inputs: sequence, initial state_h, initial state_c\. /);
    expect(inputNamesOf({ kind: 'GRU', params: { units: 4 } })).toEqual(['sequence', 'initial state']);
    expect(inputNamesOf({ kind: 'Dense', params: { units: 4 } })).toBeNull();
  });

  it('lists every output of an LSTM with return_state with the shapes tfjs gives', () => {
    select(stateGraph(), 'encoder');
    render(<Inspector />);
    const [out, h, c] = tfjsLstmStates(64, 5, 8).map(formatShape);
    expect(screen.getByTestId('inspector-shape').textContent).toBe(out);
    expect(screen.getByTestId('inspector-output-1').textContent).toBe(`state_h ${h}`);
    expect(screen.getByTestId('inspector-output-2').textContent).toBe(`state_c ${c}`);
  });

  it("labels the decoder's inputs: sequence, initial state_h, initial state_c", () => {
    const g = encoderDecoder();
    select(g, 'decoder');
    render(<Inspector />);
    const info = analyze(g).nodes.get(g.nodes.find((n) => n.name === 'decoder')!.id)!;
    const rows = [...screen.getByText(/^sequence/).parentElement!.children].map((d) => d.textContent);
    expect(rows).toEqual(['sequence', 'initial state_h', 'initial state_c'].map((n, i) => `${n} ${formatShape(info.inputShapes[i]!)}`));
  });

  it('turning return_state off while state_h feeds a layer is refused: the reason shows at the field, the box stays checked', () => {
    select(stateGraph(), 'encoder');
    render(<Inspector />);
    const box = screen.getByLabelText('return_state') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe(
      "'encoder' still feeds other layers from state_h, which return_state = false would take away: remove that connection first.",
    );
    expect(box.checked).toBe(true);
    expect(useEditor.getState().graph.nodes.find((n) => n.name === 'encoder')!.params.return_state).toBe(true);
  });
});

describe('summary: a layer with several outputs', () => {
  it("prints every output's shape as Keras 3 does, a list, with tfjs's shapes; connections name the tensor", () => {
    const g = encoderDecoder();
    useEditor.setState({ graph: g, selection: { nodes: [], edges: [] } });
    render(<SummaryPanel />);
    const row = screen.getAllByRole('row').find((r) => r.textContent?.startsWith('encoder (LSTM)'))!;
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
    // The encoder reads the (None, None, 64) embedding.
    const expected = `[${tfjsLstmStates(64, null, 64).map(formatShape).join(', ')}]`;
    expect(expected).toBe('[(None, 64), (None, 64), (None, 64)]');
    expect(cells[1]).toBe(expected);
    const decoder = screen.getAllByRole('row').find((r) => r.textContent?.startsWith('decoder (LSTM)'))!;
    expect(decoder.querySelectorAll('td')[3].textContent).toBe('decoder_embedding[0][0], encoder[0][1], encoder[0][2]');
    // A one-output layer keeps the plain tuple.
    const dense = screen.getAllByRole('row').find((r) => r.textContent?.startsWith('dense (Dense)'))!;
    expect(dense.querySelectorAll('td')[1].textContent).toBe(formatShape(analyze(g).nodes.get(g.nodes.find((n) => n.name === 'dense')!.id)!.outputShape!));
  });

  it('summaryShape: one output as a tuple, several as a list, a shared layer with different shapes as multiple', () => {
    const g = encoderDecoder();
    const rows = summarize(g, analyze(g)).rows;
    expect(summaryShape(rows.find((r) => r.name === 'encoder')!)).toBe('[(None, 64), (None, 64), (None, 64)]');
    expect(summaryShape(rows.find((r) => r.name === 'decoder')!)).toBe('(None, 64)');
    expect(summaryShape({ ...rows[0], outputShape: null, calls: 2 })).toBe('multiple');
    expect(summaryShape({ ...rows[0], outputShape: null, calls: 1 })).toBe('?');
  });
});
