// @vitest-environment jsdom
/**
 * The summary follows an edit after the canvas (issue 13): the store update that an edit makes renders at once
 * (the canvas repaints), and the summary table — its rows computed for the whole model, about 10 ms on a 1,000-layer
 * chain — changes in the deferred render that follows, which React may interrupt; it then shows the edited model.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Profiler } from 'react';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { useEditor } from '../../src/store/editor';
import { SummaryPanel } from '../../src/panels/SummaryPanel';
import { columnChain } from '../helpers/graphs';

afterEach(cleanup);

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

describe('summary as a deferred value of the model', () => {
  // A Sequential summary has no Input row: n − 1 rows.
  it('an edit renders first without the new summary, which follows in the next render', async () => {
    useEditor.setState({ graph: chain(6), selection: { nodes: [], edges: [] } });
    let renders = 0;
    const Probe = () => {
      renders++;
      useEditor((s) => s.graph);
      return null;
    };
    const { getByTestId } = render(
      <>
        <Probe />
        <SummaryPanel />
      </>,
    );
    const rows = () => getByTestId('summary-table').getAttribute('data-rows');
    expect(rows()).toBe('5');
    // Outside act: React renders the store update as it would in the page (a sync render, then the deferred one).
    const prev = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    try {
      const r0 = renders;
      useEditor.setState({ graph: chain(9) });
      await Promise.resolve();
      await Promise.resolve();
      expect(renders).toBe(r0 + 1); // the urgent render has happened ...
      expect(rows()).toBe('5'); // ... and the summary still shows the model before the edit
      await waitFor(() => expect(rows()).toBe('8'));
    } finally {
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = prev;
    }
    // Inside act (tests, and React flushing all work) the summary is current at once.
    act(() => useEditor.setState({ graph: chain(4) }));
    expect(rows()).toBe('3');
  });

  it('moving layers does not redraw the summary (a drag); an edit does', () => {
    useEditor.setState({ graph: chain(6), selection: { nodes: [], edges: [] } });
    let commits = 0;
    const { getByTestId } = render(
      <Profiler id="summary" onRender={() => commits++}>
        <SummaryPanel />
      </Profiler>,
    );
    const c0 = commits;
    const ids = useEditor.getState().graph.nodes.map((n) => n.id);
    for (let i = 1; i <= 5; i++) act(() => useEditor.getState().moveNodes(new Map([[ids[2], { x: 10 * i, y: 7 * i }]]), i > 1));
    expect(useEditor.getState().graph.nodes.find((n) => n.id === ids[2])!.position).toEqual({ x: 50, y: 35 });
    expect(commits).toBe(c0);
    act(() => useEditor.setState({ graph: chain(4) }));
    expect(commits).toBeGreaterThan(c0);
    expect(getByTestId('summary-table').getAttribute('data-rows')).toBe('3');
  });
});
