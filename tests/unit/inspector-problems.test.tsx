// @vitest-environment jsdom
/**
 * The model overview on a broken long chain (issue 13): deleting a layer in the middle of a 1,000-layer chain makes
 * every layer after it a problem; the overview lists the first PROBLEMS_LISTED (the first is the layer left without
 * an input) and offers the rest on a click, instead of drawing 997 entries on every such edit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { analyze, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { Inspector, PROBLEMS_LISTED } from '../../src/inspector/Inspector';

afterEach(cleanup);

/** Input (8) and n − 1 Dense(8) layers. */
const chain = (n: number): Graph =>
  buildGraph('chain', (b) => {
    let x = b.add('Input', { shape: [8] }, 'in');
    for (let i = 1; i < n; i++) x = b.add('Dense', { units: 8 }, `dense_${i}`, [x]);
  });

/** The overview's problem entries (the buttons in the diagnostics list). */
const entries = (c: HTMLElement) => [...c.querySelectorAll('.diagnostics li')].map((li) => li.textContent);

describe('model overview problems', () => {
  it('a chain broken by a delete lists the first problems and the count of the rest, all on request', () => {
    useEditor.setState({ graph: chain(1000), selection: { nodes: [], edges: [] } });
    const { container } = render(<Inspector />);
    expect(entries(container)).toEqual([]);
    const cut = useEditor.getState().graph.nodes.find((n) => n.name === 'dense_2')!;
    useEditor.getState().select({ nodes: [cut.id], edges: [] });
    act(() => useEditor.getState().removeSelection());
    const errors = analyze(useEditor.getState().graph).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(900);
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(`${errors.length} problems`);
    const shown = entries(container);
    expect(shown).toEqual(errors.slice(0, PROBLEMS_LISTED).map((d) => d.message));
    expect(shown[0]).toMatch(/dense_3/);
    fireEvent.click(screen.getByRole('button', { name: `Show all ${errors.length} problems (${errors.length - PROBLEMS_LISTED} more)` }));
    expect(entries(container)).toEqual(errors.map((d) => d.message));
  });

  it('a few problems are all listed, with no button', () => {
    const g = chain(6);
    useEditor.setState({ graph: { ...g, edges: g.edges.filter((e) => e !== g.edges[2]) }, selection: { nodes: [], edges: [] } });
    const { container } = render(<Inspector />);
    const errors = analyze(useEditor.getState().graph).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(PROBLEMS_LISTED);
    expect(entries(container)).toEqual(errors.map((d) => d.message));
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });
});
