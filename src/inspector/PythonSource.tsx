/**
 * The Python source a layer kept from pasted code (an Opaque node's `python_source`: a user's `keras.layers.Layer`
 * subclass and the imports and helpers it uses), shown read-only in the inspector: a collapsible block, closed at
 * first, monospace and scrollable, with the call the code made (`TokenAndPositionEmbedding(maxlen=200, ...)`).
 */
import type { LayerNode } from '../core';
import { keptPython } from '../core/layers/opaque';
import './section.css';
import './pythonSource.css';

/** The inspector's "Python source" block for `node`, or nothing when it kept no source. */
export function PythonSource({ node }: { node: LayerNode }) {
  if (node.kind !== 'Opaque') return null;
  const kept = keptPython(node.params);
  if (!kept) return null;
  const cls = String(node.params.class_name);
  const args = [...kept.args.args, ...kept.args.kwargs.map(([k, v]) => `${k}=${v}`)];
  return (
    <details className="inspector-section pysource" data-testid="inspector-python-source">
      <summary>Python source</summary>
      <p className="pysource__call muted small">
        Called as <code>{`${cls}(${args.join(', ')})`}</code>
        {kept.args.unkept.length ? ` (not kept: ${kept.args.unkept.join(', ')})` : ''}; the Python code writes this class and calls it so.
      </p>
      <pre className="pysource__code" tabIndex={0} aria-label={`Python source of ${cls}`}>
        {kept.source}
      </pre>
    </details>
  );
}
