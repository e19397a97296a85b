/**
 * Level of detail of the canvas. Below FAR_ZOOM a node's text is a few pixels high and cannot be read, so nodes are
 * drawn as a box in their kind's colour with the layer name in large type (LayerNodeView's far form) and edges
 * without their shape labels (ShapeEdge). Drawing 1,000 full nodes and 1,000 labels at Fit is what made a big
 * model's import and drag slow; the far form keeps the handles (hidden, untransformed) so edges still attach.
 *
 * The switch is a boolean selector on React Flow's zoom: a component redraws only when the zoom crosses FAR_ZOOM,
 * never on every wheel tick. `useView.forceDetail` (the PNG export, which draws the nodes at 1:1) turns it off.
 */
import { useStore } from '@xyflow/react';
import { useView } from './view';

/**
 * Zoom below which the far form is drawn: at 0.3 the nodes' 11–13 px text is under 4 px on screen. Templates fitted
 * in a 1440×900 window at a readable-ish zoom (the product classifier at 0.40) keep the full form; ResNet50 (0.02),
 * VGG16 (0.15) and a 1,000-layer chain (0.003) draw the far form at Fit.
 */
export const FAR_ZOOM = 0.3;

/** True when the canvas is zoomed out below FAR_ZOOM and no full drawing is requested. Must run inside React Flow. */
export function useFar(): boolean {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const force = useView((s) => s.forceDetail);
  return far && !force;
}
