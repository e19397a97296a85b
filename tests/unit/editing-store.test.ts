// @vitest-environment jsdom
/**
 * The editor store's editing actions (issue 13): copy / cut / paste as one undo step with the pasted layers
 * selected, a refused paste changing nothing, inserting on an edge, select all / upstream / downstream, typing into
 * one field recorded as one undo step (and what ends a step), and the keyboard: Escape inside an open dialog is the
 * dialog's, Ctrl/Cmd+Shift+↑/↓ select upstream / downstream.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { analyze } from '../../src/core';
import { endTyping, redo, TYPING_PAUSE_MS, undo, useEditor } from '../../src/store/editor';
import { handleShortcut } from '../../src/app/shortcuts';
import { denseChain } from '../helpers/graphs';

const past = () => useEditor.temporal.getState().pastStates.length;
const ids = () => useEditor.getState().graph.nodes.map((n) => n.id);

beforeEach(() => {
  useEditor.setState({ graph: denseChain(4), selection: { nodes: [], edges: [] } });
  useEditor.temporal.getState().clear();
  endTyping();
});
afterEach(() => vi.useRealTimers());

describe('copy, cut, paste', () => {
  it('pastes a copied selection as one undo step, selected, with unique names', () => {
    const s = useEditor.getState();
    s.select({ nodes: ['n1', 'n2'], edges: [] });
    const text = s.copySelection()!;
    expect(past()).toBe(0); // copying is not an edit
    const r = useEditor.getState().paste(text, { x: 400, y: 400 });
    expect(r).toEqual({ ok: true, notes: [] });
    const { graph, selection } = useEditor.getState();
    expect(graph.nodes).toHaveLength(6);
    expect(selection.nodes).toHaveLength(2);
    expect(selection.nodes.every((id) => !['n1', 'n2'].includes(id))).toBe(true);
    expect(selection.edges).toHaveLength(1);
    expect(analyze(graph).diagnostics.filter((d) => d.code.startsWith('name/'))).toEqual([]);
    expect(past()).toBe(1);
    undo();
    expect(ids()).toEqual(['n0', 'n1', 'n2', 'n3']);
  });

  it('cut removes the selection in one step; pasting it back restores the layers', () => {
    useEditor.getState().select({ nodes: ['n3'], edges: [] });
    const text = useEditor.getState().cutSelection()!;
    expect(ids()).toEqual(['n0', 'n1', 'n2']);
    expect(past()).toBe(1);
    useEditor.getState().paste(text);
    expect(useEditor.getState().graph.nodes.map((n) => n.name)).toEqual(['input_layer', 'dense', 'dense_1', 'dense_2']);
    expect(past()).toBe(2);
  });

  it('a refused paste changes nothing and says why', () => {
    const before = useEditor.getState().graph;
    const r = useEditor.getState().paste('{"format":"layerlab-clipboard","version":1,"nodes":[{"id":"a"}],"edges":[]}');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^The clipboard text is malformed at nodes\.0\.kind/);
    expect(useEditor.getState().graph).toBe(before);
    expect(past()).toBe(0);
  });

  it('copy with nothing selected gives nothing', () => {
    expect(useEditor.getState().copySelection()).toBeNull();
    expect(useEditor.getState().cutSelection()).toBeNull();
    expect(past()).toBe(0);
  });
});

describe('selection and insertion', () => {
  it('selects all, upstream and downstream', () => {
    const s = useEditor.getState();
    s.select({ nodes: ['n2'], edges: [] });
    useEditor.getState().selectUpstream();
    expect(useEditor.getState().selection.nodes).toEqual(['n0', 'n1', 'n2']);
    useEditor.getState().select({ nodes: ['n2'], edges: [] });
    useEditor.getState().selectDownstream();
    expect(useEditor.getState().selection.nodes).toEqual(['n2', 'n3']);
    useEditor.getState().selectAll();
    expect(useEditor.getState().selection).toEqual({ nodes: ['n0', 'n1', 'n2', 'n3'], edges: ['e1', 'e2', 'e3'] });
  });

  it('inserts a layer on an edge as one step, selected; a refusal changes nothing', () => {
    expect(useEditor.getState().insertOnEdge('e2', 'Dropout')).toBeNull();
    const { graph, selection } = useEditor.getState();
    expect(graph.nodes).toHaveLength(5);
    expect(graph.nodes.find((n) => n.id === selection.nodes[0])!.kind).toBe('Dropout');
    expect(past()).toBe(1);
    const before = useEditor.getState().graph;
    expect(useEditor.getState().insertOnEdge('e3', 'Conv2D')).toMatch(/^Conv2D cannot go on the connection/);
    expect(useEditor.getState().graph).toBe(before);
  });

  it('keyboard: Ctrl+Shift+↑ selects upstream; Escape inside an open dialog is left to the dialog', () => {
    useEditor.getState().select({ nodes: ['n1'], edges: [] });
    const up = new KeyboardEvent('keydown', { key: 'ArrowUp', ctrlKey: true, shiftKey: true, cancelable: true });
    expect(handleShortcut(up)).toBe(true);
    expect(useEditor.getState().selection.nodes).toEqual(['n0', 'n1']);
    const dialog = document.createElement('dialog');
    dialog.setAttribute('open', '');
    const button = document.createElement('button');
    dialog.append(button);
    document.body.append(dialog);
    const esc = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true });
    let handled: boolean | undefined;
    button.addEventListener('keydown', (e) => (handled = handleShortcut(e)));
    button.dispatchEvent(esc);
    expect(handled).toBe(false);
    expect(esc.defaultPrevented).toBe(false);
    expect(useEditor.getState().selection.nodes).toEqual(['n0', 'n1']);
    dialog.remove();
  });

  it('keyboard: Ctrl+Z on a focused checkbox undoes (no text to undo there); in a text field it is left to the field', () => {
    useEditor.getState().setParam('n1', 'units', 99);
    expect(past()).toBe(1);
    const press = (el: HTMLElement) => {
      document.body.append(el);
      const z = new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, cancelable: true, bubbles: true });
      let handled: boolean | undefined;
      el.addEventListener('keydown', (e) => (handled = handleShortcut(e)));
      el.dispatchEvent(z);
      el.remove();
      return handled;
    };
    const text = document.createElement('input');
    expect(press(text)).toBe(false);
    expect(useEditor.getState().graph.nodes[1].params.units).toBe(99);
    const box = document.createElement('input');
    box.type = 'checkbox';
    expect(press(box)).toBe(true);
    expect(useEditor.getState().graph.nodes[1].params.units).not.toBe(99);
  });
});

describe('typing into a field is one undo step', () => {
  const type = (values: number[], field = 'param:n1:units') => {
    for (const v of values) expect(useEditor.getState().setParam('n1', 'units', v, field)).toBeNull();
  };
  const units = () => useEditor.getState().graph.nodes[1].params.units;

  it('keystrokes of one field are one step; undo goes back to before the first, redo to the last', () => {
    type([1, 12, 128]);
    expect(past()).toBe(1);
    undo();
    expect(units()).toBe(8);
    redo();
    expect(units()).toBe(128);
  });

  it('a change without a field, another field, leaving the field or a pause starts a new step', () => {
    vi.useFakeTimers();
    type([1, 16]);
    useEditor.getState().setParam('n1', 'units', 32); // not typed (a choice, a checkbox)
    expect(past()).toBe(2);
    type([4], 'param:n2:units');
    expect(past()).toBe(3);
    type([5]);
    endTyping();
    type([6]);
    expect(past()).toBe(5);
    vi.advanceTimersByTime(TYPING_PAUSE_MS + 1);
    type([7]);
    expect(past()).toBe(6);
  });

  it('typing after an undo starts a new step and keeps the earlier one', () => {
    type([1, 16]);
    undo();
    type([2, 24]);
    expect(past()).toBe(1);
    undo();
    expect(units()).toBe(8);
  });

  it('renames group the same way', () => {
    for (const n of ['e', 'en', 'enc']) expect(useEditor.getState().rename('n1', n, 'layer-name:n1')).toBeNull();
    expect(past()).toBe(1);
    undo();
    expect(useEditor.getState().graph.nodes[1].name).toBe('dense');
  });
});
