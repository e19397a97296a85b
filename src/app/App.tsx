/** The application shell: toolbar, palette | canvas | inspector, and the bottom dock. */
import { ReactFlowProvider } from '@xyflow/react';
import { Canvas } from '../canvas/Canvas';
import { Palette } from '../canvas/Palette';
import { Inspector } from '../inspector/Inspector';
import { useUi } from '../store/ui';
import { Toolbar } from './Toolbar';
import { Dock } from './Dock';
import { useShortcuts } from './shortcuts';

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

function Banner() {
  const banner = useUi((s) => s.banner);
  if (!banner) return null;
  return (
    <div className="banner" role="status">
      <span>{banner}</span>
      <button type="button" onClick={() => useUi.getState().setBanner(null)}>
        Dismiss
      </button>
    </div>
  );
}

export function App() {
  useShortcuts();
  return (
    <ReactFlowProvider>
      <div className="app">
        <Toolbar />
        <Banner />
        <main className="workspace">
          <Palette />
          <Canvas />
          <Inspector />
        </main>
        <Dock />
        <Toasts />
      </div>
    </ReactFlowProvider>
  );
}
