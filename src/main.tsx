import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/app.css';
import { ErrorBoundary } from './app/ErrorBoundary';

// The page paints the line below at once, from a small entry (React and this file). Then two chunks load in
// parallel: the editor (App: canvas, palette, inspector, dock, the core) and the autosave (persistence.ts:
// IndexedDB, the project reader and its schema, zod). Saved work is restored before the app renders, so the
// empty start canvas is never autosaved over it. startPersistence never rejects; its catch is a last guard
// (also for a chunk that fails to load: the editor then starts without the autosave).
const root = createRoot(document.getElementById('root')!);
root.render(<p className="booting">Opening your saved work…</p>);
const editor = import('./app/App');
const restored = import('./app/persistence').then((m) => m.startPersistence()).catch((e) => console.error('Layerlab: starting the autosave failed', e));
void Promise.all([editor, restored]).then(
  ([{ App }]) =>
    root.render(
      <StrictMode>
        <ErrorBoundary area="Layerlab" page>
          <App />
        </ErrorBoundary>
      </StrictMode>,
    ),
  (e: unknown) =>
    root.render(
      <p className="booting" role="alert">
        Layerlab could not load its editor ({e instanceof Error ? e.message : 'the download failed'}). Your saved work is untouched: reload the page to try
        again.
      </p>,
    ),
);
