/**
 * Opening and saving: project files, Keras / tfjs model JSON, share links, diagram images. Loaded on the
 * first file action (menus, a dropped file, Layout, a share link), not with the editor: it brings the
 * project and Keras readers (zod), dagre and lz-string.
 * Every way in goes through `openText`, which changes the graph only when the whole file was read.
 */
import LZString from 'lz-string';
import { getNodesBounds, type Node as FlowNode } from '@xyflow/react';
import {
  analyze,
  autoLayout,
  chainLayout,
  diagramSvg,
  exportKeras3Json,
  exportKerasJson,
  formatBytes,
  formatCount,
  hasBlocks,
  importKerasJson,
  isChain,
  layeredLayout,
  MAX_IMPORT_BYTES,
  parseProjectJson,
  PROJECT_FORMAT,
  toProjectJson,
  type Graph,
  type LayoutDirection,
  type Project,
} from '../core';
import { elkLayout, ELK_BUDGET_MS, LayoutStopped } from './elkLayout';
import { decodeShareFragment, MAX_SHARE_FRAGMENT, SHARE_PREFIX } from './shareCodec';
import { download } from './download';
import { useEditor } from '../store/editor';
import { analysisOf } from '../store/derived';
import { useUi } from '../store/ui';
import { useView } from '../canvas/view';
import { useGoals } from '../store/goals';
import { beforeReplacingCanvas } from '../store/documents';
import { notesText } from './persistence';
import { importCode, type CodeImportProgress } from '../codeimport/client';
import type { CodeImportResult, CodeLanguage } from '../codeimport/types';
import { keepLayout } from '../codeimport/keepLayout';
import { showImportBanner } from '../canvas/BlockBanner';
import { layoutCollapsed } from '../canvas/blockLayout';

export { download };

/** A file name from the model name: letters, digits, '-', '_' and '.' only. */
const safeName = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 80) || 'model';

/**
 * Opens a project file or a Keras / tfjs model file given as text. On success the graph is replaced
 * (one undo step) and a toast says what was read; on failure a toast says why and nothing changes.
 * @returns true when the file was opened.
 */
export function openText(text: string, fileName: string): boolean {
  const ui = useUi.getState();
  const isProject = text.length < MAX_IMPORT_BYTES && /"format"\s*:\s*"layerlab-project"/.test(text.slice(0, 200));
  if (isProject) {
    const r = parseProjectJson(text);
    if (!r.ok) {
      ui.toast(`${fileName} was not opened: ${r.reason}`);
      return false;
    }
    beforeReplacingCanvas();
    useEditor.getState().loadGraph(r.project.graph);
    useEditor.getState().setTraining(r.project.training);
    useGoals.getState().setGoals(r.project.goals ?? []);
    // A handed-in exercise opens on its checklist.
    if (r.project.goals?.length) ui.setDockTab('goals');
    ui.requestFit();
    ui.toast(`Opened the project ${fileName}.`, 'info');
    const notes = notesText(r.notes, `The project ${fileName}`);
    if (notes) ui.setBanner(notes, [], 'info');
    return true;
  }
  const r = importKerasJson(text, { layout: false });
  if (!r.ok) {
    ui.toast(`${fileName} was not opened: ${r.reason}`);
    return false;
  }
  const a = analyze(r.graph);
  // Nested models kept as blocks come in collapsed, the outer model laid out around their nodes (blockLayout.ts).
  void layoutForPage(r.graph, useEditor.getState().layoutDirection, { collapseBlocks: true }).then((g) => {
    beforeReplacingCanvas();
    useEditor.getState().loadGraph(g);
    ui.requestFit();
    ui.toast(`Opened ${fileName} (${r.format}): ${r.graph.nodes.length} layers, ${formatCount(a.totals.total)} parameters.`, 'info');
    // What the import changed or left out (renamed layers, dead heads, dropped settings) stays on screen until dismissed,
    // with the offer to flatten the nested models it kept as blocks.
    showImportBanner(g, r.warnings.length ? importNotesText(fileName, r.warnings) : null, r.warnings);
  });
  return true;
}

/**
 * The banner's headline for what an import changed; the notes themselves are listed under it, one per line (the
 * banner's items). E.g. "Opened big.json with 2 notes:".
 */
export function importNotesText(fileName: string, warnings: readonly string[]): string {
  return `Opened ${fileName} with ${warnings.length} note${warnings.length === 1 ? '' : 's'}:`;
}

/** Graphs larger than this are laid out by ELK in a worker; smaller ones by dagre at once. */
export const LARGE_GRAPH = 120;

/**
 * Lays a graph out top to bottom (or left to right: `direction` 'LR') without ever hanging or crashing the page: a
 * chain at once as a column (row) (core `chainLayout`, linear time, any length); other small graphs at once with
 * dagre (`autoLayout`); large ones with ELK in a Web Worker with a time budget (ELK_BUDGET_MS) while the banner shows
 * progress and a Cancel button (the page stays usable). When ELK runs out of time, is cancelled or fails, the
 * simple layered layout (core `layeredLayout`, linear-ish, no recursion) is used and a toast says why.
 */
export async function layoutForPage(graph: Graph, direction: LayoutDirection = 'TB', opts: { readonly collapseBlocks?: boolean } = {}): Promise<Graph> {
  // Blocks (Keras nested models) are laid out as one node each, their layers inside (canvas/blockLayout.ts); with
  // `collapseBlocks` (an opened file) they come out collapsed, else each keeps its state.
  if (hasBlocks(graph)) return layoutCollapsed(graph, (g) => flatLayout(g, direction), direction, opts.collapseBlocks ?? false);
  return flatLayout(graph, direction);
}

/** `layoutForPage` for a graph whose blocks, if any, are left to the caller. */
async function flatLayout(graph: Graph, direction: LayoutDirection): Promise<Graph> {
  if (graph.nodes.length > 1 && isChain(graph)) return chainLayout(graph, direction);
  if (graph.nodes.length <= LARGE_GRAPH) return autoLayout(graph, direction);
  const ui = useUi.getState();
  const stop = new AbortController();
  ui.setBanner(`Laying out ${formatCount(graph.nodes.length)} layers…`, [{ label: 'Cancel', run: () => stop.abort() }], 'info');
  try {
    return await elkLayout(graph, { budgetMs: ELK_BUDGET_MS, signal: stop.signal, direction });
  } catch (e) {
    const why = e instanceof LayoutStopped ? e.message : 'ELK failed.';
    useUi.getState().toast(`${why} The ${formatCount(graph.nodes.length)} layers were arranged with a simple layered layout instead.`, 'info');
    return layeredLayout(graph, undefined, direction);
  } finally {
    useUi.getState().setBanner(null);
  }
}

/** The language of a code file by its extension (.py; .ts, .tsx, .js, .mjs, .cjs), or null for other files. */
export function codeLanguageOf(fileName: string): CodeLanguage | null {
  if (/\.py$/i.test(fileName)) return 'python';
  if (/\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/i.test(fileName)) return 'typescript';
  return null;
}

/**
 * Where the layers of a model imported from code go on a canvas that held `previous`: a model with nested models kept
 * as blocks is laid out again as an opened file is (`layoutForPage` with its blocks collapsed: each nested model one
 * node, its layers at that node), since the import's own layout is of the flat graph; then layers whose names survive
 * keep their places and blocks whose names survive their collapsed or expanded state (`keepLayout`).
 */
export async function placeImported(previous: Graph, imported: Graph, direction: LayoutDirection): Promise<{ graph: Graph; kept: number }> {
  const laid = hasBlocks(imported) ? await layoutForPage(imported, direction, { collapseBlocks: true }) : imported;
  return keepLayout(previous, laid);
}

/**
 * Runs Keras Python or tfjs code in its import worker and, when it builds a model, makes the canvas that model in
 * one undo step: layers whose names survive keep their nodes' places (`keepLayout`), others are laid out beside them.
 * A toast says what was read (`label` names the source: a file name, "the pasted code"); what the import changed or
 * ignored goes to the banner — unless `opts.announce` is false (the Code panel says it in its status line). On failure
 * nothing changes and the result says why (the caller shows it).
 * @param onProgress Pyodide's loading progress on the first Python import.
 */
export async function openCode(
  text: string,
  language: CodeLanguage,
  label: string,
  onProgress?: CodeImportProgress,
  opts: { readonly announce?: boolean } = {},
): Promise<CodeImportResult> {
  const r = await importCode(language, text, onProgress);
  if (!r.ok) return r;
  const ui = useUi.getState();
  const previous = useEditor.getState().graph;
  const { graph, kept } = await placeImported(previous, r.graph, useEditor.getState().layoutDirection);
  beforeReplacingCanvas();
  useEditor.getState().loadGraph(graph);
  if (!kept) ui.requestFit();
  if (opts.announce === false) return { ...r, graph };
  const a = analyze(graph);
  ui.toast(`Read ${label}: ${graph.nodes.length} layers, ${formatCount(a.totals.total)} parameters.`, 'info');
  showImportBanner(graph, r.notes.length ? importNotesText(label, r.notes) : null, r.notes);
  return { ...r, graph };
}

/**
 * Reads a File (from the picker or a drop) and opens it: a project or model JSON file, or Keras Python / tfjs code
 * (.py, .ts, .js: run by `openCode`; a failure is toasted with its line). Too-large files are refused before reading.
 */
export async function openFile(file: File): Promise<boolean> {
  if (file.size > MAX_IMPORT_BYTES) {
    useUi
      .getState()
      .toast(`${file.name} is ${formatBytes(file.size)}; Layerlab opens model files up to ${formatBytes(MAX_IMPORT_BYTES)} (topology only, no weights).`);
    return false;
  }
  const language = codeLanguageOf(file.name);
  if (language) {
    const r = await openCode(await file.text(), language, file.name);
    if (!r.ok) useUi.getState().toast(`${file.name} was not opened${r.line ? ` (line ${r.line})` : ''}: ${r.reason}`);
    return r.ok;
  }
  return openText(await file.text(), file.name);
}

/** The project on the canvas as the project file holds it: graph, training settings and exercise goals (when set). */
function currentProject(): Project {
  const { graph, training } = useEditor.getState();
  const { goals } = useGoals.getState();
  return { graph, training, ...(goals.length ? { goals } : {}) };
}

/** Downloads the project file (graph, positions, names, training settings, exercise goals). */
export function saveProject(): void {
  const project = currentProject();
  download(`${safeName(project.graph.name)}.layerlab.json`, toProjectJson(project));
}

/** The two forms of the Keras model JSON export (Export menu). */
export type KerasJsonForm = 'keras3' | 'keras2';

/**
 * Downloads the model as Keras model JSON, `model.to_json()` form: 'keras3' as Keras 3 writes it (for
 * `keras.models.model_from_json`, `<name>.keras3.json`), 'keras2' as tf.keras 2 writes it (also read by
 * tfjs's `tf.models.modelFromJSON` and by Keras 3, `<name>.keras.json`); says why when the graph has errors.
 */
export function exportKeras(form: KerasJsonForm = 'keras2'): void {
  const { graph } = useEditor.getState();
  const r = form === 'keras3' ? exportKeras3Json(graph) : exportKerasJson(graph);
  const label = form === 'keras3' ? 'Keras 3 JSON' : 'Keras 2 / tfjs JSON';
  if (!r.ok) return useUi.getState().toast(`${label} was not exported: ${r.reason}`);
  download(`${safeName(graph.name)}.${form === 'keras3' ? 'keras3' : 'keras'}.json`, r.json);
}

/** A link that opens this page with the whole project (exercise goals included) in its URL fragment (never sent to a server). */
export function shareLink(): string {
  const packed = LZString.compressToEncodedURIComponent(toProjectJson(currentProject()));
  return `${location.origin}${location.pathname}${SHARE_PREFIX}${packed}`;
}

/** Copies the share link to the clipboard (or shows it when the clipboard is refused); refuses a link too long to open. */
export async function copyShareLink(): Promise<void> {
  const link = shareLink();
  const packedLength = link.length - link.indexOf(SHARE_PREFIX) - SHARE_PREFIX.length;
  if (packedLength > MAX_SHARE_FRAGMENT) {
    useUi
      .getState()
      .toast(
        `This model is too large for a share link (${formatCount(packedLength)} characters; links open up to ${formatCount(MAX_SHARE_FRAGMENT)}). Use Save and send the project file instead.`,
      );
    return;
  }
  try {
    await navigator.clipboard.writeText(link);
    useUi.getState().toast(`Share link copied (${formatCount(link.length)} characters). Opening it opens a copy of this model as a new document.`, 'info');
  } catch {
    window.prompt('Copy this link:', link);
  }
}

/**
 * Reads a project from the page's URL fragment, if it holds one, and removes it from the address bar.
 * The fragment is decoded with a budget (`decodeShareFragment`: at most MAX_SHARE_FRAGMENT characters in,
 * MAX_IMPORT_BYTES out), so a crafted link is refused instead of freezing the page.
 * @returns the project JSON text, `{ problem }` (a sentence about the link only) when the fragment is
 *   damaged or too large, or null when there is none. Never throws.
 */
export function takeSharedProject(): string | { problem: string } | null {
  let hash: string;
  try {
    hash = location.hash;
  } catch {
    return null;
  }
  if (!hash.startsWith(SHARE_PREFIX)) return null;
  const packed = hash.slice(SHARE_PREFIX.length);
  try {
    history.replaceState(null, '', location.pathname + location.search);
  } catch {
    /* the address bar keeps the fragment; the project is still read once */
  }
  const r = decodeShareFragment(packed, MAX_IMPORT_BYTES);
  if (!r.ok) return { problem: `The share link could not be opened: ${r.reason}.` };
  if (!r.text.includes(PROJECT_FORMAT))
    return { problem: 'The share link could not be opened: it does not carry a Layerlab project (it may have been cut short).' };
  return r.text;
}

/**
 * Exports the diagram as PNG or SVG, in the spirit of Keras's plot_model: the whole model at 1:1, with or without
 * the tensor shapes. PNG is the canvas as drawn (html-to-image, on the page's background); SVG is drawn from the
 * graph with real SVG elements (core `diagramSvg`).
 */
export async function exportImage(kind: 'png' | 'svg', showShapes: boolean, nodes: FlowNode[]): Promise<void> {
  if (kind === 'svg') {
    // Real SVG elements drawn from the graph (core diagramSvg), not the page's HTML: it opens in any SVG tool.
    const { graph } = useEditor.getState();
    if (!graph.nodes.length) return;
    download(`${safeName(graph.name)}.svg`, diagramSvg(graph, analysisOf(graph), { shapes: showShapes }), 'image/svg+xml');
    return;
  }
  const viewport = document.querySelector<HTMLElement>('.react-flow__viewport');
  const root = document.querySelector<HTMLElement>('.react-flow');
  if (!viewport || !root || !nodes.length) return;
  const bounds = getNodesBounds(nodes);
  const pad = 40;
  const width = Math.ceil(bounds.width + 2 * pad);
  const height = Math.ceil(bounds.height + 2 * pad);
  const background = getComputedStyle(document.documentElement).getPropertyValue('--bg').trim() || '#ffffff';
  root.classList.toggle('export-hide-shapes', !showShapes);
  // The image is drawn at 1:1: nodes and edge labels in full even when the canvas is zoomed out to the far form (lod.ts).
  const restore = !useView.getState().forceDetail;
  useView.getState().setForceDetail(true);
  try {
    if (restore) await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const options = {
      backgroundColor: background,
      width,
      height,
      style: { width: `${width}px`, height: `${height}px`, transform: `translate(${pad - bounds.x}px, ${pad - bounds.y}px) scale(1)` },
    };
    const { toPng } = await import('html-to-image');
    const url = await toPng(viewport, { ...options, pixelRatio: 2 });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${safeName(useEditor.getState().graph.name)}.${kind}`;
    a.click();
  } catch (e) {
    useUi.getState().toast(`The diagram could not be exported: ${(e as Error).message}`);
  } finally {
    root.classList.remove('export-hide-shapes');
    if (restore) useView.getState().setForceDetail(false);
  }
}
