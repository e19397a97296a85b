// @vitest-environment jsdom
/**
 * The size of a collapsed block's node (core `blockNodeSize`, issue 13): BlockNodeView draws it at that size, and the
 * layouts (dagre, ELK, the block layout) and `reflowForBlock` assume the same one, so a block node whose nested model
 * is called more than once (a further line) or that has several ports makes its room; below FAR_ZOOM a collapsed block
 * is a box of that size with its name and the same handles, as layers are drawn there. The frame of an expanded block
 * is drawn above the connections (a connection leaving it passes under its title bar).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { analyze, autoLayout, blockNodeSize, groupIntoBlock, nodeSize, repeatBlock, toElk, type Graph, type TensorRef } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { collapsedBlockSize, reflowForBlock } from '../../src/store/editor';
import { layoutCollapsed } from '../../src/canvas/blockLayout';
import { FAR_ZOOM } from '../../src/canvas/lod';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(cleanup);

const idOf = (g: Graph, name: string) => g.nodes.find((n) => n.name === name)!.id;
const shapeOf = (g: Graph) => {
  const a = analyze(g);
  return (t: TensorRef) => {
    const info = a.nodes.get(t.node);
    return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
  };
};

/** x → [d1 → d2] (block 'blk') called three times → out, every block collapsed. */
function threeCalls(): Graph {
  const g0 = buildGraph('calls', (b) => {
    const x = b.add('Input', { shape: [8] }, 'x');
    const d1 = b.add('Dense', { units: 16, activation: 'relu' }, 'd1', [x]);
    const d2 = b.add('Dense', { units: 8 }, 'd2', [d1]);
    b.add('Dense', { units: 3 }, 'out', [d2]);
  });
  const grouped = groupIntoBlock(g0, [idOf(g0, 'd1'), idOf(g0, 'd2')], 'blk');
  if (!grouped.ok) throw new Error(grouped.reason);
  const r = repeatBlock(grouped.graph, grouped.id, 2, 'calls', shapeOf(grouped.graph));
  if (!r.ok) throw new Error(r.reason);
  return { ...r.graph, blocks: r.graph.blocks!.map((b) => ({ ...b, collapsed: true })) };
}

describe('blockNodeSize', () => {
  it('a layer node’s size for one input and one output; taller for a shared nested model and, left to right, per port; wider from three columns', () => {
    expect(blockNodeSize(1, 1, false)).toEqual(nodeSize({ kind: 'Dense', params: {} }));
    expect(blockNodeSize(1, 1, true).height).toBeGreaterThan(blockNodeSize(1, 1, false).height);
    expect(blockNodeSize(2, 2, false, 'LR').height).toBeGreaterThan(blockNodeSize(1, 1, false, 'LR').height);
    expect(blockNodeSize(3, 1, false).width).toBeGreaterThan(blockNodeSize(2, 1, false).width);
    // The store's size of a block is that of its interface.
    const g = threeCalls();
    expect(collapsedBlockSize(g, g.blocks![0].id)).toEqual(blockNodeSize(1, 1, true));
  });
});

describe('layouts make the room a block node takes', () => {
  it('three calls of one nested model laid out top to bottom: each block node’s full height (its call line) plus the layout gap (56 px) apart', async () => {
    const g = threeCalls();
    const laid = await layoutCollapsed(g, (x) => autoLayout(x), 'TB');
    // Each collapsed block's node sits at its layers' top left.
    const tops = laid.blocks!.map((b) => Math.min(...laid.nodes.filter((n) => n.block === b.id).map((n) => n.position.y)));
    const h = blockNodeSize(1, 1, true).height;
    expect(h).toBeGreaterThan(96);
    for (let k = 1; k < tops.length; k++) expect(tops[k] - tops[k - 1]).toBeGreaterThanOrEqual(h + 56);
    const out = laid.nodes.find((n) => n.name === 'out')!.position.y;
    expect(out - tops[2]).toBeGreaterThanOrEqual(h + 56);
  });

  it('ELK is given every node’s own size (a block node’s, a layer with several outputs)', () => {
    const g = threeCalls();
    const view: Graph = {
      name: 'v',
      nodes: [
        {
          id: 'b',
          kind: 'Functional',
          name: 'blk',
          params: { block_inputs: 2, block_outputs: 1, block_shared: true, block_lr: true },
          position: { x: 0, y: 0 },
        },
        g.nodes[0],
      ],
      edges: [],
    };
    const elk = toElk(view, 'LR');
    expect(elk.children!.map((c) => [c.width, c.height])).toEqual([
      [blockNodeSize(2, 1, true, 'LR').width, blockNodeSize(2, 1, true, 'LR').height],
      [nodeSize(g.nodes[0]).width, nodeSize(g.nodes[0]).height],
    ]);
  });

  it('collapsing a block moves the layers after it back by its layers’ span less its node’s real height', () => {
    const g = threeCalls();
    // Expand the last call, spread its layers 300 px apart, then collapse it again.
    const last = g.blocks![2];
    const open: Graph = { ...g, blocks: g.blocks!.map((b) => (b.id === last.id ? { id: b.id, name: b.name, callOf: b.callOf } : b)) };
    const members = open.nodes.filter((n) => n.block === last.id);
    const top = Math.min(...members.map((n) => n.position.y));
    const spread: Graph = {
      ...open,
      nodes: open.nodes.map((n) => {
        const k = members.indexOf(n);
        if (k >= 0) return { ...n, position: { x: n.position.x, y: top + 300 * k } };
        return n.name === 'out' ? { ...n, position: { x: n.position.x, y: top + 300 + 96 + 200 } } : n;
      }),
    };
    const before = spread.nodes.find((n) => n.name === 'out')!.position.y;
    const after = reflowForBlock({ ...spread, blocks: spread.blocks!.map((b) => (b.id === last.id ? { ...b, collapsed: true } : b)) }, last.id, true);
    const span = 300 + nodeSize(members[0]).height;
    expect(after.nodes.find((n) => n.name === 'out')!.position.y).toBe(before - (span - blockNodeSize(1, 1, true).height) - 40);
  });
});

/** Mounts the canvas on `graph`; returns the container and a zoom setter. */
function mount(graph: Graph) {
  return mountCanvas(graph);
}

describe('the canvas', () => {
  it('draws a collapsed block node at the size the layouts assume; below FAR_ZOOM as a box with its name and the same handles', () => {
    const { container, zoom } = mount(threeCalls());
    const nodes = [...container.querySelectorAll<HTMLElement>('.block-node')];
    expect(nodes).toHaveLength(3);
    const size = blockNodeSize(1, 1, true);
    expect([nodes[0].style.width, nodes[0].style.minHeight]).toEqual([`${size.width}px`, `${size.height}px`]);
    const handles = container.querySelectorAll('.react-flow__handle').length;
    zoom(FAR_ZOOM * 0.9);
    const far = [...container.querySelectorAll<HTMLElement>('.block-node--far')];
    expect(far).toHaveLength(3);
    expect([far[0].style.width, far[0].style.height]).toEqual([`${size.width}px`, `${size.height}px`]);
    expect(far[0].textContent).toBe('blk');
    expect(far[1].getAttribute('data-testid')).toBe('block-blk#1');
    expect(container.querySelectorAll('[data-testid="block-params"]')).toHaveLength(0);
    expect(container.querySelectorAll('.react-flow__handle').length).toBe(handles);
    zoom(1);
    expect(container.querySelectorAll('.block-node--far')).toHaveLength(0);
  });

  it('an expanded block’s frame is drawn above the connections (zIndex 0: a connection leaving it passes under its title bar)', () => {
    const g = threeCalls();
    const { container } = mount({ ...g, blocks: g.blocks!.map((b) => ({ id: b.id, name: b.name, ...(b.callOf ? { callOf: b.callOf } : {}) })) });
    const frames = [...container.querySelectorAll<HTMLElement>('.react-flow__node-blockFrame')];
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(Number(f.style.zIndex || '0')).toBeGreaterThanOrEqual(0);
  });
});

describe('a collapsed block nothing feeds yet', () => {
  it('says how to connect it (its node has no input handle) and that its parameter count is not known yet', () => {
    // Only the block's layers, as pasted without the Input that fed them.
    const g = threeCalls();
    const first = g.blocks![0];
    const members = new Set(g.nodes.filter((n) => n.block === first.id).map((n) => n.id));
    const alone: Graph = {
      name: 'alone',
      nodes: g.nodes.filter((n) => members.has(n.id)),
      edges: g.edges.filter((e) => members.has(e.source) && members.has(e.target)),
      blocks: [{ id: first.id, name: first.name, collapsed: true }],
    };
    const { container } = mount(alone);
    const hint = container.querySelector('[data-testid="block-no-input"]');
    expect(hint?.textContent).toBe('no input: expand (▸) to connect');
    // Its layers' weights are unknown until it is fed: '? params', not 0.
    expect(container.querySelector('[data-testid="block-params"]')?.textContent).toBe('2 layers · ? params');
    expect(container.querySelectorAll('.block-node .react-flow__handle.target')).toHaveLength(0);
    cleanup();
    // A block with an input shows its shape instead.
    const fed = mount(threeCalls()).container;
    expect(fed.querySelectorAll('[data-testid="block-no-input"]')).toHaveLength(0);
    expect(fed.querySelector('[data-testid="block-params"]')?.textContent).toBe(`2 layers · ${8 * 16 + 16 + 16 * 8 + 8} params`);
  });
});
