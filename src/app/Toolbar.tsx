/** The top bar: templates, new, files, recent documents, undo / redo, layout, fit, and the autosave's state. */
import { useStore } from 'zustand';
import { emptyGraph } from '../core';
import { redo, undo, useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { TemplateGallery } from './TemplateGallery';
import { FileMenu } from './FileMenu';
import { DocumentsMenu } from './DocumentsMenu';
import { SaveState } from './SaveState';
import { beforeReplacingCanvas } from '../store/documents';
import { useView, type Theme } from '../canvas/view';

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'Theme: auto', light: 'Theme: light', dark: 'Theme: dark' };

export function Toolbar() {
  const canUndo = useStore(useEditor.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(useEditor.temporal, (t) => t.futureStates.length > 0);
  const empty = useEditor((s) => s.graph.nodes.length === 0);
  const view = useView();
  return (
    <header className="toolbar">
      <span className="brand">Layerlab</span>
      <TemplateGallery />
      <button
        type="button"
        onClick={() => {
          beforeReplacingCanvas();
          useEditor.getState().loadGraph(emptyGraph());
        }}
        disabled={empty}
        title="Start a new, empty model (the current one stays in Recent; undo brings it back here)"
      >
        New
      </button>
      <FileMenu />
      <DocumentsMenu />
      <span className="toolbar__sep" />
      <button type="button" onClick={undo} disabled={!canUndo} title="Undo (Ctrl+Z)">
        Undo
      </button>
      <button type="button" onClick={redo} disabled={!canRedo} title="Redo (Ctrl+Shift+Z)">
        Redo
      </button>
      <button
        type="button"
        onClick={() => {
          // Only positions change, applied to the graph as it is when the layout is ready.
          void import('./files')
            .then((m) => m.layoutForPage(useEditor.getState().graph))
            .then((g) => {
              useEditor.getState().moveNodes(new Map(g.nodes.map((n) => [n.id, n.position])), false);
              useUi.getState().requestFit();
            });
        }}
        disabled={empty}
        title="Arrange the layers top to bottom (undo restores the old positions)"
      >
        Layout
      </button>
      <button type="button" onClick={() => useUi.getState().requestFit()} disabled={empty} title="Fit the whole model in view">
        Fit
      </button>
      <button type="button" onClick={view.requestReadable} disabled={empty} title="Zoom until the layers can be read, the model's inputs in view">
        Zoom to read
      </button>
      <button type="button" onClick={view.toggleMinimap} aria-pressed={view.minimap} title={view.minimap ? 'Hide the minimap' : 'Show the minimap'}>
        Minimap
      </button>
      <button
        type="button"
        onClick={() => view.setTheme(NEXT_THEME[view.theme])}
        title="Colour theme: auto follows the system; click for light, dark, auto (remembered)"
        data-testid="theme-switch"
      >
        {THEME_LABEL[view.theme]}
      </button>
      <span className="toolbar__spacer" />
      <SaveState />
      <span className="toolbar__sep" />
      <span className="toolbar__hint">Del delete · Ctrl+D duplicate · Ctrl+A select all · arrows nudge</span>
    </header>
  );
}
