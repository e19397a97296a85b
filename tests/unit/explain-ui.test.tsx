// @vitest-environment jsdom
/**
 * The explanations where a user reads a number (issue 11): the inspector's "How Keras computes this" for the
 * product classifier's first Conv2D (its window arithmetic and (3 × 3 × 3 + 1) × 32 = 896) and a
 * BatchNormalization (moving statistics non-trainable), and the canvas tooltips written on pointer enter: the edge
 * after that Conv2D, its node's shape and its parameter count. The numbers asserted are tfjs's own (same layer,
 * same input) and the literal texts the issue asks for.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import * as tf from '@tensorflow/tfjs';
import { templateById, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { Canvas } from '../../src/canvas/Canvas';
import { edgeTitle } from '../../src/inspector/Explanation';
import { cpuBackend } from '../helpers/tfjs';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

beforeAll(async () => {
  await cpuBackend();
  installReactFlowDom();
});
afterAll(restoreReactFlowDom);
afterEach(cleanup);

const product = () => templateById('product-classifier')!.build();
/** The first node of `kind` in `graph`. */
const first = (graph: Graph, kind: string) => graph.nodes.find((n) => n.kind === kind)!;

/** What tfjs gives a Conv2D(32, 3×3) on (64, 64, 3): output shape, parameter count, weight shapes. */
function tfjsConv() {
  const layer = tf.layers.conv2d({ filters: 32, kernelSize: 3 });
  const out = layer.apply(tf.input({ shape: [64, 64, 3] })) as tf.SymbolicTensor;
  return { shape: out.shape, count: layer.countParams(), weights: layer.weights.map((w) => w.shape) };
}

describe('inspector: How Keras computes this', () => {
  it("the product classifier's first Conv2D: each axis's arithmetic and the count, with tfjs's numbers", () => {
    const g = product();
    const conv = first(g, 'Conv2D');
    // The template's first Conv2D is the layer tfjsConv builds.
    expect([conv.params.filters, conv.params.kernel_size]).toEqual([32, [3, 3]]);
    const t = tfjsConv();
    expect([t.shape, t.count, t.weights]).toEqual([[null, 62, 62, 32], 896, [[3, 3, 3, 32], [32]]]);
    useEditor.setState({ graph: g, selection: { nodes: [conv.id], edges: [] } });
    render(<Inspector />);
    const box = screen.getByTestId('inspector-explain');
    expect(box.tagName).toBe('DETAILS');
    expect((box as HTMLDetailsElement).open).toBe(true);
    expect(within(box).getByText('How Keras computes this')).toBeTruthy();
    expect(screen.getByTestId('explain-shapes').textContent).toBe(`(None, 64, 64, 3) → (None, ${t.shape.slice(1).join(', ')})`);
    const steps = [...screen.getByTestId('explain-steps').querySelectorAll('li')].map((li) => li.textContent);
    expect(steps).toEqual([`height: ⌊(64 − 3) / 1⌋ + 1 = ${t.shape[1]}`, `width: ⌊(64 − 3) / 1⌋ + 1 = ${t.shape[2]}`, `channels: filters = ${t.shape[3]}`]);
    expect(steps[0]).toBe('height: ⌊(64 − 3) / 1⌋ + 1 = 62');
    expect(screen.getByTestId('explain-count').textContent).toBe(`kernel 3 × 3 × 3 × 32 = 864 + bias 32 = ${t.count}`);
    const rows = [...screen.getByTestId('explain-weights').querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['kernel', `(${t.weights[0].join(', ')})`, '864'],
      ['bias', '(32,)', '32'],
    ]);
    expect(box.textContent).not.toMatch(/NaN|undefined|\[object|function /);
  });

  it('BatchNormalization lists gamma and beta as trainable and the moving statistics as non-trainable, as tfjs does', () => {
    const layer = tf.layers.batchNormalization();
    layer.apply(tf.input({ shape: [7, 7, 64] }));
    const frozen = layer.nonTrainableWeights.map((w) => w.originalName.split('/').pop());
    expect(frozen).toEqual(['moving_mean', 'moving_variance']);
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [7, 7, 64] }, 'in');
      b.add('BatchNormalization', {}, 'bn', [x]);
    });
    useEditor.setState({ graph: g, selection: { nodes: [g.nodes[1].id], edges: [] } });
    render(<Inspector />);
    const rows = [...screen.getByTestId('explain-weights').querySelectorAll('tbody tr')];
    const frozenRows = rows.filter((r) => r.textContent!.includes('non-trainable')).map((r) => r.querySelector('td')!.textContent);
    expect(frozenRows).toEqual(frozen);
    expect(rows.length - frozenRows.length).toBe(layer.trainableWeights.length);
    expect(screen.getByTestId('explain-count').textContent).toBe(
      `gamma 64 + beta 64 + moving_mean 64 (non-trainable) + moving_variance 64 (non-trainable) = ${layer.countParams()}`,
    );
    // The shape passes through: no step, and it says so.
    expect(screen.queryByTestId('explain-steps')).toBeNull();
    expect(screen.getByTestId('inspector-explain').textContent).toContain('every axis keeps its input size');
  });

  it('an Input shows its shape only; closing the section keeps it closed for the next layer', () => {
    const g = product();
    useEditor.setState({ graph: g, selection: { nodes: [g.nodes[0].id], edges: [] } });
    render(<Inspector />);
    const box = screen.getByTestId('inspector-explain') as HTMLDetailsElement;
    expect(screen.getByTestId('explain-shapes').textContent).toBe('Output (None, 64, 64, 3)');
    expect(screen.queryByTestId('explain-weights')).toBeNull();
    expect(box.textContent).not.toContain('No weights');
    box.open = false;
    fireEvent(box, new Event('toggle'));
    useEditor.setState({ selection: { nodes: [first(g, 'Conv2D').id], edges: [] } });
    expect((screen.getByTestId('inspector-explain') as HTMLDetailsElement).open).toBe(false);
  });
});

describe('canvas tooltips, written on pointer enter', () => {
  function show(graph: Graph) {
    useEditor.setState({ graph, selection: { nodes: [], edges: [] } });
    return render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
      </div>,
    );
  }

  it("the edge after the first Conv2D: its shape, then the Conv2D's arithmetic", () => {
    const g = product();
    const conv = first(g, 'Conv2D');
    show(g);
    const t = tfjsConv();
    const shape = `(None, ${t.shape.slice(1).join(', ')})`;
    const label = screen.getAllByTestId('edge-label').find((l) => l.textContent === shape)!;
    expect(label).toBeDefined();
    // Before the pointer enters, only the shape (nothing computed while drawing).
    expect(label.title).toBe(shape);
    fireEvent.pointerEnter(label);
    expect(label.title.split('\n')).toEqual([
      shape,
      `${conv.name} (Conv2D): (None, 64, 64, 3) → ${shape}`,
      'height: ⌊(64 − 3) / 1⌋ + 1 = 62',
      `width: ⌊(64 − 3) / 1⌋ + 1 = ${t.shape[2]}`,
      `channels: filters = ${t.shape[3]}`,
    ]);
  });

  it("the Conv2D node's shape gives its steps, its parameter count the count text", () => {
    const g = product();
    const conv = first(g, 'Conv2D');
    show(g);
    const node = screen.getByTestId(`node-${conv.name}`);
    const shape = within(node).getByTestId('node-shape');
    fireEvent.pointerEnter(shape);
    expect(shape.title).toContain('height: ⌊(64 − 3) / 1⌋ + 1 = 62');
    expect(shape.title).toContain('Output: 123,008 values per sample'); // 62 × 62 × 32, the size line kept
    const params = within(node).getByTestId('node-params');
    fireEvent.pointerEnter(params);
    expect(params.title.split('\n')[0]).toBe(`kernel 3 × 3 × 3 × 32 = 864 + bias 32 = ${tfjsConv().count}`);
    expect(params.title.split('\n')[1]).toMatch(/^Parameters \(weights\): .* of the model's 822,922$/);
  });
});

describe('edgeTitle: the edge tooltip for a layer with several outputs', () => {
  it('output 0 (the sequence) gets the LSTM’s steps; state_h (output 1) its own name, shape and arithmetic', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [5, 8] }, 'in');
      const enc = b.add('LSTM', { units: 64, return_state: true }, 'encoder', [x]);
      b.add('Dense', { units: 3 }, 'from_output', [enc]);
      b.add('Dense', { units: 3 }, 'from_state', [{ node: enc, output: 1 }]);
    });
    const byName = (n: string) => g.nodes.find((x) => x.name === n)!.id;
    const edgeTo = (n: string) => g.edges.find((e) => e.target === byName(n))!.id;
    // tfjs: LSTM(64, returnState) gives [output, state_h, state_c], each (None, 64).
    const outs = tf.layers.lstm({ units: 64, returnState: true, recurrentInitializer: 'zeros' }).apply(tf.input({ shape: [5, 8] })) as tf.SymbolicTensor[];
    expect(outs.map((o) => o.shape)).toEqual([
      [null, 64],
      [null, 64],
      [null, 64],
    ]);
    const first = edgeTitle(g, edgeTo('from_output'), '(None, 64)').split('\n');
    expect(first.slice(0, 2)).toEqual(['(None, 64)', 'encoder (LSTM): (None, 5, 8) → (None, 64)']);
    expect(first[2]).toMatch(/^features: .* = 64/);
    expect(edgeTitle(g, edgeTo('from_state'), 'state_h (None, 64)').split('\n')).toEqual([
      'state_h (None, 64)',
      'encoder (LSTM), output 1 state_h: (None, 64)',
      'state_h: the final state, (batch, units) = (None, 64)',
    ]);
    expect(edgeTitle(g, 'no-such-edge', '(None, 64)')).toBe('(None, 64)');
  });
});
