// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { Palette } from '../../src/canvas/Palette';

const graph = () =>
  buildGraph('m', (b) => {
    const x = b.add('Input', { shape: [28, 28, 1] }, 'in');
    b.add('Conv2D', { filters: 32 }, 'conv', [x]);
  });

beforeEach(() => {
  const g = graph();
  useEditor.setState({ graph: g, selection: { nodes: [g.nodes[1].id], edges: [] } });
});
afterEach(cleanup);

const conv = () => useEditor.getState().graph.nodes[1];

describe('Inspector', () => {
  it('applies a valid value at once and shows the new output shape', () => {
    render(<Inspector />);
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 26, 26, 32)');
    fireEvent.change(screen.getByLabelText('filters'), { target: { value: '16' } });
    expect(conv().params.filters).toBe(16);
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 26, 26, 16)');
  });

  it('marks an invalid value red with the reason and keeps the last valid value', () => {
    render(<Inspector />);
    const field = screen.getByLabelText('filters');
    fireEvent.change(field, { target: { value: '0' } });
    expect(screen.getByRole('alert').textContent).toMatch(/filters must be ≥ 1 \(got 0\) — the model keeps 32/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(conv().params.filters).toBe(32);
    fireEvent.change(field, { target: { value: 'abc' } });
    expect(screen.getByRole('alert').textContent).toMatch(/must be a whole number/);
    expect(conv().params.filters).toBe(32);
  });

  it('broadcasts one number to a tuple, as Keras accepts kernel_size=5', () => {
    render(<Inspector />);
    fireEvent.change(screen.getByLabelText('kernel_size'), { target: { value: '5' } });
    expect(conv().params.kernel_size).toEqual([5, 5]);
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 24, 24, 32)');
  });

  it("shows the layer's MACs and output size, updated with its parameters", () => {
    render(<Inspector />);
    // 26×26 positions · 3·3·1·32.
    expect(screen.getByTestId('inspector-macs').textContent).toBe('194,688');
    expect(screen.getByTestId('inspector-size').textContent).toBe('21,632 values · 84.5 kB');
    fireEvent.change(screen.getByLabelText('filters'), { target: { value: '16' } });
    expect(screen.getByTestId('inspector-macs').textContent).toBe('97,344');
  });

  it('an empty nullable field says what None means for that parameter (pooling strides, Conv1DTranspose output_padding)', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [8, 2] }, 'in');
      b.add('MaxPooling1D', {}, 'pool', [x]);
      b.add('Conv1DTranspose', { filters: 2 }, 'deconv', [x]);
    });
    for (const [i, key, text] of [
      [1, 'strides', 'same as pool_size'],
      [2, 'output_padding', 'None: Keras chooses'],
    ] as const) {
      useEditor.setState({ graph: g, selection: { nodes: [g.nodes[i].id], edges: [] } });
      render(<Inspector />);
      expect(screen.getByLabelText(key).getAttribute('placeholder')).toBe(text);
      cleanup();
    }
  });

  it('refuses a duplicate name', () => {
    render(<Inspector />);
    fireEvent.change(screen.getByLabelText('name'), { target: { value: 'in' } });
    expect(screen.getByRole('alert').textContent).toMatch(/already named 'in'/);
    expect(conv().name).toBe('conv');
  });

  it('with nothing selected, lists the model totals and its problems', () => {
    useEditor.setState({ selection: { nodes: [], edges: [] } });
    render(<Inspector />);
    expect(screen.getByTestId('total-params').textContent).toBe('320');
    useEditor.getState().setParam(conv().id, 'kernel_size', [40, 40]);
    cleanup();
    render(<Inspector />);
    expect(screen.getByText(/kernel_size 40×40 is larger than its input 28×28/)).toBeTruthy();
  });
});

describe('Palette', () => {
  it('filters layer kinds by the search box and says when none match', () => {
    render(<Palette />);
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'maxpool' } });
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('data-kind'))).toEqual([
      'MaxPooling1D',
      'MaxPooling2D',
      'MaxPooling3D',
      'GlobalMaxPooling1D',
      'GlobalMaxPooling2D',
      'GlobalMaxPooling3D',
    ]);
    fireEvent.change(screen.getByLabelText('Search layers'), { target: { value: 'zzz' } });
    expect(screen.getByText(/No layer matches/)).toBeTruthy();
  });
});
