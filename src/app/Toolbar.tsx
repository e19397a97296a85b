/**
 * The top bar: templates, new, files, recent documents, undo / redo, layout, fit, a View menu (zoom to read, layout
 * direction, minimap, theme) and the autosave's state. It fits on one line down to 1024 px; the keyboard hints show only where there is
 * room.
 */
import { useRef } from 'react';
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
import type { LayoutDirection } from '../core';

/**
 * Lays the model out in the chosen direction (editor store `layoutDirection`; app/files.ts `layoutForPage`) and fits
 * it in view. Only positions change, applied to the graph as it is when the layout is ready: one undo step.
 */
function tidy(): void {
  void import('./files')
    .then((m) => m.layoutForPage(useEditor.getState().graph, useEditor.getState().layoutDirection))
    .then((g) => {
      useEditor.getState().moveNodes(new Map(g.nodes.map((n) => [n.id, n.position])), false);
      useUi.getState().requestFit();
    });
}

const DIRECTIONS: readonly { direction: LayoutDirection; label: string; title: string }[] = [
  { direction: 'TB', label: 'Layout top to bottom', title: 'Layout puts the inputs on top, each layer below the layers it reads' },
  { direction: 'LR', label: 'Layout left to right', title: 'Layout puts the inputs on the left, each layer right of the layers it reads' },
];

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'Theme: auto', light: 'Theme: light', dark: 'Theme: dark' };

export function Toolbar() {
  const canUndo = useStore(useEditor.temporal, (t) => t.pastStates.length > 0);
  const canRedo = useStore(useEditor.temporal, (t) => t.futureStates.length > 0);
  const empty = useEditor((s) => s.graph.nodes.length === 0);
  const direction = useEditor((s) => s.layoutDirection);
  const view = useView();
  const viewMenu = useRef<HTMLDetailsElement>(null);
  const closeView = () => viewMenu.current?.removeAttribute('open');
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
        onClick={tidy}
        disabled={empty}
        title={`Arrange the layers ${direction === 'LR' ? 'left to right' : 'top to bottom'} (undo restores the old positions; View ▾ changes the direction)`}
      >
        Layout
      </button>
      <button type="button" onClick={() => useUi.getState().requestFit()} disabled={empty} title="Fit the whole model in view">
        Fit
      </button>
      <details className="menu" ref={viewMenu}>
        <summary title="Zoom, layout direction, minimap and colour theme">View ▾</summary>
        <div className="menu__items" role="menu">
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              closeView();
              view.requestReadable();
            }}
            disabled={empty}
            title="Zoom until the layers can be read, the model's inputs in view"
          >
            Zoom to read
          </button>
          {DIRECTIONS.map((d) => (
            <button
              key={d.direction}
              type="button"
              role="menuitemradio"
              aria-checked={direction === d.direction}
              onClick={() => {
                closeView();
                useEditor.getState().setLayoutDirection(d.direction);
                if (!empty) tidy();
              }}
              title={d.title}
              data-testid={`layout-${d.direction}`}
            >
              {direction === d.direction ? '✓ ' : ''}
              {d.label}
            </button>
          ))}
          <button
            type="button"
            role="menuitemcheckbox"
            aria-checked={view.minimap}
            onClick={() => {
              closeView();
              view.toggleMinimap();
            }}
            title={view.minimap ? 'Hide the minimap' : 'Show the minimap'}
          >
            {view.minimap ? '✓ ' : ''}Minimap
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => view.setTheme(NEXT_THEME[view.theme])}
            title="Colour theme: auto follows the system; click for light, dark, auto (remembered)"
            data-testid="theme-switch"
          >
            {THEME_LABEL[view.theme]}
          </button>
        </div>
      </details>
      <span className="toolbar__spacer" />
      <SaveState />
      <span className="toolbar__sep" />
      <span className="toolbar__hint">Del delete · Ctrl+D duplicate · Ctrl+A select all · arrows nudge</span>
    </header>
  );
}
