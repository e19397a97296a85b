// @vitest-environment jsdom
/**
 * Dragging the selected layer does not redraw the inspector (issue 13): it reads the model without positions
 * (store/derived.ts modelOf), so a move commits nothing there; an edit of the layer does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Profiler } from 'react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { useEditor } from '../../src/store/editor';
import { Inspector } from '../../src/inspector/Inspector';
import { columnChain } from '../helpers/graphs';

afterEach(cleanup);

describe('the inspector while a layer moves', () => {
  it('a drag of the selected layer commits nothing in the inspector; a parameter edit does', () => {
    const g = columnChain(4);
    const id = g.nodes.find((n) => n.name === 'dense_2')!.id;
    useEditor.setState({ graph: g, selection: { nodes: [id], edges: [] } });
    let commits = 0;
    render(
      <Profiler id="inspector" onRender={() => commits++}>
        <Inspector />
      </Profiler>,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain('dense_2');
    const c0 = commits;
    for (let i = 1; i <= 5; i++) act(() => useEditor.getState().moveNodes(new Map([[id, { x: 10 * i, y: 5 * i }]]), i < 5));
    expect(useEditor.getState().graph.nodes.find((n) => n.id === id)!.position).toEqual({ x: 50, y: 25 });
    expect(commits).toBe(c0);
    act(() => useEditor.getState().setParam(id, 'units', 12));
    expect(commits).toBeGreaterThan(c0);
    expect((screen.getByLabelText('units') as HTMLInputElement).value).toBe('12');
  });
});
