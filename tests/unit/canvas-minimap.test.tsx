// @vitest-environment jsdom
/**
 * The minimap (canvas/MiniMap.tsx, issue 13): its geometry (miniMapGeometry.ts), what it draws on its <canvas> (a
 * recording 2D context stands in for jsdom's missing one) — a box per layer in its category's colour, the boxes of
 * one colour drawn together, redrawn after a delete — and that dragging in it moves the canvas's view and the wheel zooms it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { chainLayout, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { useView } from '../../src/canvas/view';
import { MINIMAP_MARGIN, boundsOf, fitMiniMap, toFlow, toMiniMap, viewportCentredOn, visibleRect } from '../../src/canvas/miniMapGeometry';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';

describe('minimap geometry', () => {
  it('the visible rectangle of a pane under a transform', () => {
    expect(visibleRect([100, -50, 2], 800, 600)).toEqual({ x: -50, y: 25, width: 400, height: 300 });
  });

  it('bounds of rectangles; none for an empty list', () => {
    expect(
      boundsOf([
        { x: 0, y: 10, width: 5, height: 5 },
        { x: -3, y: 2, width: 1, height: 30 },
      ]),
    ).toEqual({ x: -3, y: 2, width: 8, height: 30 });
    expect(boundsOf([])).toBeNull();
  });

  it('fits an area into the box with its margin, centred along the axis it does not fill', () => {
    // 1,000 × 100 flow units into 160 × 110 px: the width decides (152 px inside the margins).
    const fit = fitMiniMap({ x: 10, y: 20, width: 1000, height: 100 }, 160, 110);
    expect(fit.scale).toBeCloseTo(1000 / 152);
    const m = toMiniMap(fit, { x: 10, y: 20, width: 1000, height: 100 });
    expect(m.x).toBeCloseTo(MINIMAP_MARGIN);
    expect(m.width).toBeCloseTo(152);
    expect(m.y + m.height / 2).toBeCloseTo(55); // centred vertically
    // A tall column: the height decides, centred horizontally.
    const tall = fitMiniMap({ x: 0, y: 0, width: 200, height: 150_000 }, 160, 110);
    const t = toMiniMap(tall, { x: 0, y: 0, width: 200, height: 150_000 });
    expect(t.height).toBeCloseTo(102);
    expect(t.x + t.width / 2).toBeCloseTo(80);
  });

  it('toFlow undoes toMiniMap; a viewport centred on a point puts it at the pane centre', () => {
    const fit = fitMiniMap({ x: -500, y: 300, width: 4000, height: 2500 }, 120, 80);
    const m = toMiniMap(fit, { x: 1234, y: 987, width: 0, height: 0 });
    const back = toFlow(fit, m.x, m.y);
    expect(back.x).toBeCloseTo(1234);
    expect(back.y).toBeCloseTo(987);
    const vp = viewportCentredOn({ x: 100, y: 200 }, 0.5, 800, 600);
    const v = visibleRect([vp.x, vp.y, vp.zoom], 800, 600);
    expect(v.x + v.width / 2).toBeCloseTo(100);
    expect(v.y + v.height / 2).toBeCloseTo(200);
  });

  it('refuses a box with no room inside its margin', () => {
    expect(() => fitMiniMap({ x: 0, y: 0, width: 1, height: 1 }, 8, 50)).toThrow(RangeError);
  });
});

/** A 2D context that records the boxes filled (with the fill style at the time) and nothing else. */
function recordingContext() {
  const fills: { x: number; y: number; w: number; h: number; style: string }[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    setTransform() {},
    clearRect() {
      fills.length = 0;
    },
    fillRect(x: number, y: number, w: number, h: number) {
      fills.push({ x, y, w, h, style: String(ctx.fillStyle) });
    },
    beginPath() {},
    rect() {},
    fill() {},
    strokeRect() {},
  };
  return { ctx, fills };
}

describe('the minimap on the canvas', () => {
  const saved: PropertyDescriptor[] = [];
  const rec = recordingContext();
  beforeAll(() => {
    installReactFlowDom();
    const proto = HTMLCanvasElement.prototype;
    for (const k of ['getContext', 'clientWidth', 'clientHeight'] as const)
      saved.push(Object.getOwnPropertyDescriptor(proto, k) ?? { value: undefined, configurable: true });
    Object.defineProperty(proto, 'getContext', { configurable: true, value: () => rec.ctx });
    Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => 160 });
    Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => 110 });
  });
  afterAll(() => {
    const proto = HTMLCanvasElement.prototype;
    (['getContext', 'clientWidth', 'clientHeight'] as const).forEach((k, i) => Object.defineProperty(proto, k, saved[i]));
    restoreReactFlowDom();
  });
  afterEach(cleanup);

  /** Input → Dense 'hidden' → BatchNormalization 'norm' → Dense 'out'. */
  const graph = (): Graph =>
    chainLayout(
      buildGraph('chain', (b) => {
        const x = b.add('Input', { shape: [8] }, 'in');
        const h = b.add('Dense', { units: 16 }, 'hidden', [x]);
        const d = b.add('BatchNormalization', {}, 'norm', [h]);
        b.add('Dense', { units: 4 }, 'out', [d]);
      }),
    );
  const frame = () => act(() => new Promise<void>((r) => requestAnimationFrame(() => r())));

  it('draws a box per layer in its category colour, again after a delete; a drag in it moves the view, the wheel zooms', async () => {
    useView.setState({ minimap: true });
    const { container, store } = mountCanvas(graph(), { ['--cat-core' as string]: 'rgb(1, 2, 3)', ['--cat-input' as string]: 'rgb(4, 5, 6)' });
    const flowStore = store();
    await frame();
    await frame();
    const canvas = screen.getByTestId('minimap');
    expect(container.querySelector('.react-flow__minimap')).toContain(canvas);
    expect(rec.fills).toHaveLength(4);
    // Dense is Core; its two boxes share the resolved colour; the Input has its own.
    const styles = rec.fills.map((f) => f.style);
    expect(styles.filter((s) => s === 'rgb(1, 2, 3)')).toHaveLength(2);
    expect(styles).toContain('rgb(4, 5, 6)');
    // The Input is the top box (the chain runs down), the four one above the other; all inside the minimap.
    const ys = rec.fills.map((f) => f.y);
    expect(rec.fills.find((f) => f.style === 'rgb(4, 5, 6)')!.y).toBe(Math.min(...ys));
    expect(new Set(ys).size).toBe(4);
    for (const f of rec.fills) expect(f.x >= 0 && f.y >= 0 && f.x + f.w <= 160 && f.y + f.h <= 110).toBe(true);

    const id = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;
    act(() => {
      useEditor.setState({ selection: { nodes: [id('norm')], edges: [] } });
      useEditor.getState().removeSelection();
    });
    await frame();
    await frame();
    expect(rec.fills).toHaveLength(3);

    // A drag of 10 px down moves the view down by 10 minimap pixels' worth of flow units.
    const s0 = flowStore.getState();
    const [tx, ty, zoom] = s0.transform;
    const v = visibleRect(s0.transform, s0.width, s0.height);
    // Press inside the visible part (found through the fit the drawing used: its centre maps to the view's centre).
    const area = boundsOf([
      v,
      ...[...s0.nodeLookup.values()].map((n) => ({ x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, width: 200, height: 100 })),
    ])!;
    const fit = fitMiniMap(area, 160, 110);
    const c = toMiniMap(fit, { x: v.x + v.width / 2, y: v.y + v.height / 2, width: 0, height: 0 });
    const r = canvas.getBoundingClientRect();
    fireEvent.pointerDown(canvas, { button: 0, clientX: r.left + c.x, clientY: r.top + c.y, pointerId: 1 });
    fireEvent.pointerMove(canvas, { clientX: r.left + c.x, clientY: r.top + c.y + 10, pointerId: 1 });
    fireEvent.pointerUp(canvas, { pointerId: 1 });
    const [tx1, ty1, zoom1] = flowStore.getState().transform;
    expect(zoom1).toBe(zoom);
    expect(tx1).toBeCloseTo(tx);
    expect(ty1).toBeCloseTo(ty - 10 * fit.scale * zoom);
    // The wheel zooms in about the view's centre.
    const before = visibleRect(flowStore.getState().transform, s0.width, s0.height);
    fireEvent.wheel(canvas, { deltaY: -100 });
    const st = flowStore.getState();
    expect(st.transform[2]).toBeGreaterThan(zoom1);
    const after = visibleRect(st.transform, st.width, st.height);
    expect(after.x + after.width / 2).toBeCloseTo(before.x + before.width / 2);
    expect(after.y + after.height / 2).toBeCloseTo(before.y + before.height / 2);
  });

  it('is not there when hidden', () => {
    useView.setState({ minimap: false });
    mountCanvas(graph());
    expect(screen.queryByTestId('minimap')).toBeNull();
  });
});
