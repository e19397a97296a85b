/**
 * The minimap: every node of the canvas as a box in its colour, in one <canvas> element, with the visible part of the
 * canvas clear and the rest under a mask. Drag in it to move the view (a press outside the visible part first centres
 * the view there); scroll in it to zoom about the view's centre.
 *
 * Why not React Flow's <MiniMap>: it draws one SVG element per node, each a React component subscribed to React Flow's
 * store, and computes the bounds of every node on each store update. On a 1,000-layer chain that was 10–15 ms of every
 * delete (bench/editor.mjs with and without `--minimap=off`), which a 50 ms edit cannot spare. Here a store update only
 * schedules one redraw for the next frame: about 1,000 filled rectangles, well under a millisecond.
 */
import { useEffect, useRef } from 'react';
import { Panel, useReactFlow, useStoreApi, type InternalNode } from '@xyflow/react';
import { boundsOf, fitMiniMap, toFlow, toMiniMap, viewportCentredOn, visibleRect, type MiniMapFit, type Rect } from './miniMapGeometry';

/** React Flow's state as the minimap reads it. */
type FlowState = ReturnType<ReturnType<typeof useStoreApi>['getState']>;

export interface MiniMapProps {
  /** A node's fill colour: a CSS colour or `var(--name)`; 'transparent' leaves it out (a block's frame). */
  colorOf(node: { id: string; type?: string }): string;
  /** A node's size where React Flow has not measured it (not drawn yet: out of view on a big model), or undefined. */
  sizeOf(id: string): { width: number; height: number } | undefined;
  /** The colour theme: a change redraws with the theme's colours. */
  theme: string;
}

/** A node's box in flow coordinates, or null when its size is unknown. */
function boxOf(n: InternalNode, sizeOf: MiniMapProps['sizeOf']): Rect | null {
  const size =
    n.measured?.width && n.measured.height
      ? { width: n.measured.width, height: n.measured.height }
      : n.width && n.height
        ? { width: n.width, height: n.height }
        : sizeOf(n.id);
  if (!size) return null;
  const p = n.internals.positionAbsolute;
  return { x: p.x, y: p.y, width: size.width, height: size.height };
}

/**
 * What a drawing needs besides React Flow's state, read once and kept (reading sizes or computed styles on every
 * frame would force the browser to redo style and layout mid-drag): the canvas's CSS size, and its colours resolved.
 */
interface Paint {
  width: number;
  height: number;
  /** A fill as given by `colorOf` → a colour the 2D context reads (CSS variables resolved, once each). */
  colour(fill: string): string;
  mask: string;
  stroke: string;
}

/** The colours of `canvas`'s theme, each CSS variable read from its computed style when first needed. */
function paletteOf(canvas: HTMLCanvasElement): Pick<Paint, 'colour' | 'mask' | 'stroke'> {
  const style = getComputedStyle(canvas);
  const resolved = new Map<string, string>();
  return {
    colour(fill) {
      let r = resolved.get(fill);
      if (r === undefined) {
        const m = /^var\((--[\w-]+)\)$/.exec(fill);
        r = m ? style.getPropertyValue(m[1]).trim() || 'gray' : fill;
        resolved.set(fill, r);
      }
      return r;
    },
    mask: style.getPropertyValue('--xy-minimap-mask-background-color').trim() || 'rgba(240, 240, 240, 0.6)',
    stroke: style.getPropertyValue('--xy-minimap-mask-stroke-color').trim() || 'rgba(0, 0, 0, 0.25)',
  };
}

/**
 * Draws the minimap of `state` on `canvas` at the device's pixel ratio, the boxes of one colour together (one fill
 * style per colour); returns the fit used, or null when the canvas has no size or no 2D context (jsdom).
 */
function draw(canvas: HTMLCanvasElement, state: FlowState, props: MiniMapProps, paint: Paint): MiniMapFit | null {
  const { width, height } = paint;
  if (!width || !height) return null;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const boxes: Rect[] = [];
  const fills: string[] = [];
  for (const n of state.nodeLookup.values()) {
    if (n.hidden) continue;
    const fill = props.colorOf(n);
    if (fill === 'transparent') continue;
    const box = boxOf(n, props.sizeOf);
    if (!box) continue;
    boxes.push(box);
    fills.push(fill);
  }
  const view = visibleRect(state.transform, state.width, state.height);
  boxes.push(view);
  const fit = fitMiniMap(boundsOf(boxes)!, width, height);
  boxes.pop();
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const byFill = new Map<string, number[]>();
  for (let i = 0; i < boxes.length; i++) {
    let list = byFill.get(fills[i]);
    if (!list) byFill.set(fills[i], (list = []));
    list.push(i);
  }
  const { scale, origin, offset } = fit;
  for (const [fill, list] of byFill) {
    ctx.fillStyle = paint.colour(fill);
    for (const i of list) {
      const b = boxes[i];
      ctx.fillRect((b.x - origin.x) / scale + offset.x, (b.y - origin.y) / scale + offset.y, Math.max(b.width / scale, 1), Math.max(b.height / scale, 1));
    }
  }
  const v = toMiniMap(fit, view);
  ctx.beginPath();
  ctx.rect(0, 0, width, height);
  ctx.rect(v.x, v.y, v.width, v.height);
  ctx.fillStyle = paint.mask;
  ctx.fill('evenodd');
  ctx.strokeStyle = paint.stroke;
  ctx.lineWidth = 1;
  ctx.strokeRect(v.x + 0.5, v.y + 0.5, Math.max(v.width - 1, 0), Math.max(v.height - 1, 0));
  return fit;
}

/** The minimap panel, at the canvas's bottom right (class `react-flow__minimap`, sized in app.css). */
export function MiniMap(props: MiniMapProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  const flow = useReactFlow();
  // The fit of the last drawing (pointer positions are read through it).
  const fit = useRef<MiniMapFit | null>(null);
  const { colorOf, sizeOf, theme } = props;

  // Redraw on the next frame after a change of the nodes (React Flow hands them on as a new array; its node lookup is
  // updated in place), the view or the pane's size, once per frame; a theme change reads the colours again.
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    // The CSS size, read once here and then from the resize observer (reading it per frame forces a layout).
    const paint: Paint = { width: canvas.clientWidth, height: canvas.clientHeight, ...paletteOf(canvas) };
    let frame = 0;
    const redraw = () => {
      frame = 0;
      fit.current = draw(canvas, store.getState(), { colorOf, sizeOf, theme }, paint);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(redraw);
    };
    let seen = store.getState();
    const unsubscribe = store.subscribe((s) => {
      if (s.nodes === seen.nodes && s.transform === seen.transform && s.width === seen.width && s.height === seen.height) return;
      seen = s;
      schedule();
    });
    const resize =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            const box = entries[entries.length - 1]?.contentRect;
            if (box?.width && box.height) [paint.width, paint.height] = [box.width, box.height];
            schedule();
          })
        : null;
    resize?.observe(canvas);
    schedule();
    return () => {
      unsubscribe();
      resize?.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [store, colorOf, sizeOf, theme]);

  // Drag to move the view; the wheel zooms about the view's centre (a non-passive listener, to keep the page still).
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    let drag: { x: number; y: number; tx: number; ty: number; zoom: number; scale: number } | null = null;
    const local = (e: MouseEvent) => {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top] as const;
    };
    const down = (e: PointerEvent) => {
      const f = fit.current;
      if (!f || e.button !== 0) return;
      e.preventDefault();
      const s = store.getState();
      let [tx, ty, zoom] = s.transform;
      const p = toFlow(f, ...local(e));
      const v = visibleRect(s.transform, s.width, s.height);
      if (p.x < v.x || p.x > v.x + v.width || p.y < v.y || p.y > v.y + v.height) {
        const vp = viewportCentredOn(p, zoom, s.width, s.height);
        void flow.setViewport(vp);
        [tx, ty, zoom] = [vp.x, vp.y, vp.zoom];
      }
      drag = { x: e.clientX, y: e.clientY, tx, ty, zoom, scale: f.scale };
      canvas.setPointerCapture?.(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      if (!drag) return;
      const dx = (e.clientX - drag.x) * drag.scale * drag.zoom;
      const dy = (e.clientY - drag.y) * drag.scale * drag.zoom;
      void flow.setViewport({ x: drag.tx - dx, y: drag.ty - dy, zoom: drag.zoom });
    };
    const up = () => {
      drag = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const s = store.getState();
      const [, , zoom] = s.transform;
      const v = visibleRect(s.transform, s.width, s.height);
      const step = e.deltaMode === 1 ? 0.05 : 0.002;
      const next = Math.min(s.maxZoom, Math.max(s.minZoom, zoom * Math.pow(2, -e.deltaY * step)));
      void flow.setViewport(viewportCentredOn({ x: v.x + v.width / 2, y: v.y + v.height / 2 }, next, s.width, s.height));
    };
    canvas.addEventListener('pointerdown', down);
    canvas.addEventListener('pointermove', move);
    canvas.addEventListener('pointerup', up);
    canvas.addEventListener('pointercancel', up);
    canvas.addEventListener('wheel', wheel, { passive: false });
    return () => {
      canvas.removeEventListener('pointerdown', down);
      canvas.removeEventListener('pointermove', move);
      canvas.removeEventListener('pointerup', up);
      canvas.removeEventListener('pointercancel', up);
      canvas.removeEventListener('wheel', wheel);
    };
  }, [store, flow]);

  return (
    <Panel position="bottom-right" className="react-flow__minimap minimap">
      <canvas
        ref={ref}
        className="minimap__canvas"
        role="img"
        aria-label="Minimap of the whole model: drag to move the view, scroll to zoom"
        title="Drag to move the view; scroll to zoom"
        data-testid="minimap"
      />
    </Panel>
  );
}
