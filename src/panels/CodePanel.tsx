/**
 * The code panel: the model as TypeScript for tfjs or Python for Keras, in the Sequential or the Functional API, in
 * an editor (CodeEditor: CodeMirror, loaded on first use), with Copy and Download. When Sequential is impossible the
 * panel says why and names the node (a click selects it).
 * Both ways: the user edits the code and presses Apply (or Ctrl+Enter / Cmd+Enter); the code runs in its import
 * worker and the canvas becomes the model it builds, in one undo step, with the layers whose names survive in their
 * places. While the user has edits not applied, a change on the canvas does not overwrite them ("Edited — Apply or
 * Revert"); after an Apply the editor keeps the applied text until the canvas changes.
 * Compare (issue 11) shows the three Keras APIs side by side, read-only (CodeCompare). Linked to the canvas: the lines
 * of the selected nodes are tinted in the editor (while it shows the generated code) and the first one scrolled into
 * view; moving the cursor onto a line selects the node(s) it builds.
 */
import { useMemo, useState } from 'react';
import { useEditor } from '../store/editor';
import { useUi } from '../store/ui';
import { explainApi } from '../codegen/api';
import { generateTypeScript, usesCustomLayers } from '../codegen/typescript';
import { customLayersModuleText } from '../runtime/layers/moduleText';
import { generatePython } from '../codegen/python';
import { formatCount } from '../core/format';
import { analysisOf } from '../store/derived';
import type { Graph } from '../core';
import { CodeEditor } from './CodeEditor';
import { CodeCompare } from './CodeCompare';

type Lang = 'typescript' | 'python';
type Form = 'sequential' | 'functional';

/** What the status line says: an import running, its failure (with the line), or what was applied. */
type Status =
  | { readonly kind: 'busy'; readonly text: string }
  | { readonly kind: 'error'; readonly text: string; readonly line: number | null }
  | { readonly kind: 'ok'; readonly text: string; readonly notes: readonly string[] };

const LANGUAGE_LABEL: Readonly<Record<Lang, string>> = { typescript: 'TypeScript', python: 'Python' };

export function CodePanel() {
  const graph = useEditor((s) => s.graph);
  const training = useEditor((s) => s.training);
  const [lang, setLang] = useState<Lang>('typescript');
  const [formChoice, setForm] = useState<Form | null>(null);
  /** The user's edits not applied yet, per language. */
  const [drafts, setDrafts] = useState<Partial<Record<Lang, string>>>({});
  /** The text last applied and the graph it made: shown until the canvas changes. */
  const [applied, setApplied] = useState<{ lang: Lang; text: string; graph: Graph } | null>(null);
  const [status, setStatus] = useState<Status | null>(null);
  const [compare, setCompare] = useState(false);
  const selection = useEditor((s) => s.selection.nodes);
  const api = useMemo(() => explainApi(graph), [graph]);
  // Until the user picks a form: Sequential when the graph allows it, Functional otherwise.
  const form: Form = formChoice ?? (api.sequential ? 'sequential' : 'functional');
  const result = useMemo(
    () => (lang === 'typescript' ? generateTypeScript(graph, training, form) : generatePython(graph, training, form)),
    [graph, training, form, lang],
  );
  // When the Sequential form is refused: would the Functional code work? Offered only then; otherwise its reason.
  const functional = useMemo(
    () =>
      form === 'sequential' && !api.sequential && !result.ok
        ? lang === 'typescript'
          ? generateTypeScript(graph, training, 'functional')
          : generatePython(graph, training, 'functional')
        : null,
    [graph, training, form, lang, api.sequential, result.ok],
  );
  const draft = drafts[lang];
  const showingApplied = draft === undefined && applied !== null && applied.lang === lang && applied.graph === graph;
  const generated = result.ok ? result.code : '';
  const text = draft ?? (showingApplied ? applied.text : generated);
  const edited = draft !== undefined;
  const busy = status?.kind === 'busy';
  // The lines of the selected nodes, while the editor shows the generated code (an edit or an applied text has no map).
  const linked = !edited && !showingApplied && result.ok ? result : null;
  const highlightLines = useMemo(() => {
    if (!linked || !selection.length) return [];
    const ids = new Set(selection);
    return linked.lineNodes.flatMap((nodes, i) => (nodes.some((id) => ids.has(id)) ? [i + 1] : []));
  }, [linked, selection]);
  const onCursorLine = (line: number) => {
    const ids = linked?.lineNodes[line - 1];
    if (!ids?.length) return;
    const now = useEditor.getState().selection;
    if (now.edges.length === 0 && now.nodes.length === ids.length && ids.every((id) => now.nodes.includes(id))) return;
    useEditor.getState().select({ nodes: [...ids], edges: [] });
  };

  const setDraft = (value: string | undefined) => setDrafts((d) => ({ ...d, [lang]: value }));
  const onChange = (value: string) => {
    // Typing back exactly what is shown without edits is no edit.
    setDraft(value === (showingApplied ? applied.text : generated) ? undefined : value);
    if (status?.kind === 'ok') setStatus(null);
  };
  const revert = () => {
    setDraft(undefined);
    setApplied(null);
    setStatus(null);
  };
  const apply = async () => {
    if (busy || !text.trim()) return;
    const language = lang;
    setStatus({ kind: 'busy', text: language === 'python' ? 'Running the Python code…' : 'Running the code…' });
    const { openCode } = await import('../app/files');
    const r = await openCode(
      text,
      language,
      `the ${LANGUAGE_LABEL[language]} code`,
      (stage, fraction) => setStatus({ kind: 'busy', text: fraction !== undefined && fraction < 1 ? `${stage} (${Math.round(fraction * 100)} %)` : stage }),
      { announce: false },
    );
    if (!r.ok) {
      setStatus({ kind: 'error', text: r.line ? `Line ${r.line}: ${r.reason}` : r.reason, line: r.line ?? null });
      return;
    }
    setDrafts((d) => ({ ...d, [language]: undefined }));
    setApplied({ lang: language, text, graph: r.graph });
    // Counted as the inspector counts them (Inputs included).
    const layers = r.graph.nodes.length;
    const total = analysisOf(r.graph).totals.total;
    setStatus({
      kind: 'ok',
      text: `Applied: ${formatCount(layers)} layer${layers === 1 ? '' : 's'}, ${formatCount(total)} parameters.`,
      notes: r.notes,
    });
  };

  const editorShown = edited || showingApplied || result.ok;
  if (!graph.nodes.length && !edited)
    return (
      <p className="muted pad">
        Code for the model appears here once the canvas has layers. To start from code, use <strong>Paste code…</strong> in the toolbar, or open a .py, .ts or
        .js file.
      </p>
    );
  const copy = async () => {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      useUi.getState().toast('Code copied to the clipboard.', 'info');
    } catch {
      useUi.getState().toast('The browser refused clipboard access; select the code and copy it by hand.');
    }
  };
  const custom = lang === 'typescript' && usesCustomLayers(graph);
  const save = (content: string, file: string) => {
    const blob = new Blob([content], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = file;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const download = () => {
    if (!text) return;
    save(text, `${graph.name || 'model'}_${form}.${lang === 'typescript' ? 'ts' : 'py'}`);
  };
  const select = () => api.nodeId && useEditor.getState().select({ nodes: [api.nodeId], edges: [] });
  const pickForm = (f: Form) => {
    setForm(f);
    setApplied(null);
  };
  return (
    <div className="code-panel code-panel--editor">
      <div className="code-panel__bar">
        <div className="segmented" role="group" aria-label="Language">
          <button type="button" aria-pressed={lang === 'typescript'} onClick={() => setLang('typescript')}>
            TypeScript (tfjs)
          </button>
          <button type="button" aria-pressed={lang === 'python'} onClick={() => setLang('python')}>
            Python (Keras)
          </button>
        </div>
        <div className="segmented">
          <button type="button" aria-pressed={compare} onClick={() => setCompare((c) => !c)} title="The model in the three Keras APIs side by side">
            Compare
          </button>
        </div>
        {compare ? null : (
          <div className="segmented" role="group" aria-label="API">
            <button type="button" aria-pressed={form === 'sequential'} onClick={() => pickForm('sequential')}>
              Sequential{api.sequential ? '' : ' ✕'}
            </button>
            <button type="button" aria-pressed={form === 'functional'} onClick={() => pickForm('functional')}>
              Functional
            </button>
          </div>
        )}
        <span className="toolbar__spacer" />
        {compare ? null : (
          <>
            <button
              type="button"
              className={edited ? 'primary' : undefined}
              onClick={() => void apply()}
              disabled={busy || !text.trim()}
              title="Run this code and make the canvas the model it builds (Ctrl+Enter); Undo reverts"
            >
              Apply
            </button>
            <button type="button" onClick={revert} disabled={!edited && !showingApplied} title="Drop your edits and show the code generated from the canvas">
              Revert
            </button>
            <button type="button" onClick={copy} disabled={!text}>
              Copy
            </button>
            <button type="button" onClick={download} disabled={!text}>
              Download
            </button>
          </>
        )}
        {custom ? (
          <button
            type="button"
            onClick={() => save(customLayersModuleText(), 'layerlab-layers.ts')}
            title="The Keras layers tfjs 4.22 lacks, as tfjs custom layers: the generated code imports this file"
          >
            layerlab-layers.ts
          </button>
        ) : null}
      </div>
      {/* In compare mode the Sequential column gives every reason. */}
      {compare ? null : (
        <p className={`code-panel__why${api.sequential ? '' : ' code-panel__why--no'}`} data-testid="api-explanation">
          {api.explanation}
          {api.nodeId ? (
            <>
              {' '}
              <button type="button" className="linklike link" onClick={select}>
                Show the layer
              </button>
            </>
          ) : null}
        </p>
      )}
      {compare ? null : (
        <div className="code-panel__status" data-testid="code-status" role="status">
          {status ? (
            <span className={`code-panel__message code-panel__message--${status.kind}`} data-testid={`code-status-${status.kind}`}>
              {status.text}
              {status.kind === 'ok' && status.notes.length ? (
                <span className="muted small code-panel__notes" data-testid="code-status-notes">
                  {' '}
                  {status.notes.slice(0, 2).join(' ')}
                  {status.notes.length > 2 ? ` (and ${status.notes.length - 2} more)` : ''}
                </span>
              ) : null}
            </span>
          ) : edited ? (
            <span className="code-panel__message code-panel__message--edited" data-testid="code-edited">
              Edited — Apply or Revert. The canvas does not change the code while you edit it.
            </span>
          ) : showingApplied ? null : (
            <span className="muted">Edit the code and press Apply (Ctrl+Enter) to change the model; Undo reverts.</span>
          )}
          {status && status.kind !== 'busy' && edited ? (
            <span className="muted" data-testid="code-edited">
              Edited — Apply or Revert.
            </span>
          ) : null}
        </div>
      )}
      {compare ? <CodeCompare lang={lang} /> : null}
      {!compare && !result.ok && !edited && !showingApplied ? (
        form === 'sequential' && !api.sequential && functional?.ok ? (
          <p className="code-panel__refused" role="status">
            No Sequential code for this model.{' '}
            <button type="button" className="linklike link" onClick={() => pickForm('functional')}>
              Show the Functional code
            </button>
          </p>
        ) : functional && !functional.ok ? (
          <p className="code-panel__refused" role="status">
            {functional.reason}
          </p>
        ) : (
          <p className="code-panel__refused" role="status">
            {result.reason}
          </p>
        )
      ) : null}
      {!compare && editorShown ? (
        <>
          <CodeEditor
            value={text}
            language={lang}
            onChange={onChange}
            onApply={() => void apply()}
            errorLine={status?.kind === 'error' ? status.line : null}
            label={`${LANGUAGE_LABEL[lang]} code of the model`}
            highlightLines={highlightLines}
            onCursorLine={onCursorLine}
          />
          {/* The text as plain text for find-in-page tools and tests (the editor renders only the visible lines). */}
          <pre className="sr-only" data-testid="code" aria-hidden="true">
            {text}
          </pre>
        </>
      ) : null}
    </div>
  );
}
