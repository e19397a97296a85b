/** The application shell: toolbar, palette | canvas | inspector, and the bottom dock. */
import { useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas';
import { Palette } from '../canvas/Palette';
import { Inspector } from '../inspector/Inspector';
import { useUi } from '../store/ui';
import { Toolbar } from './Toolbar';
import { Dock } from './Dock';
import { useShortcuts } from './shortcuts';
import { ErrorBoundary } from './ErrorBoundary';
import './overlays.css';
import { whenIdle } from '../store/idle';

function Toasts() {
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" aria-live="assertive">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.tone}`} role="alert">
          <span>{t.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => useUi.getState().dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** The banner over the workspace: its text, the notes listed under it (one per line, scrolling past a few), its buttons and Dismiss. */
export function Banner() {
  const banner = useUi((s) => s.banner);
  const actions = useUi((s) => s.bannerActions);
  const tone = useUi((s) => s.bannerTone);
  const items = useUi((s) => s.bannerItems);
  if (!banner) return null;
  return (
    <div className={`banner banner--${tone}`} role="status">
      {items.length ? (
        <div className="banner__text">
          <span>{banner}</span>
          <ul className="banner__items">
            {items.map((t, i) => (
              <li key={i}>{t}</li>
            ))}
          </ul>
        </div>
      ) : (
        <span>{banner}</span>
      )}
      {actions.map((a) => (
        <button key={a.label} type="button" onClick={a.run}>
          {a.label}
        </button>
      ))}
      <button type="button" onClick={() => useUi.getState().setBanner(null)}>
        Dismiss
      </button>
    </div>
  );
}

/** Opens a model or project file dropped anywhere on the page; shows a drop target while dragging one. */
function useFileDrop(): boolean {
  const [over, setOver] = useState(false);
  // The first file opened finds its readers loaded and an ELK worker started: in idle time after start, files.ts
  // (67 KB) loads and elkLayout.ts starts one worker (its 1.6 MB script compiled ahead: 120-215 ms less per layout
  // of a large non-chain model).
  useEffect(() => {
    let on = true;
    whenIdle(() => {
      if (!on) return;
      void import('./files');
      void import('./elkLayout').then(({ prestartElk }) => on && prestartElk());
    });
    return () => {
      on = false;
    };
  }, []);
  useEffect(() => {
    const hasFiles = (e: DragEvent) => !!e.dataTransfer?.types.includes('Files');
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(true);
    };
    const onLeave = (e: DragEvent) => {
      if (e.relatedTarget === null) setOver(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setOver(false);
      const f = e.dataTransfer?.files[0];
      // files.ts (the readers, dagre) loads with the first file opened.
      if (f) void import('./files').then((m) => m.openFile(f));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);
  return over;
}

export function App() {
  useShortcuts();
  const dropping = useFileDrop();
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <main className="workspace">
          <Banner />
          <ErrorBoundary area="the palette" slot="palette">
            <Palette />
          </ErrorBoundary>
          <ErrorBoundary area="the canvas" slot="canvas">
            <Canvas />
          </ErrorBoundary>
          <ErrorBoundary area="the inspector" slot="inspector">
            <Inspector />
          </ErrorBoundary>
          <Toasts />
        </main>
        <ErrorBoundary area="the bottom panel">
          <Dock />
        </ErrorBoundary>
        {dropping ? <div className="drop-overlay">Drop a Keras / tfjs model JSON or a Layerlab project to open it</div> : null}
      </div>
    </ReactFlowProvider>
  );
}
