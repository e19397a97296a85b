// @vitest-environment jsdom
/**
 * Frozen layers in the editor (issue 12): the inspector's "Trainable" checkbox freezes and unfreezes the selected layer
 * (every call of a shared one) as one undo step and the model's Trainable / Non-trainable figures follow; it is not
 * offered for a layer without weights; a block's inspector freezes or unfreezes all its layers; the canvas marks a
 * frozen layer with a labelled ❄.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { analyze, groupIntoBlock, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor, undo, redo } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { Canvas } from '../../src/canvas/Canvas';
import { FROZEN_TITLE } from '../../src/canvas/LayerNodeView';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

beforeAll(() => installReactFlowDom());
afterAll(() => restoreReactFlowDom());
afterEach(cleanup);

/** x (6) → base (Dense 4) → drop (Dropout) → head (Dense 2), one layer every 150 px down. */
const model = (): Graph => {
  const g = buildGraph('m', (b) => {
    const x = b.add('Input', { shape: [6] }, 'x');
    const d = b.add('Dense', { units: 4 }, 'base', [x]);
    const dr = b.add('Dropout', { rate: 0.5 }, 'drop', [d]);
    b.add('Dense', { units: 2 }, 'head', [dr]);
  });
  return { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 0, y: 150 * i } })) };
};
const byName = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!;
const totals = () => analyze(useEditor.getState().graph).totals;

beforeEach(() => {
  useEditor.setState({ graph: model(), selection: { nodes: [], edges: [] } });
  useEditor.temporal.getState().clear();
});

describe('inspector', () => {
  it('the Trainable checkbox freezes the layer in one undo step, and the totals follow', () => {
    useEditor.setState({ selection: { nodes: [byName('base').id], edges: [] } });
    render(<Inspector />);
    const box = screen.getByLabelText('trainable') as HTMLInputElement;
    expect(box.checked).toBe(true);
    fireEvent.click(box);
    expect(byName('base').trainable).toBe(false);
    // Dense 6·4 + 4 = 28 frozen; the head's 4·2 + 2 = 10 still trained.
    expect(totals()).toEqual({ total: 38, trainable: 10, nonTrainable: 28 });
    expect((screen.getByLabelText('trainable') as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId('inspector-frozen-note').textContent).toMatch(/Frozen: its 28 weights are not trained/);
    undo();
    expect(byName('base').trainable).toBeUndefined();
    expect(totals().nonTrainable).toBe(0);
    redo();
    expect(byName('base').trainable).toBe(false);
  });

  it('is not offered for a layer without weights', () => {
    useEditor.setState({ selection: { nodes: [byName('drop').id], edges: [] } });
    render(<Inspector />);
    expect(screen.queryByTestId('inspector-trainable')).toBeNull();
  });

  it("the model overview's Trainable and Non-trainable lines follow", () => {
    useEditor.getState().setTrainable([byName('head').id], false);
    render(<Inspector />);
    const text = document.querySelector('.facts')!.textContent!;
    expect(text).toMatch(/Trainable28/);
    expect(text).toMatch(/Non-trainable10/);
  });

  it("a block's inspector freezes and unfreezes all its layers, one undo step each", () => {
    const g = useEditor.getState().graph;
    const r = groupIntoBlock(g, [byName('base').id, byName('drop').id], 'base_block');
    if (!r.ok) throw new Error(r.reason);
    const blocks = r.graph.blocks!.map((b) => ({ ...b, collapsed: true }));
    useEditor.setState({ graph: { ...r.graph, blocks }, selection: { nodes: [byName('base').id, byName('drop').id], edges: [] } });
    useEditor.temporal.getState().clear();
    render(<Inspector />);
    fireEvent.click(screen.getByRole('button', { name: 'Freeze all' }));
    expect(byName('base').trainable).toBe(false);
    expect(byName('drop').trainable).toBe(false);
    expect(screen.getByTestId('block-inspector-frozen').textContent).toMatch(/every layer/);
    expect(totals()).toEqual({ total: 38, trainable: 10, nonTrainable: 28 });
    fireEvent.click(screen.getByRole('button', { name: 'Unfreeze all' }));
    expect(totals().nonTrainable).toBe(0);
    undo();
    expect(totals().nonTrainable).toBe(28);
  });
});

const showCanvas = () =>
  render(
    <div style={{ width: 800, height: 600 }}>
      <ReactFlowProvider>
        <Canvas />
      </ReactFlowProvider>
    </div>,
  );

describe('canvas', () => {
  it('marks a collapsed nested model whose layers are frozen, saying whether all or some are', () => {
    const g = useEditor.getState().graph;
    const r = groupIntoBlock(g, [byName('base').id, byName('drop').id], 'base_block');
    if (!r.ok) throw new Error(r.reason);
    useEditor.setState({ graph: { ...r.graph, blocks: r.graph.blocks!.map((b) => ({ ...b, collapsed: true })) } });
    showCanvas();
    expect(screen.queryByTestId('block-frozen')).toBeNull();
    act(() => void useEditor.getState().setBlockTrainable(r.graph.blocks![0].id, false));
    expect(screen.getByTestId('block-frozen').getAttribute('title')).toMatch(/^Every layer frozen\./);
    act(() => void useEditor.getState().setTrainable([byName('drop').id], true));
    expect(screen.getByTestId('block-frozen').getAttribute('title')).toMatch(/^Some layers frozen\./);
  });

  it('marks a frozen layer with a labelled ❄, and only it', () => {
    useEditor.getState().setTrainable([byName('base').id], false);
    render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlowProvider>
          <Canvas />
        </ReactFlowProvider>
      </div>,
    );
    const marks = screen.getAllByTestId('node-frozen');
    expect(marks).toHaveLength(1);
    expect(marks[0].getAttribute('title')).toBe(FROZEN_TITLE);
    expect(marks[0].closest('[data-testid="node-base"]')).not.toBeNull();
  });
});
