/**
 * The one node component: draws any layer kind from its registry definition and the analysis
 * (kind, name, key parameters, output shape, parameter count, first error).
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { formatShape, layerDef } from '../core';
import { useEditor } from '../store/editor';
import { callsOf, useAnalysis } from '../store/derived';
import { CATEGORY_COLOR } from './categories';

const fmt = new Intl.NumberFormat('en-US');

function LayerNodeViewImpl({ id, selected }: NodeProps) {
  const node = useEditor((s) => s.graph.nodes.find((n) => n.id === id));
  const call = useEditor((s) => callsOf(s.graph).get(id));
  // Another call of the same shared layer is selected: this one is highlighted with it.
  const sibling = useEditor((s) => !!call && call.count > 1 && s.selection.nodes.some((x) => x !== id && callsOf(s.graph).get(x)?.layer === call.layer));
  const info = useAnalysis().nodes.get(id);
  if (!node) return null;
  const shared = call && call.count > 1 ? call : null;
  const def = layerDef(node.kind);
  const error = info?.diagnostics.find((d) => d.severity === 'error');
  // A shared layer's weights are counted on its first call only, as the summary counts them once.
  const count = info?.weights && !(call && call.index > 0) ? info.weights.trainable + info.weights.nonTrainable : null;
  const color = def ? CATEGORY_COLOR[def.category] : 'var(--error)';
  const multi = (def?.inputs.max ?? 1) > 1;
  const key = def?.keyParams(node.params);
  return (
    <div
      className={`layer-node${error ? ' invalid' : ''}${selected ? ' selected' : ''}${shared ? ' shared' : ''}${sibling ? ' sibling' : ''}`}
      style={{ ['--node-color' as string]: color }}
      data-testid={shared && shared.index > 0 ? `node-${node.name}#${shared.index}` : `node-${node.name}`}
      title={error?.message}
    >
      {def && def.inputs.max > 0 && <Handle type="target" position={Position.Top} className={multi ? 'handle-multi' : ''} />}
      <div className="layer-node__head">
        <span className="layer-node__kind">{node.kind}</span>
        <span className="layer-node__name">{node.name}</span>
      </div>
      {shared ? (
        <div className="layer-node__shared" title={`One layer called ${shared.count} times: the calls share their weights, and editing one edits all.`}>
          ⇄ shared · call {shared.index + 1} of {shared.count}
        </div>
      ) : null}
      {key ? <div className="layer-node__params">{key}</div> : null}
      <div className="layer-node__foot">
        <span className="layer-node__shape" data-testid="node-shape">{info?.outputShape ? formatShape(info.outputShape) : '—'}</span>
        {count !== null && count > 0 ? <span className="layer-node__count">{fmt.format(count)} params</span> : null}
      </div>
      {error ? <div className="layer-node__error">{error.message}</div> : null}
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

export const LayerNodeView = memo(LayerNodeViewImpl);
