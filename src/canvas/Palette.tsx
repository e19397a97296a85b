/**
 * The palette: every layer kind of the registry by category, with a search box. Drag an item onto
 * the canvas, or double-click / press Enter to add it below the selected layer, connected.
 */
import { useState, type DragEvent } from 'react';
import { CATEGORIES, LAYER_DEFS, type LayerDef } from '../core';
import { useEditor } from '../store/editor';
import { CATEGORY_COLOR } from './categories';
import { DRAG_MIME } from './Canvas';

/**
 * Keras layers a user may look for that tfjs 4.22 does not have (docs/keras-facts.md §5),
 * grouped as a Keras user would search for them.
 */
const NOT_OFFERED = [
  'Lambda (and any raw TensorFlow op; a file that has one opens with it as a placeholder node)',
  'SeparableConv1D, DepthwiseConv1D, ConvLSTM1D/3D',
  'RMSNormalization',
  'RandomFlip, RandomRotation, RandomZoom and other augmentation',
  'TextVectorization, StringLookup, IntegerLookup, Hashing',
  'ActivityRegularization',
];

/** Adds a layer under the selected node (connected to it) or at a free spot. */
function addNear(def: LayerDef) {
  const s = useEditor.getState();
  const sel = s.graph.nodes.find((n) => n.id === s.selection.nodes[s.selection.nodes.length - 1]);
  if (sel) s.addLayer(def.kind, { x: sel.position.x, y: sel.position.y + 120 }, def.inputs.max > 0 ? sel.id : undefined);
  else {
    const maxY = Math.max(-120, ...s.graph.nodes.map((n) => n.position.y));
    s.addLayer(def.kind, { x: 0, y: maxY + 120 });
  }
}

export function Palette() {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const match = (d: LayerDef) => !q || d.kind.toLowerCase().includes(q) || d.description.toLowerCase().includes(q);
  const onDragStart = (e: DragEvent, kind: string) => {
    e.dataTransfer.setData(DRAG_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <aside className="palette" aria-label="Layer palette">
      <input
        className="palette__search"
        type="search"
        placeholder="Search layers…"
        aria-label="Search layers"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {CATEGORIES.map((cat) => {
        const defs = LAYER_DEFS.filter((d) => d.category === cat && match(d));
        if (!defs.length) return null;
        return (
          <section key={cat} className="palette__group">
            <h3>{cat}</h3>
            {defs.map((d) => (
              <button
                key={d.kind}
                type="button"
                className="palette__item"
                draggable
                onDragStart={(e) => onDragStart(e, d.kind)}
                onDoubleClick={() => addNear(d)}
                onKeyDown={(e) => e.key === 'Enter' && addNear(d)}
                title={`${d.description}\nShape: ${d.shapeRule}\nDrag onto the canvas, or double-click to add below the selected layer.`}
                data-kind={d.kind}
                style={{ ['--node-color' as string]: CATEGORY_COLOR[d.category] }}
              >
                <span className="palette__name">{d.kind}</span>
                <span className="palette__desc">{d.description}</span>
              </button>
            ))}
          </section>
        );
      })}
      {LAYER_DEFS.every((d) => !match(d)) ? <p className="palette__none">No layer matches “{query}”.</p> : null}
      <div className="palette__note">
        <p>Not offered, because tfjs 4.22 cannot build them:</p>
        <ul>
          {NOT_OFFERED.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
        <p>Recurrent layers have no return_state: a layer with several outputs is not supported yet.</p>
      </div>
    </aside>
  );
}
