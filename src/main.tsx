import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/app.css';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { startPersistence } from './app/persistence';

// Saved work is restored before the app renders, so the empty start canvas is never autosaved over it
// (IndexedDB answers asynchronously). startPersistence never rejects; the catch is a last guard.
const root = createRoot(document.getElementById('root')!);
root.render(<p className="booting">Opening your saved work…</p>);
void startPersistence()
  .catch((e) => console.error('Layerlab: starting the autosave failed', e))
  .finally(() =>
    root.render(
      <StrictMode>
        <ErrorBoundary area="Layerlab" page>
          <App />
        </ErrorBoundary>
      </StrictMode>,
    ),
  );
