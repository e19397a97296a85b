// @vitest-environment jsdom
/**
 * Layers with several outputs on the canvas (issue 10): one labelled source handle per output (an LSTM with
 * return_state: output, state_h, state_c), a connection dragged from handle k reads output k (core Edge.output),
 * edges from output k start at that handle, and a refused connection shows its reason. React Flow runs in jsdom
 * with the browser layout APIs it needs mocked (React Flow's testing guide; docs in /work/shared/TOOLCHAIN.md),
 * and each handle placed by its id so the edge's start point tells which handle it left.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { buildGraph } from '../../src/core/templates/build';
import { analyze, edgeOutput, formatShape, type Graph } from '../../src/core';
import { encoderDecoder } from '../../src/core/templates/zoo';
import { useEditor } from '../../src/store/editor';
import { useUi } from '../../src/store/ui';
import { Canvas } from '../../src/canvas/Canvas';
import { outputHandleId, outputOfHandle } from '../../src/canvas/handles';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

/** Horizontal offset (px) of each mocked handle from its node's left edge, by handle id (null = the default handle). */
const HANDLE_X = (id: string | null): number => 20 + 100 * outputOfHandle(id);

beforeAll(() => installReactFlowDom(HANDLE_X));
afterAll(restoreReactFlowDom);

beforeEach(() => useUi.setState({ toasts: [] }));
afterEach(cleanup);

/** Input (5, 8) → LSTM(64, return_state) 'encoder', and a Dense 'dense' nothing feeds yet. */
const stateGraph = (): Graph =>
  buildGraph('m', (b) => {
    const x = b.add('Input', { shape: [5, 8] }, 'in');
    b.add('LSTM', { units: 64, return_state: true }, 'encoder', [x]);
    b.add('Dense', { units: 3 }, 'dense');
  });

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

const node = (name: string) => screen.getByTestId(`node-${name}`);
const sources = (name: string) => [...node(name).querySelectorAll('.react-flow__handle.source')];
const idOf = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;

/** Connects by clicking handle `from` then handle `to` (React Flow's click-to-connect: the same onConnect as a drag). */
function clickConnect(from: Element, to: Element) {
  act(() => fireEvent.click(from));
  act(() => fireEvent.click(to));
}

describe('canvas: a layer with several outputs', () => {
  it('shows one source handle per output, each labelled with its name and its shape; a one-output layer keeps its one default handle', () => {
    const g = stateGraph();
    show(g);
    const info = analyze(g).nodes.get(idOf('encoder'))!;
    const shapes = [info.outputShape!, ...info.moreOutputs];
    expect(shapes).toHaveLength(3);
    const handles = sources('encoder');
    expect(handles.map((h) => h.getAttribute('data-handleid'))).toEqual([null, 'out-1', 'out-2']);
    ['output', 'state_h', 'state_c'].forEach((name, k) => {
      const column = screen.getByTestId(`node-output-${k}`);
      expect(column.textContent).toBe(`${name}${formatShape(shapes[k])}`);
      expect(formatShape(shapes[k])).toBe('(None, 64)');
      // The handle is inside its own label's column.
      expect(column.contains(handles[k])).toBe(true);
    });
    // Dense: exactly one source handle, React Flow's default (no id), and no output labels.
    expect(sources('dense').map((h) => h.getAttribute('data-handleid'))).toEqual([null]);
    expect(node('dense').querySelector('[data-testid="node-outputs"]')).toBeNull();
    expect(node('dense').classList.contains('layer-node--outputs')).toBe(false);
  });

  it('turning return_state off leaves the node with one default handle', () => {
    show(stateGraph());
    expect(sources('encoder')).toHaveLength(3);
    act(() => void useEditor.getState().setParam(idOf('encoder'), 'return_state', false));
    expect(sources('encoder').map((h) => h.getAttribute('data-handleid'))).toEqual([null]);
    expect(screen.queryByTestId('node-outputs')).toBeNull();
  });

  it('connecting from handle 2 (state_c) makes an edge reading output 2, drawn from that handle with its shape', async () => {
    const { container } = show(stateGraph());
    clickConnect(sources('encoder')[2], node('dense').querySelector('.react-flow__handle.target')!);
    const edges = useEditor.getState().graph.edges;
    const e = edges.find((x) => x.target === idOf('dense'))!;
    expect(e).toBeDefined();
    expect(edgeOutput(e)).toBe(2);
    expect(useEditor.getState().graph.edges.find((x) => x.target === idOf('encoder'))!.output).toBeUndefined();
    // The edge starts at handle out-2: its path begins at that handle's x (+ half its 10 px width), not the default handle's.
    const start = async (id: string) =>
      waitFor(() => {
        const d = container.querySelector(`[data-testid="rf__edge-${id}"] path`)?.getAttribute('d');
        expect(d).toBeTruthy();
        return Number(/^M\s*([-\d.]+)/.exec(d!)![1]);
      });
    const encoderX = useEditor.getState().graph.nodes.find((n) => n.name === 'encoder')!.position.x;
    expect((await start(e.id)) - encoderX).toBe(HANDLE_X(outputHandleId(2)!) + 5);
    // The edge into the encoder (from the Input's one handle) starts at the default handle.
    const inEdge = edges.find((x) => x.target === idOf('encoder'))!;
    const inputX = useEditor.getState().graph.nodes.find((n) => n.name === 'in')!.position.x;
    expect((await start(inEdge.id)) - inputX).toBe(HANDLE_X(null) + 5);
    // Its label is the shape of state_c.
    const label = await waitFor(() => {
      const labels = screen.getAllByTestId('edge-label').map((l) => l.textContent);
      expect(labels).toHaveLength(2);
      return labels;
    });
    const shapeC = analyze(useEditor.getState().graph).edgeShapes.get(e.id)!;
    expect(label).toContain(formatShape(shapeC));
    // The LSTM reads one sequence: its input is not numbered (only once initial states make it several, as in the decoder).
    expect(label).toContain(formatShape(analyze(useEditor.getState().graph).edgeShapes.get(inEdge.id)!));
  });

  it('a refused connection shows its reason (the same state already feeds that layer)', () => {
    show(stateGraph());
    const target = () => node('dense').querySelector('.react-flow__handle.target')!;
    clickConnect(sources('encoder')[1], target());
    const before = useEditor.getState().graph;
    expect(before.edges.some((e) => e.output === 1)).toBe(true);
    clickConnect(sources('encoder')[1], target());
    expect(useEditor.getState().graph).toBe(before);
    const toasts = useUi.getState().toasts.map((t) => t.text);
    expect(toasts).toEqual(["'encoder' (state_h) is already connected to 'dense'."]);
  });

  it('draws the encoder-decoder template: the decoder reads state_h and state_c from the encoder handles 1 and 2', async () => {
    const g = encoderDecoder();
    const { container } = show(g);
    expect(sources('encoder')).toHaveLength(3);
    const encoder = g.nodes.find((n) => n.name === 'encoder')!;
    for (const e of g.edges.filter((x) => x.source === encoder.id)) {
      const d = await waitFor(() => {
        const v = container.querySelector(`[data-testid="rf__edge-${e.id}"] path`)?.getAttribute('d');
        expect(v).toBeTruthy();
        return v!;
      });
      expect(Number(/^M\s*([-\d.]+)/.exec(d)![1]) - encoder.position.x).toBe(HANDLE_X(outputHandleId(edgeOutput(e)) ?? null) + 5);
    }
    expect(
      g.edges
        .filter((x) => x.source === encoder.id)
        .map(edgeOutput)
        .sort(),
    ).toEqual([1, 2]);
    // Into the decoder (several inputs) the states' edges are labelled with their input position only, which fits
    // between handles side by side; the tooltip names the output and its shape (shown at the handle).
    const a = analyze(g);
    const labels = screen.getAllByTestId('edge-label').map((l) => [l.textContent, l.getAttribute('title')]);
    const decoderIns = g.edges.filter((x) => x.target === g.nodes.find((n) => n.name === 'decoder')!.id);
    expect(decoderIns).toHaveLength(3);
    for (const [i, e] of decoderIns.entries()) {
      const shape = formatShape(a.edgeShapes.get(e.id)!);
      if (e.source === encoder.id) expect(labels).toContainEqual([String(i + 1), `${i + 1}: ${['output', 'state_h', 'state_c'][edgeOutput(e)]} ${shape}`]);
      else expect(labels).toContainEqual([`${i + 1}: ${shape}`, `${i + 1}: ${shape}`]);
    }
  });
});

describe('canvas: other kinds with several outputs', () => {
  it('MultiHeadAttention with return_attention_scores and GRU with return_state label their outputs with their names and shapes', () => {
    const g = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [10, 16] }, 'in');
      b.add('MultiHeadAttention', { num_heads: 4, key_dim: 8, return_attention_scores: true }, 'mha', [x]);
      b.add('GRU', { units: 6, return_state: true }, 'gru', [x]);
    });
    const a = analyze(g);
    show(g);
    for (const [name, outputs] of [
      ['mha', ['output', 'attention_scores']],
      ['gru', ['output', 'state']],
    ] as const) {
      const info = a.nodes.get(idOf(name))!;
      const shapes = [info.outputShape!, ...info.moreOutputs];
      expect(shapes).toHaveLength(outputs.length);
      expect(sources(name)).toHaveLength(outputs.length);
      const columns = [...node(name).querySelectorAll('.layer-node__output')].map((c) => c.textContent);
      expect(columns).toEqual(outputs.map((o, k) => `${o}${formatShape(shapes[k])}`));
    }
  });
});

describe('canvas: state diagnostics', () => {
  it("shows shape/state on an LSTM given one of its two states, and edge/output on a layer reading a state return_state no longer gives, drawn from the source's one handle", async () => {
    // A graph as a file could hold it: 'lstm' (return_state off) read at output 1 by 'head'; 'decoder' gets only state_h.
    const g0 = buildGraph('m', (b) => {
      const x = b.add('Input', { shape: [5, 8] }, 'in');
      const enc = b.add('LSTM', { units: 4, return_state: true }, 'encoder', [x]);
      b.add('LSTM', { units: 4 }, 'decoder', [x, { node: enc, output: 1 }]);
      const plain = b.add('LSTM', { units: 4 }, 'lstm', [x]);
      b.add('Dense', { units: 2 }, 'head', [plain]);
    });
    const plain = g0.nodes.find((n) => n.name === 'lstm')!.id;
    const g: Graph = { ...g0, edges: g0.edges.map((e) => (e.source === plain ? { ...e, output: 1 } : e)) };
    const a = analyze(g);
    const diag = (name: string, code: string) => a.diagnostics.find((d) => d.code === code && d.nodeId === g.nodes.find((n) => n.name === name)!.id)!;
    const { container } = show(g);
    for (const [name, code] of [
      ['decoder', 'shape/state'],
      ['head', 'edge/output'],
    ]) {
      const d = diag(name, code);
      expect(d, `${code} on ${name}`).toBeDefined();
      expect(node(name).classList.contains('invalid')).toBe(true);
      expect(node(name).querySelector('.layer-node__error')!.textContent).toBe(d.message);
    }
    // The edge reading the missing output is still drawn, from the LSTM's one (default) handle.
    const e = g.edges.find((x) => x.source === plain)!;
    await waitFor(() => expect(container.querySelector(`[data-testid="rf__edge-${e.id}"] path`)).not.toBeNull());
    expect(sources('lstm').map((h) => h.getAttribute('data-handleid'))).toEqual([null]);
  });
});

describe('store connect with an output', () => {
  it('connects output k, and refuses an output the layer does not return with the reason, leaving the graph as it was', () => {
    useEditor.setState({ graph: stateGraph(), selection: { nodes: [], edges: [] } });
    const before = useEditor.getState().graph;
    expect(useEditor.getState().connect(idOf('encoder'), idOf('dense'), 3)).toBe("'encoder' (LSTM) has no output 4: it returns output, state_h, state_c.");
    expect(useEditor.getState().graph).toBe(before);
    expect(useEditor.getState().connect(idOf('encoder'), idOf('dense'), 1)).toBeNull();
    expect(useEditor.getState().graph.edges.at(-1)).toMatchObject({ source: idOf('encoder'), target: idOf('dense'), output: 1 });
  });
});

describe('handle ids', () => {
  it('output 0 keeps the default handle; output k is out-k and back', () => {
    expect(outputHandleId(0)).toBeUndefined();
    for (const k of [1, 2, 7]) expect(outputOfHandle(outputHandleId(k))).toBe(k);
    expect(outputOfHandle(null)).toBe(0);
    expect(outputOfHandle('something-else')).toBe(0);
  });
});
