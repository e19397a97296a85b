// @vitest-environment jsdom
/**
 * `useIdleValue` (store/useIdleValue.ts): a lagging value follows in an idle period after the render that changed it
 * (jsdom has no requestIdleCallback: a 0 ms timer stands in), a value that does not lag follows in the same render,
 * and the idle scheduler (store/idle.ts) uses requestIdleCallback with its timeout where the browser has it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { useIdleValue } from '../../src/store/useIdleValue';
import { idleScheduler } from '../../src/store/idle';
import { useEditor } from '../../src/store/editor';
import { SummaryPanel, LAG_FROM } from '../../src/panels/SummaryPanel';
import { columnChain } from '../helpers/graphs';

afterEach(cleanup);

function Show({ value, lag }: { value: number; lag: boolean }) {
  return <output data-testid="v">{useIdleValue(value, lag)}</output>;
}

describe('useIdleValue', () => {
  it('lags: the render after a change still shows the old value; an idle period later the new one', async () => {
    const { getByTestId, rerender } = render(<Show value={1} lag />);
    expect(getByTestId('v').textContent).toBe('1');
    act(() => rerender(<Show value={2} lag />));
    expect(getByTestId('v').textContent).toBe('1');
    await waitFor(() => expect(getByTestId('v').textContent).toBe('2'));
  });

  it('does not lag: the new value shows in the same render, and lagging later starts from it', async () => {
    const { getByTestId, rerender } = render(<Show value={1} lag={false} />);
    act(() => rerender(<Show value={5} lag={false} />));
    expect(getByTestId('v').textContent).toBe('5');
    act(() => rerender(<Show value={5} lag />));
    expect(getByTestId('v').textContent).toBe('5');
  });

  it('idleScheduler passes its timeout to requestIdleCallback and cancels through cancelIdleCallback', () => {
    const ric = vi.fn((_cb: unknown, _o?: { timeout: number }) => 7);
    const cic = vi.fn();
    vi.stubGlobal('requestIdleCallback', ric);
    vi.stubGlobal('cancelIdleCallback', cic);
    try {
      const cancel = idleScheduler(150)(() => {});
      expect(ric).toHaveBeenCalledWith(expect.any(Function), { timeout: 150 });
      cancel();
      expect(cic).toHaveBeenCalledWith(7);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

describe('the summary of a big model follows in an idle period', () => {
  it(`from ${LAG_FROM} layers an edit's render keeps the old summary, which then follows`, async () => {
    useEditor.setState({ graph: chain(LAG_FROM + 10), selection: { nodes: [], edges: [] } });
    const { getByTestId } = render(<SummaryPanel />);
    const rows = () => getByTestId('summary-table').getAttribute('data-rows');
    expect(rows()).toBe(String(LAG_FROM + 9));
    act(() => useEditor.setState({ graph: chain(LAG_FROM + 20) }));
    expect(rows()).toBe(String(LAG_FROM + 9));
    await waitFor(() => expect(rows()).toBe(String(LAG_FROM + 19)));
  });

  it('below it the summary is current after the edit', () => {
    useEditor.setState({ graph: chain(LAG_FROM - 10), selection: { nodes: [], edges: [] } });
    const { getByTestId } = render(<SummaryPanel />);
    act(() => useEditor.setState({ graph: chain(LAG_FROM - 20) }));
    expect(getByTestId('summary-table').getAttribute('data-rows')).toBe(String(LAG_FROM - 21));
  });
});
