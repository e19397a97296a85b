import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/app.css';
import { App } from './app/App';
import { useEditor } from './store/editor';
import { useUi } from './store/ui';
import { restoreAutosave, startAutosave } from './store/autosave';

const saved = restoreAutosave();
if (saved && 'problem' in saved) useUi.getState().setBanner(saved.problem);
else if (saved) {
  useEditor.setState({ graph: saved.graph, training: saved.training });
  useEditor.temporal.getState().clear();
}
startAutosave();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
