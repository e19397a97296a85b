/**
 * The geometry of the minimap (MiniMap.tsx): the model's nodes and the visible part of the canvas, both in flow
 * coordinates, scaled to fit a small box with a margin and centred in it. Flow coordinates are React Flow's (the
 * positions layers are stored at); the viewport transform [x, y, zoom] maps a flow point p to the screen point
 * p·zoom + (x, y) in the pane.
 */

/** An axis-aligned rectangle (flow or minimap units). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** How flow coordinates map into the minimap box: m = (f − origin) / scale + offset. */
export interface MiniMapFit {
  /** Flow units per minimap pixel. */
  readonly scale: number;
  /** Top left of the fitted flow area. */
  readonly origin: { readonly x: number; readonly y: number };
  /** Where `origin` lands in the box (centring the area along the axis it does not fill). */
  readonly offset: { readonly x: number; readonly y: number };
}

/** Margin around the fitted area, in minimap pixels. */
export const MINIMAP_MARGIN = 4;

/**
 * The part of the flow the pane shows: the pane of `paneWidth` × `paneHeight` px under the transform
 * `[x, y, zoom]` (React Flow's `transform`).
 */
export function visibleRect(transform: readonly [number, number, number], paneWidth: number, paneHeight: number): Rect {
  const [x, y, zoom] = transform;
  return { x: -x / zoom, y: -y / zoom, width: paneWidth / zoom, height: paneHeight / zoom };
}

/** The smallest rectangle holding all of `rects` (null for none). */
export function boundsOf(rects: Iterable<Rect>): Rect | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const r of rects) {
    if (r.x < x0) x0 = r.x;
    if (r.y < y0) y0 = r.y;
    if (r.x + r.width > x1) x1 = r.x + r.width;
    if (r.y + r.height > y1) y1 = r.y + r.height;
  }
  return x0 === Infinity ? null : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Fits `area` (flow units; the nodes' bounds together with the visible rectangle) into a `width` × `height` px box with
 * {@link MINIMAP_MARGIN} px on every side, keeping its aspect ratio and centring it. A degenerate area (no size) counts
 * as 1 × 1 flow unit.
 * @throws RangeError when the box leaves no room inside the margin
 */
export function fitMiniMap(area: Rect, width: number, height: number): MiniMapFit {
  const w = width - 2 * MINIMAP_MARGIN;
  const h = height - 2 * MINIMAP_MARGIN;
  if (!(w > 0 && h > 0)) throw new RangeError(`A minimap of ${width} × ${height} px leaves no room inside its ${MINIMAP_MARGIN} px margin.`);
  const scale = Math.max(Math.max(area.width, 1) / w, Math.max(area.height, 1) / h);
  return {
    scale,
    origin: { x: area.x, y: area.y },
    offset: { x: MINIMAP_MARGIN + (w - area.width / scale) / 2, y: MINIMAP_MARGIN + (h - area.height / scale) / 2 },
  };
}

/** A flow rectangle in minimap pixels. */
export function toMiniMap(fit: MiniMapFit, r: Rect): Rect {
  return {
    x: (r.x - fit.origin.x) / fit.scale + fit.offset.x,
    y: (r.y - fit.origin.y) / fit.scale + fit.offset.y,
    width: r.width / fit.scale,
    height: r.height / fit.scale,
  };
}

/** The flow point under minimap pixel (`mx`, `my`). */
export function toFlow(fit: MiniMapFit, mx: number, my: number): { x: number; y: number } {
  return { x: (mx - fit.offset.x) * fit.scale + fit.origin.x, y: (my - fit.offset.y) * fit.scale + fit.origin.y };
}

/**
 * The viewport (React Flow's `{ x, y, zoom }`) that puts flow point `center` at the middle of a
 * `paneWidth` × `paneHeight` px pane at `zoom`.
 */
export function viewportCentredOn(center: { x: number; y: number }, zoom: number, paneWidth: number, paneHeight: number) {
  return { x: paneWidth / 2 - center.x * zoom, y: paneHeight / 2 - center.y * zoom, zoom };
}
