/**
 * Blocks (Keras nested models) on the canvas (blockView.ts says how they are mapped):
 * - `BlockNodeView`: a collapsed block call drawn as one node: its name, its class (Functional, or Sequential for an
 *   imported nested Sequential), how many layers it holds and its parameters — the summary row's count (core
 *   `summarize`: its layers summed, a shared one once), not recomputed here — with one labelled input handle per
 *   nested-model input on top and one output handle per output at the bottom, each with its tensor's shape. A further
 *   call of the same nested model says which call it is and that it shares the weights. A chevron (or a double click)
 *   expands it in place (renaming is in its context menu and its inspector). It is drawn at the size the layouts assume
 *   (core `blockNodeSize`); below FAR_ZOOM (lod.ts) it is a box of that size in the block colour with its name in large
 *   type, its handles hidden, as layers are drawn there.
 * - `BlockFrameView`: the frame behind an expanded block's layers: a title bar under them with the same facts and a
 *   collapse chevron; a double click on the title bar renames the nested model (the Rename dialog); the rest of the frame lets clicks through to the layers and connections inside.
 */
import { memo, useEffect, useRef } from 'react';
import { Handle, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { blockNodeSize, formatCount, formatShape, type Graph, type Shape, type TensorRef } from '../core';
import { useEditor } from '../store/editor';
import { analysisOf, modelOf, summaryOf } from '../store/derived';
import { blockInputHandle, blockOfFrame, blockOutputHandle, blockRouting } from './blockView';
import { useContextMenu } from './ContextMenu';
import { useBlockDialog } from './BlockDialog';
import { FROZEN_TITLE, handleSides } from './LayerNodeView';
import { blockFrozenState } from '../core/graph/frozen';
import { useFar } from './lod';
import './blocks.css';

/** What both views show of block call `blockId`, or null when it has no members. */
export interface BlockFacts {
  readonly name: string;
  /** Keras's class of the nested model as the summary prints it: 'Functional' or 'Sequential'. */
  readonly className: string;
  readonly layers: number;
  /** The nested model's parameters: the summary row's count (null before the summary has a row for it, or while a layer's weights are unknown). */
  readonly params: number | null;
  /** For a model called more than once: this call's number (1-based) and the number of calls. */
  readonly call: { readonly index: number; readonly count: number } | null;
  readonly inputs: readonly (Shape | null)[];
  readonly outputs: readonly (Shape | null)[];
  /** The first error on one of its layers (so a collapsed block does not hide a problem), or null. */
  readonly error: string | null;
}

/** The facts of block call `blockId` in `graph` (see BlockFacts); null for a block without members. */
export function blockFacts(graph: Graph, blockId: string): BlockFacts | null {
  const model = modelOf(graph);
  const itf = blockRouting(model).interfaces.get(blockId);
  if (!itf) return null;
  const analysis = analysisOf(model);
  const shapeOf = (t: TensorRef): Shape | null => {
    const info = analysis.nodes.get(t.node);
    return (t.output === 0 ? info?.outputShape : info?.moreOutputs[t.output - 1]) ?? null;
  };
  const row = summaryOf(model).rows.find((r) => r.nodeId === itf.first.id);
  const calls = (model.blocks ?? []).filter((b) => b.id === itf.first.id || b.callOf === itf.first.id);
  const members = new Set(itf.members);
  const error = analysis.diagnostics.find((d) => d.severity === 'error' && d.nodeId !== undefined && members.has(d.nodeId));
  return {
    name: itf.block.name,
    className: row?.className ?? (itf.first.sequential ? 'Sequential' : 'Functional'),
    layers: itf.members.length,
    // Unknown while a layer's weights are (a block nothing feeds yet): '?' rather than the row's 0.
    params: row && itf.members.every((m) => !!analysis.nodes.get(m)?.weights) ? row.params : null,
    call: calls.length > 1 ? { index: calls.findIndex((b) => b.id === blockId) + 1, count: calls.length } : null,
    inputs: itf.inputs.map((i) => shapeOf(i.tensor)),
    outputs: itf.outputs.map(shapeOf),
    error: error?.message ?? null,
  };
}

const shapeText = (s: Shape | null): string => (s ? formatShape(s) : '?');

/** "3 layers · 1,088 params" (a further call says it shares them on its own line). */
function countsLine(f: BlockFacts): string {
  const layers = `${formatCount(f.layers)} layer${f.layers === 1 ? '' : 's'}`;
  const params = f.params === null ? ' · ? params' : ` · ${formatCount(f.params)} params`;
  return layers + params;
}

function BlockNodeViewImpl({ id, selected }: NodeProps) {
  const graph = useEditor((s) => s.graph);
  // Inputs on top and outputs at the bottom, or (left to right) inputs on the left and outputs on the right, as layers.
  const direction = useEditor((s) => s.layoutDirection);
  const sides = handleSides(direction);
  // React Flow measured the handles where they were: when the direction changes, it measures them again.
  const update = useUpdateNodeInternals();
  // Zoomed out below FAR_ZOOM (lod.ts): a box of the same size with the name, as layers are drawn there.
  const far = useFar();
  // Its layers frozen (trainable=False): all, some or none (a string, so the node redraws only when it changes).
  const frozen = useEditor((s) => blockFrozenState(s.graph, id));
  const drawn = useRef(`${direction}${far ? ' far' : ''}`);
  useEffect(() => {
    const key = `${direction}${far ? ' far' : ''}`;
    if (drawn.current === key) return;
    drawn.current = key;
    update(id);
  }, [direction, far, id, update]);
  const f = blockFacts(graph, id);
  if (!f) return null;
  const expand = () => useEditor.getState().setBlockCollapsed(id, false);
  const callText = f.call ? `call ${f.call.index} of ${f.call.count} (shared)` : null;
  // The size the layouts and reflowForBlock assume (core blockNodeSize): drawn at least that large.
  const size = blockNodeSize(f.inputs.length, f.outputs.length, f.call !== null, direction);
  const testId = `block-${f.name}${f.call && f.call.index > 1 ? `#${f.call.index - 1}` : ''}`;
  const state = `${selected ? ' selected' : ''}${f.error ? ' invalid' : ''}`;
  if (far) {
    // Handles spread along their side as in the full form, hidden (a few pixels wide at this zoom).
    const along = direction === 'LR' ? 'top' : 'left';
    const spread = (k: number, n: number) => ({ [along]: `${(100 * (k + 0.5)) / n}%` });
    return (
      <div
        className={`block-node block-node--far${state}`}
        style={{ width: size.width, height: size.height }}
        data-testid={testId}
        title={f.error ?? `${f.name}: a nested ${f.className} model, ${countsLine(f)}`}
        onDoubleClick={expand}
      >
        {f.inputs.map((_, k) => (
          <Handle key={`i${k}`} type="target" position={sides.input} id={blockInputHandle(k)} style={spread(k, f.inputs.length)} />
        ))}
        <span className="block-node__name">{f.name}</span>
        {f.outputs.map((_, k) => (
          <Handle key={`o${k}`} type="source" position={sides.output} id={blockOutputHandle(k)} style={spread(k, f.outputs.length)} />
        ))}
      </div>
    );
  }
  return (
    <div
      className={`block-node${direction === 'LR' ? ' block-node--lr' : Math.max(f.inputs.length, f.outputs.length) > 2 ? ' block-node--wide' : ''}${state}`}
      style={{ width: size.width, minHeight: size.height }}
      data-testid={testId}
      title={f.error ?? `${f.name}: a nested ${f.className} model used as one layer. Double-click or ▸ to see its layers.`}
      onDoubleClick={expand}
    >
      <div className="block-node__ports block-node__ports--in">
        {f.inputs.length === 0 ? (
          // Nothing feeds it yet (a block pasted without what fed it): its layers' inputs are connected inside it.
          <div
            className="block-node__port block-node__none"
            data-testid="block-no-input"
            title={`Nothing feeds ${f.name} yet: expand it to connect its first layer.`}
          >
            no input: expand (▸) to connect
          </div>
        ) : null}
        {f.inputs.map((s, k) => (
          <div className="block-node__port" key={k} title={`Input ${k + 1} of ${f.name}: ${shapeText(s)}`} data-testid={`block-input-${k}`}>
            <Handle type="target" position={sides.input} id={blockInputHandle(k)} />
            <span className="block-node__shape">{shapeText(s)}</span>
          </div>
        ))}
      </div>
      <div className="block-node__body">
        <div className="block-node__head">
          <button type="button" className="block-chevron nodrag" aria-label={`Expand block ${f.name}`} title="Show its layers (double-click)" onClick={expand}>
            ▸
          </button>
          <span className="block-node__kind">
            {f.className}
            {frozen !== 'none' ? (
              <span
                className="layer-node__frozen"
                data-testid="block-frozen"
                role="img"
                aria-label="frozen"
                title={frozen === 'all' ? `Every layer frozen. ${FROZEN_TITLE}` : `Some layers frozen. ${FROZEN_TITLE}`}
              >
                ❄
              </span>
            ) : null}
          </span>
          <span className="block-node__name" title={f.name}>
            {f.name}
          </span>
        </div>
        <div className="block-node__counts" data-testid="block-params">
          {countsLine(f)}
        </div>
        {callText ? (
          <div className="block-node__call" title={`One nested model called ${f.call!.count} times: the calls share its weights, counted once.`}>
            ⇄ {callText}
          </div>
        ) : null}
        {f.error ? <div className="block-node__error">{f.error}</div> : null}
      </div>
      <div className="block-node__ports block-node__ports--out">
        {f.outputs.map((s, k) => (
          <div className="block-node__port" key={k} title={`Output ${k + 1} of ${f.name}: ${shapeText(s)}`} data-testid={`block-output-${k}`}>
            <span className="block-node__shape">{shapeText(s)}</span>
            <Handle type="source" position={sides.output} id={blockOutputHandle(k)} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const BlockNodeView = memo(BlockNodeViewImpl);

function BlockFrameViewImpl({ id }: NodeProps) {
  const blockId = blockOfFrame(id) ?? id;
  const graph = useEditor((s) => s.graph);
  const selected = useEditor((s) => {
    const itf = blockRouting(modelOf(s.graph)).interfaces.get(blockId);
    return !!itf && itf.members.every((m) => s.selection.nodes.includes(m));
  });
  const f = blockFacts(graph, blockId);
  if (!f) return null;
  return (
    <div className={`block-frame${selected ? ' selected' : ''}`} data-testid={`frame-${f.name}${f.call && f.call.index > 1 ? `#${f.call.index - 1}` : ''}`}>
      <div
        className="block-frame__head"
        title={`${f.name}: a nested ${f.className} model. Drag here to move its layers; double-click to rename it; right-click for its actions.`}
        onDoubleClick={(e) => {
          e.stopPropagation();
          useBlockDialog.getState().open({ kind: 'rename', blockId });
        }}
        onClick={() => {
          const itf = blockRouting(modelOf(useEditor.getState().graph)).interfaces.get(blockId);
          if (itf) useEditor.getState().select({ nodes: [...itf.members], edges: [] });
        }}
        onContextMenu={(e) => {
          e.preventDefault();
          e.stopPropagation();
          const itf = blockRouting(modelOf(useEditor.getState().graph)).interfaces.get(blockId);
          if (itf) useEditor.getState().select({ nodes: [...itf.members], edges: [] });
          useContextMenu.getState().open({ target: { kind: 'block', blockId }, client: { x: e.clientX, y: e.clientY } });
        }}
      >
        <button
          type="button"
          className="block-chevron nodrag"
          aria-label={`Collapse block ${f.name}`}
          title="Draw it as one node"
          onClick={(e) => {
            e.stopPropagation();
            useEditor.getState().setBlockCollapsed(blockId, true);
          }}
        >
          ▾
        </button>
        <span className="block-node__kind">{f.className}</span>
        <span className="block-node__name" data-testid="block-name">
          {f.name}
        </span>
        <span className="block-frame__counts">
          {countsLine(f)}
          {f.call ? ` · call ${f.call.index} of ${f.call.count}` : ''}
        </span>
      </div>
    </div>
  );
}

export const BlockFrameView = memo(BlockFrameViewImpl);
