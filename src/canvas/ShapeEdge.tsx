/**
 * An edge labelled with the tensor shape it carries, e.g. `(None, 62, 62, 32)`; for merge layers
 * the label is prefixed with the input's position ("2: …"). An edge from one output of a layer with several into
 * a layer with several inputs (an encoder's state_h into a decoder LSTM) shows only the position: the shape is
 * printed at the output's handle, and such edges leave handles side by side, where full labels would overlap;
 * the tooltip gives all ("2: state_h (None, 64)"), and for an edge reading output 0 how the source computes that shape
 * (inspector/Explanation.tsx `edgeTitle`), written when the pointer enters so drawing never computes it.
 * Zoomed out below FAR_ZOOM (lod.ts) the edge is drawn without its label, its arrowhead and its wider invisible
 * click path: none could be read or hit there, and on a 1,000-layer model each is 1,000 more elements to draw.
 */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { formatShape } from '../core';
import { useEditor } from '../store/editor';
import { edgeShapesOf } from '../store/derived';
import { edgeTitle } from '../inspector/Explanation';
import { useFar } from './lod';

export interface ShapeEdgeData extends Record<string, unknown> {
  /** 1-based input position on a merge layer, or 0 for a single-input layer. */
  readonly order: number;
  /** The name of the source's output the edge reads when the source has several (`state_h`); absent otherwise. */
  readonly outputName?: string;
}

export function ShapeEdge(props: EdgeProps) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, selected, data } = props;
  // The shape object keeps its identity while unchanged (store/derived.ts): an edit redraws only the edges it changed.
  const shape = useEditor((s) => edgeShapesOf(s.graph).get(id));
  const far = useFar();
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const order = (data as ShapeEdgeData | undefined)?.order ?? 0;
  const outputName = (data as ShapeEdgeData | undefined)?.outputName;
  // Edges converging on a merge layer would put their labels side by side at the same height and
  // overlap: place those nearer their source instead.
  const at = order ? 0.35 : 0.5;
  const lx = order ? sourceX + (targetX - sourceX) * at : labelX;
  const ly = order ? sourceY + (targetY - sourceY) * at : labelY;
  const shapeText = shape ? formatShape(shape) : '?';
  const full = `${order ? `${order}: ` : ''}${outputName ? `${outputName} ` : ''}${shapeText}`;
  const text = order && outputName ? String(order) : `${order ? `${order}: ` : ''}${shapeText}`;
  return (
    <>
      {/* Far away: no arrowhead and no wider invisible path to click (both sub-pixel there): one SVG path per edge. */}
      <BaseEdge
        id={id}
        path={path}
        markerEnd={far ? undefined : markerEnd}
        interactionWidth={far ? 0 : undefined}
        className={selected ? 'edge-selected' : ''}
      />
      {far ? null : (
        <EdgeLabelRenderer>
          <div
            className={`edge-label${selected ? ' selected' : ''}`}
            data-testid="edge-label"
            title={full}
            onPointerEnter={(e) => {
              e.currentTarget.title = edgeTitle(useEditor.getState().graph, id, full);
            }}
            style={{ transform: `translate(-50%, -50%) translate(${lx}px, ${ly}px)` }}
          >
            {text}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
}
