/**
 * The inspector: the selected layer's parameters as a form generated from its registry definition,
 * its shapes, parameter count and problems; for a block's layers (and only they) selected, the block (BlockInspector.tsx:
 * its name, counts and actions); with nothing selected, the model's totals and every
 * problem in the graph (click one to select its layer).
 */
import { useState } from 'react';
import { formatBytes, formatCount, formatShape, layerDef, outputNamesOf, paramApplies, visibleText } from '../core';
import { inputNamesOf } from '../canvas/handles';
import { isConsequence } from '../canvas/nodeProblems';
import { endTyping, useEditor } from '../store/editor';
import { callsOf, modelOf, nodesById, useAnalysis, useCost } from '../store/derived';
import { useUi } from '../store/ui';
import { ExplanationSection } from './Explanation';
import { ParamField } from './ParamField';
import { PythonSource } from './PythonSource';
import { BlockInspector, selectedBlock } from './BlockInspector';

/**
 * A name field: every keystroke is applied through `apply`, which returns null or the reason the name is
 * refused; a refused name stays in the field in red with the reason and the model keeps its last valid name.
 * The keystrokes of one visit to the field are one undo step (`apply` passes the field's id as the store's `typing`).
 */
export function NameField({ id, name, apply }: { id: string; name: string; apply: (name: string, typing: string) => string | null }) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id}>name</label>
      <input
        id={id}
        type="text"
        value={draft ?? name}
        aria-invalid={!!error}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(apply(e.target.value, id));
        }}
        onBlur={() => {
          endTyping();
          setDraft(null);
          setError(null);
        }}
      />
      {error ? (
        <div className="field__error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/**
 * Problems listed at first in the model overview. A break in a long chain makes every layer after it a problem (997
 * on a 1,000-layer chain): listing them all made a delete there take 180 ms (creating the list) and the reconnection
 * as long (removing it). The overview lists the causes (up to this many) and counts the layers they cut off from every
 * Input on one line; the rest is one click away, and the summary and each layer show them too.
 */
export const PROBLEMS_LISTED = 20;

function ModelOverview() {
  // The model without positions (store/derived.ts modelOf): moving layers does not redraw the inspector.
  const graph = useEditor((s) => modelOf(s.graph));
  const a = useAnalysis();
  const cost = useCost();
  const select = useEditor((s) => s.select);
  const [allProblems, setAllProblems] = useState(false);
  // The causes first; when there are more than PROBLEMS_LISTED, the layers the causes cut off from every Input
  // (`graph/unreachable`, quiet on the canvas: canvas/nodeProblems.ts) are counted on one line until all are asked for.
  const errors = a.diagnostics.filter((d) => d.severity === 'error');
  const causes = errors.filter((d) => !isConsequence(d));
  const ordered = causes.length === errors.length ? errors : [...causes, ...errors.filter(isConsequence)];
  const all = allProblems || errors.length <= PROBLEMS_LISTED;
  const listed = all ? ordered : causes.slice(0, PROBLEMS_LISTED);
  const unreached = all ? 0 : errors.length - causes.length;
  return (
    <div className="inspector__body">
      <h2 className="inspector__title">Model</h2>
      <NameField id="model-name" name={graph.name} apply={(n, typing) => useEditor.getState().renameModel(n, typing)} />
      <dl className="facts">
        <dt>Layers</dt>
        <dd>{graph.nodes.length}</dd>
        <dt>Parameters</dt>
        <dd data-testid="total-params">{formatCount(a.totals.total)}</dd>
        <dt>Trainable</dt>
        <dd>{formatCount(a.totals.trainable)}</dd>
        <dt>Non-trainable</dt>
        <dd>{formatCount(a.totals.nonTrainable)}</dd>
        <dt>MACs</dt>
        <dd title={`Multiply-accumulates per sample${cost.unknown.length ? '; more in layers whose cost depends on an unknown size (None)' : ''}`}>
          {formatCount(cost.totals.macs)}
          {cost.unknown.length ? ' + ?' : ''}
        </dd>
        <dt>Activations</dt>
        <dd title={`Values of every layer's output per sample, at float32${cost.unknown.length ? '; more in layers whose size is unknown (None)' : ''}`}>
          {formatBytes(cost.totals.bytes)}
          {cost.unknown.length ? ' + ?' : ''}
        </dd>
      </dl>
      {graph.nodes.length === 0 ? <p className="muted">Select a layer to edit its parameters.</p> : null}
      {errors.length ? (
        <>
          <h3>{errors.length === 1 ? '1 problem' : `${errors.length} problems`}</h3>
          <ul className="diagnostics">
            {listed.map((d, i) => (
              <li key={i}>
                <button type="button" className="linklike" onClick={() => d.nodeId && select({ nodes: [d.nodeId], edges: [] })}>
                  {d.message}
                </button>
              </li>
            ))}
            {unreached ? (
              <li className="diagnostics__more muted" data-testid="problems-unreached">
                {unreached === 1 ? '1 layer' : `${unreached} layers`} after {causes.length === 1 ? 'it' : 'them'} that no Input reaches (dashed on the canvas)
              </li>
            ) : null}
          </ul>
          {listed.length < errors.length ? (
            <button type="button" className="small-button" onClick={() => setAllProblems(true)}>
              Show all {errors.length} problems ({errors.length - listed.length} more)
            </button>
          ) : null}
        </>
      ) : graph.nodes.length ? (
        <p className="ok">✓ Every shape checks out.</p>
      ) : null}
    </div>
  );
}

/**
 * Shared layers: how many calls this layer has, that edits apply to all, and a button to call it
 * again (a further call reads another tensor with the same weights).
 */
function SharedNote({ nodeId, kind }: { nodeId: string; kind: string }) {
  const call = useEditor((s) => callsOf(s.graph).get(nodeId));
  if (kind === 'Input') return null;
  const again = () => {
    const reason = useEditor.getState().callAgain(nodeId);
    if (reason) useUi.getState().toast(reason);
  };
  return (
    <div className="shared-note">
      {call && call.count > 1 ? (
        <p className="small">
          <b>Shared layer</b>: call {call.index + 1} of {call.count}. The calls share one set of weights; editing one edits all.
        </p>
      ) : null}
      <button
        type="button"
        className="small-button"
        onClick={again}
        title="Add another call of this layer (same weights) to apply it to a second tensor, as in a siamese network"
      >
        Call this layer again
      </button>
    </div>
  );
}

/**
 * The layer's "Trainable" checkbox (Keras `trainable`): unticked, the layer is frozen — every weight it holds counts as
 * non-trainable and training leaves it unchanged (core/graph/frozen.ts). One undo step per click; a shared layer's
 * calls follow. Shown for a layer with weights, or one frozen already (so it can be unfrozen).
 */
function TrainableField({ nodeId, frozen, weights }: { nodeId: string; frozen: boolean; weights: number | null }) {
  if (!frozen && !weights) return null;
  const id = `trainable-${nodeId}`;
  const title =
    'Keras trainable: unticked, the layer is frozen (trainable=False): its weights count as non-trainable and training does not change them, as for a transfer-learning base';
  return (
    <>
      <div className="field field--bool" data-testid="inspector-trainable">
        <label htmlFor={id} title={title}>
          trainable
        </label>
        <input
          id={id}
          type="checkbox"
          checked={!frozen}
          title={title}
          onChange={(e) => {
            const reason = useEditor.getState().setTrainable([nodeId], e.target.checked);
            if (reason) useUi.getState().toast(reason);
          }}
        />
      </div>
      {frozen ? (
        <p className="muted small" data-testid="inspector-frozen-note">
          ❄ Frozen: {weights === null ? 'its' : `its ${formatCount(weights)}`} weights are not trained.
        </p>
      ) : null}
    </>
  );
}

export function Inspector() {
  // "How Keras computes this" is open by default; closing it keeps it closed for the next layer selected.
  const [explainOpen, setExplainOpen] = useState(true);
  // The model without positions (store/derived.ts modelOf): dragging the selected layer does not redraw the inspector
  // (it shows no position).
  const graph = useEditor((s) => modelOf(s.graph));
  const selected = useEditor((s) => (s.selection.nodes.length === 1 ? nodesById(modelOf(s.graph)).get(s.selection.nodes[0]) : undefined));
  const a = useAnalysis();
  const c = useCost().nodes.get(selected?.id ?? '');
  const setParam = useEditor((s) => s.setParam);
  // A block's layers, and only they, are selected (a click on its node or its frame's title): the block's inspector.
  const block = useEditor(selectedBlock);
  if (!selected || block !== null)
    return (
      <aside className="inspector" aria-label="Inspector">
        {block !== null ? <BlockInspector blockId={block} /> : <ModelOverview />}
      </aside>
    );
  const def = layerDef(selected.kind);
  const info = a.nodes.get(selected.id);
  const w = info?.weights;
  // A recurrent layer's inputs are the sequence, then optionally its initial states; a layer with several outputs lists each.
  const inputNames = inputNamesOf(selected);
  const outputNames = outputNamesOf(selected);
  const outputShapes = [info?.outputShape, ...(info?.moreOutputs ?? [])];
  return (
    <aside className="inspector" aria-label="Inspector">
      <div className="inspector__body" key={selected.id}>
        <h2 className="inspector__title">
          <span className="inspector__kind">{selected.kind}</span> “{visibleText(selected.name)}”
        </h2>
        {def ? <p className="muted small">{def.description}</p> : null}
        <NameField id="layer-name" name={selected.name} apply={(n, typing) => useEditor.getState().rename(selected.id, n, `${typing}:${selected.id}`)} />
        <SharedNote nodeId={selected.id} kind={selected.kind} />
        {selected.kind !== 'Input' ? (
          <TrainableField nodeId={selected.id} frozen={selected.trainable === false} weights={w ? w.trainable + w.nonTrainable : null} />
        ) : null}
        {def
          ? Object.entries(def.params)
              .filter(([key]) => paramApplies(def, selected.params, key))
              // Kept Python source and arguments: shown in their own block below (PythonSource), not as one-line fields.
              .filter(([key]) => !(selected.kind === 'Opaque' && (key === 'python_source' || key === 'python_args')))
              .map(([key, spec]) => (
                <ParamField
                  key={key}
                  name={key}
                  spec={spec}
                  value={selected.params[key]}
                  onCommit={(v, typing) => setParam(selected.id, key, v, typing ? `param:${selected.id}:${key}` : undefined)}
                />
              ))
          : null}
        <PythonSource node={selected} />
        {inputNames ? (
          <p className="muted small" data-testid="inspector-inputs">
            Inputs: {inputNames.join(', ')}. Connect the sequence first; the initial states (Keras initial_state) are optional, all or none.
          </p>
        ) : null}
        <dl className="facts">
          {info?.inputShapes.length ? (
            <>
              <dt>Input{info.inputShapes.length > 1 ? 's' : ''}</dt>
              <dd>
                {info.inputShapes.map((s, i) => (
                  <div key={i}>
                    {inputNames && info.inputShapes.length > 1 ? `${inputNames[i] ?? `input ${i + 1}`} ` : ''}
                    {s ? formatShape(s) : '?'}
                  </div>
                ))}
              </dd>
            </>
          ) : null}
          <dt>Output{outputNames.length > 1 ? 's' : ''}</dt>
          {outputNames.length > 1 ? (
            <dd>
              {outputNames.map((name, k) => {
                const shape = outputShapes[k];
                const text = shape ? formatShape(shape) : '—';
                return (
                  <div key={name} data-testid={k ? `inspector-output-${k}` : undefined}>
                    {name} {k ? text : <span data-testid="inspector-shape">{text}</span>}
                  </div>
                );
              })}
            </dd>
          ) : (
            <dd data-testid="inspector-shape">{info?.outputShape ? formatShape(info.outputShape) : '—'}</dd>
          )}
          <dt>Output size</dt>
          <dd data-testid="inspector-size">
            {c?.activations != null && c.bytes != null ? `${formatCount(c.activations)} values · ${formatBytes(c.bytes)}` : '—'}
          </dd>
          <dt>Parameters</dt>
          <dd>{w ? formatCount(w.trainable + w.nonTrainable) : '—'}</dd>
          <dt>MACs</dt>
          <dd data-testid="inspector-macs" title="Multiply-accumulates per sample (weighted products; element-wise operations are not counted)">
            {c?.macs != null ? formatCount(c.macs) : '—'}
          </dd>
        </dl>
        <ExplanationSection graph={graph} nodeId={selected.id} open={explainOpen} onToggle={setExplainOpen} />
        {def && !info?.outputShape ? <p className="muted small">Shape rule: {def.shapeRule}</p> : null}
        {info?.diagnostics.length ? (
          <ul className="diagnostics">
            {info.diagnostics.map((d, i) => (
              <li key={i} className={`diag-${d.severity}`}>
                {d.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </aside>
  );
}
