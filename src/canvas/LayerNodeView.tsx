/**
 * The one node component: draws any layer kind from its registry definition and the analysis
 * (kind, name, key parameters, output shape and its size, first error) and its cost (core/validate/cost.ts):
 * parameters and MACs per sample, each with a bar scaled to the graph's largest; a frozen layer (trainable=False) has a
 * small ❄ after its kind.
 * Handles follow the layout direction (editor store `layoutDirection`): inputs on top and outputs at the bottom for
 * top to bottom, inputs on the left and outputs on the right for left to right, so edges leave and enter sideways.
 */
import { memo, useEffect, useRef } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import {
  formatBytes,
  formatCount,
  formatPercent,
  formatShape,
  layerDef,
  nodeSize,
  outputNamesOf,
  type LayoutDirection,
  type NodeCost,
  type Shape,
} from '../core';
import { useEditor } from '../store/editor';
import { callsOf, costOf, nodeCostsOf, nodeInfosOf, nodesById } from '../store/derived';
import { countTitle, shapeTitle } from '../inspector/Explanation';
import { CATEGORY_COLOR } from './categories';
import { inputNamesOf, outputHandleId } from './handles';
import { connectedIds, quietProblems } from './nodeProblems';
import { useFar } from './lod';
import './canvas.css';
import './lod.css';

/**
 * One cost line: a bar (its share of the graph's largest) and the figure. Its tooltip (the share of the model's
 * total) is written when the pointer enters, from the model as it is then: a node does not redraw when only the
 * total changes (an edit elsewhere), which keeps edits on a 1,000-layer model fast.
 */
function CostBar({
  kind,
  value,
  max,
  label,
  title,
  explain,
}: {
  kind: 'params' | 'macs';
  value: number;
  max: number;
  label: string;
  title: string;
  /** A first tooltip line computed on pointer enter (the count as arithmetic), or null for none. */
  explain?: () => string | null;
}) {
  // A non-zero value always shows a sliver, so "small" and "none" look different.
  const width = max > 0 ? Math.max(3, (100 * value) / max) : 0;
  return (
    <div
      className={`cost cost--${kind}`}
      onPointerEnter={(e) => {
        const total = costOf(useEditor.getState().graph).totals[kind];
        const share = `${title}: ${formatPercent(value, total)} of the model's ${formatCount(total)}`;
        const first = explain?.();
        e.currentTarget.title = first ? `${first}\n${share}` : share;
      }}
      data-testid={`node-${kind}`}
    >
      <span className="cost__track" aria-hidden="true">
        <span className="cost__fill" style={{ width: `${width}%` }} />
      </span>
      <span className="cost__value">
        {formatCount(value)} {label}
      </span>
    </div>
  );
}

/** The tooltip of a frozen layer's mark (LayerNode.trainable false). */
export const FROZEN_TITLE = 'Frozen: weights not trained (trainable=False)';

/** Output size in words for the node's tooltip. */
const sizeTitle = (c: NodeCost | undefined) =>
  c?.activations != null && c.bytes != null ? `Output: ${formatCount(c.activations)} values per sample = ${formatCount(c.bytes)} bytes at float32` : undefined;

/**
 * The outputs of a layer that returns several tensors (core `outputNamesOf`: an LSTM with return_state returns
 * output, state_h and state_c): one column per output, its name and shape (`(None, 64)`, '?' while unknown) over
 * its own source handle (`outputHandleId(k)`), side by side at the node's bottom. The columns are laid out in the
 * node (the node widens to fit them), so their labels never overlap, at any zoom. Left to right (`lr`), one row per
 * output instead, each with its handle on the node's right edge.
 */
function OutputHandles({ names, shapes, lr }: { names: readonly string[]; shapes: readonly (Shape | null | undefined)[]; lr: boolean }) {
  return (
    <div className={`layer-node__outputs${lr ? ' layer-node__outputs--lr' : ''}`} data-testid="node-outputs">
      {names.map((name, k) => {
        const shape = shapes[k];
        const text = shape ? formatShape(shape) : '?';
        return (
          <div className="layer-node__output" key={k} data-testid={`node-output-${k}`} title={`Output ${k + 1}: ${name} ${text}`}>
            <span className="layer-node__output-name">{name}</span>
            <span className="layer-node__output-shape">{text}</span>
            <Handle type="source" position={lr ? Position.Right : Position.Bottom} id={outputHandleId(k)} className="handle-output" />
          </div>
        );
      })}
    </div>
  );
}

/** Nodes whose handles moved, waiting for one batched `updateNodeInternals` call (useRemeasureHandles). */
const moved = new Set<string>();

/**
 * React Flow measures a node's handles (their side and offset, which edges start from) when the node mounts or
 * resizes. When `key` changes after mount (the layout direction moves the handles to other sides; the far form moves
 * them too), the node asks React Flow to measure them again: the ids of every node that changed in one render are
 * collected and sent in one call, so switching the direction on 300 drawn nodes is one update, not 300.
 */
function useRemeasureHandles(id: string, key: string) {
  const update = useUpdateNodeInternals();
  const last = useRef(key);
  useEffect(() => {
    if (last.current === key) return;
    last.current = key;
    moved.add(id);
    if (moved.size === 1)
      queueMicrotask(() => {
        const ids = [...moved];
        moved.clear();
        update(ids);
      });
  }, [id, key, update]);
}

/** Where a node's input and output handles sit for a layout direction: top / bottom, or left / right for 'LR'. */
export function handleSides(direction: LayoutDirection): { readonly input: Position; readonly output: Position } {
  return direction === 'LR' ? { input: Position.Left, output: Position.Right } : { input: Position.Top, output: Position.Bottom };
}

/**
 * The far form (lod.ts, below FAR_ZOOM): a box of the layout's node size (core `nodeSize`, so a node keeps its place
 * and its edges barely move when the zoom crosses the threshold) in the kind's colour, with the layer's name in large
 * type and the same handles (hidden: at this zoom they are a few pixels wide), so edges attach as in the full form.
 * No shapes, cost bars or handle labels: nothing a reader could read at that size. Keeps the node's test id and state
 * classes (selected, invalid, unwired, warned, shared).
 */
function FarNode({
  name,
  kind,
  testId,
  className,
  color,
  size,
  hasInput,
  outputs,
  title,
  direction,
}: {
  name: string;
  kind: string;
  testId: string;
  className: string;
  color: string;
  size: { width: number; height: number };
  hasInput: boolean;
  outputs: number;
  title: string;
  direction: LayoutDirection;
}) {
  const sides = handleSides(direction);
  // Several outputs: spread along the output side (bottom, or right when left to right).
  const along = direction === 'LR' ? 'top' : 'left';
  return (
    <div
      className={`${className} layer-node--far`}
      style={{ ['--node-color' as string]: color, width: size.width, height: size.height }}
      data-testid={testId}
      title={title}
    >
      {hasInput ? <Handle type="target" position={sides.input} /> : null}
      <div className="layer-node__head" aria-label={`${kind} ${name}`}>
        <span className="layer-node__name">{name}</span>
      </div>
      {outputs > 1 ? (
        Array.from({ length: outputs }, (_, k) => (
          <Handle key={k} type="source" position={sides.output} id={outputHandleId(k)} style={{ [along]: `${(100 * (k + 0.5)) / outputs}%` }} />
        ))
      ) : (
        <Handle type="source" position={sides.output} />
      )}
    </div>
  );
}

function LayerNodeViewImpl({ id, selected }: NodeProps) {
  // Each selector returns an object that keeps its identity while unchanged (store/derived.ts), or a number: a node
  // redraws only when its own layer, analysis or cost changes, or the largest counts the bars are scaled to.
  const node = useEditor((s) => nodesById(s.graph).get(id));
  const call = useEditor((s) => callsOf(s.graph).get(id));
  // Another call of the same shared layer is selected: this one is highlighted with it.
  const sibling = useEditor((s) => !!call && call.count > 1 && s.selection.nodes.some((x) => x !== id && callsOf(s.graph).get(x)?.layer === call.layer));
  const info = useEditor((s) => nodeInfosOf(s.graph).get(id));
  const c = useEditor((s) => nodeCostsOf(s.graph).get(id));
  const maxParams = useEditor((s) => costOf(s.graph).max.params);
  const maxMacs = useEditor((s) => costOf(s.graph).max.macs);
  const connected = useEditor((s) => connectedIds(s.graph).has(id));
  // Zoomed out below FAR_ZOOM: the far form (redraws only when the zoom crosses the threshold).
  const far = useFar();
  const direction = useEditor((s) => s.layoutDirection);
  useRemeasureHandles(id, `${direction}${far ? ' far' : ''}`);
  if (!node) return null;
  const sides = handleSides(direction);
  const shared = call && call.count > 1 ? call : null;
  const def = layerDef(node.kind);
  // A layer not wired yet, or cut off from every Input by a problem before it, says so quietly instead of in red
  // (nodeProblems.ts).
  const quiet = quietProblems(info?.diagnostics, connected);
  const unwired = quiet !== null;
  const error = unwired ? undefined : info?.diagnostics.find((d) => d.severity === 'error');
  // A warning (e.g. a configuration tfjs builds but cannot train) when there is no error.
  const warning = error ? undefined : info?.diagnostics.find((d) => d.severity === 'warning');
  // A shared layer's weights are counted on one call only (its first with known weights), as the summary counts them once.
  const params = c?.paramsCounted && c.params ? c.params : 0;
  const macs = c?.macs ?? 0;
  const color = def ? CATEGORY_COLOR[def.category] : 'var(--error)';
  const multi = (def?.inputs.max ?? 1) > 1;
  const key = def?.keyParams(node.params);
  const outputs = outputNamesOf(node);
  const several = outputs.length > 1;
  const inputNames = inputNamesOf(node);
  const className = `layer-node${several ? ' layer-node--outputs' : ''}${error ? ' invalid' : unwired ? ' unwired' : warning ? ' warned' : ''}${selected ? ' selected' : ''}${shared ? ' shared' : ''}${sibling ? ' sibling' : ''}`;
  const testId = shared && shared.index > 0 ? `node-${node.name}#${shared.index}` : `node-${node.name}`;
  if (far)
    return (
      <FarNode
        name={node.name}
        kind={node.kind}
        testId={testId}
        className={className}
        color={color}
        size={nodeSize(node)}
        hasInput={!!def && def.inputs.max > 0}
        outputs={outputs.length}
        title={(error ?? warning)?.message ?? `${node.kind} ${node.name}`}
        direction={direction}
      />
    );
  return (
    <div className={className} style={{ ['--node-color' as string]: color }} data-testid={testId} title={(error ?? warning)?.message}>
      {def && def.inputs.max > 0 && (
        <Handle
          type="target"
          position={sides.input}
          className={multi ? 'handle-multi' : ''}
          title={inputNames ? `Inputs: ${inputNames.join(', ')}` : undefined}
        />
      )}
      <div className="layer-node__head">
        <span className="layer-node__kind">
          {node.kind}
          {node.trainable === false ? (
            <span className="layer-node__frozen" data-testid="node-frozen" title={FROZEN_TITLE} role="img" aria-label="frozen">
              ❄
            </span>
          ) : null}
        </span>
        <span className="layer-node__name" title={node.name}>
          {node.name}
        </span>
      </div>
      {shared ? (
        <div className="layer-node__shared" title={`One layer called ${shared.count} times: the calls share their weights, and editing one edits all.`}>
          ⇄ shared · call {shared.index + 1} of {shared.count}
        </div>
      ) : null}
      {key ? <div className="layer-node__params">{key}</div> : null}
      <div className="layer-node__foot" title={sizeTitle(c)}>
        <span
          className="layer-node__shape"
          data-testid="node-shape"
          onPointerEnter={(e) => {
            // How Keras computes this shape (inspector/Explanation.tsx), then the output size: written on pointer enter only.
            const steps = shapeTitle(useEditor.getState().graph, id);
            const size = sizeTitle(c);
            if (steps || size) e.currentTarget.title = [steps, size].filter(Boolean).join('\n');
          }}
        >
          {info?.outputShape ? formatShape(info.outputShape) : '—'}
        </span>
        {c?.bytes != null ? (
          <span className="layer-node__size" data-testid="node-size">
            {formatBytes(c.bytes)}
          </span>
        ) : null}
      </div>
      {params > 0 || macs > 0 ? (
        <div className="layer-node__cost">
          {params > 0 ? (
            <CostBar
              kind="params"
              value={params}
              max={maxParams}
              label="params"
              title="Parameters (weights)"
              explain={() => countTitle(useEditor.getState().graph, id)}
            />
          ) : null}
          {macs > 0 ? <CostBar kind="macs" value={macs} max={maxMacs} label="MACs" title="Multiply-accumulates per sample" /> : null}
        </div>
      ) : null}
      {error ? (
        <div className="layer-node__error" title={error.message}>
          {error.message}
        </div>
      ) : null}
      {unwired ? (
        <div className="layer-node__hint" title={info?.diagnostics.map((d) => d.message).join('\n')}>
          {quiet === 'unwired' ? 'Not connected yet' : 'No Input reaches it yet'}
        </div>
      ) : null}
      {warning ? (
        <div className="layer-node__warning" data-testid="node-warning">
          ⚠ {warning.message}
        </div>
      ) : null}
      {several ? (
        <OutputHandles names={outputs} shapes={[info?.outputShape, ...(info?.moreOutputs ?? [])]} lr={direction === 'LR'} />
      ) : (
        <Handle type="source" position={sides.output} />
      )}
    </div>
  );
}

export const LayerNodeView = memo(LayerNodeViewImpl);
