/**
 * The Code panel's compare view (issue 11): the model in the three Keras APIs side by side — Sequential, Functional,
 * Model subclassing — in one language, read-only, one scrolling column each. A form that cannot express the model
 * shows, in place of code, every reason (core `outerApiReasons`: nested models as layers, each with a link that selects its node on the canvas) or
 * the generator's reason (TypeScript has no Model subclassing). Lines a form adds relative to the simpler form
 * (codegen `formSpecific`: Functional against Sequential, subclassing against Functional) are tinted, with a legend.
 * Linked to the canvas both ways through the editor store's selection: the lines of the selected nodes
 * (`lineNodes`) are highlighted and the first one scrolled into view in each column; a click on a line selects its
 * node(s).
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { outerApiReasons, type ApiReason, type Graph, type TrainingSettings } from '../core';
import { formSpecific, generatePython, generateTypeScript, type ApiForm, type CodeResult } from '../codegen';
import { useEditor } from '../store/editor';
import './codeCompare.css';

/** One column of the compare view: a form's program (or why there is none) and its marks. */
export interface CompareColumn {
  readonly form: ApiForm;
  readonly title: string;
  readonly result: CodeResult;
  /** One entry per line of the program: true for a line this form adds (see `compareColumns`); empty when refused. */
  readonly added: readonly boolean[];
  /** What the tint means ("added by the Functional API"), or null when the column marks nothing. */
  readonly legend: string | null;
  /** Every reason Sequential is impossible (Sequential column only, when refused and core names reasons), else []. */
  readonly reasons: readonly ApiReason[];
}

const TITLES: Readonly<Record<ApiForm, string>> = { sequential: 'Sequential', functional: 'Functional', subclassing: 'Model subclassing' };
/** The form each form is compared with to find the lines it adds. */
const BASE: Readonly<Record<ApiForm, ApiForm | null>> = { sequential: null, functional: 'sequential', subclassing: 'functional' };
const LEGEND: Readonly<Record<ApiForm, string>> = {
  sequential: '',
  functional: 'added by the Functional API (not in the Sequential code)',
  subclassing: 'added by Model subclassing (not in the Functional code)',
};

/**
 * The three columns of the compare view for `graph` in `lang`: each form's program from the code generators, the
 * lines it adds — Functional against Sequential, subclassing against Functional (codegen `formSpecific`; none when the
 * form compared with has no program) — and, for a refused Sequential column, every reason from core `outerApiReasons`.
 * Pure: no React state.
 */
export function compareColumns(graph: Graph, training: TrainingSettings, lang: 'typescript' | 'python'): CompareColumn[] {
  const gen = lang === 'typescript' ? generateTypeScript : generatePython;
  const forms: ApiForm[] = ['sequential', 'functional', 'subclassing'];
  const results = new Map(forms.map((f) => [f, gen(graph, training, f)] as const));
  return forms.map((form) => {
    const result = results.get(form)!;
    const base = BASE[form];
    const other = base ? results.get(base)! : null;
    const added = result.ok && other?.ok ? formSpecific(result, other) : [];
    const reasons = form === 'sequential' && !result.ok ? outerApiReasons(graph) : [];
    return { form, title: TITLES[form], result, added, legend: added.some(Boolean) ? LEGEND[form] : null, reasons };
  });
}

/** The names of the nodes `ids` (for a line's tooltip), or the ids themselves when a node is gone. */
function namesOf(graph: Graph, ids: readonly string[]): string {
  return ids.map((id) => `'${graph.nodes.find((n) => n.id === id)?.name ?? id}'`).join(', ');
}

const selectNodes = (ids: readonly string[]) => useEditor.getState().select({ nodes: [...ids], edges: [] });

/** One column: the program as lines (highlighted, tinted, clickable) or the reasons there is none. */
function Column({ column, graph, selected }: { column: CompareColumn; graph: Graph; selected: ReadonlySet<string> }) {
  const body = useRef<HTMLDivElement>(null);
  const { result, added } = column;
  const lines = useMemo(() => (result.ok ? result.code.replace(/\n$/, '').split('\n') : []), [result]);
  const lit = useMemo(() => (result.ok ? result.lineNodes.map((ids) => ids.some((id) => selected.has(id))) : []), [result, selected]);
  const first = lit.indexOf(true);
  // The keyboard's line (arrow keys, Home, End, Page Up / Down in the focused code): moving onto a line selects its
  // layers, as a click does. -1 until the code is first focused.
  const [cursor, setCursor] = useState(-1);
  const moveTo = (i: number) => {
    const at = Math.max(0, Math.min(lines.length - 1, i));
    setCursor(at);
    body.current?.querySelector<HTMLElement>(`[data-line="${at + 1}"]`)?.scrollIntoView({ block: 'nearest' });
    if (result.ok && result.lineNodes[at].length) selectNodes(result.lineNodes[at]);
  };
  const onKey = (e: KeyboardEvent<HTMLPreElement>) => {
    const page = Math.max(1, Math.floor((body.current?.clientHeight ?? 200) / 18) - 1);
    const to: Record<string, number> = {
      ArrowDown: cursor + 1,
      ArrowUp: cursor - 1,
      Home: 0,
      End: lines.length - 1,
      PageDown: cursor + page,
      PageUp: cursor - page,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    moveTo(cursor < 0 && e.key !== 'End' ? Math.max(0, first) : to[e.key]);
  };
  const lineId = (i: number) => `compare-${column.form}-line-${i + 1}`;
  // The first run of highlighted lines (a statement written over several lines) into view, inside the column only
  // (the page and the dock do not move): left alone when wholly visible, else its first line a third down.
  useEffect(() => {
    const box = body.current;
    if (!box || first < 0) return;
    let last = first;
    while (lit[last + 1]) last++;
    const start = box.querySelector<HTMLElement>(`[data-line="${first + 1}"]`);
    const end = box.querySelector<HTMLElement>(`[data-line="${last + 1}"]`);
    if (!start || !end) return;
    const origin = box.getBoundingClientRect().top - box.scrollTop;
    const top = start.getBoundingClientRect().top - origin;
    const bottom = end.getBoundingClientRect().bottom - origin;
    if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    // lit changes with selected; first and selected say when to look again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first, selected]);

  return (
    <section className="code-compare__column" data-testid="compare-column" data-form={column.form} aria-label={`${column.title} code`}>
      <h3 className="code-compare__title">{column.title}</h3>
      {column.legend ? (
        <p className="code-compare__legend small" data-testid="compare-legend">
          <span className="code-compare__swatch" aria-hidden="true" /> {column.legend}
        </p>
      ) : null}
      <div className="code-compare__body" ref={body}>
        {result.ok ? (
          <pre
            className="code-compare__code"
            data-testid="compare-code"
            tabIndex={0}
            aria-label={`${column.title} code: the arrow keys move between lines and select each line's layers on the canvas`}
            aria-activedescendant={cursor >= 0 ? lineId(cursor) : undefined}
            onKeyDown={onKey}
          >
            {lines.map((text, i) => {
              const ids = result.lineNodes[i];
              return (
                <div
                  key={i}
                  id={lineId(i)}
                  data-line={i + 1}
                  aria-current={i === cursor ? 'true' : undefined}
                  data-testid="compare-line"
                  data-highlighted={lit[i] ? 'true' : undefined}
                  data-added={added[i] ? 'true' : undefined}
                  className={`code-compare__line${lit[i] ? ' code-compare__line--lit' : ''}${added[i] ? ' code-compare__line--added' : ''}${ids.length ? ' code-compare__line--linked' : ''}${i === cursor ? ' code-compare__line--cursor' : ''}`}
                  title={ids.length ? `Select ${namesOf(graph, ids)} on the canvas` : undefined}
                  onClick={() => {
                    setCursor(i);
                    if (ids.length) selectNodes(ids);
                  }}
                >
                  {text || ' '}
                </div>
              );
            })}
          </pre>
        ) : column.reasons.length ? (
          <div className="code-compare__refused" role="status" data-testid="compare-reasons">
            <p>The {column.title} API cannot express this model:</p>
            <ul>
              {column.reasons.map((r, i) => (
                <li key={i}>
                  {r.text}
                  {r.nodeId ? (
                    <>
                      {' '}
                      <button type="button" className="linklike link" onClick={() => selectNodes([r.nodeId!])}>
                        Show {namesOf(graph, [r.nodeId])}
                      </button>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="code-compare__refused" role="status" data-testid="compare-reasons">
            {result.reason}
          </p>
        )}
      </div>
    </section>
  );
}

/** The compare view: three read-only columns in `lang`, linked to the canvas selection (see the file comment). */
export function CodeCompare({ lang }: { lang: 'typescript' | 'python' }) {
  const graph = useEditor((s) => s.graph);
  const training = useEditor((s) => s.training);
  const selection = useEditor((s) => s.selection.nodes);
  const columns = useMemo(() => compareColumns(graph, training, lang), [graph, training, lang]);
  const selected = useMemo(() => new Set(selection), [selection]);
  return (
    <div className="code-compare" data-testid="code-compare">
      {columns.map((c) => (
        <Column key={c.form} column={c} graph={graph} selected={selected} />
      ))}
    </div>
  );
}
