// @vitest-environment jsdom
/**
 * Editing on the canvas (issue 13) in jsdom with React Flow's layout APIs mocked (as canvas-multi-output.test.tsx):
 * a right click on a layer, a connection or the empty canvas opens its menu with the first item focused; the items
 * act (Duplicate, Select upstream, Insert a layer here… through the searchable list, Select all); arrows move the
 * focus; Escape closes the menu without clearing the selection; Shift+F10 opens the menu of the selection; Group into a
 * block is its last item. A layer not connected yet says so quietly instead of in red (nodeProblems.ts); names
 * and errors cut on a node carry the full text as a tooltip.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { analyze, type Graph } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { useUi } from '../../src/store/ui';
import { Canvas } from '../../src/canvas/Canvas';
import { useContextMenu } from '../../src/canvas/ContextMenu';
import { outputOfHandle } from '../../src/canvas/handles';
import { denseChain } from '../helpers/graphs';
import { useShortcuts } from '../../src/app/shortcuts';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

/** Horizontal offset (px) of each mocked handle from its node's left edge, by handle id (null = the default handle). */
const HANDLE_X = (id: string | null): number => 20 + 100 * outputOfHandle(id);

beforeAll(() => installReactFlowDom(HANDLE_X));
afterAll(restoreReactFlowDom);

beforeEach(() => {
  useUi.setState({ toasts: [] });
  useContextMenu.getState().close();
});
afterEach(cleanup);

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

const flowNode = (id: string) => document.querySelector(`.react-flow__node[data-id="${id}"]`)!;
const flowEdge = (id: string) => document.querySelector(`.react-flow__edge[data-id="${id}"]`)!;
const item = (name: string | RegExp) => screen.getByRole('menuitem', { name });
const chain = (): Graph => {
  const g = denseChain(3);
  return { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * 150 } })) };
};

describe('context menu', () => {
  it('on a layer: opens on right click with the first item focused, arrows move, items act, Escape closes', async () => {
    show(chain());
    await act(async () => {
      fireEvent.contextMenu(flowNode('n2'), { clientX: 100, clientY: 100 });
    });
    const menu = screen.getByRole('menu', { name: 'Layer actions' });
    expect(useEditor.getState().selection.nodes).toEqual(['n2']);
    expect(document.activeElement).toBe(item('Delete'));
    fireEvent.keyDown(menu, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(item('Duplicate'));
    fireEvent.keyDown(menu, { key: 'End' });
    // The last item groups the selection into a block (blocks-canvas.test.tsx follows it).
    const group = item('Group into a block…');
    expect(document.activeElement).toBe(group);
    expect(group.getAttribute('aria-disabled')).toBeNull();
    fireEvent.keyDown(menu, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(useEditor.getState().selection.nodes).toEqual(['n2']);

    await act(async () => {
      fireEvent.contextMenu(flowNode('n2'), { clientX: 100, clientY: 100 });
    });
    fireEvent.click(item('Select upstream'));
    expect(useEditor.getState().selection.nodes).toEqual(['n0', 'n1', 'n2']);
    expect(screen.queryByRole('menu')).toBeNull();
    await act(async () => {
      fireEvent.contextMenu(flowNode('n1'), { clientX: 100, clientY: 100 });
    });
    // n1 is in the selection: the menu acts on all three.
    fireEvent.click(item('Duplicate'));
    expect(useEditor.getState().graph.nodes).toHaveLength(6);
  });

  it('on a layer: Call again makes a shared call; on an Input it is disabled with the reason', async () => {
    show(chain());
    await act(async () => {
      fireEvent.contextMenu(flowNode('n0'), { clientX: 10, clientY: 10 });
    });
    expect(item('Call again (shared layer)').title).toMatch(/is an Input/);
    fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
    await act(async () => {
      fireEvent.contextMenu(flowNode('n1'), { clientX: 10, clientY: 10 });
    });
    fireEvent.click(item('Call again (shared layer)'));
    expect(useEditor.getState().graph.nodes.filter((n) => n.layerOf === 'n1')).toHaveLength(1);
  });

  it('on a connection: Insert a layer here… lists the kinds, the search narrows it, Enter inserts', async () => {
    show(chain());
    await act(async () => {
      fireEvent.contextMenu(flowEdge('e2'), { clientX: 50, clientY: 50 });
    });
    expect(screen.getByRole('menu', { name: 'Connection actions' })).toBeTruthy();
    fireEvent.click(item('Insert a layer here…'));
    const search = screen.getByRole('searchbox', { name: 'Search the layer to insert' });
    expect(document.activeElement).toBe(search);
    // Inputs take no input: not offered for insertion.
    expect(screen.queryByRole('menuitem', { name: 'Input' })).toBeNull();
    fireEvent.change(search, { target: { value: 'dropout' } });
    expect(screen.getAllByRole('menuitem')[0].textContent).toBe('Dropout');
    fireEvent.keyDown(search, { key: 'Enter' });
    const g = useEditor.getState().graph;
    const added = g.nodes.find((n) => n.kind === 'Dropout')!;
    expect(g.edges.filter((e) => e.target === added.id).map((e) => e.source)).toEqual(['n1']);
    expect(g.edges.filter((e) => e.source === added.id).map((e) => e.target)).toEqual(['n2']);
    expect(screen.queryByRole('menu')).toBeNull();
  });

  it('on a connection: an insertion the layer cannot take is refused with the reason', async () => {
    show(chain());
    await act(async () => {
      fireEvent.contextMenu(flowEdge('e2'), { clientX: 50, clientY: 50 });
    });
    fireEvent.click(item('Insert a layer here…'));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Conv2D' }));
    expect(useEditor.getState().graph.nodes).toHaveLength(3);
    expect(useUi.getState().toasts.at(-1)?.text).toMatch(/^Conv2D cannot go on the connection dense → dense_1/);
  });

  it('on the canvas: Select all, Add layer…; Escape in the list goes back to the items', async () => {
    show(chain());
    const pane = document.querySelector('.react-flow__pane')!;
    await act(async () => {
      fireEvent.contextMenu(pane, { clientX: 300, clientY: 300 });
    });
    expect(screen.getByRole('menu', { name: 'Canvas actions' })).toBeTruthy();
    expect(item('Paste')).toBeTruthy();
    fireEvent.click(item('Add layer…'));
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Escape' });
    expect(item('Select all')).toBeTruthy();
    fireEvent.click(item('Select all'));
    expect(useEditor.getState().selection.nodes).toEqual(['n0', 'n1', 'n2']);
    await act(async () => {
      fireEvent.contextMenu(pane, { clientX: 300, clientY: 300 });
    });
    fireEvent.click(item('Add layer…'));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Flatten' }));
    expect(useEditor.getState().graph.nodes.map((n) => n.kind)).toContain('Flatten');
  });

  it('Shift+F10 opens the menu of the selection; a press outside closes it', async () => {
    show(chain());
    act(() => useEditor.getState().select({ nodes: ['n1'], edges: [] }));
    await act(async () => {
      fireEvent.keyDown(window, { key: 'F10', shiftKey: true });
    });
    expect(screen.getByRole('menu', { name: 'Layer actions' })).toBeTruthy();
    fireEvent.pointerDown(document.body);
    expect(screen.queryByRole('menu')).toBeNull();
  });
});

describe('a layer not connected yet', () => {
  const withLone = (params: Record<string, number> = {}): Graph => {
    const g = chain();
    return { ...g, nodes: [...g.nodes, { ...g.nodes[1], id: 'lone', name: 'lone', params: { ...g.nodes[1].params, ...params }, position: { x: 400, y: 0 } }] };
  };
  const view = (name: string) => screen.getByTestId(`node-${name}`);

  it('says so quietly instead of in red; its problems stay in the analysis', () => {
    const g = withLone();
    expect(analyze(g).diagnostics.some((d) => d.nodeId === 'lone' && d.severity === 'error')).toBe(true);
    show(g);
    expect(view('lone').classList.contains('invalid')).toBe(false);
    expect(view('lone').classList.contains('unwired')).toBe(true);
    expect(view('lone').textContent).toContain('Not connected yet');
    expect(view('lone').querySelector('.layer-node__error')).toBeNull();
  });

  it('a chain cut in two: the layer left without its input is red, the layers after it say quietly that no Input reaches them', () => {
    // input_layer → dense → dense_1 → dense_2 → dense_3, the edge into dense_1 removed.
    const g0 = denseChain(5);
    const g = { ...g0, nodes: g0.nodes.map((n, i) => ({ ...n, position: { x: 0, y: i * 150 } })), edges: g0.edges.filter((e) => e.target !== 'n2') };
    show(g);
    expect(view('dense_1').classList.contains('invalid')).toBe(true);
    expect(view('dense_1').querySelector('.layer-node__error')).not.toBeNull();
    for (const name of ['dense_2', 'dense_3']) {
      expect(analyze(g).diagnostics.some((d) => d.nodeId === view(name).closest('.react-flow__node')?.getAttribute('data-id') && d.severity === 'error')).toBe(
        true,
      );
      expect(view(name).classList.contains('invalid')).toBe(false);
      expect(view(name).classList.contains('unwired')).toBe(true);
      expect(view(name).textContent).toContain('No Input reaches it yet');
      expect(view(name).querySelector('.layer-node__error')).toBeNull();
    }
    // Connected again: no hint left.
    cleanup();
    show(g0);
    expect(view('dense_2').classList.contains('unwired')).toBe(false);
  });

  it('shows any other error in red at once, and a missing input in red once the layer has a connection', () => {
    show(withLone({ units: 0 }));
    expect(view('lone').classList.contains('invalid')).toBe(true);
    cleanup();
    // lone → add: both have a connection now; the Add lacks its second input (and no Input reaches it): red.
    const g = withLone();
    const add = { id: 'add', kind: 'Add', name: 'add', params: {}, position: { x: 400, y: 200 } };
    show({ ...g, nodes: [...g.nodes, add], edges: [...g.edges, { id: 'ea', source: 'lone', target: 'add' }] });
    expect(view('add').classList.contains('invalid')).toBe(true);
    expect(view('add').querySelector('.layer-node__error')!.getAttribute('title')).toMatch(/add/);
  });

  it('a long name is cut on the node with the full name as its tooltip', () => {
    const long = 'a_very_long_layer_name_that_does_not_fit_on_the_node_'.repeat(3);
    const g = chain();
    show({ ...g, nodes: g.nodes.map((n) => (n.id === 'n1' ? { ...n, name: long } : n)) });
    expect(view(long).querySelector('.layer-node__name')!.getAttribute('title')).toBe(long);
  });
});

describe('keyboard nudge', () => {
  function WithShortcuts() {
    useShortcuts();
    return null;
  }
  it('an arrow key on a focused, selected layer moves it once by the app step (React Flow does not nudge it too)', async () => {
    useEditor.setState({ graph: chain(), selection: { nodes: [], edges: [] } });
    render(
      <div style={{ width: 800, height: 600 }}>
        <ReactFlowProvider>
          <WithShortcuts />
          <Canvas />
        </ReactFlowProvider>
      </div>,
    );
    act(() => useEditor.getState().select({ nodes: ['n1'], edges: [] }));
    const el = flowNode('n1') as HTMLElement;
    el.focus();
    const x0 = useEditor.getState().graph.nodes[1].position.x;
    await act(async () => {
      fireEvent.keyDown(el, { key: 'ArrowRight' });
    });
    expect(useEditor.getState().graph.nodes[1].position.x - x0).toBe(10);
  });
});
