// @vitest-environment jsdom
/**
 * A model just opened is first drawn at its fitted zoom (issue 13, first import): the fit request jumps to the view
 * computed from the layout's positions before React Flow draws the new nodes, so a big model's nodes are drawn once,
 * in the far form, instead of in the full form at the old zoom and again as boxes after the fit (most of a first
 * import of a 1,000-layer chain: 280 ms of layout and about 400 ms of script in a trace). A fit of a model whose
 * nodes are already measured does not jump (the Fit button keeps its animation).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup } from '@testing-library/react';
import { useEditor } from '../../src/store/editor';
import { useUi } from '../../src/store/ui';
import { preFit } from '../../src/canvas/viewport';
import { FAR_ZOOM } from '../../src/canvas/lod';
import { installReactFlowDom, restoreReactFlowDom } from '../helpers/reactFlowDom';
import { mountCanvas } from '../helpers/mountCanvas';
import { columnChain } from '../helpers/graphs';

beforeAll(() => installReactFlowDom());
afterAll(restoreReactFlowDom);
afterEach(cleanup);

/** Input (8) and n − 1 Dense(8) layers in one column (tests/helpers/graphs.ts). */
const chain = columnChain;

describe('fit of a model just loaded', () => {
  it('jumps to the fitted zoom before the nodes are drawn: every node of a 120-layer chain is drawn in the far form only', () => {
    const { container, flow, store } = mountCanvas();
    // Count every layer node ever put in the page in the full form.
    let fullDrawn = 0;
    const seen = new WeakSet<Element>();
    const observer = new MutationObserver(() => {
      for (const el of container.querySelectorAll('.layer-node:not(.layer-node--far)'))
        if (!seen.has(el)) {
          seen.add(el);
          fullDrawn++;
        }
    });
    observer.observe(container, { childList: true, subtree: true });
    expect(store().getState().transform[2]).toBe(1);
    act(() => {
      useEditor.getState().loadGraph(chain(120));
      useUi.getState().requestFit();
    });
    // No animation frame has run yet: the view is already fitted, and the nodes were drawn as boxes.
    expect(store().getState().transform[2]).toBeLessThan(FAR_ZOOM);
    expect(container.querySelectorAll('.layer-node--far').length).toBeGreaterThan(0);
    act(() => void 0);
    observer.takeRecords();
    for (const el of container.querySelectorAll('.layer-node:not(.layer-node--far)')) if (!seen.has(el)) fullDrawn++;
    observer.disconnect();
    expect(fullDrawn).toBe(0);
    // Measured now: a further fit request does not jump.
    expect(preFit(flow(), store(), useEditor.getState().graph)).toBe(false);
  });
});
