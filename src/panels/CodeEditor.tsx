/**
 * A code editor (CodeMirror 6) for Python or TypeScript, loaded on first use: none of CodeMirror is in the page's
 * entry or the code panel's chunk until the editor mounts. Controlled from outside: `value` replaces the text when it
 * differs from what the editor holds (the generated code after a canvas change); every edit is reported through
 * `onChange`; Ctrl+Enter / Cmd+Enter calls `onApply`; `errorLine` (1-based) marks a line and scrolls it into view;
 * `highlightLines` (1-based: the lines of the nodes selected on the canvas) are tinted and the first one scrolled into
 * view when the set changes; the user moving the cursor onto a line (click or arrow keys, not a text change) reports
 * that line through `onCursorLine`.
 */
import { useEffect, useRef, useState } from 'react';
import type { EditorView } from '@codemirror/view';
import type { StateEffectType } from '@codemirror/state';
import './codeEditor.css';

export interface CodeEditorProps {
  readonly value: string;
  readonly language: 'python' | 'typescript';
  readonly onChange: (text: string) => void;
  readonly onApply: () => void;
  /** A line to mark as the error's (1-based), or null. */
  readonly errorLine: number | null;
  readonly label: string;
  /** Lines to tint (1-based, ascending): the lines of the nodes selected on the canvas. Out-of-range lines are ignored. */
  readonly highlightLines?: readonly number[];
  /** Called with the line (1-based) the user moved the cursor onto, by a click or a cursor key; not on typing. */
  readonly onCursorLine?: (line: number) => void;
}

const NO_LINES: readonly number[] = [];

/** Everything CodeMirror the editor needs, loaded together with `import()`. */
async function loadCodeMirror() {
  const [cm, view, state, python, javascript] = await Promise.all([
    import('codemirror'),
    import('@codemirror/view'),
    import('@codemirror/state'),
    import('@codemirror/lang-python'),
    import('@codemirror/lang-javascript'),
  ]);
  return { cm, view, state, python, javascript };
}
type CM = Awaited<ReturnType<typeof loadCodeMirror>>;

let loaded: Promise<CM> | null = null;

/** The extensions that depend on the language, swapped in place through a compartment. */
const languageOf = (m: CM, language: CodeEditorProps['language']) =>
  language === 'python' ? m.python.python() : m.javascript.javascript({ typescript: true });

export function CodeEditor({ value, language, onChange, onApply, errorLine, label, highlightLines = NO_LINES, onCursorLine }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const mods = useRef<{
    m: CM;
    lang: InstanceType<CM['state']['Compartment']>;
    setError: StateEffectType<number | null>;
    setLit: StateEffectType<readonly number[]>;
  } | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  // The latest callbacks, read by CodeMirror's handlers (created once).
  const handlers = useRef({ onChange, onApply, onCursorLine });
  useEffect(() => {
    handlers.current = { onChange, onApply, onCursorLine };
  });
  // Set while the editor's text is replaced from `value`, so that change is not reported as the user's edit.
  const external = useRef(false);

  useEffect(() => {
    let cancelled = false;
    loaded ??= loadCodeMirror();
    loaded.then(
      (m) => {
        if (cancelled || !host.current) return;
        const { EditorView: View, keymap, Decoration } = m.view;
        const { EditorState, StateField, StateEffect, Compartment, Prec } = m.state;
        const setError = StateEffect.define<number | null>();
        const errorField = StateField.define({
          create: () => Decoration.none,
          update(deco, tr) {
            for (const e of tr.effects)
              if (e.is(setError)) {
                if (e.value === null || e.value < 1 || e.value > tr.state.doc.lines) return Decoration.none;
                const line = tr.state.doc.line(e.value);
                return Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(line.from)]);
              }
            return tr.docChanged ? Decoration.none : deco;
          },
          provide: (f) => View.decorations.from(f),
        });
        const setLit = StateEffect.define<readonly number[]>();
        const litField = StateField.define({
          create: () => Decoration.none,
          update(deco, tr) {
            for (const e of tr.effects)
              if (e.is(setLit)) {
                const doc = tr.state.doc;
                const marks = [...new Set(e.value)]
                  .filter((n) => n >= 1 && n <= doc.lines)
                  .sort((a, b) => a - b)
                  .map((n) => Decoration.line({ class: 'cm-node-line' }).range(doc.line(n).from));
                return Decoration.set(marks);
              }
            return tr.docChanged ? Decoration.none : deco;
          },
          provide: (f) => View.decorations.from(f),
        });
        const lang = new Compartment();
        const v = new View({
          parent: host.current,
          state: EditorState.create({
            doc: value,
            extensions: [
              Prec.highest(
                keymap.of([
                  {
                    key: 'Mod-Enter',
                    run: () => {
                      handlers.current.onApply();
                      return true;
                    },
                  },
                ]),
              ),
              m.cm.basicSetup,
              lang.of(languageOf(m, language)),
              errorField,
              litField,
              View.lineWrapping,
              View.contentAttributes.of({ 'aria-label': label }),
              View.updateListener.of((u) => {
                if (u.docChanged && !external.current) handlers.current.onChange(u.state.doc.toString());
                // The user moved the cursor (a click or a cursor key; not a text change): report its line.
                else if (u.selectionSet && !u.docChanged && u.transactions.some((tr) => tr.isUserEvent('select')))
                  handlers.current.onCursorLine?.(u.state.doc.lineAt(u.state.selection.main.head).number);
              }),
            ],
          }),
        });
        view.current = v;
        mods.current = { m, lang, setError, setLit };
        setReady(true);
      },
      (e: unknown) => {
        loaded = null;
        if (!cancelled) setFailed(e instanceof Error ? e.message : 'the editor could not be loaded');
      },
    );
    return () => {
      cancelled = true;
      view.current?.destroy();
      view.current = null;
      mods.current = null;
    };
    // Created once; value, language and the error line are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The text from outside (generated code, a revert): replaces the editor's when it differs.
  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    external.current = true;
    try {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    } finally {
      external.current = false;
    }
  }, [value, ready]);

  useEffect(() => {
    const v = view.current;
    const c = mods.current;
    if (v && c) v.dispatch({ effects: c.lang.reconfigure(languageOf(c.m, language)) });
  }, [language, ready]);

  useEffect(() => {
    const v = view.current;
    const c = mods.current;
    if (!v || !c) return;
    const line = errorLine !== null && errorLine >= 1 && errorLine <= v.state.doc.lines ? v.state.doc.line(errorLine) : null;
    v.dispatch({
      effects: [c.setError.of(errorLine), ...(line ? [c.m.view.EditorView.scrollIntoView(line.from, { y: 'center' })] : [])],
    });
  }, [errorLine, ready]);

  // The selected nodes' lines: tinted, the first one scrolled into view when the set of lines changes (not on text
  // changes alone). Keyed by content so that an equal array from a re-render dispatches nothing.
  const litKey = highlightLines.join(',');
  const litShown = useRef('');
  useEffect(() => {
    const v = view.current;
    const c = mods.current;
    if (!v || !c) return;
    const first = highlightLines.find((n) => n >= 1 && n <= v.state.doc.lines);
    const scroll = litKey !== litShown.current && first !== undefined;
    litShown.current = litKey;
    v.dispatch({
      effects: [c.setLit.of(highlightLines), ...(scroll ? [c.m.view.EditorView.scrollIntoView(v.state.doc.line(first).from, { y: 'nearest' })] : [])],
    });
    // highlightLines is read through litKey; value: the decorations are cleared by a text change and set again here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [litKey, value, ready]);

  return (
    <div className="code-editor" data-testid="code-editor">
      {failed ? <p className="code-panel__refused">The code editor could not be loaded: {failed}. Reload the page to try again.</p> : null}
      {!ready && !failed ? <p className="muted code-editor__loading">Loading the editor…</p> : null}
      <div ref={host} className="code-editor__host" />
    </div>
  );
}
