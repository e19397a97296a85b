/**
 * Where the canvas looks: Fit (the whole model, clear of the banner), the jump to the fitted view before a model just
 * opened is drawn (`preFit`), and Zoom to read. Positions and sizes in canvas pixels; zoom as React Flow's scale.
 */
import { getViewportForBounds, type useReactFlow, type useStoreApi } from '@xyflow/react';
import { nodeSize, type Graph } from '../core';

/** Below this zoom node text is too small to read (the "Readable zoom" action zooms to it). */
const MIN_READABLE_ZOOM = 0.7;
/** Smallest zoom: Fit must show a 1,000-layer column (about 150,000 px tall) whole. */
export const MIN_ZOOM = 0.002;

/** React Flow's fit margins (a fraction of the pane, or per side, in px or as a fraction). */
type FitPadding = NonNullable<Parameters<ReturnType<typeof useReactFlow>['fitView']>[0]>['padding'];

/**
 * The margins of a fit: 6 % of the pane on each side, and at the top at least the height of the banner floating over
 * the canvas (an import's notes), plus 12 px, so that no layer is fitted under it.
 */
export function fitPadding(): FitPadding {
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  const banner = document.querySelector('.workspace > .banner')?.getBoundingClientRect();
  const covered = pane && banner && banner.height > 0 ? banner.bottom - pane.top : 0;
  if (covered <= 0 || !pane || covered >= pane.height / 2) return 0.06;
  return { top: `${Math.round(covered + 12)}px`, right: 0.06, bottom: 0.06, left: 0.06 };
}

/** Fits the whole model in view (every node inside the pane and clear of the banner, at most zoom 1.1). */
export function fitAll(flow: ReturnType<typeof useReactFlow>) {
  if (!flow.getNodes().length) return;
  void flow.fitView({ padding: fitPadding(), duration: 200, maxZoom: 1.1, minZoom: MIN_ZOOM });
}

/**
 * Jumps to the view that fits `graph` from its layout's positions (core `nodeSize` for each layer's box), when React
 * Flow has measured fewer than half of its nodes — a model just opened or loaded. Its nodes are then first drawn at
 * that zoom: at Fit a big model is drawn in the far form (lod.ts), whereas drawing every node (React Flow draws each
 * unmeasured node once to measure it) in the full form at the old zoom and again as a box one frame later was the
 * largest cost of a first import. `fitAll` then fits exactly on the measured sizes. Returns true when it moved the view.
 */
export function preFit(flow: ReturnType<typeof useReactFlow>, store: ReturnType<typeof useStoreApi>, graph: Graph): boolean {
  const { nodeLookup, width, height } = store.getState();
  if (!graph.nodes.length || !width || !height) return false;
  let measured = 0;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const n of graph.nodes) {
    if (nodeLookup.get(n.id)?.measured?.width) measured++;
    const size = nodeSize(n);
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + size.width);
    y1 = Math.max(y1, n.position.y + size.height);
  }
  if (measured * 2 >= graph.nodes.length || !Number.isFinite(x0 + y0 + x1 + y1)) return false;
  void flow.setViewport(getViewportForBounds({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, width, height, MIN_ZOOM, 1.1, 0.06));
  return true;
}

/**
 * Zooms to MIN_READABLE_ZOOM (or fits, when the whole model is readable that way), centred horizontally, with the
 * model's top (its inputs) in view.
 */
export function readableZoom(flow: ReturnType<typeof useReactFlow>) {
  const nodes = flow.getNodes();
  if (!nodes.length) return;
  const b = flow.getNodesBounds(nodes);
  const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
  if (!pane) return;
  const pad = 40;
  const zoom = Math.min(1.1, (pane.width - 2 * pad) / b.width, (pane.height - 2 * pad) / b.height);
  if (zoom >= MIN_READABLE_ZOOM) return fitAll(flow);
  const z = Math.min(MIN_READABLE_ZOOM, (pane.width - 2 * pad) / b.width);
  void flow.setViewport({ x: pane.width / 2 - (b.x + b.width / 2) * z, y: pad / 2 - b.y * z, zoom: z }, { duration: 200 });
}
