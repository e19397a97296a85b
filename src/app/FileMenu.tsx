/** Toolbar controls for files: Open (picker), Save (project file), Export menu (Keras JSON, PNG, SVG, share link). */
import { useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { copyShareLink, exportImage, exportKeras, openFile, saveProject } from './files';
import { useEditor } from '../store/editor';

export function FileMenu() {
  const input = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  const [shapes, setShapes] = useState(true);
  const empty = useEditor((s) => s.graph.nodes.length === 0);
  const flow = useReactFlow();
  const close = () => menu.current?.removeAttribute('open');
  const act = (f: () => unknown) => () => {
    close();
    void f();
  };
  return (
    <>
      <button type="button" onClick={() => input.current?.click()} title="Open a Layerlab project or a Keras / tfjs model JSON file (or drop it on the page)">
        Open…
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
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
        <summary className={empty ? 'disabled' : ''} aria-disabled={empty}>Export ▾</summary>
        <div className="menu__items" role="menu">
          <button type="button" role="menuitem" onClick={act(exportKeras)}>Keras model JSON</button>
          <button type="button" role="menuitem" onClick={act(() => exportImage('png', shapes, flow.getNodes()))}>Diagram as PNG</button>
          <button type="button" role="menuitem" onClick={act(() => exportImage('svg', shapes, flow.getNodes()))}>Diagram as SVG</button>
          <label className="menu__check">
            <input type="checkbox" checked={shapes} onChange={(e) => setShapes(e.target.checked)} /> shapes in the diagram
          </label>
          <hr />
          <button type="button" role="menuitem" onClick={act(copyShareLink)}>Copy share link</button>
        </div>
      </details>
    </>
  );
}
