// @vitest-environment jsdom
/**
 * Blocks (Keras nested models) in the editor (issue 13): the store's block actions (group the selection, ungroup,
 * collapse / expand, repeat ×N as calls or copies, flatten all), each one undo step and refused with the core's
 * reason; the canvas's mapping of a collapsed block (blockView.ts: its layers hidden, connections re-routed to the
 * block's handles, the node at its layers' top left) and of an expanded one (a frame around its layers); and the
 * canvas in jsdom (React Flow's layout APIs mocked): the block node with its class, name, summed parameters and
 * port shapes, double click and the chevrons, the context menu's Group into a block… and Repeat ×N… dialogs.
 * Parameter counts are asked of tfjs (the runtime's buildModel on the flat graph, cpu backend).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, autoLayout, formatCount, importKerasJson, nodeSize, summarize, type Graph } from '../../src/core';
import { FLATTEN_LABEL, showImportBanner } from '../../src/canvas/BlockBanner';
import { structure } from '../helpers/graphs';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor, undo, freeBlockName, BLOCK_NODE_SIZE, FRAME_FOOTER_ROOM } from '../../src/store/editor';
import { layoutCollapsed } from '../../src/canvas/blockLayout';
import { useUi } from '../../src/store/ui';
import { Canvas, connectOnCanvas } from '../../src/canvas/Canvas';
import { useContextMenu } from '../../src/canvas/ContextMenu';
import { useBlockDialog } from '../../src/canvas/BlockDialog';
import {
  blockInputHandle,
  blockOutputHandle,
  blockPlacement,
  blockRouting,
  DEFAULT_NODE_SIZE,
  FRAME_FOOTER,
  FRAME_PAD,
  frameMinWidth,
  membersMoved,
} from '../../src/canvas/blockView';
import { buildModel, disposeModel } from '../../src/runtime/buildModel';
import { cpuBackend } from '../helpers/tfjs';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';

beforeAll(async () => {
  installReactFlowDom();
  await cpuBackend();
});
afterAll(restoreReactFlowDom);
beforeEach(() => {
  useUi.setState({ toasts: [] });
  useContextMenu.getState().close();
  useBlockDialog.getState().close();
});
afterEach(cleanup);

/** x (8) → d1 → d2 → add(x, d2) → out, one layer every 150 px down. */
const residual = (): Graph => {
  const g = buildGraph('res', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    const d1 = b.add('Dense', { units: 8, activation: 'relu' }, 'd1', [x]);
    const d2 = b.add('Dense', { units: 8 }, 'd2', [d1]);
    const add = b.add('Add', {}, 'add', [x, d2]);
    b.add('Dense', { units: 2 }, 'out', [add]);
  });
  return { ...g, nodes: g.nodes.map((n, i) => ({ ...n, position: { x: 100, y: i * 150 } })) };
};

const idOf = (name: string, g: Graph = useEditor.getState().graph) => g.nodes.find((n) => n.name === name)!.id;
const past = () => useEditor.temporal.getState().pastStates.length;
const total = (g: Graph) => analyze(g).totals.total;

/** The editor on `graph` with the layers `names` selected and an empty history. */
function start(graph: Graph, names: readonly string[] = []) {
  useEditor.setState({ graph, selection: { nodes: names.map((n) => idOf(n, graph)), edges: [] } });
  useEditor.temporal.getState().clear();
}

/** tfjs's parameter count of the layers `names` of the flat graph (the nested model's layers, counted by tfjs). */
function tfjsCountOf(g: Graph, names: readonly string[]): number {
  const m = buildModel(tf, g);
  const n = names.reduce((s, name) => s + m.getLayer(name).countParams(), 0);
  disposeModel(tf, m);
  return n;
}

type Box = { id: string; x: number; y: number; w: number; h: number };
/** What the canvas draws of `g`, as boxes: each visible layer (core nodeSize) and each collapsed block's node (BLOCK_NODE_SIZE). */
function drawnBoxes(g: Graph): Box[] {
  const r = blockRouting(g);
  const p = blockPlacement(g, r, () => undefined);
  const layers = g.nodes.filter((n) => !r.hiddenIn.has(n.id)).map((n) => ({ id: n.name, ...n.position, w: nodeSize(n).width, h: nodeSize(n).height }));
  const blocks = [...p.nodes].map(([id, at]) => ({ id: `block ${id}`, ...at, w: BLOCK_NODE_SIZE.width, h: BLOCK_NODE_SIZE.height }));
  return [...layers, ...blocks];
}
/** The pairs of drawn boxes of `g` that overlap (none expected). */
function overlaps(g: Graph): string[] {
  const b = drawnBoxes(g);
  const out: string[] = [];
  for (let i = 0; i < b.length; i++)
    for (let j = i + 1; j < b.length; j++)
      if (b[i].x < b[j].x + b[j].w && b[j].x < b[i].x + b[i].w && b[i].y < b[j].y + b[j].h && b[j].y < b[i].y + b[i].h) out.push(`${b[i].id} / ${b[j].id}`);
  return out;
}

/** Groups d1, d2 and add of the residual graph into block 'res_block' through the store; returns its id. */
function groupResidual(): string {
  start(residual(), ['d1', 'd2', 'add']);
  expect(useEditor.getState().groupSelection('res_block')).toBeNull();
  return useEditor.getState().graph.blocks![0].id;
}

describe('store: block actions', () => {
  it('groups the selection into a collapsed block in one undo step; the summary row sums what tfjs counts for its layers', () => {
    const before = residual();
    const id = groupResidual();
    const g = useEditor.getState().graph;
    expect(g.blocks).toEqual([{ id, name: 'res_block', collapsed: true }]);
    expect(g.nodes.filter((n) => n.block === id).map((n) => n.name)).toEqual(['d1', 'd2', 'add']);
    expect(useEditor.getState().selection.nodes).toEqual(['d1', 'd2', 'add'].map((n) => idOf(n)));
    expect(past()).toBe(1);
    const row = summarize(g, analyze(g)).rows.find((r) => r.name === 'res_block')!;
    expect(row.className).toBe('Functional');
    expect(row.params).toBe(tfjsCountOf(before, ['d1', 'd2', 'add']));
    expect(total(g)).toBe(total(before));
    undo();
    expect(useEditor.getState().graph.blocks ?? []).toEqual([]);
  });

  it('refuses with the core reason and changes nothing: an Input in the selection, a name Keras refuses, a taken name', () => {
    const g = residual();
    start(g, ['x', 'd1']);
    expect(useEditor.getState().groupSelection('blk')).toMatch(/'x' is an Input/);
    start(g, ['d1', 'd2']);
    expect(useEditor.getState().groupSelection('my block')).toMatch(/my block/);
    expect(useEditor.getState().groupSelection('out')).toMatch(/'out' is already the name of a layer or a block/);
    start(g, ['d1', 'out']);
    expect(useEditor.getState().groupSelection('blk')).toMatch(/not connected/);
    expect(useEditor.getState().graph).toBe(g);
    expect(past()).toBe(0);
  });

  it('offers a free block name: block, then block_1', () => {
    expect(freeBlockName(residual())).toBe('block');
    start(residual(), ['d1', 'd2']);
    useEditor.getState().groupSelection(freeBlockName(useEditor.getState().graph));
    expect(freeBlockName(useEditor.getState().graph)).toBe('block_1');
  });

  it('collapses and expands in one undo step each, and does nothing when already so', () => {
    const id = groupResidual();
    const s = useEditor.getState();
    s.setBlockCollapsed(id, true);
    expect(past()).toBe(1);
    s.setBlockCollapsed(id, false);
    expect(useEditor.getState().graph.blocks![0].collapsed).toBeUndefined();
    expect(past()).toBe(2);
    undo();
    expect(useEditor.getState().graph.blocks![0].collapsed).toBe(true);
  });

  it('ungroups: the layers join the outer model, the total stays', () => {
    const id = groupResidual();
    const before = total(useEditor.getState().graph);
    expect(useEditor.getState().ungroupBlock(id)).toBeNull();
    const g = useEditor.getState().graph;
    expect(g.blocks).toBeUndefined();
    expect(g.nodes.some((n) => n.block !== undefined)).toBe(false);
    expect(total(g)).toBe(before);
    expect(useEditor.getState().ungroupBlock('nope')).toBe('No such block.');
  });

  it('repeats ×2 as calls: shared weights (total unchanged), drawn collapsed like the block, the layers below moved out of the way', () => {
    const id = groupResidual();
    const g0 = useEditor.getState().graph;
    const outY = g0.nodes.find((n) => n.name === 'out')!.position.y;
    expect(useEditor.getState().repeatBlock(id, 2, 'calls')).toBeNull();
    const g = useEditor.getState().graph;
    expect(past()).toBe(2);
    expect(g.blocks!.map((b) => [b.name, b.callOf ?? null, b.collapsed ?? false])).toEqual([
      ['res_block', null, true],
      ['res_block', id, true],
      ['res_block', id, true],
    ]);
    expect(total(g)).toBe(total(g0));
    const m = buildModel(tf, g);
    expect(m.countParams()).toBe(total(g));
    disposeModel(tf, m);
    // Three block nodes in a column above 'out', which moved down; nothing drawn overlaps.
    const boxes = drawnBoxes(g);
    const out = boxes.find((b) => b.id === 'out')!;
    expect(out.y).toBeGreaterThan(outY);
    const blockYs = boxes.filter((b) => b.id.startsWith('block ')).map((b) => b.y);
    expect(blockYs).toHaveLength(3);
    expect(Math.max(...blockYs)).toBeLessThan(out.y);
    expect(overlaps(g)).toEqual([]);
    // The summary lists the nested model on one row, called three times: on x, then on its own outputs.
    const row = summarize(g, analyze(g)).rows.find((r) => r.name === 'res_block')!;
    expect(row.connectedTo).toEqual(['x[0][0]', 'res_block[0][0]', 'res_block[1][0]']);
  });

  it('repeats ×1 as copies: weights of their own (tfjs counts the block twice)', () => {
    const id = groupResidual();
    const g0 = useEditor.getState().graph;
    expect(useEditor.getState().repeatBlock(id, 1, 'copies')).toBeNull();
    const g = useEditor.getState().graph;
    const blockParams = tfjsCountOf(g0, ['d1', 'd2', 'add']);
    const m = buildModel(tf, g);
    expect(m.countParams()).toBe(total(g0) + blockParams);
    disposeModel(tf, m);
    expect(g.blocks!.map((b) => b.name)).toEqual(['res_block', 'res_block_1']);
  });

  it('repeats of an expanded block are a layout gap (56 px) apart, and nothing overlaps', () => {
    const id = groupResidual();
    useEditor.getState().setBlockCollapsed(id, false);
    useEditor.getState().repeatBlock(id, 2, 'copies');
    const g = useEditor.getState().graph;
    const spans = g.blocks!.map((b) => {
      const ms = g.nodes.filter((n) => n.block === b.id);
      return [Math.min(...ms.map((n) => n.position.y)), Math.max(...ms.map((n) => n.position.y + nodeSize(n).height))];
    });
    for (let k = 1; k < spans.length; k++) expect(spans[k][0] - spans[k - 1][1]).toBe(56);
    expect(overlaps(g)).toEqual([]);
  });

  it('refuses a repeat the core refuses, with its reason: a count out of range, an output shape other than the input shape', () => {
    const id = groupResidual();
    expect(useEditor.getState().repeatBlock(id, 0, 'calls')).toMatch(/whole number from 1 to 100 \(got 0\)/);
    start(residual(), ['out']);
    useEditor.getState().groupSelection('head');
    const g = useEditor.getState().graph;
    expect(useEditor.getState().repeatBlock(g.blocks![0].id, 2, 'calls')).toMatch(/Block 'head' turns \(None, 8\) into \(None, 2\)/);
    expect(useEditor.getState().graph).toBe(g);
  });

  it('flattens every block in one undo step; further calls stay shared layers, the total stays', () => {
    const id = groupResidual();
    useEditor.getState().repeatBlock(id, 2, 'calls');
    const g0 = useEditor.getState().graph;
    const steps = past();
    useEditor.getState().flattenBlocks();
    const g = useEditor.getState().graph;
    expect(g.blocks).toBeUndefined();
    expect(g.nodes.filter((n) => n.layerOf).length).toBe(6);
    expect(total(g)).toBe(total(g0));
    expect(past()).toBe(steps + 1);
  });
});

describe('store: collapsing closes the room of the block, expanding opens it', () => {
  it('grouping collapses and moves the layers below up (no overlap); expanding opens the room again, collapsing closes it', () => {
    const g0 = residual();
    const id = groupResidual();
    const g = useEditor.getState().graph;
    const y = (gr: Graph, name: string) => gr.nodes.find((n) => n.name === name)!.position.y;
    // The block's layers span 150 … 450 + a node's height; collapsed it takes BLOCK_NODE_SIZE.height: out moves up by the difference.
    expect(y(g, 'out')).toBe(y(g0, 'out') - (450 + nodeSize(g0.nodes[0]).height - 150 - BLOCK_NODE_SIZE.height));
    expect(overlaps(g)).toEqual([]);
    // Expanded: the layers where they were, 'out' FRAME_FOOTER_ROOM lower (room for the frame's title bar under them).
    useEditor.getState().setBlockCollapsed(id, false);
    const e = useEditor.getState().graph;
    expect(e.nodes.map((n) => [n.name, n.position.y])).toEqual(g0.nodes.map((n) => [n.name, n.position.y + (n.name === 'out' ? FRAME_FOOTER_ROOM : 0)]));
    expect(overlaps(e)).toEqual([]);
    // Collapsed again: as grouping left it.
    useEditor.getState().setBlockCollapsed(id, true);
    expect(useEditor.getState().graph.nodes.map((n) => n.position)).toEqual(g.nodes.map((n) => n.position));
  });

  it('collapsing never moves a layer onto one beside the block', () => {
    // A side layer 'side' (fed by x) beside the block, in out's column: out may move up only to 40 px under it.
    const g0 = residual();
    const side = { id: 'side', kind: 'Dense', name: 'side', params: { ...g0.nodes[1].params }, position: { x: 100, y: 400 } };
    const g1: Graph = {
      ...g0,
      nodes: [...g0.nodes.slice(0, 4).map((n) => ({ ...n, position: { x: n.name === 'x' ? 100 : 400, y: n.position.y } })), side, g0.nodes[4]],
      edges: [...g0.edges, { id: 'es', source: g0.nodes[0].id, target: 'side' }],
    };
    start(g1, ['d1', 'd2', 'add']);
    useEditor.getState().groupSelection('res_block');
    const g = useEditor.getState().graph;
    expect(g.nodes.find((n) => n.name === 'out')!.position.y).toBe(400 + nodeSize(side).height + 40);
    expect(overlaps(g)).toEqual([]);
  });

  it('ungroup and flatten make the room of collapsed blocks again: nothing overlaps', () => {
    const id = groupResidual();
    useEditor.getState().repeatBlock(id, 2, 'calls');
    expect(overlaps(useEditor.getState().graph)).toEqual([]);
    useEditor.getState().flattenBlocks();
    expect(overlaps(useEditor.getState().graph)).toEqual([]);
    groupResidual();
    useEditor.getState().ungroupBlock(useEditor.getState().graph.blocks![0].id);
    expect(overlaps(useEditor.getState().graph)).toEqual([]);
  });

  it('an opened file: the outer model laid out around collapsed block nodes, each block laid out inside; expanding makes room', async () => {
    const text = readFileSync(join(import.meta.dirname, '../fixtures/keras/keras3_nested_calls.json'), 'utf8');
    const r = importKerasJson(text, { layout: false });
    if (!r.ok) throw new Error(r.reason);
    const g = await layoutCollapsed(r.graph, (x) => autoLayout(x));
    expect(g.blocks!.every((b) => b.collapsed)).toBe(true);
    expect(overlaps(g)).toEqual([]);
    start(g);
    for (const b of g.blocks!) useEditor.getState().setBlockCollapsed(b.id, false);
    expect(overlaps(useEditor.getState().graph)).toEqual([]);
  });
});

describe('Layout with blocks', () => {
  for (const direction of ['TB', 'LR'] as const)
    it(`lays each block out as one node, its layers inside; expanded ones make their room (${direction})`, async () => {
      // Two blocks: 'first' (d1, d2) expanded, 'head' (out) collapsed.
      start(residual(), ['d1', 'd2']);
      useEditor.getState().groupSelection('first');
      const first = useEditor.getState().graph.blocks![0].id;
      useEditor.getState().setBlockCollapsed(first, false);
      useEditor.getState().select({ nodes: [idOf('out')], edges: [] });
      useEditor.getState().groupSelection('head');
      const g = await layoutCollapsed(useEditor.getState().graph, (x) => autoLayout(x, direction), direction, false);
      expect(g.blocks!.map((b) => [b.name, !!b.collapsed])).toEqual([
        ['first', false],
        ['head', true],
      ]);
      expect(overlaps(g)).toEqual([]);
      // No layer of the outer model inside the expanded block's frame.
      const [frame] = blockPlacement(g, blockRouting(g), () => undefined).frames;
      for (const n of g.nodes.filter((x) => x.block === undefined)) {
        const inside =
          n.position.x + nodeSize(n).width > frame.position.x &&
          n.position.x < frame.position.x + frame.width &&
          n.position.y + nodeSize(n).height > frame.position.y &&
          n.position.y < frame.position.y + frame.height;
        expect(inside, `${n.name} inside the frame`).toBe(false);
      }
    });
});

describe('blockView: the collapsed and expanded mapping', () => {
  it('a collapsed block hides its layers; connections go to its handles, one per outer tensor; its node is at their top left', () => {
    const id = groupResidual();
    const g = useEditor.getState().graph;
    const r = blockRouting(g);
    expect([...r.hiddenIn.keys()].sort()).toEqual(['d1', 'd2', 'add'].map((n) => idOf(n)).sort());
    const byPair = (s: string, t: string) => g.edges.find((e) => e.source === idOf(s) && e.target === idOf(t))!.id;
    // x feeds d1 and add: one drawn connection into input 1 of the block stands for both.
    const xd1 = r.routed.get(byPair('x', 'd1'))!;
    expect(xd1).toMatchObject({ source: idOf('x'), target: id, targetHandle: blockInputHandle(0) });
    expect(xd1.edges.map((e) => e.id).sort()).toEqual([byPair('x', 'd1'), byPair('x', 'add')].sort());
    expect(r.routed.get(byPair('x', 'add'))).toBeNull();
    expect(r.routed.get(byPair('d1', 'd2'))).toBeNull();
    expect(r.routed.get(byPair('add', 'out'))).toMatchObject({ source: id, sourceHandle: blockOutputHandle(0), target: idOf('out') });
    const p = blockPlacement(g, r, () => undefined);
    expect(p.nodes.get(id)).toEqual({ x: 100, y: 150 });
    expect(p.frames).toEqual([]);
  });

  it('an expanded block gets a frame around its layers (their measured sizes, padding and a title bar under them)', () => {
    const id = groupResidual();
    useEditor.getState().setBlockCollapsed(id, false);
    const g = useEditor.getState().graph;
    const r = blockRouting(g);
    expect(r.hiddenIn.size).toBe(0);
    expect(r.routed.size).toBe(0);
    const size = (nid: string) => (nid === idOf('d2') ? { width: 300, height: 90 } : undefined);
    const p = blockPlacement(g, r, size);
    expect(p.frames).toEqual([
      {
        blockId: id,
        position: { x: 100 - FRAME_PAD, y: 150 - FRAME_PAD },
        width: 300 + 2 * FRAME_PAD,
        height: 450 + DEFAULT_NODE_SIZE.height - 150 + FRAME_PAD + FRAME_FOOTER,
      },
    ]);
  });

  it('a frame is wide enough for its title (a long block name over one column of layers is not cut)', () => {
    start(residual(), ['d1', 'd2']);
    useEditor.getState().groupSelection('a_rather_long_block_name');
    const id = useEditor.getState().graph.blocks![0].id;
    useEditor.getState().setBlockCollapsed(id, false);
    const g = useEditor.getState().graph;
    const [frame] = blockPlacement(g, blockRouting(g), () => undefined).frames;
    expect(frame.width).toBe(frameMinWidth('a_rather_long_block_name'));
    expect(frame.width).toBeGreaterThan(DEFAULT_NODE_SIZE.width + 2 * FRAME_PAD);
  });

  it('moving a block moves each of its layers by the same amount', () => {
    const id = groupResidual();
    const g = useEditor.getState().graph;
    const moves = membersMoved(g, id, { x: 100, y: 150 }, { x: 130, y: 100 });
    expect([...moves.entries()].map(([k, v]) => [g.nodes.find((n) => n.id === k)!.name, v])).toEqual([
      ['d1', { x: 130, y: 100 }],
      ['d2', { x: 130, y: 250 }],
      ['add', { x: 130, y: 400 }],
    ]);
  });

  it('a connection dragged from a collapsed block output reads its layer tensor; one into a collapsed block is refused with the reason', () => {
    const id = groupResidual();
    const g = useEditor.getState().graph;
    useEditor.getState().addLayer('Dense', { x: 400, y: 400 });
    const extra = useEditor.getState().graph.nodes.at(-1)!.id;
    const r = blockRouting(useEditor.getState().graph);
    expect(connectOnCanvas(r, { source: id, sourceHandle: blockOutputHandle(0), target: extra, targetHandle: null })).toBeNull();
    expect(useEditor.getState().graph.edges.some((e) => e.source === idOf('add', g) && e.target === extra)).toBe(true);
    expect(connectOnCanvas(r, { source: extra, sourceHandle: null, target: id, targetHandle: blockInputHandle(0) })).toMatch(
      /Block 'res_block' is collapsed.*expand the block/,
    );
  });
});

function show() {
  return render(
    <div style={{ width: 800, height: 600 }}>
      <ReactFlowProvider>
        <Canvas />
      </ReactFlowProvider>
    </div>,
  );
}
const flowNode = (id: string) => document.querySelector(`.react-flow__node[data-id="${id}"]`);
const item = (name: string | RegExp) => screen.getByRole('menuitem', { name });

describe('canvas: blocks drawn', () => {
  it('draws a collapsed block as one node: class, name, summed parameters, port shapes; its layers and inner connections not drawn', () => {
    const id = groupResidual();
    const g = useEditor.getState().graph;
    show();
    const node = screen.getByTestId('block-res_block');
    expect(node.textContent).toContain('Functional');
    const row = summarize(g, analyze(g)).rows.find((r) => r.name === 'res_block')!;
    expect(screen.getByTestId('block-params').textContent).toBe(`3 layers · ${formatCount(row.params)} params`);
    expect(screen.getByTestId('block-input-0').textContent).toBe('(None, 8)');
    expect(screen.getByTestId('block-output-0').textContent).toBe('(None, 8)');
    expect(node.querySelectorAll('.react-flow__handle.target')).toHaveLength(1);
    expect(node.querySelectorAll('.react-flow__handle.source')).toHaveLength(1);
    for (const n of ['d1', 'd2', 'add']) expect(flowNode(idOf(n))).toBeNull();
    expect(flowNode(id)).not.toBeNull();
    // x → block (standing for x → d1 and x → add), block → out.
    expect(document.querySelectorAll('.react-flow__edge')).toHaveLength(2);
  });

  it('left to right, a block node takes its inputs on the left and gives its outputs on the right, as layers do', () => {
    groupResidual();
    useEditor.setState({ layoutDirection: 'LR' });
    try {
      show();
      const node = screen.getByTestId('block-res_block');
      expect(node.querySelector('.react-flow__handle.target')!.classList.contains('react-flow__handle-left')).toBe(true);
      expect(node.querySelector('.react-flow__handle.source')!.classList.contains('react-flow__handle-right')).toBe(true);
    } finally {
      useEditor.setState({ layoutDirection: 'TB' });
    }
  });

  it('double click expands in place (layers in a frame with the name); the frame chevron collapses it again', async () => {
    const id = groupResidual();
    show();
    await act(async () => {
      fireEvent.doubleClick(flowNode(id)!);
    });
    expect(useEditor.getState().graph.blocks![0].collapsed).toBeUndefined();
    for (const n of ['d1', 'd2', 'add']) expect(flowNode(idOf(n))).not.toBeNull();
    expect(screen.getByTestId('frame-res_block').textContent).toContain('res_block');
    expect(document.querySelectorAll('.react-flow__edge')).toHaveLength(5);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Collapse block res_block' }));
    });
    expect(screen.getByTestId('block-res_block')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Expand block res_block' }));
    });
    expect(screen.queryByTestId('block-res_block')).toBeNull();
  });

  it('Group into a block… on a selection asks for the name; a taken name stays in the dialog with the reason; OK groups', async () => {
    start(residual(), ['d1', 'd2', 'add']);
    show();
    await act(async () => {
      fireEvent.contextMenu(flowNode(idOf('d2'))!, { clientX: 100, clientY: 100 });
    });
    fireEvent.click(item('Group into a block…'));
    const dialog = screen.getByRole('dialog', { name: 'Group into a block' });
    const name = screen.getByRole('textbox') as HTMLInputElement;
    expect(name.value).toBe('block');
    fireEvent.change(name, { target: { value: 'out' } });
    fireEvent.submit(dialog);
    expect(screen.getByRole('alert').textContent).toMatch(/'out' is already the name of a layer or a block/);
    expect(useEditor.getState().graph.blocks).toBeUndefined();
    fireEvent.change(name, { target: { value: 'res_block' } });
    await act(async () => {
      fireEvent.submit(dialog);
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('block-res_block')).toBeTruthy();
  });

  it('the block menu: Repeat ×N… (2 calls) draws three block nodes; Ungroup draws the layers again', async () => {
    const id = groupResidual();
    show();
    await act(async () => {
      fireEvent.contextMenu(flowNode(id)!, { clientX: 100, clientY: 100 });
    });
    expect(screen.getByRole('menu', { name: 'Block actions' })).toBeTruthy();
    expect([...useEditor.getState().selection.nodes].sort()).toEqual(['d1', 'd2', 'add'].map((n) => idOf(n)).sort());
    fireEvent.click(item('Repeat ×N…'));
    const dialog = screen.getByRole('dialog', { name: 'Repeat res_block' });
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('radio', { name: /Calls of the same model/ }));
    await act(async () => {
      fireEvent.submit(dialog);
    });
    expect(document.querySelectorAll('.block-node')).toHaveLength(3);
    expect(screen.getByTestId('block-res_block#2').textContent).toContain('call 3 of 3');
    await act(async () => {
      fireEvent.contextMenu(flowNode(id)!, { clientX: 100, clientY: 100 });
    });
    await act(async () => {
      fireEvent.click(item('Ungroup'));
    });
    expect(document.querySelectorAll('.block-node')).toHaveLength(0);
    expect(flowNode(idOf('d1'))).not.toBeNull();
  });
});

describe('import banner: Flatten nested models', () => {
  const text = readFileSync(join(import.meta.dirname, '../fixtures/keras/keras3_nested_calls.json'), 'utf8');

  it('names the nested models kept as blocks; its one action flattens them as the flattening import does (one undo step)', () => {
    const r = importKerasJson(text, { layout: false });
    if (!r.ok) throw new Error(r.reason);
    const flat = importKerasJson(text, { layout: false, nested: 'flatten' });
    if (!flat.ok) throw new Error(flat.reason);
    start(r.graph);
    showImportBanner(r.graph, 'Opened m.json with 1 note: something.');
    const ui = useUi.getState();
    const names = (r.graph.blocks ?? []).filter((b) => !b.callOf).map((b) => `'${b.name}'`);
    expect(names.length).toBeGreaterThan(0);
    expect(ui.banner).toMatch(/^Opened m\.json with 1 note: something\. The model uses \d+ nested models? \(/);
    for (const n of names) expect(ui.banner).toContain(n);
    expect(ui.bannerActions.map((a) => a.label)).toEqual([FLATTEN_LABEL]);
    act(() => ui.bannerActions[0].run());
    const g = useEditor.getState().graph;
    expect(g.blocks).toBeUndefined();
    expect(structure(g)).toEqual(structure(flat.graph));
    expect(total(g)).toBe(total(flat.graph));
    expect(useUi.getState().banner).toBeNull();
    expect(past()).toBe(1);
  });

  it('without blocks shows only the notes, and no action', () => {
    showImportBanner(residual(), 'Opened r.json with 1 note: x.');
    expect(useUi.getState().banner).toBe('Opened r.json with 1 note: x.');
    expect(useUi.getState().bannerActions).toEqual([]);
  });
});
