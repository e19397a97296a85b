/**
 * The inspector of a block (Keras nested model call), shown when the selection is exactly one block's layers (a click
 * on a collapsed block's node or on an expanded block's title): its Keras class and name — the name field renames the
 * nested model (store `renameBlock`: every call of it; the keystrokes of one visit are one undo step; a refused name
 * stays in red with the reason) —, its layer count, the summary row's parameters, its inputs and outputs with their
 * shapes, which call it is, whether its layers are frozen (trainable=False), and its actions (expand or collapse, freeze or
 * unfreeze all its layers, repeat, ungroup).
 */
import { blockFrozenState, formatCount, formatShape } from '../core';
import { useEditor } from '../store/editor';
import { modelOf } from '../store/derived';
import { useUi } from '../store/ui';
import { blockFacts } from '../canvas/BlockNodeView';
import { useBlockDialog } from '../canvas/BlockDialog';
import { blockRouting } from '../canvas/blockView';
import { NameField } from './Inspector';

/**
 * The block whose layers are exactly the selected layers (no connection selected), or null; null too for the one layer
 * of an expanded one-layer block (the layer's inspector). Reads the routing of the model (cached per model), so it
 * costs one pass over the selection.
 */
export function selectedBlock(s: { graph: Parameters<typeof modelOf>[0]; selection: { nodes: readonly string[]; edges: readonly string[] } }): string | null {
  const ids = s.selection.nodes;
  if (!ids.length || s.selection.edges.length) return null;
  const first = s.graph.nodes.find((n) => n.id === ids[0]);
  if (first?.block === undefined) return null;
  const itf = blockRouting(modelOf(s.graph)).interfaces.get(first.block);
  if (!itf || itf.members.length !== ids.length) return null;
  // The one layer of an expanded one-layer block is that layer (its parameters): the block's own inspector needs it collapsed.
  if (ids.length === 1 && !itf.block.collapsed) return null;
  const members = new Set(itf.members);
  return ids.every((id) => members.has(id)) ? first.block : null;
}

/** The inspector's body for block `blockId` (see the module comment). */
export function BlockInspector({ blockId }: { blockId: string }) {
  const graph = useEditor((s) => modelOf(s.graph));
  const collapsed = useEditor((s) => !!s.graph.blocks?.find((b) => b.id === blockId)?.collapsed);
  const f = blockFacts(graph, blockId);
  if (!f) return null;
  const frozen = blockFrozenState(graph, blockId);
  const s = useEditor.getState();
  const shapes = (list: typeof f.inputs) => list.map((x, k) => <div key={k}>{x ? formatShape(x) : '?'}</div>);
  return (
    <div className="inspector__body" key={blockId} data-testid="block-inspector">
      <h2 className="inspector__title">
        <span className="inspector__kind">{f.className}</span> “{f.name}”
      </h2>
      <p className="muted small">
        A Keras nested model used as one layer{f.call ? `: call ${f.call.index} of ${f.call.count}, the calls share its weights and its name` : ''}.
      </p>
      <NameField id="block-name" name={f.name} apply={(n, typing) => useEditor.getState().renameBlock(blockId, n, `${typing}:${blockId}`)} />
      <dl className="facts">
        <dt>Layers</dt>
        <dd>{formatCount(f.layers)}</dd>
        <dt>Parameters</dt>
        <dd data-testid="block-inspector-params">{f.params === null ? '—' : formatCount(f.params)}</dd>
        {frozen !== 'none' ? (
          <>
            <dt>Frozen</dt>
            <dd data-testid="block-inspector-frozen">{frozen === 'all' ? '❄ every layer (trainable=False)' : '❄ some layers (trainable=False)'}</dd>
          </>
        ) : null}
        <dt>Input{f.inputs.length === 1 ? '' : 's'}</dt>
        <dd>{f.inputs.length ? shapes(f.inputs) : 'none connected'}</dd>
        <dt>Output{f.outputs.length === 1 ? '' : 's'}</dt>
        <dd>{shapes(f.outputs)}</dd>
      </dl>
      {f.error ? (
        <ul className="diagnostics">
          <li className="diag-error">{f.error}</li>
        </ul>
      ) : null}
      <div className="inspector__actions">
        <button type="button" className="small-button" onClick={() => s.setBlockCollapsed(blockId, !collapsed)}>
          {collapsed ? 'Expand' : 'Collapse'}
        </button>
        <button
          type="button"
          className="small-button"
          data-testid="block-freeze"
          title={
            frozen === 'all'
              ? 'Make every layer of this nested model trainable again (Keras block.trainable = True)'
              : 'Freeze every layer of this nested model: its weights become non-trainable (Keras block.trainable = False)'
          }
          onClick={() => {
            const reason = s.setBlockTrainable(blockId, frozen === 'all');
            if (reason) useUi.getState().toast(reason);
          }}
        >
          {frozen === 'all' ? 'Unfreeze all' : 'Freeze all'}
        </button>
        <button type="button" className="small-button" onClick={() => useBlockDialog.getState().open({ kind: 'repeat', blockId })}>
          Repeat ×N…
        </button>
        <button
          type="button"
          className="small-button"
          onClick={() => {
            const reason = s.ungroupBlock(blockId);
            if (reason) useUi.getState().toast(reason);
          }}
        >
          Ungroup
        </button>
      </div>
    </div>
  );
}
