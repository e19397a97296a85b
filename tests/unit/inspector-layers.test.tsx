// @vitest-environment jsdom
/** The inspector's fields for the parameter schemas added in issue #3, and the palette's new categories. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { CATEGORIES, type Params } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { Palette } from '../../src/canvas/Palette';

/** Selects a layer of `kind` fed by an Input of `shape`. */
function show(kind: string, params: Params, shape: number[]) {
  const g = buildGraph('m', (b) => void b.add(kind, params, 'layer', [b.add('Input', { shape }, 'in')]));
  useEditor.setState({ graph: g, selection: { nodes: [g.nodes[1].id], edges: [] } });
  render(<Inspector />);
}
const layer = () => useEditor.getState().graph.nodes[1];
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

afterEach(cleanup);

describe('Inspector fields for the new parameter kinds', () => {
  it('a list with a −1 (Reshape target_shape)', () => {
    show('Reshape', {}, [3, 4]);
    type('target_shape', '2, -1');
    expect(layer().params.target_shape).toEqual([2, -1]);
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 2, 6)');
    type('target_shape', '-1, -1');
    expect(screen.getByRole('alert').textContent).toMatch(/at most one −1/);
    expect(layer().params.target_shape).toEqual([2, -1]);
  });

  it('an optional number: empty means none (ReLU max_value)', () => {
    show('ReLU', { max_value: 6 }, [4]);
    const field = screen.getByLabelText('max_value') as HTMLInputElement;
    expect(field.placeholder).toBe('none');
    type('max_value', '');
    expect(layer().params.max_value).toBeNull();
  });

  it('one number per group of a grouped tuple (ZeroPadding2D: rows, columns)', () => {
    show('ZeroPadding2D', {}, [4, 4, 1]);
    type('padding', '1, 2');
    expect(layer().params.padding).toEqual([1, 1, 2, 2]);
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 6, 8, 1)');
  });

  it('a fixed value is read-only with the reason (ELU alpha)', () => {
    show('ELU', {}, [4]);
    const field = screen.getByLabelText('alpha') as HTMLInputElement;
    expect(field.readOnly).toBe(true);
    expect(field.title).toMatch(/tfjs 4.22’s ELU layer supports only alpha = 1/);
  });

  it('GRU reset_after is a choice (Layerlab runs True with its own class): ticking it sets it and adds the second bias', () => {
    show('GRU', { units: 4 }, [5, 2]);
    const box = screen.getByLabelText('reset_after') as HTMLInputElement;
    expect(box.disabled).toBe(false);
    fireEvent.click(box);
    expect(layer().params.reset_after).toBe(true);
  });

  it('a wrapper: the wrapped kind is a choice, and parameters the kind lacks are hidden', () => {
    show('Bidirectional', {}, [5, 2]);
    expect(screen.getByLabelText('recurrent_activation')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('layer'), { target: { value: 'SimpleRNN' } });
    expect(layer().params.layer).toBe('SimpleRNN');
    expect(screen.queryByLabelText('recurrent_activation')).toBeNull();
    type('units', '4');
    expect(screen.getByTestId('inspector-shape').textContent).toBe('(None, 8)');
  });

  it('a warning is listed apart from errors', () => {
    show('BatchNormalization', { center: false }, [4]);
    const item = screen.getByText(/cannot train BatchNormalization with center off/);
    expect(item.className).toBe('diag-warning');
  });
});

describe('Palette', () => {
  it('lists every category in order, and names layers tfjs cannot build', () => {
    render(<Palette />);
    const headings = screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings).toEqual([...CATEGORIES]);
    expect(screen.getByText(/RMSNormalization/)).toBeTruthy();
    // Layerlab's custom layers are offered (each once, as a layer), no longer listed as missing.
    for (const kind of ['Resizing', 'CenterCrop', 'GroupNormalization', 'UnitNormalization', 'Identity', 'Subtract'])
      expect(screen.getByText(kind)).toBeTruthy();
    expect(screen.queryByText(/Resizing and CenterCrop/)).toBeNull();
  });
});
