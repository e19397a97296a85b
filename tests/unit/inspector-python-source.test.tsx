// @vitest-environment jsdom
/**
 * The inspector of a layer kept with its Python source (issue #12: an Opaque node with `python_source`) shows the
 * source read-only in a collapsible "Python source" block with the call the code made, and not as one-line fields;
 * a layer without kept source has no such block.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';

const SOURCE = 'from keras import ops\n\n\nclass Linear(keras.layers.Layer):\n    def call(self, x):\n        return ops.matmul(x, self.w)';

const select = (source: string) => {
  const g = buildGraph('m', (b) => {
    const x = b.add('Input', { shape: [4] }, 'in');
    b.add(
      'Opaque',
      {
        class_name: 'Linear',
        output_shape: [3],
        trainable_params: 15,
        python_source: source,
        python_args: JSON.stringify({ args: [], kwargs: [['units', '3']], name: true, unkept: [] }),
        layer_json: '{"config":{"name":"linear"}}',
      },
      'linear',
      [x],
    );
  });
  useEditor.setState({ graph: g, selection: { nodes: [g.nodes[1].id], edges: [] } });
};
afterEach(cleanup);

describe('Python source in the inspector', () => {
  it('shows the kept source read-only, closed at first, with the call, and no one-line source fields', () => {
    select(SOURCE);
    render(<Inspector />);
    const block = screen.getByTestId('inspector-python-source');
    expect(block.tagName).toBe('DETAILS');
    expect(block.hasAttribute('open')).toBe(false);
    expect(block.querySelector('summary')!.textContent).toBe('Python source');
    expect(block.querySelector('pre')!.textContent).toBe(SOURCE);
    expect(block.textContent).toContain('Called as Linear(units=3)');
    expect(screen.queryByLabelText('python_source')).toBeNull();
    expect(screen.queryByLabelText('python_args')).toBeNull();
    expect(screen.getByLabelText('class_name')).toBeTruthy();
  });

  it('a layer without kept source (from a Keras JSON file) has no block', () => {
    select('');
    render(<Inspector />);
    expect(screen.queryByTestId('inspector-python-source')).toBeNull();
  });
});
