/**
 * "How Keras computes this": the selected layer's shape rule, input → output shapes, the arithmetic of each output
 * axis, its weight tensors and the parameter count as arithmetic (core `explainNode`, validate/explain.ts), in the
 * inspector; and the same texts as plain tooltips for the canvas (an edge's shape label, a node's shape and
 * parameter count), computed only when the pointer enters so the canvas never pays for them while drawing.
 */
import { useMemo } from 'react';
import { edgeOutput, formatCount, outputNamesOf, type Graph } from '../core';
import { explainNode, type Explanation as NodeExplanation } from '../core/validate/explain';
import { analysisOf } from '../store/derived';
import './section.css';
import './explanation.css';

/** The explanation of node `nodeId` in `graph` (analysis memoised per graph), or null when it has none (see `explainNode`). */
export function explanationOf(graph: Graph, nodeId: string): NodeExplanation | null {
  return explainNode(graph, analysisOf(graph), nodeId);
}

/**
 * The tooltip of a node's output shape: the shapes line ('(None, 64, 64, 3) → (None, 62, 62, 32)') and one line per
 * computed axis ('height: ⌊(64 − 3) / 1⌋ + 1 = 62'); null when the node has no explanation (an error on it or
 * upstream). An Input gives its shape only.
 */
export function shapeTitle(graph: Graph, nodeId: string): string | null {
  const e = explanationOf(graph, nodeId);
  if (!e) return null;
  const node = graph.nodes.find((n) => n.id === nodeId);
  const shapes = node?.kind === 'Input' ? `Output ${e.shapes.replace(/^— → /, '')}` : e.shapes;
  return [shapes, ...e.shapeSteps].join('\n');
}

/**
 * The tooltip of an edge's shape label: `label` (what the label's tooltip said before: position, output name and
 * shape), then the source layer's name and how Keras computes the output the edge reads: `shapeTitle` for output 0;
 * for a further output of a layer with several (an LSTM's state_h) that output's name, shape and arithmetic
 * (`Explanation.moreOutputs`). Unknown edge, or no explanation: `label`.
 */
export function edgeTitle(graph: Graph, edgeId: string, label: string): string {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return label;
  const source = graph.nodes.find((n) => n.id === edge.source);
  const k = edgeOutput(edge);
  if (k > 0) {
    const out = explanationOf(graph, edge.source)?.moreOutputs[k - 1];
    return out && source ? `${label}\n${source.name} (${source.kind}), output ${k} ${out.name}: ${out.shape}${out.steps.map((s) => `\n${s}`).join('')}` : label;
  }
  const explained = shapeTitle(graph, edge.source);
  return explained && source ? `${label}\n${source.name} (${source.kind}): ${explained}` : label;
}

/**
 * The parameter count as arithmetic for a node's tooltip ('kernel 3 × 3 × 3 × 32 = 864 + bias 32 = 896'), or null
 * when the layer has no weights or no explanation.
 */
export function countTitle(graph: Graph, nodeId: string): string | null {
  return explanationOf(graph, nodeId)?.countText ?? null;
}

/** A weight tensor's shape as Python writes a tuple: '(3, 3, 3, 32)', '(32,)', '()'. */
const tupleText = (s: readonly number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;

/**
 * The inspector's section for the node `nodeId`: collapsible (`open`, reported through `onToggle` so the choice
 * survives a change of selection). Nothing when the node has no explanation (the problems list says why). An Input
 * shows its output shape only (it has no weights and computes nothing).
 */
export function ExplanationSection({ graph, nodeId, open, onToggle }: { graph: Graph; nodeId: string; open: boolean; onToggle: (open: boolean) => void }) {
  const analysis = analysisOf(graph);
  const e = useMemo(() => explainNode(graph, analysis, nodeId), [graph, analysis, nodeId]);
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!e || !node) return null;
  const isInput = node.kind === 'Input';
  const more = outputNamesOf(node).length > 1 ? outputNamesOf(node) : null;
  return (
    <details className="inspector-section explain" data-testid="inspector-explain" open={open} onToggle={(ev) => onToggle(ev.currentTarget.open)}>
      <summary>How Keras computes this</summary>
      <p className="explain__rule">
        <span className="muted">Shape rule</span> <code>{e.rule}</code>
      </p>
      <div className="explain__mono" data-testid="explain-shapes">
        {isInput ? `Output ${e.shapes.replace(/^— → /, '')}` : e.shapes}
        {more ? <span className="muted"> ({more[0]})</span> : null}
      </div>
      {e.shapeSteps.length ? (
        <ul className="explain__steps" data-testid="explain-steps">
          {e.shapeSteps.map((s, i) => (
            <li key={i}>{s}</li>
          ))}
        </ul>
      ) : !isInput ? (
        <p className="muted small">No size is computed: every axis keeps its input size.</p>
      ) : null}
      {e.moreOutputs.length ? (
        <ul className="explain__steps" data-testid="explain-more-outputs">
          {e.moreOutputs.map((o, i) => (
            <li key={o.name}>
              output {i + 1} <b>{o.name}</b> {o.shape}
              {o.steps.length ? <div className="muted">{o.steps.join(' ')}</div> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {!isInput && e.weights && e.weights.length ? (
        <>
          <table className="explain__weights" data-testid="explain-weights">
            <thead>
              <tr>
                <th>weight</th>
                <th>shape</th>
                <th>size</th>
              </tr>
            </thead>
            <tbody>
              {e.weights.map((w, i) => (
                <tr key={i} className={w.trainable ? undefined : 'explain__frozen'}>
                  <td>{w.name}</td>
                  <td>{tupleText(w.shape)}</td>
                  <td>
                    {formatCount(w.size)}
                    {w.trainable ? '' : ' non-trainable'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {e.weights
            .filter((w, i, all) => w.note && all.findIndex((x) => x.note === w.note) === i)
            .map((w) => (
              <p key={w.name} className="muted small">
                {w.name}: {w.note}
              </p>
            ))}
          <div className="explain__mono" data-testid="explain-count">
            {e.countText}
          </div>
        </>
      ) : !isInput ? (
        <p className="muted small">No weights: 0 parameters.</p>
      ) : null}
    </details>
  );
}
