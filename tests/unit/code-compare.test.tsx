// @vitest-environment jsdom
/**
 * The Code panel's compare view and code ↔ canvas linking (issue 11): three columns (Sequential | Functional |
 * Model subclassing) for the purchase predictor; the refused Sequential column lists every core `apiReasons` reason
 * with a link that selects its node; TypeScript's subclassing column gives the generator's reason; lines a form adds
 * are tinted with a legend; selecting a node highlights its lines in every column and in the single editor; a click on
 * a line (or the editor's cursor moved onto one) selects its node.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { CodePanel } from '../../src/panels/CodePanel';
import { useEditor } from '../../src/store/editor';
import { apiReasons, templateById } from '../../src/core';
import { TFJS_NO_SUBCLASSING } from '../../src/codegen';
import { LEAKS } from '../helpers/messages';

const nodeId = (name: string) => useEditor.getState().graph.nodes.find((n) => n.name === name)!.id;
const column = (form: string) => screen.getAllByTestId('compare-column').find((c) => c.getAttribute('data-form') === form)!;
const lines = (form: string) => within(column(form)).queryAllByTestId('compare-line');
const lit = (form: string) => lines(form).filter((l) => l.getAttribute('data-highlighted') === 'true');
const selected = () => [...useEditor.getState().selection.nodes];

function openCompare(language: 'Python (Keras)' | 'TypeScript (tfjs)') {
  render(<CodePanel />);
  fireEvent.click(screen.getByRole('button', { name: language }));
  fireEvent.click(screen.getByRole('button', { name: 'Compare' }));
}

// CodeMirror measures text through Range rects, which jsdom lacks.
beforeAll(() => {
  const empty = () => Object.assign([], { item: () => null }) as unknown as DOMRectList;
  Range.prototype.getClientRects ??= empty;
  Range.prototype.getBoundingClientRect ??= () => new DOMRect();
  // jsdom does not lay out, so it has no scrollIntoView.
  Element.prototype.scrollIntoView ??= () => {};
});

beforeEach(() => {
  useEditor.getState().loadGraph(templateById('purchase-predictor')!.build());
  useEditor.getState().select({ nodes: [], edges: [] });
});
afterEach(cleanup);

describe('compare view', () => {
  it('three columns for the purchase predictor; Sequential lists every reason with a link that selects its node', () => {
    openCompare('Python (Keras)');
    expect(screen.getAllByTestId('compare-column').map((c) => c.getAttribute('data-form'))).toEqual(['sequential', 'functional', 'subclassing']);
    expect(lines('functional').length).toBeGreaterThan(10);
    expect(lines('subclassing').length).toBeGreaterThan(lines('functional').length);
    expect(lines('sequential')).toHaveLength(0);
    const reasons = apiReasons(useEditor.getState().graph);
    expect(reasons.length).toBeGreaterThan(1);
    const items = within(column('sequential')).getAllByRole('listitem');
    expect(items).toHaveLength(reasons.length);
    reasons.forEach((r, i) => {
      expect(items[i].textContent).toContain(r.text);
      expect(items[i].textContent).not.toMatch(LEAKS);
      const link = within(items[i]).getByRole('button');
      fireEvent.click(link);
      expect(selected()).toEqual([r.nodeId]);
    });
  });

  it("TypeScript: the subclassing column shows the generator's reason instead of code", () => {
    openCompare('TypeScript (tfjs)');
    expect(lines('subclassing')).toHaveLength(0);
    expect(within(column('subclassing')).getByTestId('compare-reasons').textContent).toBe(TFJS_NO_SUBCLASSING);
    expect(lines('functional').some((l) => l.textContent!.includes('tf.model('))).toBe(true);
  });

  it('selecting the Concatenate node highlights the lines that build and call it in each column, and only those', () => {
    for (const [language, builds, binds] of [
      ['Python (Keras)', /Concatenate\(/, /\bconcatenate_branches = /],
      ['TypeScript (tfjs)', /\.concatenate\(/, /\bconcatenateBranches = /],
    ] as const) {
      openCompare(language);
      expect(lit('functional')).toHaveLength(0);
      act(() => useEditor.getState().select({ nodes: [nodeId('concatenate_branches')], edges: [] }));
      const forms = language === 'Python (Keras)' ? ['functional', 'subclassing'] : ['functional'];
      for (const form of forms) {
        const text = lit(form).map((l) => l.textContent!);
        const all = lines(form).map((l) => l.textContent!);
        expect(text.length, form).toBeGreaterThan(0);
        // Every line that creates the layer or names its output is highlighted …
        for (const l of all.filter((t) => builds.test(t) || binds.test(t))) expect(text, `${language} ${form}`).toContain(l);
        // … and a line that only reads the output (the next layer's call) is not.
        const reader = lines(form).find((l) => {
          const t = l.textContent!;
          return /concatenate_?[bB]ranches/.test(t) && !builds.test(t) && !binds.test(t) && !t.includes('name');
        });
        expect(reader, `${language} ${form}: a reader line`).toBeDefined();
        expect(reader!.getAttribute('data-highlighted')).toBeNull();
      }
      cleanup();
      act(() => useEditor.getState().select({ nodes: [], edges: [] }));
    }
  });

  it('clicking a line selects its node; a comment line selects nothing', () => {
    openCompare('Python (Keras)');
    const line = lines('functional').find((l) => /^dense_combined = layers\.Dense\(/.test(l.textContent!))!;
    fireEvent.click(line);
    expect(selected()).toEqual([nodeId('dense_combined')]);
    expect(line.getAttribute('data-highlighted')).toBe('true');
    // In the subclassing column, the attribute line of the same layer is highlighted too.
    expect(lit('subclassing').some((l) => l.textContent!.includes('self.dense_combined = layers.Dense('))).toBe(true);
    const comment = lines('functional').find((l) => l.textContent!.startsWith('#'))!;
    fireEvent.click(comment);
    expect(selected()).toEqual([nodeId('dense_combined')]);
  });

  it('from the keyboard: the focused code takes the arrow keys, Home and End, and moving onto a line selects its layers', () => {
    openCompare('Python (Keras)');
    const code = within(column('functional')).getByTestId('compare-code');
    expect(code.tabIndex).toBe(0);
    const all = lines('functional');
    const at = () => all.findIndex((l) => l.getAttribute('aria-current') === 'true');
    // The first key starts at the first line (no node selected); the arrows then move one line.
    fireEvent.keyDown(code, { key: 'ArrowDown' });
    expect(at()).toBe(0);
    const target = all.findIndex((l) => /^dense_combined = layers\.Dense\(/.test(l.textContent!));
    for (let i = 0; i < target; i++) fireEvent.keyDown(code, { key: 'ArrowDown' });
    expect(at()).toBe(target);
    expect(code.getAttribute('aria-activedescendant')).toBe(all[target].id);
    expect(selected()).toEqual([nodeId('dense_combined')]);
    fireEvent.keyDown(code, { key: 'ArrowUp' });
    expect(at()).toBe(target - 1);
    fireEvent.keyDown(code, { key: 'End' });
    expect(at()).toBe(all.length - 1);
    fireEvent.keyDown(code, { key: 'Home' });
    expect(at()).toBe(0);
    // Other keys are left to the page.
    const other = fireEvent.keyDown(code, { key: 'a' });
    expect(other).toBe(true);
  });

  it('lines a form adds are tinted with a legend: the Functional calls against Sequential, the class scaffolding against Functional', () => {
    useEditor.getState().loadGraph(templateById('product-classifier')!.build());
    openCompare('Python (Keras)');
    const added = (form: string) =>
      lines(form)
        .filter((l) => l.getAttribute('data-added') === 'true')
        .map((l) => l.textContent!.trim());
    const layers = useEditor.getState().graph.nodes.filter((n) => n.kind !== 'Input').length;
    // Each layer called on a tensor (its own statement, the first line of which names the layer's output).
    expect(added('functional').filter((l) => / = layers\./.test(l))).toHaveLength(layers);
    expect(within(column('functional')).getByTestId('compare-legend').textContent).toContain('added by the Functional API');
    expect(added('subclassing').some((l) => /^class \w+\(keras\.Model\):$/.test(l))).toBe(true);
    expect(added('subclassing').some((l) => l.startsWith('def call(self, inputs):'))).toBe(true);
    expect(within(column('subclassing')).getByTestId('compare-legend').textContent).toContain('added by Model subclassing');
    expect(added('sequential')).toHaveLength(0);
    expect(within(column('sequential')).queryByTestId('compare-legend')).toBeNull();
  });
});

describe('the single editor', () => {
  it("tints the selected node's lines, and moving the cursor onto a line selects its node", async () => {
    render(<CodePanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Python (Keras)' }));
    // The editor (CodeMirror) is loaded on demand: on a loaded test machine that takes more than waitFor's default 1 s.
    const content = await waitFor(
      () => {
        const c = document.querySelector<HTMLElement>('.cm-content');
        expect(c).not.toBeNull();
        return c!;
      },
      { timeout: 15_000 },
    );
    const view = EditorView.findFromDOM(content)!;
    act(() => useEditor.getState().select({ nodes: [nodeId('concatenate_branches')], edges: [] }));
    const tinted = [...document.querySelectorAll('.cm-node-line')].map((l) => l.textContent);
    expect(tinted.length).toBeGreaterThan(0);
    expect(tinted.some((t) => t!.includes('layers.Concatenate('))).toBe(true);
    expect(tinted.every((t) => !/^dense_combined = /.test(t!))).toBe(true);
    // The cursor moved onto the Dense after the merge, as a click does.
    const doc = view.state.doc;
    let at = -1;
    for (let n = 1; n <= doc.lines; n++) if (/^dense_combined = layers\.Dense\(/.test(doc.line(n).text)) at = doc.line(n).from;
    expect(at).toBeGreaterThanOrEqual(0);
    act(() => view.dispatch({ selection: { anchor: at }, userEvent: 'select.pointer' }));
    expect(selected()).toEqual([nodeId('dense_combined')]);
    // A change of text is not a cursor move: the selection stays.
    act(() => view.dispatch({ changes: { from: 0, insert: '# x\n' }, selection: { anchor: 2 }, userEvent: 'input.type' }));
    expect(selected()).toEqual([nodeId('dense_combined')]);
  });
});

describe('a refused Sequential form', () => {
  it('offers the Functional code only when the Functional code can be written; otherwise it says why not', () => {
    render(<CodePanel />);
    fireEvent.click(screen.getByRole('button', { name: 'Python (Keras)' }));
    fireEvent.click(screen.getByRole('button', { name: /^Sequential/ }));
    expect(screen.getByRole('button', { name: 'Show the Functional code' })).toBeTruthy();
    // A layer connected to nothing: the model has an error, and the Functional code is refused too.
    act(() => void useEditor.getState().addLayer('Dense', { x: 900, y: 900 }));
    expect(screen.queryByRole('button', { name: 'Show the Functional code' })).toBeNull();
    const status = screen.getAllByRole('status').map((e) => e.textContent ?? '');
    expect(status.some((t) => /error|not connected|reach/i.test(t))).toBe(true);
  });
});
