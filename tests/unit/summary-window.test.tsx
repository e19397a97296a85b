// @vitest-environment jsdom
/**
 * The summary table on big models (issue 13): from WINDOW_FROM rows on, only the rows in view of the panel's scroll
 * container are in the page, spacer rows keep the scroll height, scrolling brings the rows there, copying gives the
 * whole table; smaller models draw every row as before. jsdom has no layout: the scroll container's height and the
 * table body's offset are set on the elements.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/react';
import { analyze, chainLayout, summarize, type Graph } from '../../src/core';
import { buildGraph } from '../../src/core/templates/build';
import { useEditor } from '../../src/store/editor';
import { SummaryPanel, WINDOW_FROM, summaryTableText, visibleRows } from '../../src/panels/SummaryPanel';
import { columnChain } from '../helpers/graphs';

afterEach(cleanup);

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

/** A model with a branch (Functional: a Connected to column). */
const branching = (n: number): Graph =>
  chainLayout(
    buildGraph('branching', (b) => {
      let x = b.add('Input', { shape: [8] }, 'in');
      for (let i = 1; i < n; i += 3) {
        const l = b.add('Dense', { units: 8 }, `left_${i}`, [x]);
        const r = b.add('Dense', { units: 8 }, `right_${i}`, [x]);
        x = b.add('Add', {}, `add_${i}`, [l, r]);
      }
    }),
  );

function mount(graph: Graph) {
  useEditor.setState({ graph, selection: { nodes: [], edges: [] } });
  const { container } = render(
    <div data-testid="scroller" style={{ overflowY: 'auto', height: 400 }}>
      <SummaryPanel />
    </div>,
  );
  const table = container.querySelector<HTMLTableElement>('[data-testid="summary-table"]')!;
  const dataRows = () => [...table.querySelectorAll('tbody tr:not(.summary__spacer)')];
  const spacers = () => [...table.querySelectorAll<HTMLElement>('tbody tr.summary__spacer')].map((t) => parseFloat(t.style.height));
  return { container, table, dataRows, spacers };
}

describe('visibleRows', () => {
  it('takes the rows in view and OVERSCAN either side, clamped to the table', () => {
    // 23 px rows, body 2,300 px above the view top (row 100 at the top), 460 px of view: rows 100–120 in view.
    const r = visibleRows(1000, 23, -2300, 460);
    expect(r.start).toBeLessThanOrEqual(100);
    expect(r.end).toBeGreaterThanOrEqual(120);
    expect(r.end - r.start).toBeLessThan(80);
    expect(visibleRows(1000, 23, 50, 460).start).toBe(0);
    expect(visibleRows(1000, 23, -23 * 1000, 460).end).toBe(1000);
    // A hidden tab (no height): the first rows.
    expect(visibleRows(1000, 23, 0, 0)).toEqual({ start: 0, end: 60 });
  });
});

describe('windowed summary table', () => {
  it(`a model under ${WINDOW_FROM} layers draws every row and no spacer`, () => {
    const { dataRows, spacers } = mount(chain(12));
    expect(dataRows()).toHaveLength(summarize(chain(12), analyze(chain(12))).rows.length);
    expect(spacers()).toEqual([]);
  });

  it('a 1,000-layer chain draws a screenful of rows and one spacer for the rest', () => {
    const g = chain(1000);
    const rows = summarize(g, analyze(g)).rows;
    const { table, dataRows, spacers } = mount(g);
    expect(table.dataset.rows).toBe(String(rows.length));
    const drawn = dataRows();
    expect(drawn.length).toBeGreaterThan(10);
    expect(drawn.length).toBeLessThan(150);
    expect(drawn[0].textContent).toContain(`${rows[0].name} (${rows[0].className})`);
    // One spacer after the drawn rows, as tall as the rows it stands for (23 px each until a row is measured).
    const sp = spacers();
    expect(sp).toHaveLength(1);
    expect(sp[0]).toBeCloseTo((rows.length - drawn.length) * 23, 5);
  });

  it('scrolling to the middle draws the rows there, with spacers above and below', async () => {
    const g = chain(1000);
    const rows = summarize(g, analyze(g)).rows;
    const { container, table, dataRows, spacers } = mount(g);
    const scroller = container.querySelector<HTMLElement>('[data-testid="scroller"]')!;
    const tbody = table.querySelector('tbody')!;
    Object.defineProperty(scroller, 'clientHeight', { configurable: true, value: 460 });
    scroller.getBoundingClientRect = () => ({ top: 0 }) as DOMRect;
    // Row 500 at the top of the view.
    tbody.getBoundingClientRect = () => ({ top: -500 * 23 }) as DOMRect;
    act(() => void fireEvent.scroll(scroller));
    // Measured in the next animation frame.
    await waitFor(() => expect(spacers()).toHaveLength(2));
    const names = dataRows().map((r) => r.querySelector('td')!.textContent);
    expect(names).toContain(`${rows[500].name} (${rows[500].className})`);
    expect(names).toContain(`${rows[519].name} (${rows[519].className})`);
    expect(names).not.toContain(`${rows[0].name} (${rows[0].className})`);
    const [above, below] = spacers();
    const first = rows.findIndex((r) => `${r.name} (${r.className})` === names[0]);
    expect(above).toBeCloseTo(first * 23, 5);
    expect(above + below + names.length * 23).toBeCloseTo(rows.length * 23, 5);
  });

  it('looks for its scroll container once, not on every scroll or edit (getComputedStyle forces a style recalculation)', async () => {
    const g = chain(1000);
    const spy = vi.spyOn(window, 'getComputedStyle');
    try {
      const { container } = mount(g);
      const scroller = container.querySelector<HTMLElement>('[data-testid="scroller"]')!;
      await new Promise((r) => requestAnimationFrame(r));
      const afterMount = spy.mock.calls.length;
      for (let i = 0; i < 5; i++) {
        act(() => void fireEvent.scroll(scroller));
        await new Promise((r) => requestAnimationFrame(r));
      }
      const id = useEditor.getState().graph.nodes.find((n) => n.name === 'dense_500')!.id;
      act(() => useEditor.getState().setParam(id, 'units', 9));
      act(() => useEditor.getState().removeSelection());
      act(() => useEditor.getState().select({ nodes: [id], edges: [] }));
      act(() => useEditor.getState().removeSelection());
      await new Promise((r) => requestAnimationFrame(r));
      expect(useEditor.getState().graph.nodes).toHaveLength(999);
      expect(spy.mock.calls.length).toBe(afterMount);
    } finally {
      spy.mockRestore();
    }
  });

  it('reads the layout after the next paint (an animation frame, then a task), never inside the animation frame', async () => {
    const { container, table } = mount(chain(1000));
    const scroller = container.querySelector<HTMLElement>('[data-testid="scroller"]')!;
    const tbody = table.querySelector('tbody')!;
    // Let the first measurement pass.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 10)));
    const reads: string[] = [];
    tbody.getBoundingClientRect = () => {
      reads.push('read');
      return { top: 0 } as DOMRect;
    };
    act(() => void fireEvent.scroll(scroller));
    act(() => void fireEvent.scroll(scroller));
    await new Promise((r) => requestAnimationFrame(r));
    expect(reads).toEqual([]);
    await waitFor(() => expect(reads).toEqual(['read']));
  });

  it('copying from a windowed table gives every row as tab-separated text', () => {
    const g = branching(600);
    const s = summarize(g, analyze(g));
    expect(s.sequential).toBe(false);
    const { table } = mount(g);
    const setData = vi.fn();
    fireEvent.copy(table, { clipboardData: { setData } });
    expect(setData).toHaveBeenCalledWith('text/plain', summaryTableText(s));
    const lines = summaryTableText(s).split('\n');
    expect(lines).toHaveLength(s.rows.length + 1);
    expect(lines[0].split('\t')).toEqual(['Layer (type)', 'Output Shape', 'Param #', 'Connected to']);
    const add = s.rows.findIndex((r) => r.className === 'Add');
    expect(lines[add + 1].split('\t')[3]).toBe(s.rows[add].connectedTo.join(', '));
  });
});
