// @vitest-environment jsdom
/**
 * The model's name is edited in the inspector (nothing selected) through the same rule the validator, the
 * project reader and the importer use (`checkModelName`): a refused name stays red with the reason and the
 * model keeps its last valid name; an old project whose model name Keras 3 refuses loads flagged and can be fixed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { analyze, parseProjectJson, renameModel, toProjectJson, DEFAULT_TRAINING } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';

const graph = (name = 'm') =>
  buildGraph(name, (b) => {
    const x = b.add('Input', { shape: [4] }, 'in');
    b.add('Dense', { units: 2 }, 'out', [x]);
  });

beforeEach(() => useEditor.setState({ graph: graph(), selection: { nodes: [], edges: [] } }));
afterEach(cleanup);

describe('renameModel', () => {
  it('accepts a valid name and refuses what Keras 3 or generated code cannot hold, each with its reason', () => {
    const g = graph();
    const ok = renameModel(g, 'purchase_predictor');
    expect(ok.ok && ok.graph.name).toBe('purchase_predictor');
    const refused = (name: string) => {
      const r = renameModel(g, name);
      return r.ok ? null : r.reason;
    };
    expect(refused('a/b')).toMatch(/'\/'.*Keras 3/);
    expect(refused('evil\u202Ename')).toMatch(/U\+202E/);
    expect(refused('x'.repeat(201))).toMatch(/at most 200 characters/);
    expect(refused('')).toMatch(/needs a name/);
  });
});

describe('the model name field', () => {
  it('renames the model at once; a refused name stays red with the reason and the model keeps its name', () => {
    render(<Inspector />);
    const field = screen.getByLabelText('name');
    fireEvent.change(field, { target: { value: 'classifier' } });
    expect(useEditor.getState().graph.name).toBe('classifier');
    fireEvent.change(field, { target: { value: 'block/one' } });
    expect(screen.getByRole('alert').textContent).toMatch(/Keras 3 refuses/);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(useEditor.getState().graph.name).toBe('classifier');
  });

  it('fixes an old project whose model name has a "/": it loads flagged, and the rename clears the error', () => {
    const text = toProjectJson({ graph: graph('old/name'), training: DEFAULT_TRAINING });
    const r = parseProjectJson(text);
    if (!r.ok) throw new Error(r.reason);
    expect(analyze(r.project.graph).diagnostics.some((d) => d.severity === 'error' && /old\/name/.test(d.message))).toBe(true);
    useEditor.setState({ graph: r.project.graph, selection: { nodes: [], edges: [] } });
    render(<Inspector />);
    fireEvent.change(screen.getByLabelText('name'), { target: { value: 'old_name' } });
    expect(analyze(useEditor.getState().graph).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
