/** Toolbar controls for files: Open (picker), Save (project file), Export menu (Keras 3 / Keras 2 JSON, PNG, SVG, share link). */
import { lazy, Suspense, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useEditor } from '../store/editor';

/** files.ts (readers, writers, dagre, lz-string) loads on the first file action, not with the editor. */
const files = () => import('./files');
const copyShareLink = () => files().then((m) => m.copyShareLink());
const exportKeras = (form: import('./files').KerasJsonForm) => files().then((m) => m.exportKeras(form));
const saveProject = () => void files().then((m) => m.saveProject());
const openFile = (f: File) => files().then((m) => m.openFile(f));
const exportImage = (kind: 'png' | 'svg', shapes: boolean, nodes: Parameters<typeof import('./files').exportImage>[2]) =>
  files().then((m) => m.exportImage(kind, shapes, nodes));

/** The Paste code dialog loads with its first use. */
const PasteCodeDialog = lazy(() => import('../panels/PasteCodeDialog').then((m) => ({ default: m.PasteCodeDialog })));

export function FileMenu() {
  const [pasting, setPasting] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const [shapes, setShapes] = useState(true);
  const empty = useEditor((s) => s.graph.nodes.length === 0);
  const flow = useReactFlow();
  const close = () => menu.current?.removeAttribute('open');
  /** A menu item's click: close the menu, then run the action (called from handlers only: it reads a ref). */
  const act = (f: () => unknown) => {
    close();
    void f();
  };
  return (
    <>
      <button
        type="button"
        onClick={() => input.current?.click()}
        title="Open a Layerlab project, a Keras / tfjs model JSON file, or Keras Python / tfjs code (.py, .ts, .js); or drop it on the page"
      >
        Open…
      </button>
      <button type="button" onClick={() => setPasting(true)} title="Paste Keras Python or tfjs code; the canvas becomes the model it builds">
        Paste code…
      </button>
      {pasting ? (
        <Suspense fallback={null}>
          <PasteCodeDialog onClose={() => setPasting(false)} />
        </Suspense>
      ) : null}
      <input
        ref={input}
        type="file"
        accept=".json,application/json,.py,.ts,.js,.mjs"
        hidden
        data-testid="open-file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void openFile(f);
        }}
      />
      <button type="button" onClick={saveProject} disabled={empty} title="Download the project file (graph, names, positions, training settings)">
        Save
      </button>
      <details className="menu" ref={menu}>
        <summary className={empty ? 'disabled' : ''} aria-disabled={empty}>
          Export ▾
        </summary>
        <div className="menu__items" role="menu">
          <button
            type="button"
            role="menuitem"
            onClick={() => act(() => exportKeras('keras3'))}
            title="The model as Keras 3's model.to_json() writes it; open it in Python with keras.models.model_from_json"
          >
            Keras 3 JSON (keras.models.model_from_json)
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => act(() => exportKeras('keras2'))}
            title="The model as tf.keras 2's model.to_json() writes it; opens with tf.models.modelFromJSON in TensorFlow.js and with model_from_json in Keras 2 and 3"
          >
            Keras 2 / tfjs JSON
          </button>
          <button type="button" role="menuitem" onClick={() => act(() => exportImage('png', shapes, flow.getNodes()))}>
            Diagram as PNG
          </button>
          <button type="button" role="menuitem" onClick={() => act(() => exportImage('svg', shapes, flow.getNodes()))}>
            Diagram as SVG
          </button>
          <label className="menu__check">
            <input type="checkbox" checked={shapes} onChange={(e) => setShapes(e.target.checked)} /> shapes in the diagram
          </label>
          <hr />
          <button type="button" role="menuitem" onClick={() => act(copyShareLink)}>
            Copy share link
          </button>
        </div>
      </details>
    </>
  );
}
