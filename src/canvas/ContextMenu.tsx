/**
 * The canvas's context menu (right click, Shift+F10 or the ContextMenu key): on a layer (Delete, Duplicate, Call
 * again, Copy, Cut, Select upstream / downstream, Group into a block…, and for a layer of a block that block's
 * actions), on a block (Expand / Collapse, Repeat ×N…, Rename…, Ungroup, Delete, Duplicate, Copy, Cut), on a connection (Delete, Insert a layer
 * here…) and on the empty canvas (Paste, Add layer…, Select all, Fit view). "Insert a layer here…" and "Add layer…" turn
 * the menu into a searchable list of layer kinds. Keyboard: arrows / Home / End move, Enter or Space acts, Escape
 * closes (or goes back from the list), Tab stays inside. Styled like the toolbar's menus (app.css `.menu__items`).
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { create } from 'zustand';
import { blockById, LAYER_DEFS, type XY } from '../core';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { modelOf } from '../store/derived';
import { pasteText, readClipboard, writeClipboard } from './clipboardActions';
import { blockRouting } from './blockView';
import { useBlockDialog } from './BlockDialog';
import './contextMenu.css';

/** What the menu was opened on. */
export type MenuTarget =
  | { readonly kind: 'node'; readonly nodeId: string }
  | { readonly kind: 'block'; readonly blockId: string }
  | { readonly kind: 'edge'; readonly edgeId: string }
  | { readonly kind: 'pane' };

/** An open menu: its target, where it shows (client pixels) and the canvas point it was opened at (canvas pixels; new layers go there). */
export interface MenuRequest {
  readonly target: MenuTarget;
  readonly client: XY;
  readonly at?: XY;
}

interface MenuState {
  readonly menu: MenuRequest | null;
  /** Counts the menus opened: each opening starts a fresh menu (its list closed, focus on its first item). */
  readonly seq: number;
  open(menu: MenuRequest): void;
  close(): void;
}

/** The open context menu (canvas UI state: not part of the model, not in the history). */
export const useContextMenu = create<MenuState>()((set, get) => ({
  menu: null,
  seq: 0,
  open(menu) {
    set({ menu, seq: get().seq + 1 });
  },
  close() {
    set({ menu: null });
  },
}));

/**
 * Selects `nodeId` alone unless it is already selected (the menu then acts on the whole selection); for a block, its
 * layers unless they all are.
 */
export function selectForMenu(target: MenuTarget): void {
  const s = useEditor.getState();
  if (target.kind === 'node' && !s.selection.nodes.includes(target.nodeId)) s.select({ nodes: [target.nodeId], edges: [] });
  if (target.kind === 'block') {
    const members = blockRouting(modelOf(s.graph)).interfaces.get(target.blockId)?.members ?? [];
    if (!members.every((m) => s.selection.nodes.includes(m))) s.select({ nodes: [...members], edges: [] });
  }
  if (target.kind === 'edge' && !s.selection.edges.includes(target.edgeId)) s.select({ nodes: [], edges: [target.edgeId] });
}

interface Item {
  readonly label: string;
  readonly keys?: string;
  readonly run?: () => void;
  /** Why the item is disabled (its tooltip). */
  readonly disabled?: string;
  readonly title?: string;
  /** The item changes the menu (to the list of kinds) instead of closing it. */
  readonly stays?: boolean;
}

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';
const toast = (reason: string | null) => reason && useUi.getState().toast(reason);

function itemsFor(menu: MenuRequest, list: (mode: 'insert' | 'add') => void, fit: () => void): (Item | 'sep')[] {
  const s = useEditor.getState();
  const t = menu.target;
  if (t.kind === 'node') {
    const node = s.graph.nodes.find((n) => n.id === t.nodeId);
    const many = s.selection.nodes.length > 1;
    return [
      { label: many ? `Delete ${s.selection.nodes.length} layers` : 'Delete', keys: 'Del', run: () => s.removeSelection() },
      { label: 'Duplicate', keys: `${mod}D`, run: () => s.duplicateSelection() },
      {
        label: 'Call again (shared layer)',
        run: () => toast(s.callAgain(t.nodeId)),
        title: 'A further call of this layer with the same weights, to wire to another tensor',
        disabled: node?.kind === 'Input' ? `'${node.name}' is an Input: connect its output to several layers instead of calling it again.` : undefined,
      },
      'sep',
      { label: 'Copy', keys: `${mod}C`, run: () => void writeClipboardOf(s.copyNote(), s.copySelection()) },
      { label: 'Cut', keys: `${mod}X`, run: () => void writeClipboardOf(s.copyNote(), s.cutSelection()) },
      'sep',
      { label: 'Select upstream', keys: `${mod}⇧↑`, run: () => s.selectUpstream(), title: 'Every layer that feeds the selection' },
      { label: 'Select downstream', keys: `${mod}⇧↓`, run: () => s.selectDownstream(), title: 'Every layer the selection feeds' },
      'sep',
      {
        label: 'Group into a block…',
        run: () => useBlockDialog.getState().open({ kind: 'group' }),
        title: 'Make the selected layers one Keras nested model (a Functional model used as a layer), drawn as one node',
        disabled: node?.block !== undefined && !many ? `'${node.name}' already belongs to block '${blockById(s.graph, node.block)?.name ?? ''}'.` : undefined,
      },
      ...(node?.block !== undefined ? ['sep' as const, ...blockItems(node.block, true)] : []),
    ];
  }
  if (t.kind === 'block') {
    const members = blockRouting(modelOf(s.graph)).interfaces.get(t.blockId)?.members.length ?? 0;
    return [
      ...blockItems(t.blockId, false),
      'sep',
      { label: `Delete block (${members} layer${members === 1 ? '' : 's'})`, keys: 'Del', run: () => s.removeSelection() },
      { label: 'Duplicate block', keys: `${mod}D`, run: () => s.duplicateSelection(), title: 'A new block with copies of its layers (weights of its own)' },
      { label: 'Copy', keys: `${mod}C`, run: () => void writeClipboardOf(null, s.copySelection()) },
      { label: 'Cut', keys: `${mod}X`, run: () => void writeClipboardOf(null, s.cutSelection()) },
    ];
  }
  if (t.kind === 'edge')
    return [
      { label: 'Delete connection', keys: 'Del', run: () => s.removeEdges([t.edgeId]) },
      { label: 'Insert a layer here…', run: () => list('insert'), stays: true, title: 'Split this connection with a new layer' },
    ];
  return [
    {
      label: 'Paste',
      keys: `${mod}V`,
      run: () =>
        void readClipboard().then((text) =>
          text === null ? toast(`The browser did not let Layerlab read the clipboard: press ${mod}V on the canvas instead.`) : pasteText(text, menu.at),
        ),
    },
    { label: 'Add layer…', run: () => list('add'), stays: true },
    'sep',
    { label: 'Select all', keys: `${mod}A`, run: () => s.selectAll(), disabled: s.graph.nodes.length ? undefined : 'The canvas is empty.' },
    { label: 'Fit view', run: fit, disabled: s.graph.nodes.length ? undefined : 'The canvas is empty.' },
  ];
}

/**
 * The actions on block `blockId`: Expand or Collapse, Repeat ×N…, Rename…, Ungroup (each naming the block when `named`, in
 * the menu of one of its layers).
 */
function blockItems(blockId: string, named: boolean): Item[] {
  const s = useEditor.getState();
  const b = blockById(s.graph, blockId);
  if (!b) return [];
  const of = named ? ` block '${b.name}'` : '';
  return [
    b.collapsed
      ? { label: `Expand${of}`, run: () => s.setBlockCollapsed(blockId, false), title: 'Show its layers in place (double-click)' }
      : { label: `Collapse${of}`, run: () => s.setBlockCollapsed(blockId, true), title: 'Draw it as one node' },
    {
      label: `Repeat${of} ×N…`,
      run: () => useBlockDialog.getState().open({ kind: 'repeat', blockId }),
      title: 'Chain N more copies (weights of their own) or calls (shared weights) after it',
    },
    {
      label: `Rename${of}…`,
      run: () => useBlockDialog.getState().open({ kind: 'rename', blockId }),
      title: 'The nested model’s Keras name (or double-click the title of its frame when expanded)',
    },
    { label: `Ungroup${of}`, run: () => toast(s.ungroupBlock(blockId)), title: 'Its layers join the outer model' },
  ];
}

/** A shortcut as aria-keyshortcuts writes it: 'Ctrl+C' → 'Control+C', '⌘C' → 'Meta+C', 'Del' → 'Delete'. */
const ariaKeys = (keys: string): string =>
  keys.replace('Ctrl+', 'Control+').replace('⌘', 'Meta+').replace('⇧', 'Shift+').replace('↑', 'ArrowUp').replace('↓', 'ArrowDown').replace(/^Del$/, 'Delete');

/** Writes `text` (when there is one) to the clipboard, first saying `note` (what the copy leaves out) when there is one. */
const writeClipboardOf = (note: string | null, text: string | null) => {
  if (text !== null && note) useUi.getState().toast(note, 'info');
  return text === null ? Promise.resolve() : writeClipboard(text);
};

/** Moves focus among the enabled items of `root` (ArrowUp / ArrowDown / Home / End); true when the key was one of these. */
function moveFocus(root: HTMLElement | null, key: string): boolean {
  if (!root || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(key)) return false;
  const items = [...root.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')];
  if (!items.length) return true;
  const i = items.indexOf(document.activeElement as HTMLElement);
  const next = key === 'Home' ? 0 : key === 'End' ? items.length - 1 : key === 'ArrowDown' ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
  items[next].focus();
  return true;
}

/** The searchable list of layer kinds ("Insert a layer here…", "Add layer…"); Enter in the search picks the first match. */
function KindList({ mode, onPick, onBack }: { mode: 'insert' | 'add'; onPick: (kind: string) => void; onBack: () => void }) {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const kinds = LAYER_DEFS.filter(
    (d) => (mode === 'add' || d.inputs.max > 0) && (!q || d.kind.toLowerCase().includes(q) || d.description.toLowerCase().includes(q)),
  );
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <>
      <input
        ref={input}
        className="ctxmenu__search"
        type="search"
        placeholder={mode === 'insert' ? 'Layer to insert…' : 'Layer to add…'}
        aria-label={mode === 'insert' ? 'Search the layer to insert' : 'Search the layer to add'}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && kinds.length) {
            e.preventDefault();
            onPick(kinds[0].kind);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onBack();
          } else if (e.key === 'ArrowDown') {
            e.preventDefault();
            (e.currentTarget.parentElement?.querySelector('[role="menuitem"]') as HTMLElement | null)?.focus();
          }
        }}
      />
      <div className="ctxmenu__list">
        {kinds.map((d) => (
          <button key={d.kind} type="button" role="menuitem" title={d.description} onClick={() => onPick(d.kind)}>
            {d.kind}
          </button>
        ))}
        {kinds.length ? null : <p className="ctxmenu__none">No layer matches “{query}”.</p>}
      </div>
    </>
  );
}

/** The context menu, when one is open (useContextMenu). `fit` fits the view to the model. */
export function ContextMenu({ fit }: { fit: () => void }) {
  const menu = useContextMenu((s) => s.menu);
  const seq = useContextMenu((s) => s.seq);
  return menu ? <OpenMenu key={seq} menu={menu} fit={fit} /> : null;
}

function OpenMenu({ menu, fit }: { menu: MenuRequest; fit: () => void }) {
  const close = useContextMenu((s) => s.close);
  const [mode, setMode] = useState<'items' | 'insert' | 'add'>('items');
  const root = useRef<HTMLDivElement>(null);

  // Keep the menu inside the window (placed on the element directly: a layout fact, not state), then focus its first item.
  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    el.style.left = `${Math.max(4, Math.min(menu.client.x, window.innerWidth - r.width - 4))}px`;
    el.style.top = `${Math.max(4, Math.min(menu.client.y, window.innerHeight - r.height - 4))}px`;
    if (mode === 'items') el.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [menu, mode]);

  // A press outside the menu closes it.
  useEffect(() => {
    const down = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('pointerdown', down, true);
    return () => document.removeEventListener('pointerdown', down, true);
  }, [close]);

  const act = (f?: () => void) => {
    close();
    f?.();
  };
  const pick = (kind: string) => {
    const s = useEditor.getState();
    const at = menu.at ? { x: Math.round(menu.at.x - 90), y: Math.round(menu.at.y - 30) } : undefined;
    close();
    if (mode === 'insert' && menu.target.kind === 'edge') toast(s.insertOnEdge(menu.target.edgeId, kind, at));
    else s.addLayer(kind, at ?? { x: 0, y: 0 });
  };
  const onKeyDown = (e: KeyboardEvent) => {
    // The page's shortcuts (Escape clears the selection, arrows nudge) do not see keys meant for the menu.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      if (mode !== 'items') setMode('items');
      else close();
    } else if (e.key === 'Tab') e.preventDefault();
    else if (moveFocus(root.current, e.key)) e.preventDefault();
  };
  const label =
    menu.target.kind === 'node'
      ? 'Layer actions'
      : menu.target.kind === 'block'
        ? 'Block actions'
        : menu.target.kind === 'edge'
          ? 'Connection actions'
          : 'Canvas actions';
  return (
    <div
      ref={root}
      className="menu__items ctxmenu"
      role="menu"
      aria-label={label}
      data-testid="context-menu"
      style={{ left: menu.client.x, top: menu.client.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {mode === 'items' ? (
        itemsFor(menu, setMode, fit).map((it, i) =>
          it === 'sep' ? (
            <hr key={`sep${i}`} />
          ) : (
            <button
              key={it.label}
              type="button"
              role="menuitem"
              aria-disabled={it.disabled ? true : undefined}
              className={it.disabled ? 'disabled' : undefined}
              title={it.disabled ?? it.title}
              aria-keyshortcuts={it.keys ? ariaKeys(it.keys) : undefined}
              onClick={() => (it.disabled ? undefined : it.stays ? it.run?.() : act(it.run))}
            >
              <span>{it.label}</span>
              {it.keys ? <kbd aria-hidden="true">{it.keys}</kbd> : null}
            </button>
          ),
        )
      ) : (
        <KindList mode={mode} onPick={pick} onBack={() => setMode('items')} />
      )}
    </div>
  );
}
