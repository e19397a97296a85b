import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './app/app.css';
import { App } from './app/App';
import { useEditor } from './store/editor';
import { useUi } from './store/ui';
import { restoreAutosave, startAutosave } from './store/autosave';
import { parseProjectJson } from './core';
import { takeSharedProject } from './app/files';

const saved = restoreAutosave();
if (saved && 'problem' in saved) useUi.getState().setBanner(saved.problem);
else if (saved) useEditor.setState({ graph: saved.graph, training: saved.training });
// A share link's project replaces the canvas; the autosaved work stays one Undo away.
const shared = takeSharedProject();
if (shared && typeof shared === 'object') useUi.getState().setBanner(shared.problem);
else if (shared) {
  const r = parseProjectJson(shared);
  if (r.ok) {
    useEditor.temporal.getState().clear();
    useEditor.getState().loadGraph(r.project.graph);
    useEditor.getState().setTraining(r.project.training);
    useUi.getState().setBanner('Opened the project from the share link. Undo brings back what was on your canvas before.');
  } else useUi.getState().setBanner(`The share link could not be read (${r.reason}); your saved work was opened instead.`);
}
if (!shared || typeof shared === 'object') useEditor.temporal.getState().clear();
startAutosave();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
