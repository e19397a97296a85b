// @vitest-environment jsdom
/**
 * The model overview on a broken long chain (issue 13): deleting a layer in the middle of a 1,000-layer chain makes
 * every layer after it a problem; the overview lists the causes (the layer left without an input; at most
 * PROBLEMS_LISTED) and counts the layers they cut off on one line, all on a click, instead of drawing 997 entries on
 * every such edit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { analyze } from '../../src/core';
import { useEditor } from '../../src/store/editor';
import { Inspector, PROBLEMS_LISTED } from '../../src/inspector/Inspector';
import { SummaryPanel } from '../../src/panels/SummaryPanel';
import { columnChain } from '../helpers/graphs';

afterEach(cleanup);

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

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
    // The cause (the layer left without its input), then one line for the layers it cuts off from the Input.
    const causes = errors.filter((d) => d.code !== 'graph/unreachable');
    expect(causes.map((d) => d.nodeId)).toEqual([useEditor.getState().graph.nodes.find((n) => n.name === 'dense_3')!.id]);
    const shown = entries(container);
    expect(shown).toEqual([causes[0].message, `${errors.length - 1} layers after it that no Input reaches (dashed on the canvas)`]);
    fireEvent.click(screen.getByRole('button', { name: `Show all ${errors.length} problems (${errors.length - 1} more)` }));
    expect(entries(container)).toEqual(errors.map((d) => d.message));
  });

  it('lists the causes before the layers they cut off, up to PROBLEMS_LISTED causes', () => {
    // Many short chains without their Input edge: each chain's first layer is a cause (no input), the next ones
    // are cut off; the graph lists a cut-off layer before its cause.
    const g = chain(3 * (PROBLEMS_LISTED + 5) + 1);
    const firsts = new Set(g.nodes.filter((_, i) => i % 3 === 1).map((n) => n.id));
    const cut = { ...g, nodes: [...g.nodes].reverse(), edges: g.edges.filter((e) => !firsts.has(e.target)) };
    useEditor.setState({ graph: cut, selection: { nodes: [], edges: [] } });
    const { container } = render(<Inspector />);
    const errors = analyze(cut).diagnostics.filter((d) => d.severity === 'error');
    const causes = errors.filter((d) => d.code !== 'graph/unreachable');
    expect(causes.length).toBeGreaterThan(PROBLEMS_LISTED);
    const shown = entries(container);
    expect(shown.slice(0, PROBLEMS_LISTED)).toEqual(causes.slice(0, PROBLEMS_LISTED).map((d) => d.message));
    expect(shown[PROBLEMS_LISTED]).toBe(`${errors.length - causes.length} layers after them that no Input reaches (dashed on the canvas)`);
    fireEvent.click(screen.getByRole('button', { name: /^Show all/ }));
    const all = entries(container);
    expect(all.slice(0, causes.length)).toEqual(causes.map((d) => d.message));
    expect(new Set(all)).toEqual(new Set(errors.map((d) => d.message)));
  });

  it('a few problems are all listed, with no button', () => {
    const g = chain(6);
    useEditor.setState({ graph: { ...g, edges: g.edges.filter((e) => e !== g.edges[2]) }, selection: { nodes: [], edges: [] } });
    const { container } = render(<Inspector />);
    const errors = analyze(useEditor.getState().graph).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(PROBLEMS_LISTED);
    // All listed, the cause (the layer left without its input) first.
    expect(errors.some((d) => d.code === 'graph/unreachable')).toBe(true);
    const causesFirst = [...errors.filter((d) => d.code !== 'graph/unreachable'), ...errors.filter((d) => d.code === 'graph/unreachable')];
    expect(entries(container)).toEqual(causesFirst.map((d) => d.message));
    expect(screen.queryByRole('button', { name: /Show all/ })).toBeNull();
  });

  it('the summary marks the layer left without its input red and the layers it cuts off muted', () => {
    const g = chain(6);
    useEditor.setState({ graph: { ...g, edges: g.edges.filter((e) => e !== g.edges[2]) }, selection: { nodes: [], edges: [] } });
    const { container } = render(<SummaryPanel />);
    const cls = (name: string) => [...container.querySelectorAll('tbody tr')].find((tr) => tr.textContent?.startsWith(`${name} (`))?.className;
    expect(cls('dense_2')).toBe('');
    expect(cls('dense_3')).toBe('row-error');
    expect(cls('dense_4')).toBe('row-unreached');
    expect(cls('dense_5')).toBe('row-unreached');
  });
});
